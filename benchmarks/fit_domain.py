"""Fit the answer engine's domain model (``bot/answers/domain_model.json``): how much a message
reads like a member's question on the network's topics rather than one to decline.

    pip install scikit-learn
    python benchmarks/fit_domain.py            # writes the model and benchmarks/domain_oof.json

Training data: every question set in tests/data (the development sets; a fresh held-out set is
added only after it has been measured), label "has a topic"; and, as questions on the topics,
the knowledge base's own titles and question phrasings (and the English titles). Without
those the model learnt the sets' style: their questions on the topics are mostly long and say "wir",
their questions to decline are often short and say "ich", so a plain "Wie nutze ich die eID?"
read as one to decline. Refit when the knowledge base's phrasings change much. The model is
scikit-learn's logistic regression over two tf-idf blocks (sublinear term frequency, terms seen
in at least two questions, classes balanced): words and word pairs, and the four-letter pieces
of each word (``char_wb``: they carry compounds, inflections and typos the words alone miss:
"Behördenrufnummer", "XRechnungen"). The bot reads only the weights (``bot.answers.domain``),
so scikit-learn is needed here, not at run time.

On the questions it was fitted on the model looks far surer than it is on a new one, so this
script also writes, for every question, the logit of a model fitted *without the set that
question belongs to* (and without any question of the same text in other sets):
``benchmarks/domain_oof.json``. Those out-of-set logits are what the engine's veto level
(``DOMAIN_VETO``) was chosen on, and they give the model's own held-out quality, printed at the end.
"""

from __future__ import annotations

import json
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import FeatureUnion

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.answers.domain import MODEL_PATH, PIECE, DomainModel  # noqa: E402
from bot.answers.engine import DEFAULT_KNOWLEDGE_DIR  # noqa: E402
from bot.answers.loader import load as load_knowledge  # noqa: E402

DATA = ROOT / "tests" / "data"
OOF_PATH = ROOT / "benchmarks" / "domain_oof.json"
# Regularisation strength of the logistic regression (scikit-learn's C; not tuned).
C = 4.0
# Texts whose logits the bot's own reading of the model must reproduce (tests/unit).
CHECKS = 30


def question_sets() -> list[Path]:
    """Every question set (not the judged verdicts): the base sets and held-out sets 2, 3, ..."""
    paths = [p for p in DATA.glob("questions*.toml") if not p.stem.endswith("_judged")]
    return sorted(paths, key=lambda p: (len(p.stem), p.stem))


def load(path: Path) -> list[tuple[str, int]]:
    rows = tomllib.loads(path.read_text(encoding="utf-8"))["q"]
    return [(str(r["text"]), int(bool(r.get("topic")))) for r in rows]


def knowledge_phrasings() -> list[str]:
    """The entries' titles and question phrasings (and English titles): questions on the topics."""
    out: list[str] = []
    for entry in load_knowledge(DEFAULT_KNOWLEDGE_DIR).entries:
        out += [entry.title, *entry.questions]
        if entry.en is not None:
            out.append(entry.en.title)
    return out


def fit(texts: Sequence[str], labels: Sequence[int]) -> tuple[FeatureUnion, LogisticRegression]:
    words = TfidfVectorizer(
        lowercase=True,
        token_pattern=DomainModel.TOKEN.pattern,
        ngram_range=(1, 2),
        min_df=2,
        sublinear_tf=True,
    )
    pieces = TfidfVectorizer(
        lowercase=True, analyzer="char_wb", ngram_range=(PIECE, PIECE), min_df=2, sublinear_tf=True
    )
    vectorizer = FeatureUnion([("words", words), ("pieces", pieces)])
    x = vectorizer.fit_transform(texts)
    model = LogisticRegression(C=C, max_iter=5000, class_weight="balanced")
    model.fit(x, labels)
    return vectorizer, model


def export(vectorizer: FeatureUnion, model: LogisticRegression, checks: list[str]) -> dict:
    coef = model.coef_[0]
    data: dict = {"intercept": round(float(model.intercept_[0]), 6)}
    offset = 0
    for name, block in vectorizer.transformer_list:
        # The union's columns: the words' block first, then the pieces'.
        data[name] = {
            term: [round(float(block.idf_[i]), 6), round(float(coef[offset + i]), 6)]
            for term, i in sorted(block.vocabulary_.items())
        }
        offset += len(block.vocabulary_)
    exported = DomainModel.from_dict(data)
    data["checks"] = [[t, round(exported.logit(t, clip=False), 6)] for t in checks]
    # The bot's reading of the rounded weights against scikit-learn's own, unrounded.
    for text, value in zip(
        checks, model.decision_function(vectorizer.transform(checks)), strict=True
    ):
        if abs(exported.logit(text, clip=False) - value) > 1e-3:
            raise RuntimeError(f"bot.answers.domain disagrees with scikit-learn on {text!r}")
    return data


def main() -> None:
    sets = {p.name: load(p) for p in question_sets()}
    texts = [t for rows in sets.values() for t, _ in rows]
    labels = [y for rows in sets.values() for _, y in rows]
    phrasings = knowledge_phrasings()
    texts += phrasings
    labels += [1] * len(phrasings)
    # Out of set: each set's logits from a model that saw neither the set nor its texts.
    oof: dict[str, dict[str, float]] = {}
    for name, rows in sets.items():
        own = {t for t, _ in rows}
        train = [(t, y) for t, y in zip(texts, labels, strict=True) if t not in own]
        vectorizer, model = fit([t for t, _ in train], [y for _, y in train])
        values = model.decision_function(vectorizer.transform([t for t, _ in rows]))
        oof[name] = {t: round(float(v), 6) for (t, _), v in zip(rows, values, strict=True)}
    OOF_PATH.write_text(json.dumps(oof, ensure_ascii=False, indent=0, sort_keys=True) + "\n")

    unique = dict(zip(texts, labels, strict=True))  # a text twice counts once
    vectorizer, model = fit(list(unique), list(unique.values()))
    checks = [t for t in list(unique)[:: max(1, len(unique) // CHECKS)]][:CHECKS]
    data = export(vectorizer, model, checks)
    MODEL_PATH.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")

    size = len(data["words"]) + len(data["pieces"])
    print(f"{len(unique)} questions from {len(sets)} sets, {size} features")
    print(f"-> {MODEL_PATH.relative_to(ROOT)}, {OOF_PATH.relative_to(ROOT)}")
    ys = [y for rows in sets.values() for _, y in rows]
    ps = [oof[name][t] for name, rows in sets.items() for t, _ in rows]
    print(f"leave-one-set-out: AUC (on-topic against decline) {roc_auc_score(ys, ps):.4f}")
    for name, rows in sets.items():
        on = [oof[name][t] for t, y in rows if y]
        off = [oof[name][t] for t, y in rows if not y]
        right = sum(v > 0 for v in on) + sum(v <= 0 for v in off)
        print(f"  {name:32} {right:3d}/{len(rows):<3d} on the right side of 0")


if __name__ == "__main__":
    main()

"""How much a message reads like a member's question on the network's topics: a linear model
over words, word pairs and word pieces, learnt from the question sets and the knowledge base's
phrasings (benchmarks/fit_domain.py).

The knowledge base's own statistics (coverage, BM25, the anchor) say how well an entry matches
the words asked; they cannot tell "Wie sichere ich mein Gartenhaus?" from a question on IT
security, which shares its words. How members write does: "wir", "unsere Gemeinde", "die
Vergabestelle" against "mein", "meine Tochter", "der Kiosk". The engine declines a message whose
logit is below ``engine.DOMAIN_VETO`` before it searches (a veto only: as a feature of the
confidence it also let weak answers through, docs/answer-quality.md, twenty-second round).

The model is fitted with scikit-learn's tf-idf and logistic regression; this module reads the
exported weights and computes the same decision function in plain Python (about 0.05 ms per
message), so the bot does not need scikit-learn or NumPy. ``tests/unit/test_answers_domain.py``
checks it against the logits scikit-learn gave for texts stored with the model.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

MODEL_PATH = Path(__file__).with_name("domain_model.json")
# The logit is clipped: a message far on either side says no more than one well on it, and an
# unbounded feature would let one word pair outvote every match statistic.
CLIP = 8.0
# Length of the word pieces (scikit-learn's char_wb n-grams: each word padded with a space).
PIECE = 4
_SPACES = re.compile(r"\s\s+")

Block = dict[str, tuple[float, float]]  # term -> (idf, coefficient)


class DomainModel:
    # scikit-learn's default token pattern: runs of two or more word characters.
    TOKEN = re.compile(r"(?u)\b\w\w+\b")

    def __init__(self, intercept: float, words: Block, pieces: Block) -> None:
        self.intercept = intercept
        self.words = words
        self.pieces = pieces

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DomainModel:
        def block(raw: dict[str, list[float]]) -> Block:
            return {t: (float(v[0]), float(v[1])) for t, v in raw.items()}

        return cls(float(data["intercept"]), block(data["words"]), block(data["pieces"]))

    def words_of(self, text: str) -> list[str]:
        """Words and adjacent word pairs (TfidfVectorizer, ngram_range=(1, 2))."""
        words = self.TOKEN.findall(text.lower())
        return [*words, *(f"{a} {b}" for a, b in pairwise(words))]

    @staticmethod
    def pieces_of(text: str) -> list[str]:
        """Each word's four-letter pieces, the word padded with a space on both sides
        (TfidfVectorizer, analyzer="char_wb"); a shorter word is one piece of its own."""
        out: list[str] = []
        for word in _SPACES.sub(" ", text.lower()).split():
            padded = f" {word} "
            if len(padded) <= PIECE:
                out.append(padded)
                continue
            out.extend(padded[i : i + PIECE] for i in range(len(padded) - PIECE + 1))
        return out

    def logit(self, text: str, *, clip: bool = True) -> float:
        """The decision function: > 0 reads like a question on the topics."""
        z = self.intercept + _part(self.words, self.words_of(text))
        z += _part(self.pieces, self.pieces_of(text))
        return max(-CLIP, min(CLIP, z)) if clip else z


def _part(block: Block, terms: list[str]) -> float:
    """One block's share of the decision: sublinear tf times idf, L2-normalised within the
    block (as each vectorizer of a scikit-learn FeatureUnion does), dotted with its weights."""
    values: list[tuple[float, float]] = []
    for term, count in Counter(terms).items():
        known = block.get(term)
        if known is not None:
            idf, coef = known
            values.append(((1.0 + math.log(count)) * idf, coef))
    norm = math.sqrt(sum(v * v for v, _ in values))
    return sum(v * coef for v, coef in values) / norm if norm > 0 else 0.0


@cache
def shipped_model() -> DomainModel:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    return DomainModel.from_dict(data)

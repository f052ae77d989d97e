"""Refit the answer engine's confidence calibration (``CALIBRATION`` in bot/answers/engine.py).

    /work/venv/bin/python benchmarks/calibrate.py [--l2 0.01]

The real knowledge base is indexed into a temporary database and every question of the fitting
sets (tests/data/questions.toml, tests/data/questions_dev.toml) is asked once with threshold 0,
recording the engine's features of its best entry (``AnswerEngine.last_features``: coverage,
margin, BM25 strength, known share, anchor) and that entry's topic (``last_topic``). Label:
"the top-1 topic is the expected one" (always 0 for an off-topic question).

The fit is a logistic regression on the questions that have an anchor (without one the engine
caps the logit at ``NO_ANCHOR_LOGIT`` whatever the weights), with classes weighted to equal
total weight and an L2 penalty on the weights (not the intercept):

    J(w) = 1/N * sum_i c_i * logloss_i(w) + l2/2 * |w[1:]|^2,   c_i = N / (2 * N_class(i))

It is minimised exactly by Newton's method, so the result does not depend on a learning rate
or an iteration count.

The script prints the fitted constants ready to paste into engine.py and, for thresholds 0.30
to 0.50, on-topic top-1 accuracy and off-topic abstention with the current and the fitted
(rounded) constants on each set. tests/data/questions_heldout.toml is never used for fitting;
it is only evaluated, and printed separately. Note that ``CANDIDATE_LOGIT`` ("Meinten Sie
...?") is a logit under these constants too: check the candidates after pasting new ones.
The script changes no file.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.question_sets import load_question_set  # noqa: E402
from bot.answers.engine import (  # noqa: E402
    CALIBRATION,
    DEFAULT_THRESHOLD,
    NO_ANCHOR_LOGIT,
    AnswerEngine,
)
from storage.database import Database  # noqa: E402

DATA = ROOT / "tests" / "data"
FIT_SETS = (DATA / "questions.toml", DATA / "questions_dev.toml", DATA / "questions_intent.toml")
EVAL_ONLY_SETS = (DATA / "questions_heldout.toml",)
THRESHOLDS = (0.30, 0.35, 0.40, 0.45, 0.50)
FEATURE_NAMES = ("coverage", "margin", "BM25 strength", "known share", "anchor", "shape fit")
ANCHOR = FEATURE_NAMES.index("anchor")

Weights = tuple[float, ...]


@dataclass(frozen=True)
class Sample:
    """One asked question: what was expected and what the engine's best entry looked like."""

    text: str
    want: str  # expected topic id, "" for off-topic
    top: str  # topic of the engine's best entry, "" if nothing matched at all
    features: tuple[float, ...] | None  # None: no known words or no hits (always abstains)

    @property
    def label(self) -> int:
        return int(bool(self.want) and self.top == self.want)


def load_questions(path: Path) -> list[tuple[str, str]]:
    return [(str(row["text"]), str(row["topic"])) for row in load_question_set(path)]


def logit(weights: Sequence[float], features: Sequence[float]) -> float:
    """The engine's logit (bot.answers.engine._logit) for explicit weights."""
    z = weights[0] + sum(w * x for w, x in zip(weights[1:], features, strict=True))
    return z if features[ANCHOR] > 0 else min(z, NO_ANCHOR_LOGIT)


def sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def score(weights: Sequence[float], sample: Sample) -> float:
    return 0.0 if sample.features is None else sigmoid(logit(weights, sample.features))


async def collect(paths: Sequence[Path]) -> dict[Path, list[Sample]]:
    """Ask every question of every set once against the real knowledge base."""
    out: dict[Path, list[Sample]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(Path(tmp) / "calibrate.db")
        await db.open()
        try:
            engine = AnswerEngine(db, threshold=0.0, check_interval=math.inf)
            await engine.refresh()
            for path in paths:
                samples: list[Sample] = []
                for text, want in load_questions(path):
                    # The confidence is fitted per question: a message is asked as one
                    # question, without the engine's split into parts or its second look
                    # (their answers carry a part's score, not the whole message's).
                    answer, _ = await engine._ask_one(text)
                    if answer.entry is None:  # threshold 0: nothing to rank at all
                        samples.append(Sample(text, want, "", None))
                        continue
                    sample = Sample(text, want, engine.last_topic, tuple(engine.last_features))
                    # Guard against this script drifting from engine._logit.
                    if abs(score(CALIBRATION, sample) - answer.score) > 1e-9:
                        raise RuntimeError(
                            f"score mismatch for {text!r}: engine {answer.score}, "
                            f"script {score(CALIBRATION, sample)}; update logit() here"
                        )
                    samples.append(sample)
                out[path] = samples
        finally:
            await db.close()
    return out


def solve(matrix: list[list[float]], rhs: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the systems here are 6x6)."""
    n = len(rhs)
    a = [[*row, b] for row, b in zip(matrix, rhs, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        if abs(a[pivot][col]) < 1e-15:
            raise ArithmeticError("singular Hessian")
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(col + 1, n):
            f = a[r][col] / a[col][col]
            for c in range(col, n + 1):
                a[r][c] -= f * a[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (a[r][n] - sum(a[r][c] * x[c] for c in range(r + 1, n))) / a[r][r]
    return x


def class_weights(labels: Sequence[int]) -> dict[int, float]:
    n, pos = len(labels), sum(labels)
    if pos in (0, n):
        raise ValueError("need both right and wrong top-1 answers to fit")
    return {1: n / (2 * pos), 0: n / (2 * (n - pos))}


def objective(
    weights: Sequence[float], xs: Sequence[Sequence[float]], ys: Sequence[int], l2: float
) -> float:
    """Class-weighted mean log loss plus the L2 penalty (the quantity the fit minimises)."""
    cw = class_weights(ys)
    loss = 0.0
    for x, y in zip(xs, ys, strict=True):
        z = weights[0] + sum(w * v for w, v in zip(weights[1:], x, strict=True))
        # log(1 + exp(-z)) for y = 1, log(1 + exp(z)) for y = 0, overflow-safe
        m = -z if y else z
        loss += cw[y] * (max(m, 0.0) + math.log1p(math.exp(-abs(m))))
    return loss / len(ys) + l2 / 2 * sum(w * w for w in weights[1:])


def fit(
    xs: Sequence[Sequence[float]], ys: Sequence[int], l2: float, max_iter: int = 100
) -> Weights:
    """Minimise ``objective`` by Newton's method; returns (intercept, *weights)."""
    cw = class_weights(ys)
    dim = len(xs[0]) + 1
    rows = [(1.0, *x) for x in xs]
    w = [0.0] * dim
    for _ in range(max_iter):
        grad = [0.0] * dim
        hess = [[0.0] * dim for _ in range(dim)]
        for row, y in zip(rows, ys, strict=True):
            p = sigmoid(sum(wi * xi for wi, xi in zip(w, row, strict=True)))
            g, h = cw[y] * (p - y), cw[y] * p * (1.0 - p)
            for i in range(dim):
                grad[i] += g * row[i]
                for j in range(dim):
                    hess[i][j] += h * row[i] * row[j]
        n = len(rows)
        for i in range(dim):
            grad[i] /= n
            for j in range(dim):
                hess[i][j] /= n
            if i > 0:  # no penalty on the intercept
                grad[i] += l2 * w[i]
                hess[i][i] += l2
        step = solve(hess, grad)
        w = [wi - si for wi, si in zip(w, step, strict=True)]
        if max(abs(s) for s in step) < 1e-12:
            return tuple(w)
    raise ArithmeticError(f"Newton's method did not converge in {max_iter} iterations")


def rates(samples: Sequence[Sample], weights: Sequence[float], threshold: float) -> str:
    """On-topic top-1 accuracy (answered, right topic) and off-topic abstention."""
    on = [s for s in samples if s.want]
    off = [s for s in samples if not s.want]
    right = sum(s.top == s.want and score(weights, s) >= threshold for s in on)
    abstained = sum(score(weights, s) < threshold for s in off)
    acc = f"{right:3d}/{len(on):<3d} {right / len(on):6.1%}" if on else "-"
    abst = f"{abstained:3d}/{len(off):<3d} {abstained / len(off):6.1%}" if off else "-"
    return f"{acc}  {abst}"


def report(name: str, samples: Sequence[Sample], current: Weights, fitted: Weights) -> None:
    print(f"\n{name}")
    print(
        f"  {'threshold':>9}  {'current: accuracy':>18}  {'abstention':>14}   "
        f"{'fitted: accuracy':>18}  {'abstention':>14}"
    )
    for t in THRESHOLDS:
        mark = "*" if math.isclose(t, DEFAULT_THRESHOLD) else " "
        print(
            f"  {t:8.2f}{mark}  {rates(samples, current, t):>34}   {rates(samples, fitted, t):>34}"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--l2", type=float, default=0.01, help="L2 penalty (default 0.01)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    samples = asyncio.run(collect((*FIT_SETS, *EVAL_ONLY_SETS)))
    train = [
        s for p in FIT_SETS for s in samples[p] if s.features is not None and s.features[ANCHOR] > 0
    ]
    xs = [s.features for s in train if s.features is not None]
    ys = [s.label for s in train]
    fitted_exact = fit(xs, ys, args.l2)
    fitted = tuple(round(w, 2) for w in fitted_exact)
    current: Weights = tuple(CALIBRATION)

    names = ", ".join(str(p.relative_to(ROOT)) for p in FIT_SETS)
    print(
        f"Fit on {len(train)} questions with an anchor from {names}: "
        f"{sum(ys)} top-1 right, {len(ys) - sum(ys)} wrong or off-topic; "
        f"L2 {args.l2}, classes balanced."
    )
    print(
        f"Objective (weighted log loss + L2): current {objective(current, xs, ys, args.l2):.4f}, "
        f"fitted {objective(fitted_exact, xs, ys, args.l2):.4f}"
    )
    print(f"\n  {'':14} {'current':>8} {'fitted':>8}")
    for name, c, f in zip(("intercept", *FEATURE_NAMES), current, fitted_exact, strict=True):
        print(f"  {name:14} {c:8.2f} {f:8.3f}")

    print("\nPaste into bot/answers/engine.py:")
    print("# Intercept and weights for (coverage, margin, BM25 strength, known share, anchor,")
    print("# shape fit): see the module docstring.")
    print(f"CALIBRATION = ({', '.join(repr(w) for w in fitted)})")

    print(
        "\nOn-topic top-1 accuracy and off-topic abstention (* = DEFAULT_THRESHOLD; "
        "fitted = the rounded constants above)."
    )
    for path in FIT_SETS:
        report(f"{path.relative_to(ROOT)} (fitting set)", samples[path], current, fitted)
    fit_all = [s for p in FIT_SETS for s in samples[p]]
    report("both fitting sets together", fit_all, current, fitted)
    for path in EVAL_ONLY_SETS:
        report(
            f"{path.relative_to(ROOT)} (held out: NOT used for fitting)",
            samples[path],
            current,
            fitted,
        )


if __name__ == "__main__":
    main()

"""The judging round of docs/answer-quality.md, as two steps around the judges' work.

    # the answers nobody has judged yet (question, asks, the member's view), for a judge
    python -m benchmarks.judging pending views.jsonl tests/data/questions_heldout12_judged.toml \
        --out to_judge.jsonl
    # the judge's verdicts (TOML, [[j]] text/entry/verdict/note) appended under a round label
    python -m benchmarks.judging merge tests/data/questions_heldout12_judged.toml verdicts.toml \
        --label r10

A judge sees only the question, what it asks for and the reply; the entry id stays in the
file so that a verdict is keyed by (question, answered entry) like the judged files.
"""

from __future__ import annotations

import argparse
import json
import tomllib
from pathlib import Path

VERDICTS = ("yes", "partly", "no")


def judged_pairs(judged_file: Path) -> set[tuple[str, str]]:
    if not judged_file.exists():
        return set()
    rows = tomllib.loads(judged_file.read_text()).get("j", [])
    return {(r["text"], r["entry"]) for r in rows}


def pending(views_file: Path, judged_file: Path) -> list[dict[str, str]]:
    """Answered questions of a views file whose (question, entry) pair has no verdict."""
    done = judged_pairs(judged_file)
    rows = [json.loads(line) for line in views_file.read_text().splitlines() if line.strip()]
    return [
        {"text": r["text"], "entry": r["entry"], "asks": r.get("asks", ""), "view": r["view"]}
        for r in rows
        if r["entry"] and (r["text"], r["entry"]) not in done
    ]


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def merge(judged_file: Path, verdicts_file: Path, label: str) -> int:
    """Append new verdicts; a pair that already has one keeps it (the first judge's word)."""
    done = judged_pairs(judged_file)
    new = [
        r
        for r in tomllib.loads(verdicts_file.read_text()).get("j", [])
        if (r["text"], r["entry"]) not in done
    ]
    for r in new:
        if r["verdict"] not in VERDICTS:
            raise SystemExit(f"unknown verdict {r['verdict']!r} for {r['text']!r}")
    blocks = [
        "\n".join(
            [
                "[[j]]",
                f"text = {_toml_str(r['text'])}",
                f"entry = {_toml_str(r['entry'])}",
                f"verdict = {_toml_str(r['verdict'])}",
                f"note = {_toml_str(r.get('note', ''))}",
            ]
        )
        for r in new
    ]
    if blocks:
        head = "" if not judged_file.exists() else judged_file.read_text().rstrip("\n") + "\n\n"
        judged_file.write_text(head + f"# {label}\n\n" + "\n\n".join(blocks) + "\n")
    return len(new)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="step", required=True)
    p = sub.add_parser("pending", help="answers without a verdict, as JSON lines")
    p.add_argument("views", type=Path)
    p.add_argument("judged", type=Path)
    p.add_argument("--out", type=Path, required=True)
    m = sub.add_parser("merge", help="append a judge's verdicts to a judged file")
    m.add_argument("judged", type=Path)
    m.add_argument("verdicts", type=Path)
    m.add_argument("--label", required=True)
    args = parser.parse_args()
    if args.step == "pending":
        rows = pending(args.views, args.judged)
        args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
        print(f"{len(rows)} answers to judge -> {args.out}")
    else:
        print(f"{merge(args.judged, args.verdicts, args.label)} verdicts added to {args.judged}")


if __name__ == "__main__":
    main()

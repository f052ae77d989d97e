"""The judging round of docs/answer-quality.md, as two steps around the judges' work.

    # the answers nobody has judged yet (question, asks, the member's view), for a judge
    python -m benchmarks.judging pending views.jsonl tests/data/questions_heldout12_judged.toml \
        --out to_judge.jsonl
    # the judge's verdicts (TOML, [[j]] text/entry/verdict/note) appended under a round label
    python -m benchmarks.judging merge tests/data/questions_heldout12_judged.toml verdicts.toml \
        --label r10
    # an independent judge's verdicts replacing earlier ones (e.g. an entry author's own)
    python -m benchmarks.judging merge JUDGED verdicts.toml --label r10-independent --replace

A judge sees only the question, what it asks for and the reply; the entry id stays in the
file so that a verdict is keyed by (question, answered entry) like the judged files.
"""

from __future__ import annotations

import argparse
import json
import re
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


def _blocks(text: str) -> list[str]:
    """A judged file cut before each ``[[j]]`` line (the first piece is its header)."""
    return re.split(r"(?m)^(?=\[\[j\]\]$)", text)


def _without(text: str, pairs: set[tuple[str, str]]) -> str:
    """The judged file without the verdicts of ``pairs``; comment lines stay."""
    kept = []
    for block in _blocks(text):
        rows = tomllib.loads(block).get("j", []) if block.startswith("[[j]]") else []
        if rows and (rows[0]["text"], rows[0]["entry"]) in pairs:
            block = "".join(line for line in block.splitlines(True) if line.startswith("#"))
        kept.append(block)
    return "".join(kept)


def merge(judged_file: Path, verdicts_file: Path, label: str, replace: bool = False) -> int:
    """Append new verdicts. A pair that has one keeps it (the first judge's word), unless
    ``replace``: then an independent judge's verdict replaces it (e.g. an author's own)."""
    rows = tomllib.loads(verdicts_file.read_text()).get("j", [])
    new: dict[tuple[str, str], dict[str, str]] = {}
    for r in rows:
        if r["verdict"] not in VERDICTS:
            raise SystemExit(f"unknown verdict {r['verdict']!r} for {r['text']!r}")
        key = (r["text"], r["entry"])
        if key in new and new[key]["verdict"] != r["verdict"]:
            raise SystemExit(f"two verdicts for one pair in {verdicts_file}: {r['text']!r}")
        new[key] = r
    text = judged_file.read_text() if judged_file.exists() else ""
    if replace:
        text = _without(text, set(new))
    else:
        done = judged_pairs(judged_file)
        new = {k: r for k, r in new.items() if k not in done}
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
        for r in new.values()
    ]
    if blocks:
        head = text.rstrip("\n") + "\n\n" if text.strip() else ""
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
    m.add_argument("--replace", action="store_true", help="replace earlier verdicts of a pair")
    args = parser.parse_args()
    if args.step == "pending":
        rows = pending(args.views, args.judged)
        args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
        print(f"{len(rows)} answers to judge -> {args.out}")
    else:
        added = merge(args.judged, args.verdicts, args.label, args.replace)
        print(f"{added} verdicts added to {args.judged}")


if __name__ == "__main__":
    main()

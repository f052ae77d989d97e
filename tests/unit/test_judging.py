"""benchmarks/judging.py: which answers a judge gets, and how verdicts join a judged file."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from benchmarks.judging import merge, pending


def _views(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    return path


def test_only_answered_unjudged_pairs_are_pending(tmp_path: Path) -> None:
    judged = tmp_path / "judged.toml"
    judged.write_text('[[j]]\ntext = "A?"\nentry = "e1"\nverdict = "yes"\nnote = ""\n')
    views = _views(
        tmp_path / "v.jsonl",
        [
            {"text": "A?", "entry": "e1", "asks": "a", "view": "x"},  # judged
            {"text": "A?", "entry": "e2", "asks": "a", "view": "y"},  # same question, new entry
            {"text": "B?", "entry": "", "asks": "b", "view": "declined"},  # declined
        ],
    )
    assert pending(views, judged) == [{"text": "A?", "entry": "e2", "asks": "a", "view": "y"}]


def test_merge_appends_new_verdicts_once_and_keeps_the_first(tmp_path: Path) -> None:
    judged = tmp_path / "judged.toml"
    verdicts = tmp_path / "v.toml"
    verdicts.write_text(
        '[[j]]\ntext = "Wie \\"so\\"?"\nentry = "e1"\nverdict = "partly"\nnote = "n"\n'
    )
    assert merge(judged, verdicts, "r10") == 1
    verdicts.write_text('[[j]]\ntext = "Wie \\"so\\"?"\nentry = "e1"\nverdict = "no"\n')
    assert merge(judged, verdicts, "r10b") == 0  # a second judge does not overwrite
    rows = tomllib.loads(judged.read_text())["j"]
    assert [(r["text"], r["verdict"]) for r in rows] == [('Wie "so"?', "partly")]


def test_merge_refuses_an_unknown_verdict(tmp_path: Path) -> None:
    verdicts = tmp_path / "v.toml"
    verdicts.write_text('[[j]]\ntext = "A?"\nentry = "e1"\nverdict = "maybe"\n')
    with pytest.raises(SystemExit):
        merge(tmp_path / "judged.toml", verdicts, "r10")
    assert not (tmp_path / "judged.toml").exists()


def test_replace_puts_an_independent_verdict_in_place_of_the_earlier(tmp_path: Path) -> None:
    judged = tmp_path / "judged.toml"
    judged.write_text(
        '# header\n\n[[j]]\ntext = "A?"\nentry = "e1"\nverdict = "yes"\nnote = "n"\n\n'
        '# author\'s verdicts\n\n[[j]]\ntext = "B?"\nentry = "e2"\nverdict = "yes"\n'
        'note = "Author: fine"\n'
    )
    verdicts = tmp_path / "v.toml"
    verdicts.write_text('[[j]]\ntext = "B?"\nentry = "e2"\nverdict = "partly"\nnote = "judge"\n')
    assert merge(judged, verdicts, "independent", replace=True) == 1
    rows = tomllib.loads(judged.read_text())["j"]
    assert [(r["text"], r["verdict"]) for r in rows] == [("A?", "yes"), ("B?", "partly")]
    assert pending(_views(tmp_path / "v.jsonl", []), judged) == []
    assert "# author's verdicts" in judged.read_text()


def test_merge_refuses_two_different_verdicts_for_one_pair(tmp_path: Path) -> None:
    verdicts = tmp_path / "v.toml"
    verdicts.write_text(
        '[[j]]\ntext = "A?"\nentry = "e1"\nverdict = "yes"\n\n'
        '[[j]]\ntext = "A?"\nentry = "e1"\nverdict = "no"\n'
    )
    with pytest.raises(SystemExit):
        merge(tmp_path / "judged.toml", verdicts, "r10")

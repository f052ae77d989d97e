"""Every ``vir-bot …`` command line in the guides and the README works with the real parser.

Lines in code blocks must parse completely (subcommand, options and arguments); a command
mentioned inline (`vir-bot ask --json`) may leave out arguments, but its subcommand and every
option it names must exist. So a guide cannot keep describing an option the code dropped.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
from pathlib import Path

import pytest

from bot.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

# An optional VAR=value prefix and path, then the program; what follows are its arguments.
COMMAND = re.compile(r"^(?:\w+=\S+\s+)*(?:\S*/)?(?:vir-bot|python3? -m bot)(?:\s+(?P<args>.*))?$")
FENCE = re.compile(r"^\s*```")
INLINE = re.compile(r"`([^`\n]+)`")


def command_lines(text: str) -> tuple[list[str], list[str]]:
    """(argument strings from code blocks, argument strings from inline code)."""
    blocks, inline = [], []
    in_block = False
    for line in text.splitlines():
        if FENCE.match(line):
            in_block = not in_block
            continue
        if in_block:
            for segment in line.split("&&"):
                match = COMMAND.match(segment.strip())
                if match and match.group("args"):
                    blocks.append(match.group("args"))
        else:
            for span in INLINE.findall(line):
                match = COMMAND.match(span.strip())
                if match and match.group("args"):
                    inline.append(match.group("args"))
    return blocks, inline


def tokens(args: str) -> list[str]:
    """Shell words without comments and redirections (``< fragen.txt``)."""
    words = shlex.split(args, comments=True)
    out: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word in ("<", ">", "2>", "|"):
            skip = True
        else:
            out.append(word)
    return out


def parse_error(words: list[str]) -> str | None:
    """argparse's complaint about a complete command line, or None if it parses."""
    parser = build_parser()
    complaints: list[str] = []

    def error(message: str) -> None:
        complaints.append(message)
        raise SystemExit(2)

    for p in _all_parsers(parser):
        p.error = error  # type: ignore[method-assign]
    try:
        parser.parse_args(words)
    except SystemExit:
        return complaints[0] if complaints else "exited"
    return None


def option_error(words: list[str]) -> str | None:
    """For an inline mention: the subcommand exists and so does every option it names."""
    parser = build_parser()
    rest = list(words)
    while True:
        sub = _subparsers(parser)
        if sub is None:
            break
        if not rest or rest[0] not in sub.choices:
            return f"unknown or missing subcommand in {' '.join(words)!r}"
        parser = sub.choices[rest.pop(0)]
    known = set(parser._option_string_actions) | {"-v", "--verbose"}
    unknown = [w for w in rest if w.startswith("-") and w != "-" and w.split("=")[0] not in known]
    return f"unknown option(s) {unknown}" if unknown else None


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction | None:
    return next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)


def _all_parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    sub = _subparsers(parser)
    children = [] if sub is None else list(sub.choices.values())
    return [parser, *(p for child in children for p in _all_parsers(child))]


def test_the_checker_finds_wrong_lines() -> None:
    """The checks below would notice a dropped option, subcommand or argument."""
    assert parse_error(tokens("ask --no-such-option x")) is not None
    assert parse_error(tokens("backup --config c.toml")) is not None  # --out is required
    assert parse_error(tokens("ask --json - < fragen.txt # one per line")) is None
    assert option_error(tokens("kb nonsense")) is not None
    assert option_error(tokens("ask --json --store")) is not None
    assert option_error(tokens("ask --json")) is None


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_command_lines_parse_with_the_real_parser(document: Path) -> None:
    blocks, inline = command_lines(document.read_text(encoding="utf-8"))
    problems = [f"{a!r}: {e}" for a in blocks if (e := parse_error(tokens(a)))]
    problems += [f"{a!r}: {e}" for a in inline if (e := option_error(tokens(a)))]
    assert problems == [], f"{document}: command lines that do not match the code"


def test_the_guides_show_command_lines_at_all() -> None:
    """Guard against a checker that silently finds nothing."""
    found = {
        str(d.relative_to(ROOT)): command_lines(d.read_text(encoding="utf-8")) for d in DOCUMENTS
    }
    blocks, inline = found["docs/anleitung-koordination.md"]
    assert len(blocks) >= 6 and len(inline) >= 3
    assert any(a.startswith("ask ") for a in blocks)
    assert any(a.startswith("kb export") for a in blocks)
    readme_blocks, _ = found["README.md"]
    assert any(a.startswith("run ") for a in readme_blocks)


def test_json_example_in_the_guide_has_the_real_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.unit.test_answers_loader import write_kb

    guide = (ROOT / "docs" / "anleitung-koordination.md").read_text(encoding="utf-8")
    examples = [json.loads(line) for line in guide.splitlines() if line.startswith('{"topic"')]
    assert examples, "the guide shows no `vir-bot ask --json` output"
    kb = write_kb(tmp_path / "kb")
    assert main(["ask", "--json", "--dir", str(kb), "Was ist XRechnung?"]) == 0
    real = json.loads(capsys.readouterr().out)
    for example in examples:
        assert list(example) == list(real)

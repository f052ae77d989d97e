"""README, config example and CI stay true to the code."""

from __future__ import annotations

import re
from pathlib import Path

from bot.config import _SCHEMA
from bot.registry import Permission
from commands import command_registry

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def command_table() -> dict[str, tuple[str, str]]:
    """README rows: first command word -> (alias cell, who cell)."""
    section = README.split("<!-- commands:", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, tuple[str, str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        match = re.match(r"`!(\S+?)[ `]", cells[0]) if cells else None
        if match and len(cells) >= 3:
            rows[match.group(1)] = (cells[1], cells[2])
    return rows


def test_every_command_documented_with_aliases_and_permission() -> None:
    registry = command_registry()
    rows = command_table()
    for spec in registry:
        if spec.hidden:
            continue
        assert spec.name in rows, f"!{spec.name} missing in README"
        aliases, who = rows[spec.name]
        for alias in spec.aliases:
            assert f"!{alias}" in aliases, f"alias !{alias} of !{spec.name} missing in README"
        expected = "coordinators" if spec.permission is Permission.COORDINATOR else "members"
        assert who == expected, f"!{spec.name}: README says {who}"
    documented = set(rows)
    assert documented <= {s.name for s in registry}, "README documents unknown commands"


def test_every_config_key_documented() -> None:
    example = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    for section, keys in _SCHEMA.items():
        for key in keys:
            assert f"{section}.{key}" in README, f"{section}.{key} missing in README"
        assert f"[{section}]" in example


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    ci_command = [line for line in ci.splitlines() if "pytest" in line and not line.startswith("#")]
    assert ci_command == ["python -m pytest -q"]
    assert 'pip install -e ".[test]" && .venv/bin/python -m pytest -q' in README
    assert 'python -m pip install --quiet -e ".[test]"' in ci
    steps = [line for line in ci.splitlines() if line and not line.startswith("#")]
    # Lint and format run in CI too, before the tests (a red tree fails fast).
    assert steps.index("ruff check .") < steps.index("python -m pytest -q")
    assert steps.index("ruff format --check .") < steps.index("python -m pytest -q")


def test_operator_config_is_never_committed() -> None:
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "config.toml" in ignored  # it holds the bot's password and pickle key


def test_german_guides_cover_every_command() -> None:
    members = (ROOT / "docs" / "anleitung-mitglieder.md").read_text(encoding="utf-8")
    coordination = (ROOT / "docs" / "anleitung-koordination.md").read_text(encoding="utf-8")
    for spec in command_registry():
        guide = coordination if spec.permission is Permission.COORDINATOR else members
        assert f"!{spec.name}" in guide, f"!{spec.name} missing in the German guide"


def test_wheel_ships_every_knowledge_folder() -> None:
    """A non-editable install finds the knowledge base only if pyproject lists its folders."""
    import tomllib

    with (ROOT / "pyproject.toml").open("rb") as f:
        data_files = tomllib.load(f)["tool"]["setuptools"]["data-files"]
    shipped = {target.removeprefix("share/vir-bot/") for target in data_files}
    folders = {f"knowledge/{p.name}" for p in (ROOT / "knowledge").iterdir() if p.is_dir()} | {
        "knowledge"
    }
    assert folders == shipped

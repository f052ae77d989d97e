"""The ``kb check``, ``kb export`` and ``ask`` subcommands, driven through argparse."""

from __future__ import annotations

import argparse
import inspect
import io
import json
from pathlib import Path

import pytest

from bot.answers.cli import add_arguments
from bot.answers.engine import AnswerEngine
from bot.answers.loader import parse_entry
from bot.cli import main
from storage.database import Database
from tests.fakes import make_config
from tests.unit.test_answers_loader import write_entry, write_kb


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="vir-bot")
    add_arguments(p.add_subparsers(dest="command", required=True))
    return p


async def run(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    result = args.func(args)
    return await result if inspect.isawaitable(result) else result


async def test_kb_check_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kb = write_kb(tmp_path / "kb")
    assert await run(["kb", "check", "--dir", str(kb)]) == 0
    assert "no problems" in capsys.readouterr().out
    write_entry(kb, "e-rechnung", "ohne", "Ohne Antwort", ["Leer?"], "")
    assert await run(["kb", "check", "--dir", str(kb)]) == 2
    assert "ohne.md" in capsys.readouterr().out


async def test_ask_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kb = write_kb(tmp_path / "kb")
    assert await run(["ask", "Was ist XRechnung?", "--json", "--dir", str(kb)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["topic"] == "e-rechnung" and out["entry"] == "xrechnung"
    assert 0 <= out["score"] <= 1
    assert "Quelle: Quelle xrechnung" in out["answer"]
    assert "Stand: 01.02.2025" in out["answer"]


async def test_ask_plain_text_in_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kb = write_kb(tmp_path / "kb")
    assert await run(["ask", "What is XRechnung?", "--dir", str(kb)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("What is XRechnung?\n\nXRechnung is the German")
    assert "Source: Quelle xrechnung" in out and "As of: 01.02.2025" in out


async def test_ask_reads_questions_from_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    kb = write_kb(tmp_path / "kb")
    monkeypatch.setattr(
        "sys.stdin",
        io.StringIO("Was ist XRechnung?\n\nWie wird das Wetter morgen?\nPIN vergessen\n"),
    )
    assert await run(["ask", "-", "--json", "--dir", str(kb)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["entry"] for line in lines] == ["xrechnung", None, "pin-vergessen"]
    abstained = lines[1]
    assert abstained["topic"] is None and abstained["abstained"] is True
    assert abstained["answer"].startswith("Dazu weiß ich leider nichts Sicheres.")
    # The command line stores nothing, so it never claims to have forwarded the question.
    assert "weitergegeben" not in abstained["answer"] and "Nr." not in abstained["answer"]
    assert [line["abstained"] for line in lines] == [False, True, False]


def _fake_config(monkeypatch: pytest.MonkeyPatch, data_dir: Path, **knowledge: object) -> None:
    config = make_config(data_dir.parent, bot={"data_dir": str(data_dir)}, knowledge=knowledge)
    monkeypatch.setattr("bot.config.load_config", lambda path: config)


async def test_ask_with_config_uses_bot_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    kb = write_kb(tmp_path / "kb")
    _fake_config(monkeypatch, tmp_path / "data")
    db = Database(tmp_path / "data" / "vir-bot.db")
    await db.open()
    await AnswerEngine(db, kb).add_faq_entry(
        "e-rechnung", "Was gilt für Skonto?", "Skonto steht in den Zahlungsbedingungen."
    )
    await db.close()
    argv = ["ask", "Skonto?", "--json", "--dir", str(kb), "--config", "bot.toml"]
    assert await run(argv) == 0
    assert json.loads(capsys.readouterr().out)["entry"] == "e-rechnung-was-gilt-fuer-skonto"
    argv = ["ask", "Wie wird das Wetter?", "--dir", str(kb), "--config", "bot.toml"]
    assert await run(argv) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Dazu weiß ich leider nichts Sicheres.")
    assert "weitergegeben" not in out
    assert "the command line stores and forwards nothing" in err
    db = Database(tmp_path / "data" / "vir-bot.db")
    await db.open()
    assert await AnswerEngine(db, kb).unanswered() == []  # trying questions stores nothing
    await db.close()


async def test_ask_uses_the_configured_threshold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    kb = write_kb(tmp_path / "kb")
    _fake_config(monkeypatch, tmp_path / "data", threshold=1.0)
    assert (
        await run(["ask", "Was ist XRechnung?", "--json", "--dir", str(kb), "--config", "x"]) == 0
    )
    assert json.loads(capsys.readouterr().out)["entry"] is None


async def test_export_writes_knowledge_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = write_kb(tmp_path / "kb")
    _fake_config(monkeypatch, tmp_path / "data")
    db = Database(tmp_path / "data" / "vir-bot.db")
    await db.open()
    entry = await AnswerEngine(db, kb).add_faq_entry(
        "personalausweis",
        'Wo gibt es "Kartenleser"?',
        "Im Fachhandel.\nOder online.",
        sources=["Bürgeramt Bremen"],
        added_by="@anna:example.org",
    )
    await db.close()
    out = tmp_path / "export"
    assert await run(["kb", "export", "--out", str(out), "--config", "bot.toml"]) == 0
    path = out / "personalausweis" / f"{entry.id}.md"
    parsed, problems = parse_entry(path, path.read_text(encoding="utf-8"))
    assert problems == []
    assert parsed is not None
    assert (parsed.title, parsed.body, parsed.sources) == (entry.title, entry.body, entry.sources)


async def test_export_reports_a_broken_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bot.toml"
    bad.write_text("[matrix\n", encoding="utf-8")
    assert await run(["kb", "export", "--out", str(tmp_path / "x"), "--config", str(bad)]) == 2
    assert "configuration problem" in capsys.readouterr().err


@pytest.mark.parametrize("question", ["", "   ", "\t\n"])
def test_empty_question_is_a_usage_error(question: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", question]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "error: the question is empty" in err and "weitergegeben" not in err


def test_no_question_on_stdin_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("\n   \n"))
    assert main(["ask", "-"]) == 2
    assert "no question on standard input" in capsys.readouterr().err

"""CLI pieces for the knowledge base: ``kb check``, ``kb export`` and ``ask``.

``add_arguments`` plugs them into the main ``vir-bot`` parser; every handler takes the
argparse Namespace and returns an exit code (sync or async).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from bot.answers.engine import DEFAULT_KNOWLEDGE_DIR, DEFAULT_THRESHOLD, Answer, AnswerEngine
from bot.answers.loader import Entry, check, render_entry_file
from bot.answers.render import render_answer
from storage.database import Database

if TYPE_CHECKING:
    from bot.config import Config


def add_arguments(subparsers: argparse._SubParsersAction) -> None:
    kb = subparsers.add_parser("kb", help="check or export the knowledge base")
    kb_sub = kb.add_subparsers(dest="kb_command", metavar="{check,export}", required=True)

    p = kb_sub.add_parser("check", help="validate the knowledge files (exit 2 on problems)")
    p.add_argument("--dir", type=Path, default=DEFAULT_KNOWLEDGE_DIR, help="knowledge directory")
    p.set_defaults(func=cmd_check)

    p = kb_sub.add_parser("export", help="write FAQ entries added in chat as knowledge files")
    p.add_argument("--out", type=Path, required=True, help="target directory")
    _config_option(p)
    p.set_defaults(func=cmd_export)

    p = subparsers.add_parser("ask", help="ask the knowledge base a question")
    p.add_argument("question", help="the question, or - to read one question per line from stdin")
    p.add_argument("--json", action="store_true", help="print one JSON object per question")
    p.add_argument(
        "--dir", type=Path, default=None, help="knowledge directory (default: from --config)"
    )
    _config_option(p)
    p.set_defaults(func=cmd_ask)


def _config_option(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: a --config on the main parser must not be overwritten by our default.
    parser.add_argument(
        "--config",
        type=Path,
        default=argparse.SUPPRESS,
        help="bot config; includes the FAQ entries stored in its database",
    )


# -- rendering ------------------------------------------------------------------------------------


def render_plain(answer: Answer) -> str:
    """The plain text a member would read in chat (see bot.answers.render), minus what only
    happens in chat: the command line stores nothing, so it never claims to forward a question."""
    return render_answer(answer, feedback_hint=False).body


def answer_json(answer: Answer) -> str:
    return json.dumps(
        {
            "topic": answer.topic.id if answer.topic else None,
            "entry": answer.entry.id if answer.entry else None,
            "score": round(answer.score, 4),
            "abstained": answer.abstained,
            "answer": render_plain(answer),
        },
        ensure_ascii=False,
    )


# -- commands -------------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    problems = check(args.dir)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {args.dir}", file=sys.stderr)
        return 2
    print(f"{args.dir}: no problems")
    return 0


class ConfigProblem(Exception):
    """The --config file could not be used; the message lists why."""


def load_bot_config(config_path: Path) -> Config:
    from bot.config import ConfigError, load_config  # lazy: only needed with --config

    try:
        return load_config(config_path)
    except ConfigError as exc:
        raise ConfigProblem(str(exc)) from None


def database_path(config_path: Path) -> Path:
    """The bot's database file according to its config."""
    return load_bot_config(config_path).bot.database_path


@asynccontextmanager
async def open_database(config_path: Path | None) -> AsyncIterator[Database]:
    """The bot's database when a config is given, else a throwaway one."""
    with tempfile.TemporaryDirectory(prefix="vir-bot-kb-") as tmp:
        path = database_path(config_path) if config_path else Path(tmp) / "kb.db"
        db = Database(path)
        await db.open()
        try:
            yield db
        finally:
            await db.close()


def _config_problem(exc: ConfigProblem) -> int:
    print(f"configuration problem:\n{exc}", file=sys.stderr)
    return 2


async def cmd_ask(args: argparse.Namespace) -> int:
    if args.question == "-":
        questions = [line.strip() for line in sys.stdin if line.strip()]
        if not questions:
            print("error: no question on standard input (expected one per line)", file=sys.stderr)
            return 2
    elif not args.question.strip():
        print(
            'error: the question is empty; expected e.g. vir-bot ask "Was ist die 115?"',
            file=sys.stderr,
        )
        return 2
    else:
        questions = [args.question.strip()]
    config = getattr(args, "config", None)
    knowledge_dir = getattr(args, "dir", None)
    threshold = DEFAULT_THRESHOLD
    if config is not None:
        try:
            knowledge = load_bot_config(config).knowledge
        except ConfigProblem as exc:
            return _config_problem(exc)
        knowledge_dir = knowledge_dir or knowledge.dir
        threshold = knowledge.threshold
    knowledge_dir = knowledge_dir or DEFAULT_KNOWLEDGE_DIR
    abstained = 0
    try:
        async with open_database(config) as db:
            engine = AnswerEngine(db, knowledge_dir, threshold=threshold)
            await engine.refresh()
            for n, question in enumerate(questions):
                answer = await engine.ask(question)
                abstained += answer.abstained
                if args.json:
                    print(answer_json(answer), flush=True)
                else:
                    print(("\n" if n else "") + render_plain(answer), flush=True)
    except ConfigProblem as exc:
        return _config_problem(exc)
    if abstained and not args.json:
        print(
            f"note: no sure answer to {abstained} question(s). In chat the bot would forward "
            "them to the coordination; the command line stores and forwards nothing.",
            file=sys.stderr,
        )
    return 0


async def cmd_export(args: argparse.Namespace) -> int:
    try:
        async with open_database(getattr(args, "config", None)) as db:
            entries = await AnswerEngine(db).faq_entries()
    except ConfigProblem as exc:
        return _config_problem(exc)
    written = export_entries(entries, args.out)
    for path in written:
        print(path)
    noun = "entry" if len(written) == 1 else "entries"
    print(f"{len(written)} FAQ {noun} written to {args.out}", file=sys.stderr)
    return 0


def export_entries(entries: list[Entry], out: Path) -> list[Path]:
    written = []
    for entry in entries:
        path = out / entry.topic / f"{entry.id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_entry_file(entry), encoding="utf-8")
        written.append(path)
    return written

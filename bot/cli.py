"""Command line: ``vir-bot run | check-config | backup | summary | demo | kb | ask``
(also ``python -m bot``).

Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import logging
import os
import sys
from pathlib import Path

from bot.config import Config, ConfigError, load_config

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # the shell's convention for SIGINT


def _config_path(args: argparse.Namespace) -> Path | None:
    value = getattr(args, "config", None) or os.environ.get("VIRBOT_CONFIG")
    return Path(value) if value else None


def _load(args: argparse.Namespace) -> Config | None:
    """The validated configuration, or None after printing every problem (exit 2)."""
    path = _config_path(args)
    if path is None:
        print("error: no configuration: pass --config PATH or set VIRBOT_CONFIG", file=sys.stderr)
        return None
    try:
        return load_config(path)
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return None


def cmd_check_config(args: argparse.Namespace) -> int:
    config = _load(args)
    if config is None:
        return EXIT_USAGE
    print(f"{config.source}: ok (bot {config.matrix.user_id} on {config.matrix.homeserver})")
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    from bot.app import Bot, SenderFailed, run_until_signal
    from bot.matrix import CryptoStoreError, LoginFailed

    config = _load(args)
    if config is None:
        return EXIT_USAGE
    try:
        asyncio.run(run_until_signal(Bot(config)))
    except LoginFailed as exc:
        logging.getLogger("bot").error("cannot log in: %s", exc)
        return EXIT_FAILURE
    except CryptoStoreError as exc:
        logging.getLogger("bot").error("crypto store problem: %s", exc)
        return EXIT_FAILURE
    except SenderFailed as exc:
        # Exit non-zero so systemd restarts the bot: never keep syncing while nothing is sent.
        logging.getLogger("bot").error("stopping: %s", exc)
        return EXIT_FAILURE
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    """Everything a restore needs, also while the bot runs (see bot/backup.py)."""
    from bot.backup import BackupError, backup

    config = _load(args)
    if config is None:
        return EXIT_USAGE
    try:
        report = asyncio.run(backup(config, Path(args.out)))
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"backup in {report.folder} (owner-only):")
    for name in report.copied:
        print(f"  {name}")
    print("keep safe as well, the folder cannot hold them:")
    for item in report.keep_elsewhere:
        print(f"  {item}")
    print(
        f"restore: stop the bot, replace {config.bot.data_dir} by this folder "
        "(cp -a keeps the modes), start the bot: same device, same keys."
    )
    print(
        "after a restore the bot reads the chat again from the time of this backup and redoes "
        "what members sent since (commands, registrations, reactions), without posting its "
        "replies and reminders twice (beyond what it reads again, and restored more than 24 "
        "hours after the backup, some may appear twice). Lost for good: changes automatic "
        "jobs made after the backup, messages the homeserver no "
        "longer holds or beyond the back-fill, and messages whose room key reached the bot "
        "only after the backup if the sender's client does not send it again when the bot "
        "asks (not every client does); their senders are asked to send them again."
    )
    return EXIT_OK


def cmd_summary(args: argparse.Namespace) -> int:
    """A workshop's notes, decisions and action items, e.g. for the minutes."""
    from commands.summaries import export_summary
    from storage.summaries import WorkshopRef

    config = _load(args)
    if config is None:
        return EXIT_USAGE
    text = asyncio.run(export_summary(config, WorkshopRef(args.event, args.workshop), args.format))
    sys.stdout.write(text)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """The attendee list of an event as CSV on stdout, read from the database."""
    from commands.plenum import export_rows, render_csv
    from storage.database import Database
    from storage.plenum import PlenumRepository

    config = _load(args)
    if config is None:
        return EXIT_USAGE
    if not config.bot.database_path.exists():
        print(f"error: no database at {config.bot.database_path}", file=sys.stderr)
        return EXIT_USAGE

    async def read() -> bytes | None:
        db = Database(config.bot.database_path)
        await db.open()
        try:
            event = await PlenumRepository(db).event(args.event)
            if event is None:
                return None
            return render_csv(
                await export_rows(PlenumRepository(db), event, config.bot.tz), excel=args.excel
            )
        finally:
            await db.close()

    data = asyncio.run(read())
    if data is None:
        print(f"error: no event {args.event!r} in the database", file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
    return EXIT_OK


def cmd_when(args: argparse.Namespace) -> int:
    """What the bot understands for a time expression (one per line from stdin with ``-``)."""
    import json
    from zoneinfo import ZoneInfo

    from bot.timeparse import TimeParseError, as_json, format_when, parse_now, parse_when

    timezone, language, holiday_state = "Europe/Berlin", "de", "HB"
    if _config_path(args) is not None:
        config = _load(args)
        if config is None:
            return EXIT_USAGE
        timezone, language, holiday_state = (
            config.bot.timezone,
            config.bot.language,
            config.bot.holidays,
        )
    tz = ZoneInfo(timezone)
    try:
        now = parse_now(args.now, tz)
    except ValueError:
        print(
            f"error: --now: expected ISO 8601 like 2027-01-28T18:00, got {args.now!r}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    lines = sys.stdin.read().splitlines() if args.expression == "-" else [args.expression]
    status = EXIT_OK
    for line in lines:
        if args.expression == "-" and not line.strip():
            continue
        try:
            result = parse_when(line, now, tz, language, holiday_state or None)
        except TimeParseError as exc:
            out: dict[str, object] = {"error": str(exc)}
            status = EXIT_USAGE
        else:
            out = as_json(result, tz, language)
        if args.json:
            print(json.dumps(out, ensure_ascii=False))
        elif "error" in out:
            print(f"error: {out['error']}")
        elif "at" in out:
            moment = parse_now(str(out["at"]), tz)
            note = f"  ({out['note']})" if "note" in out else ""
            print(f"{format_when(moment, tz, language)}  [{out['at']}]{note}")
        else:
            print(f"{out['recurring']}: " + ", ".join(str(n) for n in out["next"]))  # type: ignore[union-attr]
    return status


def cmd_demo(args: argparse.Namespace) -> int:
    from bot.demo import run_demo

    return run_demo(Path(args.dir) if args.dir else None, script=args.script, keep=args.keep)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vir-bot", description="ViR-Bot, the ViR-Nordwest Matrix bot"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run the bot")
    run.add_argument("--config", help="configuration file (default: $VIRBOT_CONFIG)")
    run.set_defaults(func=cmd_run)

    check = sub.add_parser("check-config", help="validate a configuration file")
    check.add_argument("--config", help="configuration file (default: $VIRBOT_CONFIG)")
    check.set_defaults(func=cmd_check_config)

    backup = sub.add_parser(
        "backup", help="copy everything a restore needs (database, keys), also while running"
    )
    backup.add_argument("--config", help="configuration file (default: $VIRBOT_CONFIG)")
    backup.add_argument("--out", required=True, help="new folder for the copy")
    backup.set_defaults(func=cmd_backup)

    summary = sub.add_parser("summary", help="print a workshop's summary (notes, decisions, ...)")
    summary.add_argument("--config", help="configuration file (default: $VIRBOT_CONFIG)")
    summary.add_argument("event", help="the event's key, e.g. plenum-2027")
    summary.add_argument("workshop", help="the workshop's key, e.g. e-rechnung")
    summary.add_argument(
        "--format", choices=("markdown", "text", "html"), default="markdown", help="output format"
    )
    summary.set_defaults(func=cmd_summary)

    export = sub.add_parser("export", help="print an event's attendee list as CSV")
    export.add_argument("event", help="the event key, e.g. plenum-2027")
    export.add_argument("--config", help="configuration file (default: $VIRBOT_CONFIG)")
    export.add_argument(
        "--excel", action="store_true", help="semicolons, BOM, formulas neutralised"
    )
    export.set_defaults(func=cmd_export)

    when = sub.add_parser("when", help="show what the bot understands for a time expression")
    when.add_argument("expression", help='e.g. "morgen 9 Uhr"; "-" reads one per line from stdin')
    when.add_argument("--now", help="ISO 8601 time to count from (default: now)")
    when.add_argument("--json", action="store_true", help="one JSON object per expression")
    when.add_argument("--config", help="configuration file for time zone, language, holidays")
    when.set_defaults(func=cmd_when)

    demo = sub.add_parser("demo", help="start a local Synapse with the bot and test accounts")
    demo.add_argument(
        "--dir",
        help="folder for the demo (default: vir-bot-demo; with --script a temporary folder)",
    )
    demo.add_argument("--script", action="store_true", help="play a scripted conversation and exit")
    demo.add_argument("--keep", action="store_true", help="keep the folder's old data")
    demo.set_defaults(func=cmd_demo)

    try:
        from bot.answers import cli as answers_cli
    except ImportError:  # the knowledge base is optional for the runtime
        pass
    else:
        answers_cli.add_arguments(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # Tools print results, not progress; the demo script prints its transcript, not logs.
    quiet = args.command not in ("run", "demo") or getattr(args, "script", False)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING if quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("nio", "aiohttp", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        result = args.func(args)
        if inspect.isawaitable(result):
            result = asyncio.run(result)
    except KeyboardInterrupt:
        # Ctrl-C before `run` installs its own handlers (e.g. while loading): no traceback.
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return int(result)


if __name__ == "__main__":
    sys.exit(main())

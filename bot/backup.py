"""``vir-bot backup``: everything a restore needs, in one new owner-only folder.

A restore is: stop the bot, put the folder where ``bot.data_dir`` points, start the bot. It
then restores its session on the same device with the same keys. What ``data_dir`` holds:

- ``vir-bot.db``: the bot's database (with the access token and device id), copied through
  the database's consistent copy, so it is safe while the bot runs;
- ``crypto/``: the device's encryption keys (nio's SQLite store), copied with SQLite's online
  backup API for the same reason;
- ``pickle.key``: the key that decrypts ``crypto/``, if it was generated (not configured);
- ``cross_signing.json``: the account's cross-signing keys;
- anything else found there, copied as it is;
- ``crypto/taken-by-backup.json``: when the copy was taken. A restored bot reads it at start:
  the copied encryption sessions are as old as the backup (see ``bot.matrix``), and what
  happened after the backup is redone from the timeline only within the homeserver's reach.

What the folder cannot hold is said on every run: the configuration file (password, and the
pickle key if configured) and secrets from the environment.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.config import Config
from storage.database import (
    Database,
    copy_sqlite_file,
    is_sqlite_file,
    is_sqlite_sidecar,
    private_dir,
    private_file,
)

# Inside crypto/, so it travels with the crypto store even when only crypto/ is restored.
MARKER = Path("crypto") / "taken-by-backup.json"


class BackupError(Exception):
    """The backup cannot be made; the message says why."""


@dataclass
class BackupReport:
    folder: Path
    copied: list[str] = field(default_factory=list)  # paths relative to the folder
    keep_elsewhere: list[str] = field(default_factory=list)  # what the folder cannot hold


async def backup(config: Config, target: Path, now: datetime | None = None) -> BackupReport:
    data_dir = config.bot.data_dir
    database = config.bot.database_path
    others = await asyncio.to_thread(_files_to_copy, config, target)
    report = BackupReport(target)
    db = Database(database)
    await db.open()
    try:
        await db.backup(target / database.name)
    finally:
        await db.close()
    report.copied.append(database.name)
    for source, is_sqlite in others:
        relative = source.relative_to(data_dir)
        if is_sqlite:
            await asyncio.to_thread(_private_parents, target, relative)
            await copy_sqlite_file(source, target / relative)
        else:
            await asyncio.to_thread(_copy_plain, source, target, relative)
        report.copied.append(str(relative))
    if (target / MARKER.parent).is_dir():
        taken_at = now or datetime.now(UTC)
        await asyncio.to_thread(_write_private, target / MARKER, _marker_text(taken_at))
        report.copied.append(str(MARKER))
    name = f"the configuration file {config.source}" if config.source else "the configuration file"
    report.keep_elsewhere.append(f"{name} (password; pickle key if set there)")
    report.keep_elsewhere.append(
        "secrets set in the environment, e.g. in /etc/vir-bot/secrets.env: VIRBOT_PASSWORD, "
        "and VIRBOT_PICKLE_KEY (without the pickle key crypto/ cannot be opened)"
    )
    return report


def _files_to_copy(config: Config, target: Path) -> list[tuple[Path, bool]]:
    """Check the target and list data_dir's files besides the database: (path, is SQLite).
    Creates the (empty, owner-only) target folder."""
    data_dir = config.bot.data_dir
    database = config.bot.database_path
    if target.exists():
        raise BackupError(f"{target} exists; choose a new folder name")
    if not database.is_file():
        raise BackupError(
            f"no database at {database}: is bot.data_dir right, and has the bot run once?"
        )
    private_dir(target)
    inside = target.resolve()
    files = []
    for source in sorted(data_dir.rglob("*")):
        if source == database or inside == source.resolve() or inside in source.resolve().parents:
            continue  # the database is copied on its own; a backup folder in data_dir is not
        if source.is_dir() or is_sqlite_sidecar(source):
            continue  # sidecars (-wal, -journal) are part of their database's copy
        if source == data_dir / MARKER:
            continue  # from an earlier restore not started yet: this backup writes its own
        files.append((source, is_sqlite_file(source)))
    return files


def _private_parents(target: Path, relative: Path) -> None:
    for parent in reversed(relative.parents[:-1]):
        private_dir(target / parent)


def _marker_text(taken_at: datetime) -> str:
    return json.dumps({"taken_at": taken_at.astimezone(UTC).isoformat()}) + "\n"


def read_marker(path: Path) -> datetime | None:
    """When the backup was taken, as the marker says (None if it cannot be read)."""
    try:
        return datetime.fromisoformat(json.loads(path.read_text(encoding="utf-8"))["taken_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_private(path: Path, text: str) -> None:
    private_file(path).write_text(text, encoding="utf-8")


def _copy_plain(source: Path, target: Path, relative: Path) -> None:
    _private_parents(target, relative)
    private_file(target / relative)  # owner-only before the first byte is written
    shutil.copyfile(source, target / relative)

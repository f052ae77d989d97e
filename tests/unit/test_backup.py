"""The data directory is owner-only whatever the umask, and ``vir-bot backup`` copies
everything a restore needs into a new owner-only folder (restore itself: test_backup_restore)."""

from __future__ import annotations

import asyncio
import json
import stat
from pathlib import Path

import pytest

from bot.cli import main
from bot.matrix import MatrixClient
from storage.database import Database
from storage.sync_state import SyncStateRepository
from tests.unit.test_config import GOOD, write


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def modes_under(folder: Path) -> dict[str, int]:
    found = {".": mode(folder)}
    for path in folder.rglob("*"):
        found[str(path.relative_to(folder))] = mode(path)
    return found


def assert_owner_only(folder: Path) -> None:
    loose = {
        name: oct(m)
        for name, m in modes_under(folder).items()
        if m != (0o700 if (folder / name).is_dir() else 0o600)
    }
    assert loose == {}, f"not owner-only in {folder}"


async def make_data_dir(tmp_path: Path) -> tuple[Path, Path]:
    """A data_dir as a first start leaves it: database, crypto store, generated pickle key,
    cross-signing keys. Returns (config path, data_dir)."""
    config = write(tmp_path, GOOD)  # password "secret", no pickle_key: one is generated
    data_dir = tmp_path / "data"
    db = Database(data_dir / "vir-bot.db")
    await db.open()
    state = SyncStateRepository(db)
    await state.store_since_token("s42")
    client = MatrixClient(_matrix(config), data_dir, state)
    await client.close()
    await db.close()
    # nio's store for a device: a real SQLite file, as nio would write it.
    store = Database(data_dir / "crypto" / "@vir-bot:example.org_DEVICE.db")
    await store.open()
    await store.close()
    (data_dir / "cross_signing.json").write_text(json.dumps({"master": "k"}), encoding="utf-8")
    return config, data_dir


async def since_token(path: Path) -> str | None:
    db = Database(path)
    await db.open()
    try:
        return await SyncStateRepository(db).since_token()
    finally:
        await db.close()


def _matrix(config_path: Path):  # type: ignore[no-untyped-def]
    from bot.config import load_config

    return load_config(config_path, environ={}).matrix


async def test_data_dir_is_owner_only_whatever_the_umask(tmp_path: Path, loose_umask: None) -> None:
    _, data_dir = await make_data_dir(tmp_path)
    assert_owner_only(data_dir / "crypto")
    db = Database(data_dir / "vir-bot.db")
    await db.open()
    try:
        await SyncStateRepository(db).store_since_token("s43")  # the WAL is in use now
        found = modes_under(data_dir)
    finally:
        await db.close()
    written_by_the_bot = {
        ".": "0o700",
        "vir-bot.db": "0o600",
        "vir-bot.db-wal": "0o600",
        "vir-bot.db-shm": "0o600",
        "crypto": "0o700",
        "pickle.key": "0o600",
    }
    assert {name: oct(found[name]) for name in written_by_the_bot} == written_by_the_bot


async def test_opening_tightens_a_data_dir_made_by_an_older_version(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o755)
    data_dir.chmod(0o755)
    db = Database(data_dir / "vir-bot.db")
    await db.open()
    await db.close()
    (data_dir / "vir-bot.db").chmod(0o644)
    await db.open()
    await db.close()
    assert (mode(data_dir), mode(data_dir / "vir-bot.db")) == (0o700, 0o600)


def test_backup_copies_everything_a_restore_needs(
    tmp_path: Path, loose_umask: None, capsys: pytest.CaptureFixture[str]
) -> None:
    config, data_dir = asyncio.run(make_data_dir(tmp_path))
    (data_dir / "cross_signing.json").chmod(0o644)  # e.g. copied in loosely by hand
    out = tmp_path / "backup-1"
    assert main(["backup", "--config", str(config), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    copied = sorted((str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()), key=str)
    assert copied == sorted(
        [
            "crypto/@vir-bot:example.org_DEVICE.db",
            "crypto/taken-by-backup.json",  # when: a restored bot reads it (test_restore_sessions)
            "cross_signing.json",
            "pickle.key",
            "vir-bot.db",
        ]
    )
    for name in ("pickle.key", "cross_signing.json"):
        assert (out / name).read_bytes() == (data_dir / name).read_bytes()
    assert_owner_only(out)
    # The copy is a working database with the bot's state, not just bytes.
    assert asyncio.run(since_token(out / "vir-bot.db")) == "s42"
    # What the folder cannot hold is named, with the config file's path.
    assert f"the configuration file {config}" in printed
    assert "VIRBOT_PICKLE_KEY" in printed and "VIRBOT_PASSWORD" in printed
    assert f"replace {data_dir} by this folder" in printed
    # What a restore redoes and what it loses is said where the operator reads it.
    assert "redoes what members sent since" in printed and "24 hours" in printed
    assert "Lost for good" in printed


def test_backup_never_overwrites_and_needs_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write(tmp_path, GOOD)
    out = tmp_path / "backup"
    assert main(["backup", "--config", str(config), "--out", str(out)]) == 2
    assert "no database at" in capsys.readouterr().err
    assert not (tmp_path / "data").exists()  # a wrong data_dir is not created by a backup
    out.mkdir()
    assert main(["backup", "--config", str(config), "--out", str(out)]) == 2
    assert "exists; choose a new folder name" in capsys.readouterr().err


def test_backup_inside_data_dir_does_not_copy_itself(tmp_path: Path) -> None:
    config, data_dir = asyncio.run(make_data_dir(tmp_path))
    first = data_dir / "backups" / "1"
    assert main(["backup", "--config", str(config), "--out", str(first)]) == 0
    second = tmp_path / "2"
    assert main(["backup", "--config", str(config), "--out", str(second)]) == 0
    assert (second / "backups" / "1" / "pickle.key").exists()  # an older backup is data too
    assert not (first / "backups").exists()


def test_systemd_unit_keeps_everything_owner_only() -> None:
    unit = (Path(__file__).resolve().parents[2] / "deploy" / "vir-bot.service").read_text()
    lines = unit.splitlines()
    assert "UMask=0077" in lines and "StateDirectoryMode=0700" in lines

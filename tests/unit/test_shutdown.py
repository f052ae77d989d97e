"""Stopping: a signal stops the bot gracefully, a second one (or the grace time) at once; and
an unreachable homeserver is always reported with its cause, never as an empty reason."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import run_until_signal
from bot.cli import main
from bot.matrix import LoginFailed, MatrixClient, MatrixUnavailable, describe
from storage.database import Database
from storage.sync_state import SyncStateRepository
from tests.fakes import make_config


class StandInBot:
    """What run_until_signal drives: run() and stop(). ``obeys`` says whether stop() ends
    run(); a bot stuck in a request to a silent homeserver does not."""

    def __init__(self, obeys: bool, fails_with: Exception | None = None) -> None:
        self.obeys = obeys
        self.fails_with = fails_with
        self.started = asyncio.Event()
        self.stopped = asyncio.Event()
        self.stop_calls = 0
        self.cancelled = False

    async def run(self) -> None:
        self.started.set()
        if self.fails_with is not None:
            raise self.fails_with
        try:
            if self.obeys:
                await self.stopped.wait()
            else:
                await asyncio.Event().wait()
        except asyncio.CancelledError:
            self.cancelled = True
            raise

    def stop(self) -> None:
        self.stop_calls += 1
        self.stopped.set()


async def signal_self(sig: int = signal.SIGINT) -> None:
    os.kill(os.getpid(), sig)
    await asyncio.sleep(0)  # let the loop's signal handler run


async def test_first_signal_stops_gracefully() -> None:
    bot = StandInBot(obeys=True)
    task = asyncio.create_task(run_until_signal(bot))  # type: ignore[arg-type]
    await bot.started.wait()
    await signal_self(signal.SIGTERM)
    await asyncio.wait_for(task, 10)
    assert bot.stop_calls >= 1 and not bot.cancelled


async def test_second_signal_stops_at_once(caplog: pytest.LogCaptureFixture) -> None:
    """E.g. the shutdown flush waits on a homeserver that never answers."""
    bot = StandInBot(obeys=False)
    task = asyncio.create_task(run_until_signal(bot, grace=3600))  # type: ignore[arg-type]
    await bot.started.wait()
    await signal_self()
    await asyncio.wait_for(bot.stopped.wait(), 10)
    assert not task.done()  # still stopping gracefully
    await signal_self()
    await asyncio.wait_for(task, 10)  # far below the grace of an hour
    assert bot.cancelled
    assert "SIGINT received again: stopping at once" in caplog.text


async def test_graceful_stop_is_bounded_by_the_grace_time() -> None:
    bot = StandInBot(obeys=False)
    task = asyncio.create_task(run_until_signal(bot, grace=0.2))  # type: ignore[arg-type]
    await bot.started.wait()
    await signal_self(signal.SIGTERM)
    await asyncio.wait_for(task, 10)
    assert bot.cancelled


async def test_an_error_of_the_bot_itself_is_raised() -> None:
    bot = StandInBot(obeys=True, fails_with=LoginFailed("login refused"))
    with pytest.raises(LoginFailed):
        await run_until_signal(bot)  # type: ignore[arg-type]
    # The handlers are gone again: SIGINT is Python's default once more.
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_describe_never_returns_an_empty_reason() -> None:
    assert describe(TimeoutError(), 60) == "TimeoutError: no answer within 60 s"
    assert describe(TimeoutError()) == "TimeoutError: no answer in time"
    assert describe(ConnectionResetError()) == "ConnectionResetError: no details"
    assert describe(OSError("Connection refused")) == "OSError: Connection refused"


@pytest.fixture
async def silent_homeserver() -> AsyncIterator[str]:
    """Accepts connections and never answers."""
    held: list[asyncio.StreamWriter] = []

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    for writer in held:
        writer.close()
    server.close()


async def test_login_timeout_names_its_cause(tmp_path: Path, silent_homeserver: str) -> None:
    config = make_config(tmp_path, matrix={"homeserver": silent_homeserver})
    db = Database(tmp_path / "bot.db")
    await db.open()
    client = MatrixClient(config.matrix, tmp_path / "data", SyncStateRepository(db))
    # The real 60 s, shortened for the test.
    client.nio.config = dataclasses.replace(client.nio.config, request_timeout=0.3)
    try:
        with pytest.raises(MatrixUnavailable) as info:
            await client.start_session()
    finally:
        await client.close()
        await db.close()
    assert str(info.value) == "TimeoutError: no answer within 0.3 s"


def test_ctrl_c_before_the_bot_runs_gives_no_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(path: Path) -> None:
        raise KeyboardInterrupt  # Ctrl-C while the configuration is being read

    monkeypatch.setattr("bot.cli.load_config", interrupted)
    assert main(["run", "--config", "config.toml"]) == 130
    assert capsys.readouterr().err == "interrupted\n"

"""`vir-bot run` as operators start it: a real process, real signals, real exit codes."""

from __future__ import annotations

import asyncio
import re
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web

from bot.synapse_local import LocalSynapse
from tests.conftest import TEST_PASSWORD
from tests.fakes import BotProcess, FaultyProxy
from tests.integration.conftest import (
    BotAccount,
    Inbox,
    create_room,
    eventually,
    send_text,
    wait_membership,
)

pytestmark = pytest.mark.integration


def write_config(
    path: Path, synapse: LocalSynapse, user_id: str, password: str, via: str | None = None
) -> Path:
    """``via``: another URL to reach the homeserver by (e.g. a FaultyProxy)."""
    path.write_text(
        f"""
[matrix]
homeserver = "{via or synapse.url}"
user_id = "{user_id}"
password = "{password}"
[bot]
data_dir = "data"
[access]
invite_from = ["@member-*:{synapse.server_name}"]
""",
        encoding="utf-8",
    )
    return path


async def start(config: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--config",
        str(config),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


async def read_until(process: asyncio.subprocess.Process, marker: str, log: list[str]) -> None:
    assert process.stdout is not None
    async with asyncio.timeout(30):
        while True:
            line = (await process.stdout.readline()).decode()
            assert line, "process ended: " + "".join(log)
            log.append(line)
            if marker in line:
                return


async def test_run_answers_and_stops_cleanly_on_sigterm(
    synapse: LocalSynapse, bot_account: BotAccount, matrix_user, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "config.toml", synapse, bot_account.user_id, TEST_PASSWORD)
    member = await matrix_user("member")
    process = await start(config)
    log: list[str] = []
    try:
        await read_until(process, "answering commands", log)
        room_id = await create_room(member, invite=[bot_account.user_id])
        await wait_membership(member, room_id, bot_account.user_id, "join")
        async with Inbox(member, bot_account.user_id) as inbox:
            await send_text(member, room_id, "!hilfe")
            await inbox.wait_for(1)
        process.send_signal(signal.SIGTERM)
        await read_until(process, "stopped", log)
        assert await asyncio.wait_for(process.wait(), 30) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert (tmp_path / "data" / "vir-bot.db").exists()  # data_dir relative to the config file
    assert "Traceback" not in "".join(log)


async def test_wrong_password_exits_1_with_a_clear_message(
    synapse: LocalSynapse, bot_account: BotAccount, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "config.toml", synapse, bot_account.user_id, "wrong")
    process = await start(config)
    out, _ = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 1
    assert b"cannot log in" in out and b"Traceback" not in out


async def test_configuration_error_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[matrix]\nhomeserver = "x"\n', encoding="utf-8")
    process = await start(bad)
    out, _ = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 2
    assert b"matrix.homeserver: expected" in out


# --- Ctrl-C in every phase, against homeservers that accept but never answer ----------------


@dataclass
class FakeHomeserver:
    """Answers just enough of the client API to get the bot to a phase, then never answers.

    ``hang_on`` is a path fragment: the first request containing it is held open forever,
    the way a stuck reverse proxy or an overloaded homeserver behaves.
    """

    hang_on: str
    user_id: str = "@bot:fake.test"
    seen: list[str] = field(default_factory=list)
    hanging: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)
    url: str = ""

    async def handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        self.seen.append(f"{request.method} {path}")
        if self.hang_on in path:
            self.hanging.set()
            await self.release.wait()  # "never": only when the test ends
        if path.endswith("/login"):
            return web.json_response(
                {"user_id": self.user_id, "device_id": "FAKEDEVICE", "access_token": "t0k"}
            )
        if "/profile/" in path:
            return web.json_response({"displayname": "ViR-Bot"})
        return web.json_response({"errcode": "M_NOT_FOUND", "error": "not here"}, status=404)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[FakeHomeserver]:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self.handle)
        runner = web.AppRunner(app, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        try:
            yield self
        finally:
            self.release.set()
            await runner.cleanup()


@asynccontextmanager
async def silent_server() -> AsyncIterator[tuple[str, asyncio.Event]]:
    """A TCP server that accepts connections and never answers (not even HTTP)."""
    connected = asyncio.Event()
    held: list[asyncio.StreamWriter] = []

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)
        connected.set()

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", connected
    finally:
        for writer in held:
            writer.close()
        server.close()


def fake_config(path: Path, homeserver: str) -> Path:
    path.write_text(
        f'[matrix]\nhomeserver = "{homeserver}"\nuser_id = "@bot:fake.test"\n'
        'password = "pw"\npickle_key = "pk"\n[bot]\ndata_dir = "data"\n',
        encoding="utf-8",
    )
    return path


async def stop_and_collect(process: asyncio.subprocess.Process, sig: int) -> str:
    """Send ``sig``; the process must end on its own well before any 60 s request timeout."""
    process.send_signal(sig)
    try:
        out, _ = await asyncio.wait_for(process.communicate(), STOP_BOUND)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    return out.decode()


# nio's request timeout is 60 s: ending well inside that shows the request was abandoned.
STOP_BOUND = 15.0


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
async def test_signal_stops_a_login_to_a_silent_homeserver(tmp_path: Path, sig: int) -> None:
    async with silent_server() as (url, connected):
        process = await start(fake_config(tmp_path / "config.toml", url))
        await asyncio.wait_for(connected.wait(), 30)  # the login request is in flight
        out = await stop_and_collect(process, sig)
    assert process.returncode == 0, out
    assert "stopped" in out and "Traceback" not in out


@pytest.mark.parametrize(
    ("phase", "hang_on"),
    [("display name", "/profile/"), ("first sync", "/sync")],
)
async def test_sigint_stops_at_once_in_each_start_phase(
    tmp_path: Path, phase: str, hang_on: str
) -> None:
    async with FakeHomeserver(hang_on).running() as server:
        process = await start(fake_config(tmp_path / "config.toml", server.url))
        try:
            await asyncio.wait_for(server.hanging.wait(), 60)  # the bot waits in this phase
        except TimeoutError:
            process.kill()
            raise AssertionError(f"never reached the {phase}: {server.seen}") from None
        out = await stop_and_collect(process, signal.SIGINT)
    assert process.returncode == 0, out
    assert "stopped" in out and "Traceback" not in out, out


async def test_unreachable_homeserver_is_logged_with_its_cause(tmp_path: Path) -> None:
    """A server that hangs up at once: the log says why, never "unreachable ()"."""

    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    server = await asyncio.start_server(hang_up, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    log: list[str] = []
    try:
        process = await start(fake_config(tmp_path / "config.toml", url))
        await read_until(process, "homeserver unreachable at start", log)
        out = await stop_and_collect(process, signal.SIGINT)
    finally:
        server.close()
    line = log[-1]
    assert re.search(r"unreachable at start \(\w+: \S[^)]*\); retrying in", line), line
    assert "Traceback" not in out


async def test_sigint_stops_a_restore_against_a_silent_homeserver(tmp_path: Path) -> None:
    """Second start: the stored session is restored and checked with /whoami, which hangs."""
    config = tmp_path / "config.toml"
    async with FakeHomeserver("/sync").running() as server:
        process = await start(fake_config(config, server.url))
        await asyncio.wait_for(server.hanging.wait(), 60)  # logged in, session stored
        await stop_and_collect(process, signal.SIGINT)
    async with FakeHomeserver("/whoami").running() as server:
        process = await start(fake_config(config, server.url))
        await asyncio.wait_for(server.hanging.wait(), 60)
        out = await stop_and_collect(process, signal.SIGINT)
    assert not any("/login" in request for request in server.seen)  # restored, not logged in
    assert process.returncode == 0, out
    assert "stopped" in out and "Traceback" not in out, out


@asynccontextmanager
async def proxy_to(synapse: LocalSynapse) -> AsyncIterator[FaultyProxy]:
    proxy = await FaultyProxy(synapse.url).start()
    try:
        yield proxy
    finally:
        await proxy.stop()


async def test_sigint_stops_at_once_while_running_against_a_hung_homeserver(
    synapse: LocalSynapse, bot_account: BotAccount, tmp_path: Path
) -> None:
    async with proxy_to(synapse) as proxy:
        config = tmp_path / "config.toml"
        write_config(config, synapse, bot_account.user_id, TEST_PASSWORD, via=proxy.url)
        bot = await BotProcess.start(config)
        await proxy.hang()  # the homeserver stops answering while the bot long-polls
        await asyncio.wait_for(proxy.holding.wait(), 60)
        bot.process.send_signal(signal.SIGINT)
        code = await asyncio.wait_for(bot.process.wait(), STOP_BOUND)
        await bot.stop()  # only collects the output: the process has ended
    assert code == 0, bot.output
    assert "stopped" in bot.output and "Traceback" not in bot.output


async def test_second_sigint_ends_a_hung_flush_and_the_reply_goes_out_next_start(
    synapse: LocalSynapse, bot_account: BotAccount, matrix_user, tmp_path: Path
) -> None:
    """The bot has a reply queued, the homeserver holds its send: the graceful stop waits,
    a second Ctrl-C does not; the reply stays queued and is sent once at the next start."""
    member = await matrix_user("member")
    async with proxy_to(synapse) as proxy:
        config = tmp_path / "config.toml"
        write_config(config, synapse, bot_account.user_id, TEST_PASSWORD, via=proxy.url)
        bot = await BotProcess.start(config)
        room_id = await create_room(member, invite=[bot_account.user_id])
        await wait_membership(member, room_id, bot_account.user_id, "join")
        await proxy.hang("/send/")  # syncs pass, sending hangs
        command = await send_text(member, room_id, "!hilfe")
        await asyncio.wait_for(proxy.holding.wait(), 60)  # the reply's send is held
        bot.process.send_signal(signal.SIGINT)

        async def stopping() -> bool:
            return "SIGINT received: stopping" in bot.output

        await eventually(stopping)
        bot.process.send_signal(signal.SIGINT)
        code = await asyncio.wait_for(bot.process.wait(), STOP_BOUND)
        await bot.stop()  # only collects the output: the process has ended
        assert code == 0, bot.output
        assert "SIGINT received again: stopping at once" in bot.output, bot.output
        assert "Traceback" not in bot.output

        await proxy.passing()
        async with Inbox(member, bot_account.user_id) as inbox:
            restarted = await BotProcess.start(config)
            try:
                await inbox.wait_for(1)
            finally:
                await restarted.stop()
        assert len(inbox.replies_to(command)) == 1

"""Cross-signing bootstrap against the real Synapse, checked the way another user's client sees it.

What Element needs to call the bot's device "verified by its owner": /keys/query (as
someone else) shows the bot's master key, a self-signing key signed by that master key, and
the device's keys signed by the self-signing key. The signatures are verified here, not only
looked up.
"""

from __future__ import annotations

import json
import logging
import secrets
import stat
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from nio import AsyncClient, AsyncClientConfig, KeysUploadResponse, LoginResponse

from bot.cross_signing import bootstrap_cross_signing, load_or_create_keys, verify_json
from bot.matrix import MatrixError, MatrixUnavailable
from bot.synapse_local import LocalSynapse
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.integration


class Requester:
    """Does what MatrixClient._raw does (same errors), and records every request.

    With `uia_body` the 401 body is kept on the error as `.body` (what a MatrixError with
    the body would offer); without, the error is exactly today's MatrixError.
    """

    def __init__(self, client: AsyncClient, uia_body: bool = False) -> None:
        self.client = client
        self.uia_body = uia_body
        self.calls: list[tuple[str, str, Any]] = []

    async def __call__(self, method: str, path: str, body: Any = None) -> Any:
        self.calls.append((method, path, body))
        headers = {
            "Authorization": f"Bearer {self.client.access_token}",
            "Content-Type": "application/json",
        }
        data = None if body is None else json.dumps(body)
        resp = await self.client.send(method, path, data, headers)
        payload = await resp.json(content_type=None)
        if resp.status >= 500:
            raise MatrixUnavailable(f"HTTP {resp.status}")
        if resp.status >= 400:
            payload = payload or {}
            exc = MatrixError(
                payload.get("errcode", "M_UNKNOWN"), payload.get("error", ""), resp.status
            )
            if self.uia_body:
                exc.body = payload  # type: ignore[attr-defined]
            raise exc
        return payload

    @property
    def paths(self) -> list[str]:
        return [path for _, path, _ in self.calls]


DeviceFactory = Callable[[str], Awaitable[AsyncClient]]


@pytest.fixture
def bot_user(synapse: LocalSynapse) -> str:
    return synapse.register(f"xsbot-{secrets.token_hex(3)}", TEST_PASSWORD)


@pytest.fixture
async def new_device(
    synapse: LocalSynapse, bot_user: str, tmp_path: Path
) -> AsyncIterator[DeviceFactory]:
    """Factory: a new E2EE device of `bot_user` whose device keys are on the server."""
    clients: list[AsyncClient] = []

    async def make(name: str) -> AsyncClient:
        store = tmp_path / f"store-{name}"
        store.mkdir()
        client = AsyncClient(
            synapse.url,
            bot_user,
            store_path=str(store),
            config=AsyncClientConfig(encryption_enabled=True, store_sync_tokens=False),
        )
        clients.append(client)
        login = await client.login(TEST_PASSWORD, device_name=f"xs {name}")
        assert isinstance(login, LoginResponse), login
        upload = await client.keys_upload()
        assert isinstance(upload, KeysUploadResponse), upload
        return client

    yield make
    for client in clients:
        await client.close()


async def query_as(observer: AsyncClient, user_id: str) -> dict[str, Any]:
    return await Requester(observer)(
        "POST", "/_matrix/client/v3/keys/query", {"device_keys": {user_id: []}}
    )


def ed25519(key_object: dict[str, Any]) -> str:
    ((key_id, public),) = key_object["keys"].items()
    assert key_id == f"ed25519:{public}"
    return public


def assert_verified_by_owner(seen: dict[str, Any], user_id: str, device_id: str) -> str:
    """The checks a client makes for 'verified by its owner'; returns the master key."""
    master = seen["master_keys"][user_id]
    ssk = seen["self_signing_keys"][user_id]
    assert master["usage"] == ["master"] and ssk["usage"] == ["self_signing"]
    assert verify_json(ssk, user_id, ed25519(master)), "self-signing key not signed by master"
    device = seen["device_keys"][user_id][device_id]
    assert f"ed25519:{ed25519(ssk)}" in device["signatures"][user_id]
    assert verify_json(device, user_id, ed25519(ssk)), "device not signed by self-signing key"
    # The device's own signature must still be there (clients check it too).
    device_key = device["keys"][f"ed25519:{device_id}"]
    assert verify_json(device, user_id, device_key, key_name=device_id)
    return ed25519(master)


async def test_bootstrap_makes_the_device_verified_by_its_owner(
    new_device: DeviceFactory, matrix_user, bot_user: str, tmp_path: Path
) -> None:
    bot = await new_device("a")
    key_file = tmp_path / "data" / "cross_signing.json"
    request = Requester(bot)

    result = await bootstrap_cross_signing(
        request, bot_user, bot.device_id, TEST_PASSWORD, key_file
    )

    assert result == "bootstrapped"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    keys, created = load_or_create_keys(key_file)
    assert not created
    observer = await matrix_user("observer")
    seen = await query_as(observer, bot_user)
    assert assert_verified_by_owner(seen, bot_user, bot.device_id) == keys.master_public
    assert ed25519(seen["self_signing_keys"][bot_user]) == keys.self_signing_public
    # The user-signing key is private to its owner's own queries.
    assert bot_user not in seen.get("user_signing_keys", {})
    own = await query_as(bot, bot_user)
    assert ed25519(own["user_signing_keys"][bot_user]) == keys.user_signing_public
    assert verify_json(own["user_signing_keys"][bot_user], bot_user, keys.master_public)

    # Every later start: one query, nothing uploaded.
    again = Requester(bot)
    assert await bootstrap_cross_signing(
        again, bot_user, bot.device_id, TEST_PASSWORD, key_file
    ) == ("already")
    assert again.paths == ["/_matrix/client/v3/keys/query"]


async def test_a_second_device_of_the_bot_gets_signed(
    new_device: DeviceFactory, matrix_user, bot_user: str, tmp_path: Path
) -> None:
    key_file = tmp_path / "cross_signing.json"
    first = await new_device("a")
    assert (
        await bootstrap_cross_signing(
            Requester(first), bot_user, first.device_id, TEST_PASSWORD, key_file
        )
        == "bootstrapped"
    )

    second = await new_device("b")
    request = Requester(second)
    # No password needed: only a signature is uploaded.
    assert (
        await bootstrap_cross_signing(request, bot_user, second.device_id, None, key_file)
        == "device-signed"
    )
    assert "/_matrix/client/v3/keys/device_signing/upload" not in request.paths

    seen = await query_as(await matrix_user("observer"), bot_user)
    master = assert_verified_by_owner(seen, bot_user, second.device_id)
    assert assert_verified_by_owner(seen, bot_user, first.device_id) == master


async def test_first_setup_needs_no_password_on_synapse(
    new_device: DeviceFactory, matrix_user, bot_user: str, tmp_path: Path
) -> None:
    """Synapse lets an account upload its first cross-signing keys without UIA (MSC3967)."""
    bot = await new_device("a")
    result = await bootstrap_cross_signing(
        Requester(bot), bot_user, bot.device_id, None, tmp_path / "cs.json"
    )
    assert result == "bootstrapped"
    seen = await query_as(await matrix_user("observer"), bot_user)
    assert_verified_by_owner(seen, bot_user, bot.device_id)


async def test_a_foreign_master_key_is_left_alone(
    new_device: DeviceFactory, matrix_user, bot_user: str, tmp_path: Path, caplog
) -> None:
    bot = await new_device("a")
    original = tmp_path / "original.json"
    await bootstrap_cross_signing(Requester(bot), bot_user, bot.device_id, TEST_PASSWORD, original)
    other_device = await new_device("b")

    lost = tmp_path / "lost-and-recreated.json"
    request = Requester(other_device)
    with caplog.at_level(logging.INFO, logger="bot.cross_signing"):
        result = await bootstrap_cross_signing(
            request, bot_user, other_device.device_id, TEST_PASSWORD, lost
        )

    assert result == "foreign-master-key"
    assert request.paths == ["/_matrix/client/v3/keys/query"]
    warning = next(r for r in caplog.records if r.levelno == logging.WARNING)
    assert str(lost) in warning.getMessage()
    assert "not verified by its owner" in warning.getMessage()
    seen = await query_as(await matrix_user("observer"), bot_user)
    assert ed25519(seen["master_keys"][bot_user]) == load_or_create_keys(original)[0].master_public

    # The device signed under the old identity is still verified: an info, not a warning.
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="bot.cross_signing"):
        assert (
            await bootstrap_cross_signing(Requester(bot), bot_user, bot.device_id, None, lost)
            == "foreign-master-key"
        )
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.parametrize("uia_body", [False, True], ids=["sessionless", "with-session"])
async def test_replacing_an_identity_needs_the_right_password(
    new_device: DeviceFactory, matrix_user, bot_user: str, tmp_path: Path, uia_body: bool
) -> None:
    """Replacing keys is the case where Synapse demands UIA; it works with today's _raw
    (password auth without a session) and with a UIA session taken from the 401 body."""
    bot = await new_device("a")
    old = tmp_path / "old.json"
    await bootstrap_cross_signing(Requester(bot), bot_user, bot.device_id, None, old)
    old_master = load_or_create_keys(old)[0].master_public
    new = tmp_path / "new.json"
    observer = await matrix_user("observer")

    requests: list[Requester] = []

    def attempt(password: str | None) -> Awaitable[str]:
        requests.append(Requester(bot, uia_body))
        return bootstrap_cross_signing(
            requests[-1], bot_user, bot.device_id, password, new, replace_foreign=True
        )

    assert await attempt(None) == "skipped: no password"
    wrong = await attempt("not the password")
    assert wrong.startswith("failed: password refused"), wrong
    seen = await query_as(observer, bot_user)
    assert ed25519(seen["master_keys"][bot_user]) == old_master

    assert await attempt(TEST_PASSWORD) == "bootstrapped"
    uploads = [b for _, p, b in requests[-1].calls if p.endswith("/device_signing/upload")]
    assert [("auth" in b) for b in uploads] == [False, True]  # no auth first, as the spec asks
    assert ("session" in uploads[1]["auth"]) is uia_body
    seen = await query_as(observer, bot_user)
    new_master = assert_verified_by_owner(seen, bot_user, bot.device_id)
    assert new_master == load_or_create_keys(new)[0].master_public != old_master


async def test_server_problems_are_reported_not_raised(
    new_device: DeviceFactory, matrix_user, bot_user: str, tmp_path: Path
) -> None:
    bot = await new_device("a")
    key_file = tmp_path / "cs.json"

    # A device without device keys (encryption off) has nothing to sign: nothing uploaded.
    plain = await matrix_user("plain")
    request = Requester(plain)
    result = await bootstrap_cross_signing(
        request, plain.user_id, plain.device_id, TEST_PASSWORD, tmp_path / "plain.json"
    )
    assert result == "failed: device keys not uploaded yet"
    assert request.paths == ["/_matrix/client/v3/keys/query"]

    # A revoked access token: the server says 401 M_UNKNOWN_TOKEN to everything.
    stale = AsyncClient(bot.homeserver, bot_user)
    stale.restore_login(bot_user, bot.device_id, "syt_not_a_valid_token")
    try:
        result = await bootstrap_cross_signing(
            Requester(stale), bot_user, bot.device_id, TEST_PASSWORD, key_file
        )
    finally:
        await stale.close()
    assert result.startswith("failed:") and "M_UNKNOWN_TOKEN" in result

    # The homeserver cannot be reached at all.
    async def unreachable(method: str, path: str, body: Any = None) -> Any:
        raise MatrixUnavailable("connection refused")

    result = await bootstrap_cross_signing(
        unreachable, bot_user, bot.device_id, TEST_PASSWORD, key_file
    )
    assert result == "failed: MatrixUnavailable: connection refused"

    # It all still works once the server answers.
    assert (
        await bootstrap_cross_signing(
            Requester(bot), bot_user, bot.device_id, TEST_PASSWORD, key_file
        )
        == "bootstrapped"
    )

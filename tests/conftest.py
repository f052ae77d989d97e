"""Shared pytest fixtures for ViR-Bot."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import pytest
from nio import AsyncClient, AsyncClientConfig, LoginResponse

from bot.synapse_local import LocalSynapse

# =============================================================================
# Local Synapse homeserver (integration tests)
#
# `synapse` is one real homeserver per test session (sync fixture: pytest-asyncio
# 1.x has no session event loop to share). `matrix_user` hands out logged-in nio
# clients for fresh, uniquely named users and closes them after the test.
# =============================================================================

MatrixUserFactory = Callable[..., Awaitable[AsyncClient]]

TEST_PASSWORD = "correct horse battery staple"


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The usual default umask, under which new files are world-readable (0644): the bot's
    data must be owner-only all the same."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalSynapse]:
    """A running homeserver shared by the whole session (startup costs ~2 s)."""
    if importlib.util.find_spec("synapse") is None:
        pytest.fail("matrix-synapse is not installed: pip install -e '.[test]'")
    server = LocalSynapse(tmp_path_factory.mktemp("synapse"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def matrix_user(
    synapse: LocalSynapse, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[MatrixUserFactory]:
    """Factory: ``await matrix_user("alice")`` -> logged-in ``AsyncClient`` for a new user.

    A random suffix keeps localparts unique, because the server outlives each test.
    """
    clients: list[AsyncClient] = []

    async def make(
        name: str,
        *,
        admin: bool = False,
        displayname: str | None = None,
        encrypted: bool = False,
        localpart: str | None = None,
    ) -> AsyncClient:
        localpart = localpart or f"{name.lower()}-{secrets.token_hex(3)}"
        user_id = await asyncio.to_thread(
            synapse.register, localpart, TEST_PASSWORD, admin, displayname
        )
        config = AsyncClientConfig(
            max_timeouts=3,
            max_limit_exceeded=3,
            store_sync_tokens=False,
            encryption_enabled=encrypted,
        )
        store = tmp_path_factory.mktemp("member-store") if encrypted else None
        client = AsyncClient(
            synapse.url, user_id, store_path=str(store) if store else "", config=config
        )
        clients.append(client)
        resp = await client.login(TEST_PASSWORD, device_name=f"pytest {name}")
        if not isinstance(resp, LoginResponse):
            raise AssertionError(f"login of {user_id} failed: {resp}")
        if encrypted:
            await client.keys_upload()
        return client

    try:
        yield make
    finally:
        for client in clients:
            await client.close()

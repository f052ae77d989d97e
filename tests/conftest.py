"""Shared pytest fixtures for ViR-Bot."""

from __future__ import annotations

import asyncio
import hashlib
import importlib.util
import os
import pickle
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import pytest
from nio import AsyncClient, AsyncClientConfig, LoginResponse

import bot.answers.engine as answer_engine
from bot.synapse_local import LocalSynapse

# =============================================================================
# The answer engine's index, built once per test process
#
# Building the index of the real knowledge base takes 2.5 s of CPU (12-15 s on a loaded
# machine), and a few hundred tests each need a fresh engine: that was most of the unit
# suite's time. A fresh build (no stored index rows) depends only on the knowledge and the
# entries, so each distinct input is built for real once and every later engine gets its own
# unpickled copy (0.1 s): tests may change their engine without touching another's. Builds
# from a stored index are not cached (the restart path stays exercised as it is).
# =============================================================================

_built_states: dict[bytes, bytes] = {}


def _build_state_once(knowledge, entries, stored=None):  # type: ignore[no-untyped-def]
    if stored:
        return _build_state(knowledge, entries, stored)
    key = hashlib.sha256(pickle.dumps((knowledge, entries))).digest()
    if key not in _built_states:
        _built_states[key] = pickle.dumps(_build_state(knowledge, entries))
    return pickle.loads(_built_states[key])


_build_state = answer_engine._build_state


@pytest.fixture(autouse=True, scope="session")
def answer_index_built_once() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(answer_engine, "_build_state", _build_state_once)
        yield


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

"""Signing primitives, the key file, and the UIA dance against a scripted homeserver.

Signatures are cross-checked with two independent implementations that Matrix servers and
clients use: signedjson (Synapse's) and vodozemac (the Olm library under nio and Element).
"""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest

from bot.cross_signing import (
    KEYS_QUERY,
    KEYS_UPLOAD,
    SIGNATURES_UPLOAD,
    CrossSigningKeys,
    bootstrap_cross_signing,
    canonical_json,
    load_or_create_keys,
    public_key,
    sign_json,
    verify_json,
)
from bot.matrix import MatrixError

USER = "@bot:example.org"
DEVICE = "BOTDEVICE"


def test_canonical_json_sorts_keys_without_spaces_and_keeps_unicode() -> None:
    obj = {"b": [1, {"z": None, "a": True}], "a": "Übersicht 🙂", "c": {}}
    assert canonical_json(obj) == '{"a":"Übersicht 🙂","b":[1,{"a":true,"z":null}],"c":{}}'.encode()


def test_sign_and_verify_roundtrip() -> None:
    keys = CrossSigningKeys.generate()
    obj = {"user_id": USER, "keys": {"x": "y"}, "unsigned": {"note": "not signed"}}

    signed = sign_json(obj, USER, keys.master)

    assert verify_json(signed, USER, keys.master_public)
    assert list(signed["signatures"][USER]) == [f"ed25519:{keys.master_public}"]
    assert "signatures" not in obj  # the input is not modified
    # `unsigned` and other signatures are not part of what is signed.
    signed["unsigned"] = {"changed": 1}
    signed = sign_json(signed, USER, keys.self_signing)
    assert verify_json(signed, USER, keys.master_public)
    assert verify_json(signed, USER, keys.self_signing_public)


def test_verify_rejects_tampering_other_keys_and_other_users() -> None:
    keys = CrossSigningKeys.generate()
    signed = sign_json({"user_id": USER, "usage": ["self_signing"]}, USER, keys.master)

    assert not verify_json({**signed, "usage": ["master"]}, USER, keys.master_public)
    assert not verify_json(signed, USER, keys.self_signing_public)
    assert not verify_json(signed, "@other:example.org", keys.master_public)
    broken = {**signed, "signatures": {USER: {f"ed25519:{keys.master_public}": "!!"}}}
    assert not verify_json(broken, USER, keys.master_public)


def test_signatures_verify_with_synapse_signedjson() -> None:
    signedjson_sign = pytest.importorskip("signedjson.sign")
    signedjson_key = pytest.importorskip("signedjson.key")
    keys = CrossSigningKeys.generate()
    obj = {"user_id": USER, "name": "Grüße", "n": 5, "unsigned": {"x": 1}}

    signed = sign_json(obj, USER, keys.master)

    verify_key = signedjson_key.decode_verify_key_base64(
        "ed25519", keys.master_public, keys.master_public
    )
    signedjson_sign.verify_signed_json(signed, USER, verify_key)  # raises if invalid


def test_signatures_verify_with_vodozemac() -> None:
    vodozemac = pytest.importorskip("vodozemac")
    keys = CrossSigningKeys.generate()
    signed = sign_json({"user_id": USER, "usage": ["master"]}, USER, keys.master)
    signature = signed["signatures"][USER][f"ed25519:{keys.master_public}"]
    payload = canonical_json({k: v for k, v in signed.items() if k != "signatures"})

    vodozemac.Ed25519PublicKey.from_base64(keys.master_public).verify_signature(
        payload, vodozemac.Ed25519Signature.from_base64(signature)
    )


def test_upload_body_is_what_the_spec_describes() -> None:
    keys = CrossSigningKeys.generate()
    body = keys.upload_body(USER)

    master = body["master_key"]
    assert master == {
        "user_id": USER,
        "usage": ["master"],
        "keys": {f"ed25519:{keys.master_public}": keys.master_public},
    }
    for field, usage, public in [
        ("self_signing_key", "self_signing", keys.self_signing_public),
        ("user_signing_key", "user_signing", keys.user_signing_public),
    ]:
        assert body[field]["usage"] == [usage]
        assert body[field]["keys"] == {f"ed25519:{public}": public}
        assert verify_json(body[field], USER, keys.master_public)


def test_key_file_is_created_private_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "data" / "cross_signing.json"

    keys, created = load_or_create_keys(path)
    again, created_again = load_or_create_keys(path)

    assert created and not created_again
    assert again == keys
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert public_key(keys.master) == keys.master_public
    assert len({keys.master, keys.self_signing, keys.user_signing}) == 3
    assert keys.master not in repr(keys)  # private keys stay out of logs


def test_a_loose_key_file_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "cs.json"
    keys, _ = load_or_create_keys(path)
    path.chmod(0o644)
    assert load_or_create_keys(path) == (keys, False)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "content", ["not json", "[]", '{"master": "abc"}', '{"master": 1, "x": 2}']
)
async def test_a_broken_key_file_is_kept_and_reported(tmp_path: Path, content: str) -> None:
    path = tmp_path / "cs.json"
    path.write_text(content)
    with pytest.raises(ValueError):
        load_or_create_keys(path)

    result = await bootstrap_cross_signing(ScriptedServer(), USER, DEVICE, "pw", path)

    assert result.startswith("failed: key file")
    assert path.read_text() == content  # never overwritten: it may be the only copy


# --- a scripted homeserver for the UIA rules of servers other than today's Synapse ------


class ScriptedServer:
    """Keeps cross-signing state like a homeserver; optionally demands UIA for every upload
    (older Synapse, other servers) and offers the given flows."""

    def __init__(
        self,
        uia_always: bool = False,
        flows: list[dict[str, Any]] | None = None,
        expose_body: bool = True,
        reject_signatures: bool = False,
    ) -> None:
        self.uia_always = uia_always
        self.flows = flows if flows is not None else [{"stages": ["m.login.password"]}]
        self.expose_body = expose_body
        self.reject_signatures = reject_signatures
        self.master: dict[str, Any] | None = None
        self.ssk: dict[str, Any] | None = None
        self.device: dict[str, Any] = {
            "user_id": USER,
            "device_id": DEVICE,
            "algorithms": ["m.olm.v1.curve25519-aes-sha2"],
            "keys": {f"curve25519:{DEVICE}": "c", f"ed25519:{DEVICE}": "e"},
            "signatures": {USER: {f"ed25519:{DEVICE}": "self"}},
            "unsigned": {"device_display_name": "bot"},
        }
        self.calls: list[tuple[str, Any]] = []

    async def __call__(self, method: str, path: str, body: Any = None) -> Any:
        self.calls.append((path, body))
        if path == KEYS_QUERY:
            return {
                "device_keys": {USER: {DEVICE: self.device}},
                "master_keys": {USER: self.master} if self.master else {},
                "self_signing_keys": {USER: self.ssk} if self.ssk else {},
            }
        if path == KEYS_UPLOAD:
            auth = body.get("auth")
            if self.uia_always and (auth is None or auth.get("password") != "pw"):
                payload = {"session": "S1", "flows": self.flows, "params": {}}
                if auth is not None:
                    payload |= {"errcode": "M_FORBIDDEN", "error": "Invalid password"}
                exc = MatrixError(payload.get("errcode", "M_UNKNOWN"), "", 401)
                if self.expose_body:
                    exc.body = payload  # type: ignore[attr-defined]
                raise exc
            self.master, self.ssk = body["master_key"], body["self_signing_key"]
            return {}
        if path == SIGNATURES_UPLOAD:
            if self.reject_signatures:
                return {"failures": {USER: {DEVICE: {"errcode": "M_INVALID_SIGNATURE"}}}}
            signed = body[USER][DEVICE]
            self.device["signatures"][USER].update(signed["signatures"][USER])
            return {"failures": {}}
        raise AssertionError(f"unexpected request {method} {path}")

    def uploads(self) -> list[Any]:
        return [body for path, body in self.calls if path == KEYS_UPLOAD]


async def test_uia_server_without_password_is_skipped(tmp_path: Path, caplog) -> None:
    server = ScriptedServer(uia_always=True)
    result = await bootstrap_cross_signing(server, USER, DEVICE, None, tmp_path / "cs.json")
    assert result == "skipped: no password"
    assert server.master is None
    assert "password" in caplog.text


async def test_uia_server_gets_the_password_with_its_session(tmp_path: Path) -> None:
    server = ScriptedServer(uia_always=True)
    key_file = tmp_path / "cs.json"

    assert await bootstrap_cross_signing(server, USER, DEVICE, "pw", key_file) == "bootstrapped"

    first, second = server.uploads()
    assert "auth" not in first
    assert second["auth"] == {
        "type": "m.login.password",
        "identifier": {"type": "m.id.user", "user": USER},
        "password": "pw",
        "session": "S1",
    }
    keys, _ = load_or_create_keys(key_file)
    assert verify_json(server.device, USER, keys.self_signing_public)
    # The device's own signature is untouched.
    assert server.device["signatures"][USER][f"ed25519:{DEVICE}"] == "self"
    assert await bootstrap_cross_signing(server, USER, DEVICE, "pw", key_file) == "already"


async def test_wrong_password_fails_without_raising(tmp_path: Path) -> None:
    server = ScriptedServer(uia_always=True)
    result = await bootstrap_cross_signing(server, USER, DEVICE, "wrong", tmp_path / "cs.json")
    assert result.startswith("failed: password refused")
    assert server.master is None


async def test_a_server_without_password_auth_is_not_sent_the_password(tmp_path: Path) -> None:
    server = ScriptedServer(uia_always=True, flows=[{"stages": ["m.oauth"]}])
    result = await bootstrap_cross_signing(server, USER, DEVICE, "pw", tmp_path / "cs.json")
    assert result.startswith("failed: no password auth offered")
    assert len(server.uploads()) == 1


async def test_a_revoked_token_is_not_mistaken_for_uia(tmp_path: Path) -> None:
    server = ScriptedServer()
    calls: list[str] = []

    async def revoked_on_upload(method: str, path: str, body: Any = None) -> Any:
        calls.append(path)
        if path == KEYS_UPLOAD:
            raise MatrixError("M_UNKNOWN_TOKEN", "Invalid access token", 401)
        return await server(method, path, body)

    result = await bootstrap_cross_signing(
        revoked_on_upload, USER, DEVICE, "pw", tmp_path / "cs.json"
    )
    assert result == "failed: MatrixError: M_UNKNOWN_TOKEN: Invalid access token"
    assert calls.count(KEYS_UPLOAD) == 1  # the password is not sent on a token error


async def test_rejected_device_signature_is_a_failure(tmp_path: Path) -> None:
    server = ScriptedServer(reject_signatures=True)
    result = await bootstrap_cross_signing(server, USER, DEVICE, None, tmp_path / "cs.json")
    assert result.startswith("failed:") and "M_INVALID_SIGNATURE" in result


async def test_a_stale_signature_is_renewed(tmp_path: Path) -> None:
    """The device's keys changed since they were signed: the old signature no longer
    verifies, so the device is signed again instead of reported as 'already'."""
    server = ScriptedServer()
    key_file = tmp_path / "cs.json"
    assert await bootstrap_cross_signing(server, USER, DEVICE, None, key_file) == "bootstrapped"
    server.device["keys"][f"curve25519:{DEVICE}"] = "new"

    assert await bootstrap_cross_signing(server, USER, DEVICE, None, key_file) == "device-signed"
    keys, _ = load_or_create_keys(key_file)
    assert verify_json(server.device, USER, keys.self_signing_public)


async def test_unexpected_answers_do_not_raise(tmp_path: Path) -> None:
    async def odd(method: str, path: str, body: Any = None) -> Any:
        return ["not", "an", "object"]

    result = await bootstrap_cross_signing(odd, USER, DEVICE, None, tmp_path / "cs.json")
    assert result.startswith("failed:")
    json.loads((tmp_path / "cs.json").read_text())  # the keys were still kept

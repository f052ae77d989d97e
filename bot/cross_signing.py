"""Cross-signing for the bot's own account, which matrix-nio does not implement.

Without it Element shows the bot's device as "not verified by its owner", and clients set to
send keys only to devices verified by their owner leave the bot unable to read their messages.
On every start `bootstrap_cross_signing` makes sure the account has a cross-signing identity
(master, self-signing and user-signing keys) and that the bot's device is signed by the
self-signing key. The private keys stay in a 0600 JSON file in the data dir. They are written
before anything is uploaded, so a crash can never leave the server with keys we do not have.

It never replaces an identity it did not create (someone set up cross-signing for the
account in another client, or the key file was lost) unless told to with `replace_foreign`,
because a new identity makes everyone who verified the bot see a warning and verify it
again. Server errors are logged and returned as "failed: ...": the bot works without this.

Signing follows the spec's "Signing JSON": drop `signatures` and `unsigned`, sign the
canonical JSON with Ed25519, put the unpadded base64 signature under
signatures[user_id]["ed25519:<public key>"].
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

__all__ = [
    "CrossSigningKeys",
    "RawRequester",
    "bootstrap_cross_signing",
    "canonical_json",
    "load_or_create_keys",
    "sign_json",
    "verify_json",
]

log = logging.getLogger(__name__)

KEYS_QUERY = "/_matrix/client/v3/keys/query"
KEYS_UPLOAD = "/_matrix/client/v3/keys/device_signing/upload"
SIGNATURES_UPLOAD = "/_matrix/client/v3/keys/signatures/upload"

_FILE_VERSION = 1
_ROLES = ("master", "self_signing", "user_signing")


class RawRequester(Protocol):
    """A JSON request to the homeserver as the bot (MatrixClient._raw).

    Returns the decoded JSON body; raises on an error answer. For user-interactive auth an
    error must carry the HTTP status as `.status` (MatrixError does); if it also carries the
    decoded 401 body as `.body`, its UIA session id is passed back as the spec asks.
    """

    async def __call__(self, method: str, path: str, body: Any = None) -> Any: ...


# --- signing primitives ------------------------------------------------------------------


def canonical_json(obj: Any) -> bytes:
    """Matrix canonical JSON for our data (no floats, so json's own output is canonical)."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def _signable(obj: dict[str, Any]) -> bytes:
    return canonical_json({k: v for k, v in obj.items() if k not in ("signatures", "unsigned")})


def public_key(seed: str) -> str:
    """The unpadded base64 Ed25519 public key of an unpadded base64 private seed."""
    private = Ed25519PrivateKey.from_private_bytes(_unb64(seed))
    return _b64(private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def sign_json(obj: dict[str, Any], user_id: str, seed: str) -> dict[str, Any]:
    """A copy of `obj` with a signature by `seed` added; other signatures are kept."""
    private = Ed25519PrivateKey.from_private_bytes(_unb64(seed))
    signature = _b64(private.sign(_signable(obj)))
    signed = dict(obj)
    signatures = {u: dict(s) for u, s in (obj.get("signatures") or {}).items()}
    signatures.setdefault(user_id, {})[f"ed25519:{public_key(seed)}"] = signature
    signed["signatures"] = signatures
    return signed


def verify_json(
    obj: dict[str, Any], user_id: str, public: str, key_name: str | None = None
) -> bool:
    """Whether `obj` carries a valid signature by the Ed25519 key `public` (unpadded base64).

    The signature is looked up as "ed25519:<key_name>"; key_name defaults to the public key,
    as cross-signing keys are named, while a device signs as "ed25519:<device_id>".
    """
    key_id = f"ed25519:{key_name or public}"
    signature = ((obj.get("signatures") or {}).get(user_id) or {}).get(key_id)
    if not isinstance(signature, str):
        return False
    try:
        Ed25519PublicKey.from_public_bytes(_unb64(public)).verify(_unb64(signature), _signable(obj))
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


# --- the key file ------------------------------------------------------------------------


@dataclass(frozen=True)
class CrossSigningKeys:
    """Private Ed25519 seeds (unpadded base64) of the three cross-signing keys."""

    master: str = field(repr=False)
    self_signing: str = field(repr=False)
    user_signing: str = field(repr=False)

    @classmethod
    def generate(cls) -> CrossSigningKeys:
        seeds = [_b64(os.urandom(32)) for _ in _ROLES]
        return cls(*seeds)

    @property
    def master_public(self) -> str:
        return public_key(self.master)

    @property
    def self_signing_public(self) -> str:
        return public_key(self.self_signing)

    @property
    def user_signing_public(self) -> str:
        return public_key(self.user_signing)

    def upload_body(self, user_id: str) -> dict[str, Any]:
        """The /keys/device_signing/upload body: both subkeys signed by the master key."""

        def key(usage: str, public: str) -> dict[str, Any]:
            return {"user_id": user_id, "usage": [usage], "keys": {f"ed25519:{public}": public}}

        return {
            "master_key": key("master", self.master_public),
            "self_signing_key": sign_json(
                key("self_signing", self.self_signing_public), user_id, self.master
            ),
            "user_signing_key": sign_json(
                key("user_signing", self.user_signing_public), user_id, self.master
            ),
        }


def load_or_create_keys(path: Path) -> tuple[CrossSigningKeys, bool]:
    """Read the key file, or create it (mode 0600); the bool says it was created now.

    A file that exists but cannot be read raises (OSError, ValueError) and is left alone:
    overwriting it would lose the identity that the server and other users know.
    """
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError(f"{path}: not a JSON object")
        seeds = []
        for role in _ROLES:
            seed = data.get(role)
            try:
                valid = isinstance(seed, str) and len(_unb64(seed)) == 32
            except (ValueError, binascii.Error):
                valid = False
            if not valid:
                raise ValueError(f"{path}: {role} is not an unpadded base64 32-byte key")
            seeds.append(seed)
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)  # private keys: tighten a file someone copied in loosely
        return CrossSigningKeys(*seeds), False

    keys = CrossSigningKeys.generate()
    data = {"version": _FILE_VERSION, **{role: getattr(keys, role) for role in _ROLES}}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    # Write, fsync, rename: the keys must be durable before they are uploaded.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # a leftover tmp file keeps its old mode otherwise
        os.write(fd, json.dumps(data, indent=2).encode() + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return keys, True


# --- bootstrap ---------------------------------------------------------------------------


@dataclass
class _ServerState:
    master: str | None
    self_signing: str | None
    user_signing: str | None
    device: dict[str, Any] | None


def _ed25519_public(key_object: Any) -> str | None:
    if not isinstance(key_object, dict):
        return None
    for key_id, value in (key_object.get("keys") or {}).items():
        if key_id.startswith("ed25519:") and isinstance(value, str):
            return value
    return None


async def _query_own_keys(request: RawRequester, user_id: str, device_id: str) -> _ServerState:
    resp = await request("POST", KEYS_QUERY, {"device_keys": {user_id: [device_id]}})
    if not isinstance(resp, dict):
        raise ValueError(f"unexpected /keys/query answer: {resp!r:.200}")
    device = ((resp.get("device_keys") or {}).get(user_id) or {}).get(device_id)
    return _ServerState(
        master=_ed25519_public((resp.get("master_keys") or {}).get(user_id)),
        self_signing=_ed25519_public((resp.get("self_signing_keys") or {}).get(user_id)),
        user_signing=_ed25519_public((resp.get("user_signing_keys") or {}).get(user_id)),
        device=device if isinstance(device, dict) else None,
    )


def _is_uia(exc: Exception) -> bool:
    """A 401 that asks for user-interactive auth, not one for a bad access token."""
    token_error = getattr(exc, "errcode", None) in ("M_UNKNOWN_TOKEN", "M_MISSING_TOKEN")
    return getattr(exc, "status", None) == 401 and not token_error


async def _upload_keys(
    request: RawRequester, user_id: str, keys: CrossSigningKeys, password: str | None
) -> str | None:
    """Upload the keys, with password UIA if the server asks; None on success, else a result.

    The first try has no auth: Synapse lets an account without cross-signing keys upload
    its first ones without UIA (MSC3967), so a password is only needed to replace keys.
    """
    body = keys.upload_body(user_id)
    try:
        await request("POST", KEYS_UPLOAD, body)
        return None
    except Exception as exc:
        if not _is_uia(exc):
            raise
        uia = getattr(exc, "body", None)
        uia = uia if isinstance(uia, dict) else {}
    if not password:
        log.warning(
            "cross-signing: the homeserver wants the account password to upload the keys, "
            "and none is configured; the bot's device stays 'not verified by its owner'"
        )
        return "skipped: no password"
    flows = uia.get("flows")
    if isinstance(flows, list) and not any(
        isinstance(f, dict) and f.get("stages") == ["m.login.password"] for f in flows
    ):
        log.warning("cross-signing: the homeserver offers no password auth (flows %s)", flows)
        return f"failed: no password auth offered ({flows})"
    auth: dict[str, Any] = {
        "type": "m.login.password",
        "identifier": {"type": "m.id.user", "user": user_id},
        "password": password,
    }
    if isinstance(uia.get("session"), str):
        auth["session"] = uia["session"]
    try:
        await request("POST", KEYS_UPLOAD, {**body, "auth": auth})
    except Exception as exc:
        if not _is_uia(exc):
            raise
        log.warning("cross-signing: the homeserver refused the account password: %s", exc)
        return f"failed: password refused ({exc})"
    return None


async def _sign_device(
    request: RawRequester, user_id: str, device_id: str, device: dict[str, Any], seed: str
) -> None:
    # Only our signature is sent: the server compares the rest with its stored copy.
    stripped = {k: v for k, v in device.items() if k not in ("signatures", "unsigned")}
    signed = sign_json(stripped, user_id, seed)
    resp = await request("POST", SIGNATURES_UPLOAD, {user_id: {device_id: signed}})
    # Per-device rejections come back as 200 with "failures", not as an error status.
    failures = resp.get("failures") if isinstance(resp, dict) else None
    if failures:
        raise ValueError(f"signature upload rejected: {failures}")


def _warn_foreign(
    state: _ServerState, keys: CrossSigningKeys, user_id: str, device_id: str, key_file: Path
) -> None:
    ssk = state.self_signing
    signed = bool(state.device and ssk and verify_json(state.device, user_id, ssk))
    consequence = (
        f"device {device_id} is signed by that identity, but new devices of the bot will not be"
        if signed
        else f"device {device_id} stays 'not verified by its owner'"
    )
    log.log(
        logging.INFO if signed else logging.WARNING,
        "cross-signing: %s already has a cross-signing identity (master key %s) that is not "
        "the one in %s (master key %s); the bot leaves it alone, so %s. To fix: restore %s "
        "from a backup if it was lost; or, if a person set up cross-signing for this account "
        "in another client, verify the bot's device from there; or reset the bot's identity "
        "(replace_foreign=True, needs the account password; everyone who verified the bot "
        "has to verify it again).",
        user_id,
        state.master,
        key_file,
        keys.master_public,
        consequence,
        key_file,
    )


async def _bootstrap(
    request: RawRequester,
    user_id: str,
    device_id: str,
    password: str | None,
    keys: CrossSigningKeys,
    key_file: Path,
    replace_foreign: bool,
) -> str:
    state = await _query_own_keys(request, user_id, device_id)
    if state.device is None:
        # Nothing to sign yet; uploading an identity now would only be half a job.
        log.warning("cross-signing: device %s has no keys on the server yet", device_id)
        return "failed: device keys not uploaded yet"
    if state.master is not None and state.master != keys.master_public and not replace_foreign:
        _warn_foreign(state, keys, user_id, device_id, key_file)
        return "foreign-master-key"

    # A missing user-signing key is tolerated: it only matters for verifying other users,
    # and on servers that demand UIA for every upload a re-upload would need the password.
    uploaded = False
    if (
        state.master != keys.master_public
        or state.self_signing != keys.self_signing_public
        or state.user_signing not in (None, keys.user_signing_public)
    ):
        if state.master not in (None, keys.master_public):
            log.warning(
                "cross-signing: replacing the identity of %s (master key %s -> %s)",
                user_id,
                state.master,
                keys.master_public,
            )
        skipped = await _upload_keys(request, user_id, keys, password)
        if skipped is not None:
            return skipped
        uploaded = True
        log.info("cross-signing: uploaded keys for %s (master %s)", user_id, keys.master_public)

    if not uploaded and verify_json(state.device, user_id, keys.self_signing_public):
        return "already"
    await _sign_device(request, user_id, device_id, state.device, keys.self_signing)
    log.info("cross-signing: signed device %s with the self-signing key", device_id)
    return "bootstrapped" if uploaded else "device-signed"


async def bootstrap_cross_signing(
    request: RawRequester,
    user_id: str,
    device_id: str,
    password: str | None,
    key_file: Path,
    *,
    replace_foreign: bool = False,
) -> str:
    """Make the bot's device verified by its owner; safe to call at every start.

    Call it after the device keys are uploaded. Returns "already", "bootstrapped",
    "device-signed", "foreign-master-key", "skipped: no password" or "failed: <why>";
    it never raises for server, network or key-file problems.
    """
    try:
        keys, created = load_or_create_keys(key_file)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        log.error("cross-signing: cannot use the key file %s: %s", key_file, exc)
        return f"failed: key file: {exc}"
    if created:
        log.info("cross-signing: created new keys in %s", key_file)
    try:
        return await _bootstrap(
            request, user_id, device_id, password, keys, key_file, replace_foreign
        )
    except Exception as exc:  # the bot must run without cross-signing, whatever went wrong
        log.warning("cross-signing: bootstrap failed, continuing without it: %s", exc)
        return f"failed: {type(exc).__name__}: {exc}"

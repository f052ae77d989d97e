"""A throwaway local Synapse homeserver for integration tests and demos.

Why: the bot's sync loop, 429 handling and restart survival are only credible against a
real homeserver. This module starts Synapse (sqlite, 127.0.0.1 only, no federation) as a
subprocess with test-friendly settings, and offers the few admin calls tests need.

Only the stdlib is used so importing it costs nothing; Synapse itself must be installed
in the interpreter that runs this module (the ``test``/``demo`` extras).

The config files are written as JSON, which is valid YAML, so they can be read back with
``json`` to keep the port and secrets stable across restarts of the same ``base_dir``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

__all__ = ["LocalSynapse", "SynapseAPIError", "free_port"]

CONFIG_NAME = "homeserver.yaml"
LOG_CONFIG_NAME = "log.config.yaml"
LOG_NAME = "homeserver.log"

# Large enough that no test ever hits a homeserver rate limit by accident.
_UNLIMITED: dict[str, float] = {"per_second": 100_000, "burst_count": 1_000_000}

# Every ``rc_*`` rate limiter Synapse 1.163 reads (synapse/config/ratelimiting.py).
# Dotted keys are nested mappings. ``rc_message`` is handled separately.
_RC_KEYS = (
    "rc_registration",
    "rc_registration_token_validity",
    "rc_login.address",
    "rc_login.account",
    "rc_login.failed_attempts",
    "rc_admin_redaction",
    "rc_joins.local",
    "rc_joins.remote",
    "rc_joins_per_room",
    "rc_key_requests",
    "rc_3pid_validation",
    "rc_invites.per_room",
    "rc_invites.per_user",
    "rc_invites.per_issuer",
    "rc_third_party_invite",
    "rc_media_create",
    "rc_presence.per_user",
    "rc_delayed_event_mgmt",
    "rc_room_creation",
    "rc_reports",
    "rc_user_directory",
    "rc_profile",
)


class SynapseAPIError(RuntimeError):
    """An HTTP call to the homeserver failed; keeps status and body for assertions."""

    def __init__(self, method: str, path: str, status: int, body: dict[str, Any]) -> None:
        super().__init__(f"{method} {path} -> HTTP {status}: {body}")
        self.status = status
        self.body = body

    @property
    def errcode(self) -> str | None:
        code = self.body.get("errcode")
        return code if isinstance(code, str) else None


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _set_nested(target: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


class LocalSynapse:
    """A Synapse homeserver on 127.0.0.1 whose state lives in ``base_dir``.

    ``restart()`` keeps port, database, signing key and secrets, so access tokens stay
    valid, which lets tests check that the bot survives a homeserver restart.
    """

    def __init__(
        self,
        base_dir: Path,
        port: int | None = None,
        server_name: str = "localhost",
        message_rate_limit: tuple[float, int] | None = None,
        access_log: bool = False,
    ) -> None:
        self.base_dir = Path(base_dir).resolve()
        # Every request in the log with Synapse's own time, CPU and database time (benchmarks).
        self.access_log = access_log
        self.server_name = server_name
        self.message_rate_limit = message_rate_limit
        self.config_path = self.base_dir / CONFIG_NAME
        self.log_path = self.base_dir / LOG_NAME

        previous = self._read_previous_config()
        prev_port = _listener_port(previous)
        self.port: int = port or prev_port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._registration_secret: str = previous.get(
            "registration_shared_secret"
        ) or secrets.token_urlsafe(32)
        self._macaroon_secret: str = previous.get("macaroon_secret_key") or secrets.token_urlsafe(
            32
        )
        self._form_secret: str = previous.get("form_secret") or secrets.token_urlsafe(32)

        self._proc: subprocess.Popen[bytes] | None = None
        self._log_file: IO[bytes] | None = None
        # Never route 127.0.0.1 through an http_proxy from the environment.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    # ------------------------------------------------------------------ lifecycle

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, timeout: float = 60) -> None:
        """Write the config, launch Synapse and block until ``/health`` answers 200."""
        if self.running:
            return
        self.base_dir.mkdir(parents=True, exist_ok=True)
        self._write_config()
        self._log_file = open(self.log_path, "ab")  # closed in stop()
        # Synapse generates the missing signing key itself (default
        # --generate-missing-and-run mode), so there is no separate key step.
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "synapse.app.homeserver", "-c", str(self.config_path)],
            cwd=self.base_dir,
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group: Ctrl-C in pytest won't hit it
        )
        try:
            self._wait_healthy(timeout)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """SIGTERM the process group, escalate to SIGKILL after 10 s."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            self._signal_group(proc, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._signal_group(proc, signal.SIGKILL)
                proc.wait()
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def restart(self) -> None:
        """Stop and start again on the same port and data directory."""
        self.stop()
        self.start()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ------------------------------------------------------------------ API helpers

    def user_id(self, localpart: str) -> str:
        return f"@{localpart}:{self.server_name}"

    def register(
        self,
        localpart: str,
        password: str,
        admin: bool = False,
        displayname: str | None = None,
    ) -> str:
        """Create a user via the shared-secret admin API; an existing user is not an error."""
        path = "/_synapse/admin/v1/register"
        _, body = self._request("GET", path)
        nonce = str(body["nonce"])
        mac = hmac.new(self._registration_secret.encode(), digestmod=hashlib.sha1)
        mac.update(nonce.encode())
        mac.update(b"\x00")
        mac.update(localpart.encode())
        mac.update(b"\x00")
        mac.update(password.encode())
        mac.update(b"\x00")
        mac.update(b"admin" if admin else b"notadmin")
        payload: dict[str, Any] = {
            "nonce": nonce,
            "username": localpart,
            "password": password,
            "admin": admin,
            "mac": mac.hexdigest(),
        }
        if displayname is not None:
            payload["displayname"] = displayname
        try:
            _, body = self._request("POST", path, payload)
        except SynapseAPIError as err:
            if err.errcode == "M_USER_IN_USE":
                return self.user_id(localpart)
            raise
        return str(body["user_id"])

    def login(self, localpart: str, password: str) -> tuple[str, str]:
        """Password login; returns ``(access_token, device_id)`` for admin/raw API calls."""
        _, body = self._request(
            "POST",
            "/_matrix/client/v3/login",
            {
                "type": "m.login.password",
                "identifier": {"type": "m.id.user", "user": localpart},
                "password": password,
            },
        )
        return str(body["access_token"]), str(body["device_id"])

    def override_ratelimit(self, user_id: str, admin_token: str) -> None:
        """Exempt ``user_id`` from message rate limits (needs an admin's token)."""
        quoted = urllib.parse.quote(user_id, safe="")
        self._request(
            "POST",
            f"/_synapse/admin/v1/users/{quoted}/override_ratelimit",
            {"messages_per_second": 0, "burst_count": 0},
            token=admin_token,
        )

    def _request(
        self,
        method: str,
        path: str,
        payload: dict[str, Any] | None = None,
        token: str | None = None,
        timeout: float = 30,
    ) -> tuple[int, dict[str, Any]]:
        data = json.dumps(payload).encode() if payload is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if token is not None:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with self._opener.open(req, timeout=timeout) as resp:
                return resp.status, _json_or_empty(resp.read())
        except urllib.error.HTTPError as err:
            raise SynapseAPIError(method, path, err.code, _json_or_empty(err.read())) from None

    # ------------------------------------------------------------------ internals

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            proc = self._proc
            if proc is None or proc.poll() is not None:
                code = None if proc is None else proc.returncode
                raise RuntimeError(
                    f"Synapse exited during startup (code {code}); log tail:\n{self._log_tail()}"
                )
            try:
                with self._opener.open(self.url + "/health", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass  # not listening yet
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"Synapse not healthy after {timeout:.0f} s; log tail:\n{self._log_tail()}"
                )
            time.sleep(0.1)

    @staticmethod
    def _signal_group(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass

    def _log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def _read_previous_config(self) -> dict[str, Any]:
        try:
            data = json.loads(self.config_path.read_text())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write_config(self) -> None:
        log_config = {
            "version": 1,
            "formatters": {
                "precise": {"format": "%(asctime)s - %(name)s - %(levelname)s - %(message)s"}
            },
            "handlers": {
                "file": {
                    "class": "logging.FileHandler",
                    "formatter": "precise",
                    "filename": str(self.log_path),
                    "encoding": "utf8",
                }
            },
            "root": {"level": "WARNING", "handlers": ["file"]},
            "disable_existing_loggers": False,
        }
        if self.access_log:
            log_config["loggers"] = {"synapse.access": {"level": "INFO"}}
        (self.base_dir / LOG_CONFIG_NAME).write_text(json.dumps(log_config, indent=2))
        self.config_path.write_text(json.dumps(self._build_config(), indent=2))

    def _build_config(self) -> dict[str, Any]:
        config: dict[str, Any] = {
            "server_name": self.server_name,
            "public_baseurl": self.url + "/",
            "listeners": [
                {
                    "port": self.port,
                    "bind_addresses": ["127.0.0.1"],
                    "type": "http",
                    "tls": False,
                    "x_forwarded": False,
                    "resources": [{"names": ["client"], "compress": False}],
                }
            ],
            "database": {
                "name": "sqlite3",
                "args": {"database": str(self.base_dir / "homeserver.db")},
            },
            "log_config": str(self.base_dir / LOG_CONFIG_NAME),
            "signing_key_path": str(self.base_dir / f"{self.server_name}.signing.key"),
            "media_store_path": str(self.base_dir / "media_store"),
            "enable_media_repo": True,
            "max_upload_size": "50M",
            "url_preview_enabled": False,
            "report_stats": False,
            "enable_metrics": False,
            "suppress_key_server_warning": True,
            "trusted_key_servers": [],
            "enable_registration": False,
            "registration_shared_secret": self._registration_secret,
            "macaroon_secret_key": self._macaroon_secret,
            "form_secret": self._form_secret,
            "bcrypt_rounds": 4,
            "presence": {"enabled": False},
            "user_directory": {"enabled": True, "search_all_users": True},
            "auto_join_rooms": [],
        }
        for key in _RC_KEYS:
            _set_nested(config, key, dict(_UNLIMITED))
        if self.message_rate_limit is None:
            config["rc_message"] = dict(_UNLIMITED)
        else:
            per_second, burst = self.message_rate_limit
            config["rc_message"] = {"per_second": per_second, "burst_count": burst}
        return config


def _listener_port(config: dict[str, Any]) -> int | None:
    listeners = config.get("listeners")
    if isinstance(listeners, list) and listeners and isinstance(listeners[0], dict):
        port = listeners[0].get("port")
        if isinstance(port, int):
            return port
    return None


def _json_or_empty(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        return {"raw": raw.decode(errors="replace")}
    return data if isinstance(data, dict) else {"value": data}

"""One error taxonomy. UserError messages are shown as written; anything else is internal."""

from __future__ import annotations

import sqlite3


class UserError(Exception):
    """A problem the member can fix; the message is shown in chat, never logged as a failure."""


class UsageError(UserError):
    """Bad or missing argument; the router appends the command's usage."""


class PermissionDenied(UserError):
    """The caller may not run this command."""


class WrongPlace(UserError):
    """The command may not run in this kind of room."""


def is_transient(exc: BaseException) -> bool:
    """An error that passes by itself: SQLite busy or locked (another writer held the database
    longer than busy_timeout). Such an event is retried rather than answered with an error."""
    code = getattr(exc, "sqlite_errorcode", None)
    return (
        isinstance(exc, sqlite3.OperationalError)
        and code is not None
        and code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    )

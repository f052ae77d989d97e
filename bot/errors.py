"""One error taxonomy. UserError messages are shown as written; anything else is internal."""

from __future__ import annotations


class UserError(Exception):
    """A problem the member can fix; the message is shown in chat, never logged as a failure."""


class UsageError(UserError):
    """Bad or missing argument; the router appends the command's usage."""


class PermissionDenied(UserError):
    """The caller may not run this command."""


class WrongPlace(UserError):
    """The command may not run in this kind of room."""

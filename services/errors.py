"""Domain errors. Each carries the key of its Russian text; one error handler renders it."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the programme said no. Shown to the user as is; never logged as a failure."""

    key = "error-generic"

    def __init__(self, key: str | None = None, **args: Any) -> None:
        self.key = key or self.key
        self.args_for_text = args
        super().__init__(self.key)


class NotAllowed(DomainError):
    key = "error-not-allowed"


class NotFound(DomainError):
    key = "error-not-found"


class InvalidInput(DomainError):
    key = "error-invalid-input"


class Conflict(DomainError):
    """The object is no longer in the state the action expects (for example already decided)."""

    key = "error-conflict"

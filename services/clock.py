"""Time, injected: services never call `datetime.now()` themselves."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that moves only when told to: for tests and for replaying scenarios."""

    def __init__(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.moment = moment.astimezone(UTC)

    def now(self) -> datetime:
        return self.moment

    def advance(self, delta: timedelta) -> None:
        self.moment += delta


class OffsetFileClock:
    """The system time plus a number of seconds read from a file (re-read when it changes).

    For end-to-end tests only: they move the running bot's time forward (a snooze of an hour,
    tomorrow's digest) without waiting. A missing or unreadable file means no offset.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._stamp: float | None = None
        self._offset = timedelta()

    def now(self) -> datetime:
        try:
            stamp = os.stat(self.path).st_mtime_ns
            if stamp != self._stamp:
                with open(self.path, encoding="utf-8") as file:
                    self._offset = timedelta(seconds=float(file.read().strip() or 0))
                self._stamp = stamp
        except (OSError, ValueError):
            self._offset = timedelta()
        return datetime.now(UTC) + self._offset

"""What every incoming update passes before any work, on any messenger: a token bucket per
user, a bounded wait for the database, and handling each update once.

Plain classes with no messenger in them: Telegram's aiogram middlewares (bot/middlewares.py)
and the MAX adapter (max_adapter/dispatch.py) call the same ones, so a flood, a stalled
database and a redelivered update mean the same thing on both.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import AsyncIterator, Callable, Hashable
from contextlib import asynccontextmanager

from services.clock import Clock
from storage.health import DatabaseUnavailable
from storage.uow import UnitOfWork

WARN_EVERY_SECONDS = 10.0


class TokenBucket:
    """A bucket of `burst` tokens per user, refilled at `rate_per_second`: a flood is dropped
    early, before any database work. The key is anything naming a user on one messenger."""

    def __init__(
        self,
        rate_per_second: float = 5.0,
        burst: int = 10,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = rate_per_second
        self.burst = burst
        self.monotonic = monotonic  # a test freezes it: a slow machine refills no tokens
        self._buckets: dict[Hashable, tuple[float, float]] = {}  # key -> (tokens, updated)
        self._warned: dict[Hashable, float] = {}

    def allow(self, key: Hashable) -> bool:
        now = self.monotonic()
        tokens, updated = self._buckets.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - updated) * self.rate)
        allowed = tokens >= 1.0
        self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
        if len(self._buckets) > 100_000:  # idle users have full buckets: forgetting them is exact
            self._buckets = {k: b for k, b in self._buckets.items() if now - b[1] < 60.0}
            self._warned = {k: w for k, w in self._warned.items() if k in self._buckets}
        return allowed

    def should_warn(self, key: Hashable) -> bool:
        """Whether a dropped user is told so now: once per ten seconds, not per update."""
        now = self.monotonic()
        if now - self._warned.get(key, float("-inf")) > WARN_EVERY_SECONDS:
            self._warned[key] = now
            return True
        return False


class UpdateSlots:
    """At most `limit` updates use the database at once; the rest wait in arrival order.

    SQLAlchemy's async pool hands a returned connection to whoever asks first, so with more
    concurrent updates than connections a waiting update can lose every race until the pool's
    timeout and fail (seen with a hundred applicants at once). A fair semaphore in front, sized
    below the pool, means an update that gets through always finds a connection.

    The wait is bounded like the pool's own: when the database stalls, the updates holding the
    slots wait out their statement timeouts, and those queued behind them get the apology after
    `timeout` seconds instead of queueing for minutes.
    """

    def __init__(self, limit: int, timeout: float | None = None) -> None:
        self._slots = asyncio.Semaphore(max(1, limit))
        self._timeout = timeout

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        try:
            async with asyncio.timeout(self._timeout):
                await self._slots.acquire()
        except TimeoutError:
            raise DatabaseUnavailable(f"no database connection free in {self._timeout} s") from None
        try:
            yield
        finally:
            self._slots.release()


class UpdateDedupe:
    """Each update's effect once, even when the messenger delivers it again (a webhook retry,
    a poll after a crash before the offset or marker moved on, two processes given it at once).

    The update is claimed in the unit of work that handles it (storage/uow.py `claim_update`):
    its row in `processed_updates` is written by the commit of its effect, in the same
    transaction, or not at all. A crash anywhere before that commit leaves no trace, so the
    redelivery is handled as new; after it, the redelivery's own commit finds the row, is rolled
    back and raises `UpdateAlreadyHandled`, and the caller shows the person's current screen
    instead. Marking before the handler (a Redis SET NX, as once done) dropped the update for
    good on a crash between the mark and the commit. An update that writes nothing is not
    recorded (no commit for /help): delivered again, it is simply answered again.

    Keys are namespaced per messenger: a Telegram update is its update_id; a MAX update, which
    has none, a string key of its own (max_adapter/guard.py) stored as a negative 63-bit hash of
    "max:<key>" (Telegram's update ids are positive: they never meet).
    """

    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    def claim(self, uow: UnitOfWork, update_id: int) -> None:
        """A Telegram update, by its update_id."""
        uow.claim_update(update_id, self.clock.now())

    def claim_max(self, uow: UnitOfWork, key: str) -> None:
        """A MAX update, by its derived key."""
        uow.claim_update(table_id_of(f"max:{key}"), self.clock.now())


def table_id_of(namespaced_key: str) -> int:
    """A non-Telegram key as a row of `processed_updates`: a negative integer, stable across
    processes (unlike hash())."""
    digest = hashlib.sha256(namespaced_key.encode()).digest()
    return -(int.from_bytes(digest[:8], "big") & (2**63 - 1)) - 1

"""Who an account belongs to and what roles they hold, cached per process between updates.

Every update starts by identifying its sender (services.people.identify). Read from the
database each time, that is a checkout, a transaction and a query even for /help. The cache
keeps the last `PersonLookup` per account, valid while the *identity generation* it was read
at is still current:

- Every transaction that changes what a lookup returns (a role granted or revoked, an account
  blocked, unblocked, moved or linked, a person's language, Telegram id or preferred messenger,
  a person erased) is noticed in the session (`track_identity_writes`, below) and, once it has
  committed, bumps the generation: locally at once, and in Redis (`INCR`) for the other
  processes. The bump comes after the commit and the generation is read before the database,
  so an entry read from the old data carries the old generation and is dropped on next use.
- Without Redis (the in-memory FSM: one process by definition) the local generation is all.
- A change made outside any bot process (a CLI command without Redis, SQL by hand, a lost
  INCR) is seen after `ttl` seconds at most: no entry outlives it.

Registration needs no bump: an account never seen has no entry (misses are not cached).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import Delete, Insert, Update, event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from services.domain import Messenger
from storage.models import Account, Person, RoleGrant
from storage.repositories.people import PersonLookup

logger = logging.getLogger(__name__)

GENERATION_KEY = "kadry:identity:generation"
# Session.info key: this transaction changed something a lookup returns.
DIRTY = "identity_dirty"
# The tables a lookup reads, and of `people` the columns it reads (a name or a phone saved by
# the questionnaire must not invalidate every cached identity).
_TABLES = frozenset({"people", "accounts", "role_grants"})
_PEOPLE_COLUMNS = frozenset({"id", "language", "tg_id", "preferred_messenger"})
_RAW_WRITE = re.compile(
    r"\b(update|insert\s+into|delete\s+from)\s+\"?(people|accounts|role_grants)\b", re.I
)

Key = tuple[Messenger, int]
# The shared generation as read, in this update, in one pipeline with the Telegram FSM's lock
# (bot/fsm.py): then identifying the sender costs no round trip of its own.
prefetched_generation: ContextVar[bytes | None] = ContextVar("identity_generation", default=None)


class IdentityCache:
    def __init__(
        self,
        redis: Redis | None = None,
        ttl: float = 30.0,
        max_entries: int = 100_000,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.redis = redis
        self.ttl = ttl
        self.max_entries = max_entries
        self.monotonic = monotonic
        self.local_generation = 0
        self._entries: dict[Key, tuple[tuple[int, bytes | None], float, PersonLookup]] = {}

    async def generation(self) -> tuple[int, bytes | None] | None:
        """The generation now; None when it cannot be known (Redis unreachable): then nothing
        is served from the cache."""
        if self.redis is None:
            return (self.local_generation, None)
        prefetched = prefetched_generation.get()
        if prefetched is not None:
            return (self.local_generation, prefetched)
        try:
            shared = await self.redis.get(GENERATION_KEY)
        except (RedisError, OSError):
            return None
        return (self.local_generation, shared if shared is not None else b"0")

    def get(self, key: Key, generation: tuple[int, bytes | None] | None) -> PersonLookup | None:
        if generation is None:
            return None
        entry = self._entries.get(key)
        if entry is None:
            return None
        stamp, stored_at, lookup = entry
        if stamp != generation or self.monotonic() - stored_at > self.ttl:
            del self._entries[key]
            return None
        return lookup

    def put(
        self, key: Key, generation: tuple[int, bytes | None] | None, lookup: PersonLookup
    ) -> None:
        if generation is None:
            return
        if len(self._entries) >= self.max_entries:
            self._entries.clear()  # a flood of distinct accounts: start over rather than grow
        self._entries[key] = (generation, self.monotonic(), lookup)

    async def invalidate(self) -> None:
        """Something a lookup returns changed (and is committed): no entry read before stays."""
        self.local_generation += 1
        self._entries.clear()
        if self.redis is None:
            return
        try:
            await self.redis.incr(GENERATION_KEY)
        except (RedisError, OSError):
            # The other processes then notice within the ttl; this one already has.
            logger.warning("identity cache: the shared generation could not be bumped")

    def __len__(self) -> int:
        return len(self._entries)


def _changes_identity(statement: Any) -> bool:
    """Whether a statement run in a session writes what a lookup reads."""
    if isinstance(statement, (Insert, Update, Delete)):
        table = getattr(statement.table, "name", None)
        if table not in _TABLES:
            return False
        if isinstance(statement, Insert):
            # A new row is a new account, person or grant: only a new grant, or an upsert
            # that may change an existing row, changes what a cached lookup says.
            upsert = type(statement._post_values_clause).__name__ == "OnConflictDoUpdate"
            return table == "role_grants" or upsert
        if isinstance(statement, Update) and table == "people":
            values = statement._values
            if values is None:
                return True
            names = {getattr(column, "key", str(column)) for column in values}
            return bool(names & _PEOPLE_COLUMNS)
        return True
    text = getattr(statement, "text", None)
    return isinstance(text, str) and _RAW_WRITE.search(text) is not None


def _on_execute(state: ORMExecuteState) -> None:
    if _changes_identity(state.statement):
        state.session.info[DIRTY] = True


def _on_flush(session: Session, _transaction: UOWTransaction, _instances: Any) -> None:
    for obj in session.deleted:
        if isinstance(obj, (Person, Account, RoleGrant)):
            session.info[DIRTY] = True
            return
    for obj in session.new:
        if isinstance(obj, RoleGrant):
            session.info[DIRTY] = True
            return
    for obj in session.dirty:
        if isinstance(obj, (Account, RoleGrant)) or (
            isinstance(obj, Person) and _person_identity_changed(session, obj)
        ):
            session.info[DIRTY] = True
            return


def _person_identity_changed(session: Session, person: Person) -> bool:
    from sqlalchemy import inspect

    attrs = inspect(person).attrs
    return any(attrs[name].history.has_changes() for name in _PEOPLE_COLUMNS)


def track_identity_writes() -> None:
    """Listen on every ORM session (idempotent): the unit of work reads the mark on commit."""
    if not event.contains(Session, "do_orm_execute", _on_execute):
        event.listen(Session, "do_orm_execute", _on_execute)
        event.listen(Session, "before_flush", _on_flush)

"""The identity cache (storage/identity_cache.py): a repeated contact costs no query, and every
change to what identifying returns is seen on the next update, in this process and in another
one sharing Redis."""

from __future__ import annotations

import uuid

import pytest
from redis.asyncio import Redis
from sqlalchemy import delete, event, insert, text, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncEngine

from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.domain import Messenger, Role
from services.i18n import Texts
from services.people import Identity
from services.privacy import erase_person
from storage.db import create_session_factory
from storage.identity_cache import GENERATION_KEY, IdentityCache, _changes_identity
from storage.models import Account, Person, RoleGrant
from storage.repositories.people import PersonLookup
from storage.uow import UnitOfWorkFactory
from tests.databases import ON_BOTH_DATABASES


async def identify(factory: UnitOfWorkFactory, clock: FixedClock, user_id: int) -> Identity:
    async with factory() as uow:
        return await Services(uow, clock, Texts(), ServiceConfig()).people.identify(user_id, "ru")


def statements(engine: AsyncEngine) -> list[str]:
    seen: list[str] = []

    def record(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    return seen


async def test_a_repeated_contact_is_served_from_the_cache(
    engine: AsyncEngine, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    first = await identify(uow_factory, clock, 42)  # registers
    second = await identify(uow_factory, clock, 42)  # reads and caches
    seen = statements(engine)
    third = await identify(uow_factory, clock, 42)
    assert first == second == third
    assert seen == []


@ON_BOTH_DATABASES
async def test_grants_blocks_and_erasure_are_seen_on_the_next_update(
    engine: AsyncEngine, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    uncached = UnitOfWorkFactory(create_session_factory(engine))
    me = await identify(uow_factory, clock, 7)
    await identify(uow_factory, clock, 7)
    assert len(uow_factory.identities) == 1

    async with uow_factory() as uow:
        assert await uow.people.grant(me.person_id, Role.MENTOR, None, clock.now())
        await uow.commit()
    granted = await identify(uow_factory, clock, 7)
    assert granted.roles == {Role.MENTOR}

    async with uow_factory() as uow:
        assert await uow.people.revoke(me.person_id, Role.MENTOR, clock.now())
        await uow.commit()
    assert (await identify(uow_factory, clock, 7)).roles == frozenset()

    # Blocked by the sender (a 403): the next message reactivates the account.
    async with uow_factory() as uow:
        assert await Services(uow, clock, Texts(), ServiceConfig()).people.mark_blocked(7)
    await identify(uow_factory, clock, 7)
    async with uow_factory() as uow:
        found = await uow.people.lookup(7)
    assert found is not None and found.is_active

    async with uow_factory() as uow:
        services = Services(uow, clock, Texts(), ServiceConfig())
        await erase_person(uow, services.notifier, Texts(), me.person_id, clock.now())
        await uow.commit()
    async with uow_factory() as uow:
        await uow.session.execute(delete(Person).where(Person.id == me.person_id))
        await uow.commit()
    again = await identify(uow_factory, clock, 7)
    async with uow_factory() as uow:
        registered = await uow.people.by_tg_id(7)  # afresh: a stale entry would skip this
    assert registered is not None and again.person_id == registered.id
    assert again == await identify(uncached, clock, 7)


async def test_a_rolled_back_change_keeps_the_cache(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    me = await identify(uow_factory, clock, 9)
    await identify(uow_factory, clock, 9)
    generation = uow_factory.identities.local_generation
    async with uow_factory() as uow:
        await uow.people.grant(me.person_id, Role.OFFICE, None, clock.now())
        await uow.rollback()
        await uow.commit()  # nothing left to commit: no invalidation either
    assert uow_factory.identities.local_generation == generation
    assert (await identify(uow_factory, clock, 9)).roles == frozenset()


async def test_a_questionnaire_answer_does_not_invalidate(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    me = await identify(uow_factory, clock, 11)
    await identify(uow_factory, clock, 11)
    async with uow_factory() as uow:
        await uow.people.set_profile(me.person_id, "Иванов Пётр", "petr", clock.now())
        await uow.commit()
    assert len(uow_factory.identities) == 1


@pytest.mark.postgres
async def test_a_change_in_another_process_is_seen_through_redis(
    postgres_url: str, redis: Redis, clock: FixedClock
) -> None:
    from storage.db import create_engine

    engines = [create_engine(postgres_url), create_engine(postgres_url)]
    here, there = (UnitOfWorkFactory(create_session_factory(e), redis) for e in engines)
    try:
        me = await identify(here, clock, 77)
        await identify(here, clock, 77)
        assert len(here.identities) == 1
        async with there() as uow:  # the other process grants a role
            await uow.people.grant(me.person_id, Role.OFFICE, None, clock.now())
            await uow.commit()
        assert (await identify(here, clock, 77)).roles == {Role.OFFICE}
    finally:
        for engine in engines:
            await engine.dispose()


def lookup(person_id: int = 1) -> PersonLookup:
    return PersonLookup(person_id, "ru", True, set(), 5, Messenger.TELEGRAM, 5)


async def test_entries_expire_after_the_ttl() -> None:
    now = [100.0]
    cache = IdentityCache(ttl=30, monotonic=lambda: now[0])
    generation = await cache.generation()
    cache.put((Messenger.TELEGRAM, 5), generation, lookup())
    now[0] += 29
    assert cache.get((Messenger.TELEGRAM, 5), generation) == lookup()
    now[0] += 2  # a change nobody announced (SQL by hand) is seen after the ttl at most
    assert cache.get((Messenger.TELEGRAM, 5), generation) is None


async def test_a_shared_generation_bump_drops_entries(redis: Redis) -> None:
    cache = IdentityCache(redis)
    key = (Messenger.TELEGRAM, int(uuid.uuid4().int % 10**9))
    generation = await cache.generation()
    cache.put(key, generation, lookup())
    assert cache.get(key, await cache.generation()) == lookup()
    await redis.incr(GENERATION_KEY)  # another process committed a change
    assert cache.get(key, await cache.generation()) is None


async def test_without_a_readable_generation_nothing_is_cached() -> None:
    class Down(Redis):
        async def get(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
            raise ConnectionError("down")

    cache = IdentityCache(Down.from_url("redis://127.0.0.1:1/0"))
    generation = await cache.generation()
    assert generation is None
    cache.put((Messenger.TELEGRAM, 5), generation, lookup())
    assert cache.get((Messenger.TELEGRAM, 5), generation) is None


def test_which_statements_change_an_identity() -> None:
    pg_insert = postgresql.insert
    assert _changes_identity(insert(RoleGrant).values(person_id=1, role="office"))
    assert _changes_identity(update(Account).values(is_active=False))
    assert _changes_identity(update(Person).values(language="en"))
    assert _changes_identity(delete(Person))
    assert _changes_identity(text("DELETE FROM people WHERE id = 1"))
    assert _changes_identity(
        pg_insert(Account)
        .values(user_id=1)
        .on_conflict_do_update(index_elements=["messenger", "user_id"], set_={"chat_id": 2})
    )
    # A name, a phone, a first contact: nothing a cached identity says.
    assert not _changes_identity(update(Person).values(full_name="Пётр"))
    assert not _changes_identity(pg_insert(Person).values(tg_id=1).on_conflict_do_nothing())
    assert not _changes_identity(insert(Account).values(user_id=1))
    assert not _changes_identity(text("SELECT * FROM people"))

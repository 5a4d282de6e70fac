"""An update's processed mark commits with its effect or not at all (storage/uow.py
`claim_update`, services/guards.py `UpdateDedupe`), on SQLite and on real PostgreSQL, where a
second delivery in flight at the same time waits for the first and then writes nothing."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from services.clock import FixedClock
from services.guards import UpdateDedupe
from storage.models import AuditEntry
from storage.uow import UnitOfWork, UnitOfWorkFactory, UpdateAlreadyHandled
from tests.databases import ON_BOTH_DATABASES


async def effect(uow: UnitOfWork, clock: FixedClock) -> None:
    """What an update does: any write of the handler's transaction."""
    await uow.audit.record(clock.now(), None, "test.effect", "test", 1)


async def effects(factory: UnitOfWorkFactory) -> int:
    async with factory() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


@ON_BOTH_DATABASES
async def test_an_update_is_recorded_only_with_the_commit_of_its_effect(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    dedupe = UpdateDedupe(clock)
    async with uow_factory() as uow:
        assert await dedupe.claim(uow, 42)  # read-only: no commit, so no record either
    async with uow_factory() as uow:
        assert await dedupe.claim(uow, 42)  # the crash before the commit: handled as new
        await effect(uow, clock)  # and the process dies here: nothing is durable
    async with uow_factory() as uow:
        assert await dedupe.claim(uow, 42)
        await effect(uow, clock)
        await uow.commit()
        await effect(uow, clock)  # a second commit of the same update adds no second mark
        await uow.commit()
    async with uow_factory() as uow:
        assert not await dedupe.claim(uow, 42)
    async with uow_factory() as uow:
        assert await dedupe.claim_max(uow, "mid:42")  # MAX's "42" is not Telegram's
    assert await effects(uow_factory) == 2


@ON_BOTH_DATABASES
async def test_a_rollback_in_the_handler_keeps_the_claim_for_its_next_commit(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    dedupe = UpdateDedupe(clock)
    async with uow_factory() as uow:
        assert await dedupe.claim(uow, 43)
        await uow.rollback()  # PostgreSQL's early row goes with it; the commit writes it again
        await effect(uow, clock)
        await uow.commit()
    async with uow_factory() as uow:
        assert not await dedupe.claim(uow, 43)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_on_sqlite_the_delivery_that_commits_second_is_rolled_back_whole(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    """SQLite claims with a read; the row is written by the commit, which finds it taken."""
    dedupe = UpdateDedupe(clock)
    async with uow_factory() as first, uow_factory() as second:
        assert await dedupe.claim(first, 7) and await dedupe.claim(second, 7)
        await effect(first, clock)
        await first.commit()
        await effect(second, clock)
        with pytest.raises(UpdateAlreadyHandled):
            await second.commit()
    assert await effects(uow_factory) == 1


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
@pytest.mark.parametrize("first_writes", [True, False])
async def test_on_postgres_a_second_delivery_waits_for_the_first_then_knows(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, first_writes: bool
) -> None:
    """Two processes given one update: the second's claim waits until the first's transaction
    ends. The first committed its effect: the second writes nothing. The first wrote nothing
    (a read-only update, rolled back): the second handles it."""
    dedupe = UpdateDedupe(clock)
    async with uow_factory() as first, uow_factory() as second:
        assert await dedupe.claim(first, 8)
        waiting = asyncio.create_task(dedupe.claim(second, 8))
        await asyncio.sleep(0.3)
        assert not waiting.done()  # held by the first's uncommitted row
        if first_writes:
            await effect(first, clock)
            await first.commit()
        else:
            await first.rollback()
        assert await asyncio.wait_for(waiting, 5) is not first_writes
    assert await effects(uow_factory) == int(first_writes)

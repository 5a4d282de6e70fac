"""An update's processed mark commits with its effect or not at all (storage/uow.py
`claim_update`, services/guards.py `UpdateDedupe`), on SQLite and on real PostgreSQL, where a
delivery committing while another holds the mark uncommitted waits for it, then writes nothing."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from services import maintenance
from services.clock import FixedClock
from services.guards import UpdateDedupe
from storage.models import AuditEntry, ProcessedUpdate
from storage.uow import UnitOfWork, UnitOfWorkFactory, UpdateAlreadyHandled
from tests.databases import ON_BOTH_DATABASES


async def effect(uow: UnitOfWork, clock: FixedClock) -> None:
    """What an update does: any write of the handler's transaction."""
    await uow.audit.record(clock.now(), None, "test.effect", "test", 1)


async def count(factory: UnitOfWorkFactory, table: type[AuditEntry | ProcessedUpdate]) -> int:
    async with factory() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(table)) or 0)


@ON_BOTH_DATABASES
async def test_an_update_is_recorded_only_with_the_commit_of_its_effect(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    dedupe = UpdateDedupe(clock)
    async with uow_factory() as uow:
        dedupe.claim(uow, 42)  # read-only: no commit, so no record either
    async with uow_factory() as uow:
        dedupe.claim(uow, 42)
        await effect(uow, clock)  # and the process dies before the commit: nothing durable
    assert await count(uow_factory, ProcessedUpdate) == 0
    async with uow_factory() as uow:
        dedupe.claim(uow, 42)  # delivered again: handled as new
        await effect(uow, clock)
        await uow.commit()
        await effect(uow, clock)  # a second commit of the same update adds no second mark
        await uow.commit()
    async with uow_factory() as uow:
        dedupe.claim(uow, 42)  # delivered once more after its commit: rolled back whole
        await effect(uow, clock)
        with pytest.raises(UpdateAlreadyHandled):
            await uow.commit()
    async with uow_factory() as uow:
        dedupe.claim_max(uow, "mid:42")  # MAX's "42" is not Telegram's
        await uow.commit()
    assert await count(uow_factory, AuditEntry) == 2
    assert await count(uow_factory, ProcessedUpdate) == 2


@ON_BOTH_DATABASES
async def test_of_two_deliveries_in_flight_the_second_to_commit_is_rolled_back_whole(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    dedupe = UpdateDedupe(clock)
    async with uow_factory() as first, uow_factory() as second:
        dedupe.claim(first, 7)
        dedupe.claim(second, 7)
        await effect(first, clock)
        await effect(second, clock)
        await second.commit()
        with pytest.raises(UpdateAlreadyHandled):
            await first.commit()
    assert await count(uow_factory, AuditEntry) == 1


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
@pytest.mark.parametrize("first_commits", [True, False])
async def test_on_postgres_a_commit_waits_for_the_transaction_holding_the_mark(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, first_commits: bool
) -> None:
    """Two processes commit one update at the same moment: the second's mark waits on the
    first's uncommitted row (held here between the first's INSERT and its COMMIT). The first
    commits: the second is rolled back. The first fails and rolls back: the second commits."""
    dedupe = UpdateDedupe(clock)
    async with uow_factory() as first, uow_factory() as second:
        await effect(first, clock)
        assert await first.updates.first_sighting(8, clock.now())  # as its commit would
        dedupe.claim(second, 8)
        await effect(second, clock)
        committing = asyncio.create_task(second.commit())
        await asyncio.sleep(0.3)
        assert not committing.done()  # waiting on the first's row
        if first_commits:
            await first.commit()
            with pytest.raises(UpdateAlreadyHandled):
                await asyncio.wait_for(committing, 5)
        else:
            await first.rollback()
            await asyncio.wait_for(committing, 5)
    assert await count(uow_factory, AuditEntry) == 1
    assert await count(uow_factory, ProcessedUpdate) == 1


@ON_BOTH_DATABASES
async def test_marks_older_than_two_days_are_forgotten(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    """Telegram keeps an undelivered update for a day: older marks protect nothing any more."""
    later = FixedClock(clock.now() + timedelta(days=2, minutes=1))
    for update_id, at in ((1, clock), (2, later)):
        async with uow_factory() as uow:
            UpdateDedupe(at).claim(uow, update_id)
            await uow.commit()
    async with uow_factory() as uow:
        assert await maintenance.forget_old_update_ids(uow, later) == 1
    async with uow_factory() as uow:
        assert list(await uow.session.scalars(select(ProcessedUpdate.update_id))) == [2]

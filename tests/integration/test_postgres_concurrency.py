"""On real PostgreSQL: conditional updates and SKIP LOCKED claims hold under concurrency."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.domain import Role
from services.errors import DomainError
from services.i18n import Texts
from storage.db import create_engine, create_session_factory
from storage.uow import UnitOfWorkFactory

pytestmark = pytest.mark.postgres
NOW = datetime(2026, 9, 1, 7, 0, tzinfo=UTC)


async def test_one_invitation_raced_by_twenty_people_goes_to_one(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    factory = UnitOfWorkFactory(create_session_factory(engine))
    clock, texts = FixedClock(NOW), Texts()
    async with factory() as uow:
        [payload] = await Services(uow, clock, texts, ServiceConfig()).invitations.create(
            Role.MENTOR
        )

    async def attempt(tg_id: int) -> bool:
        async with factory() as uow:
            services = Services(uow, clock, texts, ServiceConfig())
            me = await services.people.identify(tg_id, "ru")
            try:
                await services.invitations.redeem(me, payload)
            except DomainError:
                return False
            return True

    results = await asyncio.gather(*(attempt(5000 + i) for i in range(20)))
    async with factory() as uow:
        holders = [
            tg
            for tg in range(5000, 5020)
            if (person := await uow.people.by_tg_id(tg)) is not None
            and await uow.people.roles_of(person.id)
        ]
    await engine.dispose()
    assert results.count(True) == 1
    assert len(holders) == 1


async def test_two_senders_never_claim_the_same_outbox_row(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    factory = UnitOfWorkFactory(create_session_factory(engine))
    async with factory() as uow:
        for i in range(2000):  # a chat each: one chat's rows wait for its earlier claim
            await uow.outbox.add(100 + i, "text", {"text": str(i)}, NOW)
        await uow.commit()

    async def sweeper() -> list[int]:
        claimed: list[int] = []
        while True:
            async with factory() as uow:
                rows = await uow.outbox.claim_due(NOW, 100, timedelta(minutes=2))
                await uow.commit()
            if not rows:
                return claimed
            claimed.extend(row.id for row in rows)
            await asyncio.sleep(0)

    first, second = await asyncio.gather(sweeper(), sweeper())
    await engine.dispose()
    assert not set(first) & set(second)
    assert sorted(first + second) == list(range(1, 2001))
    assert first and second  # both did share the work


async def test_a_chat_held_by_a_dead_senders_claim_waits_for_it(postgres_url: str) -> None:
    """A sender killed mid-batch leaves its rows claimed: the next sender takes nothing of that
    chat until the claim expires (a later message would overtake the earlier one), then both
    in order; other chats go on meanwhile."""
    engine = create_engine(postgres_url)
    factory = UnitOfWorkFactory(create_session_factory(engine))
    lease = timedelta(minutes=2)

    async def claim(at: datetime) -> list[tuple[int, str]]:
        async with factory() as uow:
            rows = await uow.outbox.claim_due(at, 100, lease)
            await uow.commit()
        return [(row.chat_id, row.payload["text"]) for row in rows]

    async with factory() as uow:
        await uow.outbox.add(700, "text", {"text": "первое"}, NOW)
        await uow.commit()
    assert await claim(NOW) == [(700, "первое")]  # ... and that sender dies before sending it
    async with factory() as uow:
        await uow.outbox.add(700, "text", {"text": "второе"}, NOW)
        await uow.outbox.add(701, "text", {"text": "другому"}, NOW)
        await uow.commit()
    assert await claim(NOW + timedelta(seconds=5)) == [(701, "другому")]
    after_expiry = await claim(NOW + lease + timedelta(seconds=1))
    await engine.dispose()
    assert after_expiry == [(700, "первое"), (700, "второе")]

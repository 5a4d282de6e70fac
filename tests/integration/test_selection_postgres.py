"""On real PostgreSQL: the office presses the same decision in two bot processes at once (two
engines, two session factories); it is recorded once, with one audit entry."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.domain import Decision
from services.errors import Conflict
from services.i18n import Texts
from storage.db import create_engine, create_session_factory
from storage.models import AuditEntry, SelectionDecision
from storage.uow import UnitOfWorkFactory
from tests.selection_world import OFFICE, add_applicant, build_world, identity

pytestmark = pytest.mark.postgres
TEXTS = Texts()


async def test_the_same_decision_pressed_in_two_processes_is_recorded_once(
    postgres_url: str, clock: FixedClock
) -> None:
    engines = [create_engine(postgres_url), create_engine(postgres_url)]
    try:
        factories = [UnitOfWorkFactory(create_session_factory(e)) for e in engines]
        world = await build_world(factories[0], clock)
        apps = [
            await add_applicant(factories[0], clock, world, 8000 + n, ["peat-monitor"])
            for n in range(5)
        ]

        async def press(factory: UnitOfWorkFactory, application_id: int) -> str:
            async with factory() as uow:
                me = await identity(uow, OFFICE)
                try:
                    await Services(uow, clock, TEXTS, ServiceConfig()).selection.decide(
                        me, application_id, Decision.ACCEPTED, world.ideas["peat-monitor"]
                    )
                except Conflict as refused:
                    return refused.key
                return "won"

        for application_id in apps:
            outcomes = await asyncio.gather(*(press(f, application_id) for f in factories))
            assert sorted(outcomes) == ["sel-decided", "won"]
        async with factories[1]() as uow:
            decisions = list(await uow.session.scalars(select(SelectionDecision)))
            audit = list(
                await uow.session.scalars(
                    select(AuditEntry).where(AuditEntry.action == "selection.decide")
                )
            )
        assert sorted(d.application_id for d in decisions) == sorted(apps)
        assert sorted(e.object_id for e in audit) == sorted(apps)
    finally:
        for engine in engines:
            await engine.dispose()


async def test_two_applicants_accepted_at_once_to_the_last_place_leave_one_accepted(
    postgres_url: str, clock: FixedClock
) -> None:
    engines = [create_engine(postgres_url), create_engine(postgres_url)]
    try:
        factories = [UnitOfWorkFactory(create_session_factory(e)) for e in engines]
        world = await build_world(factories[0], clock, capacity={"peat-monitor": 1})
        apps = [
            await add_applicant(factories[0], clock, world, 8100 + n, ["peat-monitor"])
            for n in range(2)
        ]

        async def accept(factory: UnitOfWorkFactory, application_id: int) -> str:
            async with factory() as uow:
                me = await identity(uow, OFFICE)
                try:
                    await Services(uow, clock, TEXTS, ServiceConfig()).selection.decide(
                        me, application_id, Decision.ACCEPTED, world.ideas["peat-monitor"]
                    )
                except Conflict as refused:
                    return refused.key
                return "won"

        # Two office members accept two different applicants to the idea's one place at once.
        outcomes = await asyncio.gather(
            *(accept(f, a) for f, a in zip(factories, apps, strict=True))
        )
        assert sorted(outcomes) == ["sel-idea-full", "won"]
        async with factories[1]() as uow:
            accepted = list(await uow.session.scalars(select(SelectionDecision)))
        assert [d.decision for d in accepted] == [Decision.ACCEPTED]
    finally:
        for engine in engines:
            await engine.dispose()

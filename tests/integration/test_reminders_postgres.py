"""On real PostgreSQL: reminders are sent exactly once by concurrent sweepers, and a bot that
was down when a reminder fell due (or crashed mid-sweep) sends it once when it is back."""

from __future__ import annotations

import asyncio
from datetime import UTC, timedelta

import pytest
from sqlalchemy import func, insert, select

from scheduler import REMINDER_SWEEP_JOB
from scheduler.jobs import Jobs
from services.clock import FixedClock
from services.domain import ReminderStatus, TaskKind
from storage.db import create_engine, create_session_factory
from storage.models import OutgoingMessage, Reminder
from storage.uow import UnitOfWorkFactory
from tests.dispatcher.harness import build_harness
from tests.plans_world import STUDENT, TUTOR, build_world, local, services

pytestmark = pytest.mark.postgres
MSK = "Europe/Moscow"
NOW = local(MSK, 2026, 9, 1, 12, 0)


async def test_two_sweepers_send_each_of_10000_due_reminders_exactly_once(
    postgres_url: str,
) -> None:
    engine = create_engine(postgres_url)
    factory = UnitOfWorkFactory(create_session_factory(engine))
    clock = FixedClock(NOW)
    world = await build_world(factory, clock, MSK)
    me = await world.me(TUTOR)
    async with factory() as uow:
        [task] = await services(uow, clock).plans.assign(
            me,
            kind=TaskKind.OTHER,
            title="Задача",
            due_at=NOW + timedelta(days=10),
            student_id=await world.person_id(STUDENT),
        )
        student = await world.person_id(STUDENT)
        await uow.session.execute(
            insert(Reminder),
            [
                dict(
                    task_id=task.id,
                    person_id=student,
                    kind="before_1d",
                    due_at=NOW - timedelta(seconds=i % 3600),
                    status=ReminderStatus.PENDING,
                    dedupe_key=f"load:{i}",
                    created_at=NOW,
                    attempts=0,
                )
                for i in range(10_000)
            ],
        )
        await uow.commit()
        due_ids = set(
            await uow.session.scalars(select(Reminder.id).where(Reminder.dedupe_key.like("load:%")))
        )
        await uow.session.execute(
            OutgoingMessage.__table__.delete()  # the assignment notice is not under test
        )
        await uow.commit()

    async def sweeper() -> list[int]:
        claimed: list[int] = []
        while True:
            async with factory() as uow:
                result = await services(uow, clock).reminders.sweep(limit=250)
            claimed.extend(result.ids)
            if not result.ids:
                return claimed
            await asyncio.sleep(0)

    first, second = await asyncio.gather(sweeper(), sweeper())
    async with factory() as uow:
        per_reminder = dict(
            (
                await uow.session.execute(
                    select(OutgoingMessage.dedupe_key, func.count())
                    .where(OutgoingMessage.dedupe_key.like("reminder:%"))
                    .group_by(OutgoingMessage.dedupe_key)
                )
            ).all()
        )
        statuses = dict(
            (
                await uow.session.execute(
                    select(Reminder.status, func.count())
                    .where(Reminder.id.in_(due_ids))
                    .group_by(Reminder.status)
                )
            ).all()
        )
    await engine.dispose()
    assert first and second  # both shared the work
    assert not set(first) & set(second)
    assert set(first) | set(second) == due_ids
    assert len(per_reminder) == 10_000 and set(per_reminder.values()) == {1}
    assert set(per_reminder) == {f"reminder:{rid}" for rid in due_ids}
    assert statuses == {ReminderStatus.SENT: 10_000}


async def test_a_bot_down_across_the_due_time_sends_the_reminder_once_after_restart(
    postgres_url: str, bot_token: str
) -> None:
    clock = FixedClock(NOW)
    first = build_harness(postgres_url, clock, bot_token)
    world = await build_world(first.app.uow_factory, clock, MSK)
    me = await world.me(TUTOR)
    due = local(MSK, 2026, 9, 5, 15, 0)
    async with first.app.uow_factory() as uow:
        [task] = await services(uow, clock).plans.assign(
            me,
            kind=TaskKind.OTHER,
            title="Проект",
            due_at=due,
            student_id=await world.person_id(STUDENT),
        )
    await first.deliver()
    await first.app.engine.dispose()  # the bot stops; the 3-days reminder falls due meanwhile

    clock.moment = local(MSK, 2026, 9, 2, 16, 0).astimezone(UTC)
    second = build_harness(postgres_url, clock, bot_token)
    # A crash mid-sweep: rows claimed, the transaction never committed. Nothing is lost.
    async with second.app.uow_factory() as uow:
        claimed = await uow.reminders.claim_due(clock.now(), 100)
        assert [r.kind for r in claimed] == ["before_3d"]
        await uow.rollback()

    # Back up: the scheduler's first sweep runs at start.
    second.app.scheduler.start()
    try:
        assert second.app.scheduler.get_job(REMINDER_SWEEP_JOB) is not None
        for _ in range(200):
            async with second.app.uow_factory() as uow:
                rows = await uow.reminders.for_task(task.id)
            if any(r.status is ReminderStatus.SENT for r in rows):
                break
            await asyncio.sleep(0.05)
    finally:
        second.app.scheduler.shutdown(wait=False)
    await second.deliver()
    # Another sweep (or a second process) later finds nothing more to send.
    await Jobs(second.app.uow_factory, clock, second.app.texts).sweep_reminders()
    await second.deliver()
    texts = [t for t in second.session.texts_to(STUDENT) if t.startswith("Напоминание")]
    # Sent an hour late, it says how much time is really left.
    assert texts == [
        "Напоминание: задачу «Проект» нужно сдать через 2 дня 23 часа.\nСрок — 05.09.2026 15:00."
    ]
    await second.app.engine.dispose()

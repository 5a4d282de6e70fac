"""The senders (here, or the leader's by NOTIFY) are woken after a commit that queued outbox
rows, and only then (bot/background.py, wake_when_queued)."""

from __future__ import annotations

from sqlalchemy import select

from bot.background import wake_when_queued
from services.clock import FixedClock
from services.notify import OutboxNotifier
from storage.models import Person
from storage.uow import UnitOfWorkFactory


async def test_only_a_commit_that_queued_messages_wakes(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    wakes: list[int] = []
    wake_when_queued(uow_factory, lambda: wakes.append(1))

    async with uow_factory() as uow:  # reads and writes, nothing queued
        await uow.people.ensure(700, "ru", clock.now())
        await uow.session.scalar(select(Person.id))
        await uow.commit()
    assert wakes == []

    async with uow_factory() as uow:  # queued, then rolled back: nothing to send
        await OutboxNotifier(uow.outbox, clock).send_text(700, "Не уйдёт")
        await uow.rollback()
    async with uow_factory() as uow:
        await uow.commit()
    assert wakes == []

    async with uow_factory() as uow:
        notifier = OutboxNotifier(uow.outbox, clock)
        await notifier.send_text(700, "Первое")
        await notifier.send_text(700, "Второе")
        await uow.commit()
    assert wakes == [1]  # once per commit, however many rows

    async with uow_factory() as uow:  # the next commit starts with a clean slate
        await uow.people.ensure(701, "ru", clock.now())
        await uow.commit()
    assert wakes == [1]

"""A graceful stop of the outbox sender (bot/sender.py, Sender.stop with a grace): the send in
flight finishes and is recorded as sent, nothing new starts, the rest of the batch goes back to
the outbox unsent; the next sender sends it, once and in order."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import select

from bot.ratelimit import SendLimiter
from bot.sender import Sender
from bot.transport import Failure
from services.clock import FixedClock
from services.domain import Messenger, OutboxStatus
from services.i18n import Texts
from services.notify import OutboxNotifier
from storage.models import OutgoingMessage
from storage.uow import UnitOfWorkFactory


class SlowTransport:
    """Each send waits until the test lets it through."""

    messenger = Messenger.TELEGRAM
    text_limit = 4096
    caption_limit = 1024
    rate_limit_pause = 0.05

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.calling = asyncio.Event()
        self.go = asyncio.Event()

    def classify(self, error: Exception) -> Failure | None:
        return None

    async def send_text(self, chat_id: int, text: str, buttons: Any) -> int:
        self.calling.set()
        await self.go.wait()
        self.sent.append(text)
        return len(self.sent)


def _sender(transport: SlowTransport, uow_factory: UnitOfWorkFactory, clock: FixedClock) -> Any:
    limiter = SendLimiter(1000, chat_interval=0, group_per_minute=1000)
    return Sender(transport, uow_factory, clock, Texts(), limiter, poll_interval=0.05)  # type: ignore[arg-type]


async def _statuses(uow_factory: UnitOfWorkFactory) -> list[OutboxStatus]:
    async with uow_factory() as uow:
        query = select(OutgoingMessage.status).order_by(OutgoingMessage.id)
        return list((await uow.session.scalars(query)).all())


async def test_a_graceful_stop_finishes_the_send_in_flight_and_puts_back_the_rest(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    async with uow_factory() as uow:
        notifier = OutboxNotifier(uow.outbox, clock)
        for number in range(3):
            await notifier.send_text(500, f"Сообщение {number}")
        await uow.commit()
    first = SlowTransport()
    sender = _sender(first, uow_factory, clock)
    sender.start()
    await asyncio.wait_for(first.calling.wait(), 5)
    stopping = asyncio.create_task(sender.stop(grace=5))
    await asyncio.sleep(0.1)
    assert not stopping.done()  # waits for the send in flight
    first.go.set()
    await asyncio.wait_for(stopping, 5)
    assert first.sent == ["Сообщение 0"]
    assert await _statuses(uow_factory) == [
        OutboxStatus.SENT,
        OutboxStatus.PENDING,
        OutboxStatus.PENDING,
    ]

    second = SlowTransport()
    second.go.set()
    assert await _sender(second, uow_factory, clock).deliver_due() == 2
    assert second.sent == ["Сообщение 1", "Сообщение 2"]
    assert await _statuses(uow_factory) == [OutboxStatus.SENT] * 3


async def test_without_a_grace_the_stop_cancels_and_the_claim_waits_for_its_lease(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    async with uow_factory() as uow:
        await OutboxNotifier(uow.outbox, clock).send_text(501, "Одно")
        await uow.commit()
    transport = SlowTransport()
    sender = _sender(transport, uow_factory, clock)
    sender.start()
    await asyncio.wait_for(transport.calling.wait(), 5)
    await sender.stop()
    assert transport.sent == []
    # Cut off mid-call: whether it went out is unknown, so the row waits for its claim to end.
    assert await _statuses(uow_factory) == [OutboxStatus.SENDING]

"""The sender's at-most-once path for broadcast rows (bot/sender.py, AT_MOST_ONCE): the row is
committed as in flight before its call; a 429 (surely not delivered) clears that and the row
goes out once after the pause; a row found in flight when claimed again (its sender died during
the call) is recorded as uncertain and never sent a second time."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from bot.ratelimit import SendLimiter
from bot.sender import Sender
from bot.transport import Failure, FailureKind
from services.clock import FixedClock
from services.domain import Address, Messenger, OutboxStatus
from services.i18n import Texts
from services.notify import AT_MOST_ONCE, IN_FLIGHT
from storage.models import OutgoingMessage
from storage.repositories.outbox import UNCERTAIN_ERROR
from storage.uow import UnitOfWorkFactory


class Flood(Exception):
    pass


class FakeTransport:
    """Records sends; the first `floods` calls answer 429; each call looks at the row's stored
    payload, as a crash at that moment would leave it."""

    messenger = Messenger.TELEGRAM
    text_limit = 4096
    caption_limit = 1024
    rate_limit_pause = 0.05

    def __init__(self, uow_factory: UnitOfWorkFactory, floods: int = 0) -> None:
        self.uow_factory = uow_factory
        self.floods = floods
        self.sent: list[int] = []
        self.stored_during_call: list[bool] = []

    def classify(self, error: Exception) -> Failure | None:
        if isinstance(error, Flood):
            return Failure(FailureKind.RATE_LIMITED, "429", retry_after=0.05)
        return None

    async def send_text(self, chat_id: int, text: str, buttons: Any) -> int:
        async with self.uow_factory() as uow:
            payload = await uow.session.scalar(
                select(OutgoingMessage.payload).where(OutgoingMessage.chat_id == chat_id)
            )
        self.stored_during_call.append(bool(payload and payload.get(IN_FLIGHT)))
        if self.floods:
            self.floods -= 1
            raise Flood()
        self.sent.append(chat_id)
        return len(self.sent)


async def _queue(uow_factory: UnitOfWorkFactory, clock: FixedClock, chats: list[int]) -> None:
    async with uow_factory() as uow:
        for chat in chats:
            await uow.outbox.add(
                Address.telegram(chat), "text", {"text": "Объявление", AT_MOST_ONCE: True},
                clock.now(), dedupe_key=f"broadcast:1:{chat}", subject="broadcast:1",
            )  # fmt: skip
        await uow.commit()


async def _rows(uow_factory: UnitOfWorkFactory) -> list[OutgoingMessage]:
    async with uow_factory() as uow:
        return list(await uow.session.scalars(select(OutgoingMessage).order_by(OutgoingMessage.id)))


def _sender(transport: FakeTransport, uow_factory: UnitOfWorkFactory, clock: FixedClock) -> Sender:
    limiter = SendLimiter(1000.0, chat_interval=0.0, group_per_minute=1000)
    return Sender(transport, uow_factory, clock, Texts(), limiter)


async def test_in_flight_is_committed_before_the_call_and_a_429_clears_it(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await _queue(uow_factory, clock, [501])
    transport = FakeTransport(uow_factory, floods=2)
    assert await _sender(transport, uow_factory, clock).deliver_due() == 1
    # Every call saw the row committed as in flight; two 429s, then one delivery.
    assert transport.stored_during_call == [True, True, True]
    assert transport.sent == [501]
    [row] = await _rows(uow_factory)
    assert row.status is OutboxStatus.SENT


async def test_a_row_in_flight_when_its_sender_died_is_uncertain_and_not_sent_again(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await _queue(uow_factory, clock, [601, 602])
    async with uow_factory() as uow:  # the killed sender: 601 claimed and in its call
        await uow.outbox.claim_due(clock.now(), 1, timedelta(seconds=4))
        await uow.session.execute(
            update(OutgoingMessage).where(OutgoingMessage.chat_id == 601)
            .values(payload={"text": "Объявление", AT_MOST_ONCE: True, IN_FLIGHT: True})
        )  # fmt: skip
        await uow.commit()
    clock.advance(timedelta(seconds=5))  # its lease is over
    transport = FakeTransport(uow_factory)
    assert await _sender(transport, uow_factory, clock).deliver_due() == 2
    assert transport.sent == [602]
    first, second = await _rows(uow_factory)
    assert (first.status, first.error) == (OutboxStatus.FAILED, UNCERTAIN_ERROR)
    assert second.status is OutboxStatus.SENT


async def test_a_429_during_the_pause_leaves_the_row_to_be_sent_after_a_crash(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    """A 429 cleared the mark: a sender that dies in the pause leaves a row sent later."""
    await _queue(uow_factory, clock, [701])
    async with uow_factory() as uow:
        await uow.outbox.claim_due(clock.now(), 1, timedelta(seconds=4))
        await uow.commit()
    # What the killed sender left after its 429: claimed, IN_FLIGHT cleared.
    clock.advance(timedelta(seconds=5))
    transport = FakeTransport(uow_factory)
    await _sender(transport, uow_factory, clock).deliver_due()
    assert transport.sent == [701]

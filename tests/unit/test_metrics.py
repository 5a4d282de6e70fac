"""The metrics the sender counts and the outbox gauges' one aggregate query."""

from __future__ import annotations

from datetime import timedelta

from bot.metrics import REGISTRY, set_outbox_backlog
from services.clock import FixedClock
from storage.uow import UnitOfWorkFactory
from tests.unit.test_broadcast_sender import FakeTransport, _queue, _sender


def _value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_outbox_backlog_sets_depth_and_oldest_age(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    async with uow_factory() as uow:
        assert await uow.outbox.backlog() == (0, None)
    await _queue(uow_factory, clock, [701, 702])
    async with uow_factory() as uow:
        depth, oldest = await uow.outbox.backlog()
    assert (depth, oldest) == (2, clock.now())
    set_outbox_backlog(depth, oldest, clock.now() + timedelta(seconds=30))
    assert _value("kadry_outbox_depth") == 2
    assert _value("kadry_outbox_oldest_seconds") == 30
    set_outbox_backlog(0, None, clock.now())
    assert _value("kadry_outbox_oldest_seconds") == 0


async def test_the_sender_counts_sends_failures_and_429_pauses(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    sent = _value("kadry_messages_sent_total", messenger="telegram")
    pauses = _value("kadry_rate_limit_pauses_total", messenger="telegram")
    floods = _value("kadry_messages_failed_total", messenger="telegram", code="rate_limited")
    await _queue(uow_factory, clock, [801])
    transport = FakeTransport(uow_factory, floods=2)
    assert await _sender(transport, uow_factory, clock).deliver_due() == 1
    assert _value("kadry_messages_sent_total", messenger="telegram") == sent + 1
    assert _value("kadry_rate_limit_pauses_total", messenger="telegram") == pauses + 2
    failed = _value("kadry_messages_failed_total", messenger="telegram", code="rate_limited")
    assert failed == floods + 2
    async with uow_factory() as uow:
        assert (await uow.outbox.backlog())[0] == 0

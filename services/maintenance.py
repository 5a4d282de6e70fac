"""Housekeeping the scheduler runs: forgetting what no longer needs keeping."""

from __future__ import annotations

from datetime import timedelta

from services.clock import Clock
from storage.uow import UnitOfWork

PROCESSED_UPDATES_KEPT_FOR = timedelta(days=2)  # Telegram keeps undelivered updates for 24 h


async def forget_old_update_ids(uow: UnitOfWork, clock: Clock) -> int:
    forgotten = await uow.updates.forget_before(clock.now() - PROCESSED_UPDATES_KEPT_FOR)
    await uow.commit()
    return forgotten

"""The jobs the scheduler runs; each opens its own unit of work and calls a service."""

from __future__ import annotations

import logging

from services import maintenance
from services.clock import Clock
from storage.uow import UnitOfWorkFactory

logger = logging.getLogger(__name__)


class Jobs:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self.uow_factory = uow_factory
        self.clock = clock

    async def forget_old_update_ids(self) -> None:
        async with self.uow_factory() as uow:
            count = await maintenance.forget_old_update_ids(uow, self.clock)
        logger.info("forgot %s processed update ids", count)

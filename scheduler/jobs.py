"""The jobs the scheduler runs; each opens its own unit of work and calls a service."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from services import maintenance
from services.clock import Clock
from services.container import ServiceConfig, Services
from services.i18n import Texts
from services.notify import OutboxNotifier
from services.reminders import ReminderService
from storage.health import unavailable_dependency
from storage.uow import UnitOfWorkFactory

logger = logging.getLogger(__name__)
J = TypeVar("J", bound="Jobs")


def survives_outages(job: Callable[[J], Awaitable[None]]) -> Callable[[J], Awaitable[None]]:
    """A job that meets a database or Redis outage says so in one warning line (no traceback:
    an outage is not a bug) and leaves the work to its next run, as the sender does. Any other
    error still reaches the scheduler's log as the bug it is."""

    @functools.wraps(job)
    async def guarded(self: J) -> None:
        try:
            await job(self)
        except Exception as error:
            dependency = unavailable_dependency(error)
            if dependency is None:
                raise
            logger.warning(
                "job %s: %s unavailable (%s); the next run retries",
                job.__name__, dependency, type(error).__name__,
            )  # fmt: skip

    return guarded


class Jobs:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        texts: Texts | None = None,
        default_timezone: str = "Europe/Moscow",
        *,
        observe_reminders: Callable[[int, int], None] | None = None,
    ) -> None:
        self.uow_factory = uow_factory
        # (due, sent) of each sweep, for the metrics of the process running the scheduler.
        self.observe_reminders = observe_reminders
        self.clock = clock
        self.texts = texts or Texts()
        self.default_timezone = default_timezone

    @survives_outages
    async def forget_old_update_ids(self) -> None:
        async with self.uow_factory() as uow:
            count = await maintenance.forget_old_update_ids(uow, self.clock)
        logger.info("forgot %s processed update ids", count)

    @survives_outages
    async def sweep_reminders(self) -> None:
        """Plan the team chats' next digests, then deliver every due reminder (in batches)."""
        async with self.uow_factory() as uow:
            service = ReminderService(
                uow,
                self.clock,
                OutboxNotifier(uow.outbox, self.clock),
                self.texts,
                self.default_timezone,
            )
            await service.plan_digests()
            result = await service.sweep_all()
        if self.observe_reminders is not None:
            self.observe_reminders(result.sent + result.postponed + result.cancelled, result.sent)
        if result.sent or result.postponed:
            logger.info(
                "reminders: %s queued, %s postponed to the morning, %s cancelled",
                result.sent,
                result.postponed,
                result.cancelled,
            )

    @survives_outages
    async def sweep_internships(self) -> None:
        """Expire unanswered waitlist offers (offering the seat on) and ask site contacts to
        mark attendance of slots that are over."""
        async with self.uow_factory() as uow:
            services = Services(
                uow, self.clock, self.texts, ServiceConfig(default_timezone=self.default_timezone)
            )
            report = await services.internships.sweep()
        if report.expired or report.attendance_asked:
            logger.info(
                "bookings: %s offers expired, %s seats offered, %s attendance requests",
                report.expired,
                report.offered,
                report.attendance_asked,
            )

    @survives_outages
    async def erase_past_retention(self) -> None:
        """Daily: erase the applicants not accepted whose season's retention period is over.
        Messages nobody; logs counts only."""
        async with self.uow_factory() as uow:
            services = Services(
                uow, self.clock, self.texts, ServiceConfig(default_timezone=self.default_timezone)
            )
            report = await services.retention.sweep()
        logger.info(
            "retention: %s applicants erased, %s kept (accepted in another season)",
            report.erased,
            report.kept,
        )

    @survives_outages
    async def broadcast_progress(self) -> None:
        """Edit the progress messages of the broadcasts being sent; report the finished."""
        async with self.uow_factory() as uow:
            services = Services(
                uow, self.clock, self.texts, ServiceConfig(default_timezone=self.default_timezone)
            )
            await services.broadcast_progress.tick()

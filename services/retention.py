"""Retention: an applicant not accepted is erased the given number of days after the season's
results (`seasons.retention_days_after_results`, 90 by default); an accepted one is kept.

A withdrawn consent needs nothing here: its withdrawal erases the data at once, in the same
transaction (services/applications/privacy.py). The daily job (scheduler/jobs.py) calls
`RetentionService.sweep`; it messages nobody, so quiet hours do not concern it.

The day counts in the season's zone: results published on 1 June local time, with 90 days, are
due on 30 August from local midnight, whatever the UTC time of either. A person accepted in any
season is kept whole, since the erasure (services/privacy.py) is of the person, not of one
application. The log and the audit carry counts and ids only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from services.clock import Clock
from services.i18n import Texts
from services.notify import Notifier
from services.privacy import erase_person
from storage.uow import UnitOfWork

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetentionReport:
    erased: int  # applications whose applicant's data went
    kept: int  # applications past the period kept, their applicant accepted elsewhere


def is_due(published_at: datetime, days: int, now: datetime, timezone: str) -> bool:
    """Whether `days` whole local days have passed since the results, in the season's zone."""
    zone = ZoneInfo(timezone)
    published = published_at if published_at.tzinfo else published_at.replace(tzinfo=UTC)
    due_day = published.astimezone(zone).date() + timedelta(days=days)
    return now.astimezone(zone).date() >= due_day


class RetentionService:
    def __init__(self, uow: UnitOfWork, clock: Clock, notifier: Notifier, texts: Texts) -> None:
        self.uow = uow
        self.clock = clock
        self.notifier = notifier
        self.texts = texts

    async def sweep(self) -> RetentionReport:
        """Erase every applicant past their season's period who was not accepted; commits once."""
        now = self.clock.now()
        erased = kept = 0
        for season_id, published_at in await self.uow.selection.publications():
            season = await self.uow.seasons.get(season_id)
            if season is None or not is_due(
                published_at, season.retention_days_after_results, now, season.timezone
            ):
                continue
            for application in await self.uow.applications.not_accepted_unerased(season_id):
                if await self.uow.applications.has_accepted(application.person_id):
                    kept += 1
                    continue
                await erase_person(self.uow, self.notifier, self.texts, application.person_id, now)
                await self.uow.applications.mark_erased([application.id], now)
                await self.uow.audit.record(
                    now, None, "retention.erase", "application", application.id
                )
                erased += 1
        await self.uow.commit()
        return RetentionReport(erased, kept)

"""What the services that write to people about the current season hold, once."""

from __future__ import annotations

from services.clock import Clock
from services.errors import DomainError
from services.i18n import Texts
from services.notify import Notifier
from storage.models import Season
from storage.uow import UnitOfWork


class NotifyingService:
    """The unit of work, the clock, the outbox notifier, the texts and the zone a season
    without its own falls back to (quiet hours, dates)."""

    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        notifier: Notifier,
        texts: Texts,
        default_timezone: str = "Europe/Moscow",
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.notifier = notifier
        self.texts = texts
        self.default_timezone = default_timezone

    async def current_season(self, missing: DomainError) -> Season:
        """The current season, or `missing` raised: each feature says it in its own words."""
        season = await self.uow.seasons.current()
        if season is None:
            raise missing
        return season

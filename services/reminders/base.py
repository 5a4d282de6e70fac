"""What every reminders use case shares: the service's state, the season's policy, names."""

from __future__ import annotations

from services.clock import Clock
from services.i18n import Texts
from services.notify import Notifier
from services.reminders.policy import ReminderPolicy
from storage.uow import UnitOfWork


class ReminderBase:
    """The service's state and the season policies its use cases share."""

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
        self._policies: dict[int, ReminderPolicy] = {}

    async def policy_for(self, season_id: int) -> ReminderPolicy:
        if season_id not in self._policies:
            season = await self.uow.seasons.get(season_id)
            zone = season.timezone if season and season.timezone else self.default_timezone
            settings = await self.uow.plan_settings.get(season_id)
            self._policies[season_id] = ReminderPolicy.from_settings(zone, settings)
        return self._policies[season_id]

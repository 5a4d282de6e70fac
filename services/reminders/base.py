"""What every reminders use case shares: the service's state, the season's policy, names."""

from __future__ import annotations

from services.clock import Clock
from services.i18n import Texts
from services.notify import Notifier
from services.reminders.policy import ReminderPolicy
from storage.uow import UnitOfWork


async def season_policy(
    uow: UnitOfWork, season_id: int, default_timezone: str = "Europe/Moscow"
) -> ReminderPolicy:
    """The season's reminder policy — its quiet hours, in its zone (the default zone when it
    names none): what every message that may reach a child at night is timed by."""
    season = await uow.seasons.get(season_id)
    zone = season.timezone if season and season.timezone else default_timezone
    return ReminderPolicy.from_settings(zone, await uow.plan_settings.get(season_id))


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
            self._policies[season_id] = await season_policy(
                self.uow, season_id, self.default_timezone
            )
        return self._policies[season_id]

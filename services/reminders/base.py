"""What every reminders use case shares: the service's state, the season's policy, names."""

from __future__ import annotations

from services.clock import Clock
from services.i18n import Texts
from services.notify import Notifier
from services.notifying import NotifyingService
from services.questionnaire.groups import AgeGroup
from services.reminders.policy import ReminderPolicy
from storage.uow import UnitOfWork

# The age groups under the adult age (services/questionnaire/groups.py): whom a parent consents
# for, and whose messages from the office wait for the end of quiet hours.
MINOR_GROUPS = tuple(group.value for group in AgeGroup if group.asks_representative)


async def season_policy(
    uow: UnitOfWork, season_id: int, default_timezone: str = "Europe/Moscow"
) -> ReminderPolicy:
    """The season's reminder policy — its quiet hours, in its zone (the default zone when it
    names none): what every message that may reach a child at night is timed by."""
    season = await uow.seasons.get(season_id)
    zone = season.timezone if season and season.timezone else default_timezone
    return ReminderPolicy.from_settings(zone, await uow.plan_settings.get(season_id))


async def season_minors(uow: UnitOfWork, season_id: int) -> set[int]:
    """The people the season's applications say are under the adult age: an office's message
    to them (results, a certificate, a survey) waits for the end of quiet hours, an adult's and
    one to a person without an application (a mentor, a juror) goes at once."""
    return await uow.broadcasts.minors(season_id, MINOR_GROUPS)


class ReminderBase(NotifyingService):
    """The service's state and the season policies its use cases share."""

    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        notifier: Notifier,
        texts: Texts,
        default_timezone: str = "Europe/Moscow",
    ) -> None:
        super().__init__(uow, clock, notifier, texts, default_timezone)
        self._policies: dict[int, ReminderPolicy] = {}

    async def policy_for(self, season_id: int) -> ReminderPolicy:
        if season_id not in self._policies:
            self._policies[season_id] = await season_policy(
                self.uow, season_id, self.default_timezone
            )
        return self._policies[season_id]

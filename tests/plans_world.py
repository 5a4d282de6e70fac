"""A small programme for the ИУП tests: a season in a time zone, one team with a mentor, a tutor
and students, and helpers to act as any of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete

from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.domain import TeamRole
from services.i18n import Texts
from services.people import Identity
from storage.models import OutgoingMessage, Season
from storage.uow import UnitOfWorkFactory

TEXTS = Texts()
MENTOR, TUTOR, STUDENT, STUDENT2, OUTSIDER, OTHER_TUTOR = 201, 202, 301, 302, 401, 203


@dataclass
class World:
    uow_factory: UnitOfWorkFactory
    clock: FixedClock
    season_id: int
    team_id: int
    other_team_id: int

    async def me(self, tg_id: int) -> Identity:
        async with self.uow_factory() as uow:
            return await Services(uow, self.clock, TEXTS, ServiceConfig()).people.identify(
                tg_id, "ru"
            )

    async def person_id(self, tg_id: int) -> int:
        return (await self.me(tg_id)).person_id


def services(uow, clock: FixedClock) -> Services:  # type: ignore[no-untyped-def]
    return Services(uow, clock, TEXTS, ServiceConfig())


async def build_world(
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    timezone: str = "Europe/Moscow",
    chat_id: int | None = -100500,
) -> World:
    """Season «s1» in `timezone`; team «alpha» (mentor 201, tutor 202, students 301 and 302,
    chat `chat_id`); team «beta» (tutor 203, no students)."""
    async with uow_factory() as uow:
        await uow.seasons.add(
            Season(
                code="s1",
                name="Набор 2026",
                region="Регион",
                timezone=timezone,
                created_at=clock.now(),
            )
        )
        await uow.commit()
    async with uow_factory() as uow:
        teams = services(uow, clock).teams
        alpha = await teams.create_team("Альфа", code="alpha")
        beta = await teams.create_team("Бета", code="beta")
        for tg_id, role in (
            (MENTOR, TeamRole.MENTOR),
            (TUTOR, TeamRole.TUTOR),
            (STUDENT, TeamRole.STUDENT),
            (STUDENT2, TeamRole.STUDENT),
        ):
            await teams.add_member("alpha", tg_id, role)
        await teams.add_member("beta", OTHER_TUTOR, TeamRole.TUTOR)
        if chat_id is not None:
            await teams.bind_chat("alpha", chat_id)
        # The menu refreshes of the set-up are not what the tests look at.
        await uow.session.execute(delete(OutgoingMessage))
        await uow.commit()
        return World(uow_factory, clock, alpha.season_id, alpha.id, beta.id)


def local(timezone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(timezone))  # type: ignore[misc]

"""Shared by the defence tests: the example season, two teams with students and a mentor, the
office, and two defence sessions set up from the YAML-shaped section (`DefenceService.setup`):
three jurors and both teams in session A, one juror and no team in session B.

Each student has an accepted application whose age group says whether a message to them may
wait for the end of quiet hours: adults by default, so what a test sees does not depend on the
hour it runs at; `ages` makes some of them minors ("teen", "child") for the tests of the night."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from services.clock import Clock
from services.container import ServiceConfig, Services
from services.domain import ApplicationStatus, Role, TeamRole
from storage.models import Team
from storage.uow import UnitOfWork, UnitOfWorkFactory
from tests.example_season import import_example
from tests.texts import TEXTS

OFFICE = 9500
JURORS_A = (9501, 9502, 9503)
JUROR_B = 9504
MENTOR = 9510
TEAM_ONE = (9521, 9522)
TEAM_TWO = (9531, 9532)

SETUP = {
    "criteria": [
        {"code": "idea", "title": "Идея и актуальность", "weight": 2},
        {"code": "result", "title": "Результат", "weight": 1},
        {"code": "talk", "title": "Выступление", "weight": 1},
    ],
    "sessions": [
        {
            "code": "A",
            "place": "Актовый зал",
            "starts_at": "2027-05-20T10:00:00+03:00",
            # The reminder a day before falls at 03:30 in the season's zone (UTC+7): quiet hours.
            "presentation_due": "2027-05-19T23:30:00+03:00",
            "jurors": list(JURORS_A),
            "teams": [
                {"team": "alpha", "at": "2027-05-20T10:00:00+03:00"},
                {"team": "beta", "at": "2027-05-20T10:20:00+03:00"},
            ],
        },
        {
            "code": "B",
            "place": "Ауд. 101",
            "starts_at": "2027-05-21T10:00:00+03:00",
            "jurors": [JUROR_B],
            "teams": [],
        },
    ],
}


@dataclass
class DefenceWorld:
    season_id: int
    teams: dict[str, int]  # code -> id
    people: dict[int, int]  # messenger id -> person id


async def accept(
    uow: UnitOfWork, person_id: int, season_id: int, age_group: str, now: datetime
) -> None:
    """An accepted application of the person's, with the age group they answered."""
    application, _ = await uow.applications.ensure(person_id, season_id, now)
    await uow.applications.set_role(application.id, Role.STUDENT, now)
    await uow.applications.save_answer(application.id, "age_group", age_group, now)
    await uow.applications.transition(
        application.id, [ApplicationStatus.DRAFT], ApplicationStatus.ACCEPTED, now
    )


async def build_defence_world(
    factory: UnitOfWorkFactory,
    clock: Clock,
    *,
    setup: bool = True,
    ages: Mapping[int, str] | None = None,
) -> DefenceWorld:
    """The season, the office, the mentor and the two teams, each student accepted with the
    age group `ages` gives (adult otherwise); with `setup` also `SETUP` loaded (the e2e loads it
    through `python -m bot defence import` instead)."""
    await import_example(factory, clock)
    now = clock.now()
    people: dict[int, int] = {}
    teams: dict[str, int] = {}
    async with factory() as uow:
        season = await uow.seasons.current()
        assert season is not None
        office = await uow.people.ensure(OFFICE, "ru", now)
        await uow.people.grant(office.id, Role.OFFICE, None, now)
        people[OFFICE] = office.id
        mentor = await uow.people.ensure(MENTOR, "ru", now)
        await uow.people.grant(mentor.id, Role.MENTOR, season.id, now)
        people[MENTOR] = mentor.id
        for code, name, members in (("alpha", "Альфа", TEAM_ONE), ("beta", "Бета", TEAM_TWO)):
            team = Team(season_id=season.id, name=name, code=code, created_at=now)
            await uow.teams.add(team)
            teams[code] = team.id
            await uow.teams.add_member(team.id, mentor.id, TeamRole.MENTOR, now)
            for tg_id in members:
                person = await uow.people.ensure(tg_id, "ru", now)
                await uow.people.grant(person.id, Role.STUDENT, season.id, now)
                await uow.teams.add_member(team.id, person.id, TeamRole.STUDENT, now)
                await accept(uow, person.id, season.id, (ages or {}).get(tg_id, "adult"), now)
                people[tg_id] = person.id
        await uow.commit()
        season_id = season.id
    if not setup:
        return DefenceWorld(season_id, teams, people)
    async with factory() as uow:
        services = Services(uow, clock, TEXTS, ServiceConfig())
        await services.defence.setup(SETUP)
    async with factory() as uow:
        for tg_id in (*JURORS_A, JUROR_B):
            person = await uow.people.by_tg_id(tg_id)
            assert person is not None
            people[tg_id] = person.id
    return DefenceWorld(season_id, teams, people)


def now_utc() -> datetime:
    return datetime.now(UTC)

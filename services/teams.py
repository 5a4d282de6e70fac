"""Project teams, minimal: create a team, add members, bind its chat, and who tutors whom.

The teams issue forms teams from selection results; until then the office uses the CLI
(`python -m bot team ...`) and the ИУП feature uses the queries here.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from services.clock import Clock
from services.errors import DomainError, NotFound
from services.notify import Notifier
from storage.models import Person, Role, Team, TeamRole
from storage.uow import UnitOfWork

TEAM_ROLE_TO_ROLE = {
    TeamRole.MENTOR: Role.MENTOR,
    TeamRole.TUTOR: Role.TUTOR,
    TeamRole.STUDENT: Role.STUDENT,
}
_CODE = re.compile(r"^[a-z0-9_-]{2,32}$")


class TeamUnknown(NotFound):
    key = "team-unknown"


@dataclass(frozen=True)
class Member:
    person: Person
    role: TeamRole


class TeamService:
    def __init__(self, uow: UnitOfWork, clock: Clock, notifier: Notifier) -> None:
        self.uow = uow
        self.clock = clock
        self.notifier = notifier

    async def create_team(
        self, name: str, *, season_code: str | None = None, code: str | None = None
    ) -> Team:
        name = name.strip()
        if not 1 <= len(name) <= 200:
            raise DomainError("team-bad-name")
        season = await (
            self.uow.seasons.by_code(season_code) if season_code else self.uow.seasons.current()
        )
        if season is None:
            raise (
                NotFound("season-unknown", code=season_code)
                if season_code
                else NotFound("team-no-season")
            )
        code = (code or secrets.token_hex(3)).lower()
        if not _CODE.match(code):
            raise DomainError("team-bad-code")
        if await self.uow.teams.by_code(code) is not None:
            raise DomainError("team-code-taken", code=code)
        team = await self.uow.teams.add(
            Team(season_id=season.id, name=name, code=code, created_at=self.clock.now())
        )
        await self.uow.commit()
        return team

    async def add_member(self, code: str, tg_id: int, role: TeamRole) -> Person:
        """Add a person (by Telegram id; registered now if they never wrote) to a team, and
        grant them the matching seasonal role."""
        team = await self._team(code)
        now = self.clock.now()
        person = await self.uow.people.ensure(tg_id, "ru", now)
        await self.uow.teams.add_member(team.id, person.id, role, now)
        if await self.uow.people.grant(person.id, TEAM_ROLE_TO_ROLE[role], team.season_id, now):
            roles = {r for r, _ in await self.uow.people.roles_of(person.id)}
            await self.notifier.refresh_menu(tg_id, frozenset(roles))
        await self.uow.audit.record(
            now, None, "team.add_member", "team", team.id, person_id=person.id, role=role
        )
        await self.uow.commit()
        return person

    async def bind_chat(self, code: str, chat_id: int) -> Team:
        team = await self._team(code)
        await self.uow.teams.set_chat(team.id, chat_id)
        await self.uow.audit.record(self.clock.now(), None, "team.bind_chat", "team", team.id)
        await self.uow.commit()
        team.chat_id = chat_id
        return team

    async def members(self, team_id: int, role: TeamRole | None = None) -> list[Member]:
        return [
            Member(person, member.role)
            for member, person in await self.uow.teams.members(team_id, role)
        ]

    async def tutors_of(self, student_id: int) -> list[int]:
        """Person ids of the tutors of every team the student is in."""
        tutors: list[int] = []
        for membership in await self.uow.teams.memberships_of(student_id):
            if membership.role is not TeamRole.STUDENT:
                continue
            for member, _ in await self.uow.teams.members(membership.team_id, TeamRole.TUTOR):
                if member.person_id not in tutors:
                    tutors.append(member.person_id)
        return tutors

    async def _team(self, code: str) -> Team:
        team = await self.uow.teams.by_code(code.lower())
        if team is None:
            raise TeamUnknown(code=code)
        return team

"""Project teams: forming them, the office's changes to the roster, /team, who tutors whom.

`form_team` is what publishing selection results calls (idempotent); the office also uses the
CLI (`python -m bot team create|add|move|remove`). Roster changes reach the team chat and the
chat itself (invite links, removals) through services/chat_outbox.py.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from services.chat_outbox import ChatOutbox
from services.clock import Clock
from services.domain import Messenger, Role, TeamRole
from services.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound
from services.i18n import Texts
from services.notify import Notifier
from services.people import Identity, display_name
from services.reminders.base import season_minors, season_policy
from services.text_fit import trim, visible_length
from storage.models import Person, Team, TeamMember
from storage.uow import UnitOfWork

TEAM_ROLE_TO_ROLE = {
    TeamRole.MENTOR: Role.MENTOR,
    TeamRole.TUTOR: Role.TUTOR,
    TeamRole.STUDENT: Role.STUDENT,
}
_CODE = re.compile(r"^[a-z0-9_-]{2,32}$")


class TeamUnknown(NotFound):
    key = "team-unknown"


ROLE_ORDER = {TeamRole.MENTOR: 0, TeamRole.TUTOR: 1, TeamRole.STUDENT: 2}


@dataclass(frozen=True)
class Member:
    person: Person
    role: TeamRole


@dataclass(frozen=True)
class RosterLine:
    role: TeamRole
    name: str
    contact: str | None
    is_me: bool


@dataclass(frozen=True)
class Roster:
    team: Team
    my_role: TeamRole
    lines: list[RosterLine]
    sharing: bool  # whether I show my contact to the team

    @property
    def is_staff(self) -> bool:
        return self.my_role in (TeamRole.MENTOR, TeamRole.TUTOR)


class TeamService:
    def __init__(
        self, uow: UnitOfWork, clock: Clock, notifier: Notifier, texts: Texts | None = None
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.notifier = notifier
        self.texts = texts or Texts()
        self.chat = ChatOutbox(uow, clock, notifier, self.texts)
        self._minors: dict[int, set[int]] = {}  # season id -> its minors, read once per action

    async def create_team(
        self, name: str, *, season_code: str | None = None, code: str | None = None
    ) -> Team:
        name = trim(name)
        if not visible_length(name) or len(name) > 200:
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
        team = await self._new_team(name, season.id, code)
        await self.uow.commit()
        return team

    async def _new_team(
        self, name: str, season_id: int, code: str | None, source_key: str | None = None
    ) -> Team:
        if code is None:
            code = secrets.token_hex(3)
            while await self.uow.teams.by_code(code) is not None:
                code = secrets.token_hex(3)
        code = code.lower()
        if not _CODE.match(code):
            raise DomainError("team-bad-code")
        if await self.uow.teams.by_code(code) is not None:
            raise DomainError("team-code-taken", code=code)
        return await self.uow.teams.add(
            Team(
                season_id=season_id,
                name=name,
                code=code,
                source_key=source_key,
                created_at=self.clock.now(),
            )
        )

    async def form_team(
        self,
        name: str,
        *,
        season_id: int,
        source_key: str,
        mentor_id: int,
        tutor_ids: list[int],
        student_ids: list[int],
        actor_id: int | None = None,
        commit: bool = True,
    ) -> Team:
        """Form (or complete) the team of one idea: its mentor, accepted tutors and students.

        Idempotent: the team is found again by `source_key` (for example `idea:12`), and a person
        who already has a place in it (even one the office removed since) is not added again.
        `commit=False` leaves the commit to the caller (publishing results forms every team in
        its own one transaction).
        """
        name = trim(name)
        if not visible_length(name) or len(name) > 200:
            raise DomainError("team-bad-name")
        team = await self.uow.teams.by_source(season_id, source_key)
        if team is None:
            team = await self._new_team(name, season_id, None, source_key)
        wanted = [(mentor_id, TeamRole.MENTOR)]
        wanted += [(pid, TeamRole.TUTOR) for pid in tutor_ids]
        wanted += [(pid, TeamRole.STUDENT) for pid in student_ids]
        for person_id, role in wanted:
            if await self.uow.teams.member(team.id, person_id, active=False) is not None:
                continue
            person = await self.uow.people.get(person_id)
            if person is None:
                raise NotFound()
            await self._join(team, person, role, actor_id)
        if commit:
            await self.uow.commit()
        return team

    async def add_member(self, code: str, tg_id: int, role: TeamRole) -> Person:
        """Add a person (by Telegram id; registered now if they never wrote) to a team, and
        grant them the matching seasonal role."""
        team = await self._team(code)
        person = await self.uow.people.ensure(tg_id, "ru", self.clock.now())
        await self._join(team, person, role, None)
        await self.uow.commit()
        return person

    async def _join(
        self, team: Team, person: Person, role: TeamRole, actor_id: int | None
    ) -> TeamMember:
        now = self.clock.now()
        await self.uow.teams.add_member(team.id, person.id, role, now)
        member = await self.uow.teams.member(team.id, person.id)
        assert member is not None
        if await self.uow.people.grant(person.id, TEAM_ROLE_TO_ROLE[role], team.season_id, now):
            roles = {r for r, _ in await self.uow.people.roles_of(person.id)}
            await self.notifier.refresh_menu(person, frozenset(roles))
        await self.uow.audit.record(
            now, actor_id, "team.add_member", "team", team.id, person_id=person.id, role=role
        )
        await self.notifier.send_text(
            person,
            self.texts.get("team-you-joined", person.language, team=team.name),
            person_id=person.id,
            not_before=await self._when(person.id, team.season_id),
        )
        await self.chat.post(
            team,
            "team-chat-member-added",
            name=display_name(person, self.texts),
            role=self.texts.get(f"team-role-{role.value}"),
        )
        await self.chat.invite(team, member, person)
        return member

    async def _when(self, person_id: int, season_id: int) -> datetime:
        """Now, or for a minor the end of the season's quiet hours: teams formed when the
        office publishes late tell a child in the morning, after their result."""
        now = self.clock.now()
        if season_id not in self._minors:
            self._minors[season_id] = await season_minors(self.uow, season_id)
        if person_id not in self._minors[season_id]:
            return now
        return (await season_policy(self.uow, season_id)).outside_quiet_hours(now)

    async def move_member(self, tg_id: int, from_code: str, to_code: str) -> Person:
        """The office moves a person to another team, keeping their role."""
        source, target = await self._team(from_code), await self._team(to_code)
        if source.id == target.id:
            raise InvalidInput("team-move-same")
        person = await self.uow.people.by_tg_id(tg_id)
        member = await self.uow.teams.member(source.id, person.id) if person else None
        if person is None or member is None:
            raise NotFound("team-not-member", code=source.code)
        if await self.uow.teams.member(target.id, person.id) is not None:
            raise Conflict("team-already-member", code=target.code)
        await self._leave(source, person)
        await self._join(target, person, member.role, None)
        await self.uow.audit.record(
            self.clock.now(), None, "team.move_member", "team", target.id,
            person_id=person.id, from_team=source.id,
        )  # fmt: skip
        await self.uow.commit()
        return person

    async def remove_member(self, code: str, tg_id: int) -> Person:
        """The office removes a person from a team (and so from its chat)."""
        team = await self._team(code)
        person = await self.uow.people.by_tg_id(tg_id)
        if person is None or await self.uow.teams.member(team.id, person.id) is None:
            raise NotFound("team-not-member", code=team.code)
        await self._leave(team, person)
        now = self.clock.now()
        await self.uow.audit.record(
            now, None, "team.remove_member", "team", team.id, person_id=person.id
        )
        await self.notifier.send_text(
            person,
            self.texts.get("team-you-removed", person.language, team=team.name),
            person_id=person.id,
        )
        await self.uow.commit()
        return person

    async def _leave(self, team: Team, person: Person) -> None:
        if not await self.uow.teams.leave(team.id, person.id, self.clock.now()):
            return
        await self.chat.remove(team, person)
        await self.chat.post(
            team, "team-chat-member-removed", name=display_name(person, self.texts)
        )

    async def forget_member(self, person_id: int) -> int:
        """The person asked to be forgotten: every membership ends and each team's chat is told
        only that a member left, with no name (the name is about to be erased). Does not
        commit: the /forget use case does, once."""
        person = await self.uow.people.get(person_id)
        if person is None:
            return 0
        left = 0
        for team, _ in await self.uow.teams.teams_of(person_id):
            if not await self.uow.teams.leave(team.id, person_id, self.clock.now()):
                continue
            left += 1
            await self.chat.remove(team, person)
            await self.chat.post(team, "team-chat-member-forgotten")
        return left

    # /team.

    async def my_teams(self, me: Identity) -> list[Team]:
        return [team for team, _ in await self.uow.teams.teams_of(me.person_id)]

    async def roster(self, me: Identity, team_id: int) -> Roster:
        """The team's people, mentor and tutors first; a contact only where its owner agreed."""
        team = await self.uow.teams.get(team_id)
        my_role = await self.uow.teams.role_in(team_id, me.person_id)
        if team is None or my_role is None:
            raise NotAllowed()
        rows = sorted(
            await self.uow.teams.members(team_id),
            key=lambda row: (ROLE_ORDER[row[0].role], row[0].id),
        )
        lines = [
            RosterLine(
                role=member.role,
                name=display_name(person, self.texts, me.language),
                contact=f"@{person.username}" if member.share_contact and person.username else None,
                is_me=person.id == me.person_id,
            )
            for member, person in rows
        ]
        sharing = any(m.share_contact for m, p in rows if p.id == me.person_id)
        return Roster(team, my_role, lines, sharing)

    async def set_share_contact(
        self, me: Identity, team_id: int, share: bool, username: str | None
    ) -> Roster:
        """The member's own choice to show their Telegram @username to the team."""
        if await self.uow.teams.member(team_id, me.person_id) is None:
            raise NotAllowed()
        if share and not username:
            raise DomainError("team-share-no-username")
        person = await self.uow.people.get(me.person_id)
        assert person is not None
        now = self.clock.now()
        if share and person.username != username:
            await self.uow.people.set_profile(person.id, person.full_name, username, now)
            person.username = username
        if await self.uow.teams.set_share_contact(team_id, me.person_id, share):
            await self.uow.audit.record(
                now, me.person_id, "team.share_contact", "team", team_id, share=share
            )
            await self.uow.commit()
        return await self.roster(me, team_id)

    async def bind_chat(
        self, code: str, chat_id: int, messenger: Messenger = Messenger.TELEGRAM
    ) -> Team:
        """The office binds a chat directly (no rights check, no invitations): set-up and tests."""
        team = await self._team(code)
        await self.uow.teams.set_chat(team.id, chat_id, messenger)
        await self.uow.audit.record(self.clock.now(), None, "team.bind_chat", "team", team.id)
        await self.uow.commit()
        team.chat_id, team.chat_messenger = chat_id, messenger
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

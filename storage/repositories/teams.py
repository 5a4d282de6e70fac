"""Teams, their chats and members (minimal; the teams issue extends this)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Person, Team, TeamMember, TeamRole
from storage.sql import insert_for, rowcount


class TeamsRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, team: Team) -> Team:
        self.session.add(team)
        await self.session.flush()
        return team

    async def get(self, team_id: int) -> Team | None:
        return await self.session.get(Team, team_id)

    async def by_code(self, code: str) -> Team | None:
        return await self.session.scalar(select(Team).where(Team.code == code))

    async def by_ids(self, team_ids: Iterable[int]) -> dict[int, Team]:
        ids = set(team_ids)
        if not ids:
            return {}
        rows = await self.session.scalars(select(Team).where(Team.id.in_(ids)))
        return {team.id: team for team in rows}

    async def in_season(self, season_id: int, limit: int = 50) -> list[Team]:
        rows = await self.session.scalars(
            select(Team).where(Team.season_id == season_id).order_by(Team.name).limit(limit)
        )
        return list(rows)

    async def with_chat(self) -> list[Team]:
        rows = await self.session.scalars(
            select(Team).where(Team.chat_id.is_not(None)).order_by(Team.id)
        )
        return list(rows)

    async def set_chat(self, team_id: int, chat_id: int | None) -> bool:
        result = await self.session.execute(
            update(Team).where(Team.id == team_id).values(chat_id=chat_id)
        )
        return bool(rowcount(result))

    async def add_member(self, team_id: int, person_id: int, role: TeamRole, now: datetime) -> None:
        """Add (or bring back, or change the role of) a member."""
        statement = insert_for(self.session, TeamMember).values(
            team_id=team_id, person_id=person_id, role=role, joined_at=now, left_at=None
        )
        statement = statement.on_conflict_do_update(
            index_elements=["team_id", "person_id"],
            set_={"role": statement.excluded.role, "left_at": None},
        )
        await self.session.execute(statement)

    async def memberships_of(self, person_id: int) -> list[TeamMember]:
        rows = await self.session.scalars(
            select(TeamMember)
            .where(TeamMember.person_id == person_id, TeamMember.left_at.is_(None))
            .order_by(TeamMember.team_id)
        )
        return list(rows)

    async def members(
        self, team_id: int, role: TeamRole | None = None
    ) -> list[tuple[TeamMember, Person]]:
        statement = (
            select(TeamMember, Person)
            .join(Person, Person.id == TeamMember.person_id)
            .where(TeamMember.team_id == team_id, TeamMember.left_at.is_(None))
            .order_by(TeamMember.id)
        )
        if role is not None:
            statement = statement.where(TeamMember.role == role)
        rows = await self.session.execute(statement)
        return [(member, person) for member, person in rows]

    async def role_in(self, team_id: int, person_id: int) -> TeamRole | None:
        return await self.session.scalar(
            select(TeamMember.role).where(
                TeamMember.team_id == team_id,
                TeamMember.person_id == person_id,
                TeamMember.left_at.is_(None),
            )
        )

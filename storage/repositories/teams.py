"""Teams, their chats and members: queries and conditional updates (never commits)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.domain import ChatState, Messenger, TeamRole
from storage.models import Account, Person, Team, TeamMember
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

    async def set_chat(
        self, team_id: int, chat_id: int | None, messenger: Messenger = Messenger.TELEGRAM
    ) -> bool:
        result = await self.session.execute(
            update(Team).where(Team.id == team_id).values(chat_id=chat_id, chat_messenger=messenger)
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

    async def by_chat(self, chat_id: int, messenger: Messenger = Messenger.TELEGRAM) -> Team | None:
        return await self.session.scalar(
            select(Team).where(Team.chat_id == chat_id, Team.chat_messenger == messenger)
        )

    async def by_source(self, season_id: int, source_key: str) -> Team | None:
        return await self.session.scalar(
            select(Team).where(Team.season_id == season_id, Team.source_key == source_key)
        )

    async def bind_chat(
        self,
        team_id: int,
        chat_id: int,
        title: str | None,
        now: datetime,
        messenger: Messenger = Messenger.TELEGRAM,
    ) -> bool:
        """Bind the team to the group unless it is bound to it already."""
        result = await self.session.execute(
            update(Team)
            .where(
                Team.id == team_id,
                (Team.chat_id.is_(None))
                | (Team.chat_id != chat_id)
                | (Team.chat_messenger != messenger),
            )
            .values(chat_id=chat_id, chat_title=title, chat_bound_at=now, chat_messenger=messenger)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def unbind_chat(self, team_id: int, chat_id: int) -> bool:
        """Clear the team's chat if it is still bound to this group (false on a replay)."""
        result = await self.session.execute(
            update(Team)
            .where(Team.id == team_id, Team.chat_id == chat_id)
            .values(chat_id=None, chat_title=None, chat_bound_at=None)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def migrate_chat(self, old_chat_id: int, new_chat_id: int) -> list[int]:
        """A group became a supergroup: its team follows it. Returns the teams moved."""
        rows = await self.session.scalars(
            update(Team)
            .where(Team.chat_id == old_chat_id, Team.chat_messenger == Messenger.TELEGRAM)
            .values(chat_id=new_chat_id)
            .returning(Team.id)
            .execution_options(synchronize_session=False)
        )
        return list(rows)

    async def member(
        self, team_id: int, person_id: int, *, active: bool = True
    ) -> TeamMember | None:
        statement = select(TeamMember).where(
            TeamMember.team_id == team_id, TeamMember.person_id == person_id
        )
        if active:
            statement = statement.where(TeamMember.left_at.is_(None))
        return await self.session.scalar(statement.execution_options(populate_existing=True))

    async def member_by_account(
        self, team_id: int, messenger: Messenger, user_id: int
    ) -> tuple[TeamMember, Person] | None:
        """An active member by their account on `messenger` (a MAX user id, say)."""
        row = (
            await self.session.execute(
                select(TeamMember, Person)
                .join(Person, Person.id == TeamMember.person_id)
                .join(Account, Account.person_id == Person.id)
                .where(
                    TeamMember.team_id == team_id,
                    Account.messenger == messenger,
                    Account.user_id == user_id,
                    TeamMember.left_at.is_(None),
                )
                .execution_options(populate_existing=True)
            )
        ).first()
        return (row[0], row[1]) if row is not None else None

    async def member_by_tg(self, team_id: int, tg_id: int) -> tuple[TeamMember, Person] | None:
        row = (
            await self.session.execute(
                select(TeamMember, Person)
                .join(Person, Person.id == TeamMember.person_id)
                .where(
                    TeamMember.team_id == team_id,
                    Person.tg_id == tg_id,
                    TeamMember.left_at.is_(None),
                )
                .execution_options(populate_existing=True)
            )
        ).first()
        return (row[0], row[1]) if row is not None else None

    async def leave(self, team_id: int, person_id: int, now: datetime) -> bool:
        result = await self.session.execute(
            update(TeamMember)
            .where(
                TeamMember.team_id == team_id,
                TeamMember.person_id == person_id,
                TeamMember.left_at.is_(None),
            )
            .values(left_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def set_chat_state(
        self,
        team_id: int,
        person_id: int,
        state: ChatState,
        *,
        only_from: set[ChatState | None] | None = None,
        invite_link: str | None = None,
    ) -> bool:
        statement = update(TeamMember).where(
            TeamMember.team_id == team_id, TeamMember.person_id == person_id
        )
        if only_from is not None:
            known = [s for s in only_from if s is not None]
            if None in only_from:
                statement = statement.where(
                    or_(TeamMember.chat_state.in_(known), TeamMember.chat_state.is_(None))
                )
            else:
                statement = statement.where(TeamMember.chat_state.in_(known))
        values: dict[str, object] = {"chat_state": state}
        if invite_link is not None:
            values["invite_link"] = invite_link
        result = await self.session.execute(
            statement.values(**values).execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def reset_chat_states(self, team_id: int) -> None:
        await self.session.execute(
            update(TeamMember)
            .where(TeamMember.team_id == team_id)
            .values(chat_state=None, invite_link=None)
            .execution_options(synchronize_session=False)
        )

    async def save_invite_link(self, member_id: int, link: str) -> None:
        await self.session.execute(
            update(TeamMember)
            .where(TeamMember.id == member_id)
            .values(invite_link=link)
            .execution_options(synchronize_session=False)
        )

    async def erase_member_contact(self, person_id: int) -> None:
        """The person's invite links and their consent to show their username go."""
        await self.session.execute(
            update(TeamMember)
            .where(TeamMember.person_id == person_id)
            .values(invite_link=None, share_contact=False)
            .execution_options(synchronize_session=False)
        )

    async def set_share_contact(self, team_id: int, person_id: int, share: bool) -> bool:
        result = await self.session.execute(
            update(TeamMember)
            .where(
                TeamMember.team_id == team_id,
                TeamMember.person_id == person_id,
                TeamMember.left_at.is_(None),
                TeamMember.share_contact.is_not(share),
            )
            .values(share_contact=share)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def teams_of(
        self, person_id: int, roles: Iterable[TeamRole] | None = None
    ) -> list[tuple[Team, TeamRole]]:
        statement = (
            select(Team, TeamMember.role)
            .join(TeamMember, TeamMember.team_id == Team.id)
            .where(TeamMember.person_id == person_id, TeamMember.left_at.is_(None))
            .order_by(Team.name, Team.id)
        )
        if roles is not None:
            statement = statement.where(TeamMember.role.in_(list(roles)))
        rows = await self.session.execute(statement)
        return [(team, role) for team, role in rows]

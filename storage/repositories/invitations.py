"""One-time role invitations: claiming, revoking, and what the office lists."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Invitation, ProjectIdea, Season
from storage.sql import rowcount


class InvitationsRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, invitation: Invitation) -> Invitation:
        self.session.add(invitation)
        await self.session.flush()
        return invitation

    async def get(self, invitation_id: int, *, fresh: bool = False) -> Invitation | None:
        statement = select(Invitation).where(Invitation.id == invitation_id)
        if fresh:  # re-read what another transaction may have just written
            statement = statement.execution_options(populate_existing=True)
        return await self.session.scalar(statement)

    async def erase_labels_used_by(self, person_id: int) -> None:
        """A used invitation's label may name whoever it was made for; once used it has served."""
        await self.session.execute(
            update(Invitation)
            .where(Invitation.used_by == person_id)
            .values(label=None)
            .execution_options(synchronize_session=False)
        )

    async def by_code(self, code: str, *, fresh: bool = False) -> Invitation | None:
        statement = select(Invitation).where(Invitation.code == code)
        if fresh:
            statement = statement.execution_options(populate_existing=True)
        return await self.session.scalar(statement)

    async def claim(self, code: str, person_id: int, now: datetime) -> bool:
        """Mark the invitation used by this person if nobody has used it, the office has not
        revoked it and it is in date.

        A conditional update: of two people (or two taps) racing for one code exactly one wins.
        """
        result = await self.session.execute(
            update(Invitation)
            .where(
                Invitation.code == code,
                Invitation.used_at.is_(None),
                Invitation.revoked_at.is_(None),
                or_(Invitation.expires_at.is_(None), Invitation.expires_at > now),
            )
            .values(used_at=now, used_by=person_id)
        )
        return bool(rowcount(result))

    async def revoke(self, invitation_id: int, now: datetime) -> bool:
        """Switch an unused link off; False when it was used or revoked meanwhile (a double
        tap, or somebody opened it first)."""
        result = await self.session.execute(
            update(Invitation)
            .where(
                Invitation.id == invitation_id,
                Invitation.used_at.is_(None),
                Invitation.revoked_at.is_(None),
            )
            .values(revoked_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def open(self, now: datetime) -> list[tuple[Invitation, Season | None, str | None]]:
        """Links that still grant their role, soonest to expire first, with their season and,
        for an idea's mentor link, the idea's title."""
        rows = await self.session.execute(
            select(Invitation, Season, ProjectIdea.title)
            .outerjoin(Season, Season.id == Invitation.season_id)
            .outerjoin(ProjectIdea, ProjectIdea.mentor_invitation_id == Invitation.id)
            .where(
                Invitation.used_at.is_(None),
                Invitation.revoked_at.is_(None),
                or_(Invitation.expires_at.is_(None), Invitation.expires_at > now),
            )
            .order_by(Invitation.expires_at.is_(None), Invitation.expires_at, Invitation.id)
            .execution_options(populate_existing=True)
        )
        return [(invitation, season, title) for invitation, season, title in rows]

    async def idea_of(self, invitation_id: int) -> ProjectIdea | None:
        """The idea this link makes its holder the mentor of, if it is an idea's link."""
        return await self.session.scalar(
            select(ProjectIdea).where(ProjectIdea.mentor_invitation_id == invitation_id).limit(1)
        )

    async def mentored_ideas(self, person_ids: Iterable[int]) -> dict[tuple[int, int], list[str]]:
        """(person id, season id) -> titles of the active ideas whose mentor link they opened."""
        ids = list(set(person_ids))
        if not ids:
            return {}
        rows = await self.session.execute(
            select(Invitation.used_by, ProjectIdea.season_id, ProjectIdea.title)
            .join(ProjectIdea, ProjectIdea.mentor_invitation_id == Invitation.id)
            .where(Invitation.used_by.in_(ids), ProjectIdea.active.is_(True))
            .order_by(ProjectIdea.position, ProjectIdea.id)
        )
        found: dict[tuple[int, int], list[str]] = {}
        for person_id, season_id, title in rows:
            if person_id is not None:
                found.setdefault((person_id, season_id), []).append(title)
        return found

"""One-time role invitations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Invitation
from storage.sql import rowcount


class InvitationsRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, invitation: Invitation) -> Invitation:
        self.session.add(invitation)
        await self.session.flush()
        return invitation

    async def by_code(self, code: str, *, fresh: bool = False) -> Invitation | None:
        statement = select(Invitation).where(Invitation.code == code)
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

    async def claim(self, code: str, person_id: int, now: datetime) -> bool:
        """Mark the invitation used by this person if nobody has used it and it is in date.

        A conditional update: of two people (or two taps) racing for one code exactly one wins.
        """
        result = await self.session.execute(
            update(Invitation)
            .where(
                Invitation.code == code,
                Invitation.used_at.is_(None),
                or_(Invitation.expires_at.is_(None), Invitation.expires_at > now),
            )
            .values(used_at=now, used_by=person_id)
        )
        return bool(rowcount(result))

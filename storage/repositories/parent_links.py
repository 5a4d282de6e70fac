"""One-time links a minor's parent opens to consent from their own account."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.domain import Messenger
from storage.models import Application, Consent, ParentLink
from storage.sql import rowcount


class ParentLinksRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self, application_id: int, code_hash: str, now: datetime, expires_at: datetime
    ) -> ParentLink:
        """A new link; the application's links not yet used stop working (a resend replaces
        the link, so an old message found later cannot be used)."""
        await self.session.execute(
            delete(ParentLink).where(
                ParentLink.application_id == application_id, ParentLink.used_at.is_(None)
            )
        )
        link = ParentLink(
            application_id=application_id, code_hash=code_hash, created_at=now,
            expires_at=expires_at,
        )  # fmt: skip
        self.session.add(link)
        await self.session.flush()
        return link

    async def by_hash(self, code_hash: str) -> ParentLink | None:
        return await self.session.scalar(
            select(ParentLink).where(ParentLink.code_hash == code_hash)
        )

    async def use(self, link_id: int, messenger: Messenger, user_id: int, now: datetime) -> bool:
        """Mark the link used by this account; False when it was used already (a race)."""
        result = await self.session.execute(
            update(ParentLink)
            .where(ParentLink.id == link_id, ParentLink.used_at.is_(None))
            .values(used_at=now, parent_messenger=messenger, parent_user_id=user_id)
        )
        return rowcount(result) == 1

    async def given_by(self, messenger: Messenger, user_id: int) -> list[Consent]:
        """The representative's consents this account confirmed and has not withdrawn."""
        rows = await self.session.scalars(
            select(Consent).where(
                Consent.parent_messenger == messenger,
                Consent.parent_user_id == user_id,
                Consent.withdrawn_at.is_(None),
            )
        )
        return list(rows)

    async def drop_unused_of_person(self, person_id: int) -> None:
        """Erasure: links never used prove nothing; used ones stay with the consent record."""
        applications = select(Application.id).where(Application.person_id == person_id)
        await self.session.execute(
            delete(ParentLink).where(
                ParentLink.application_id.in_(applications), ParentLink.used_at.is_(None)
            )
        )

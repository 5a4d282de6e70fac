"""Certificates and the talent reserve: who finished a season, certificates by code, and
nominations with the person's consent to share."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.domain import ApplicationStatus
from storage.models import Application, Certificate, ReserveNomination, Team, TeamMember
from storage.sql import insert_for, rowcount


class CertificatesRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def finished(self, season_id: int) -> list[int]:
        """The people who finished the season: an accepted application in it and a place
        (not left) in one of its teams."""
        rows = await self.session.scalars(
            select(Application.person_id)
            .join(TeamMember, TeamMember.person_id == Application.person_id)
            .join(Team, Team.id == TeamMember.team_id)
            .where(
                Application.season_id == season_id,
                Application.status == ApplicationStatus.ACCEPTED,
                Application.erased_at.is_(None),
                Team.season_id == season_id,
                TeamMember.left_at.is_(None),
            )
            .distinct()
            .order_by(Application.person_id)
        )
        return list(rows)

    async def of_season(self, season_id: int) -> dict[int, Certificate]:
        rows = await self.session.scalars(
            select(Certificate).where(Certificate.season_id == season_id)
        )
        return {row.person_id: row for row in rows}

    async def add(self, certificate: Certificate) -> Certificate | None:
        """Issue `certificate`, or None when the person has one in the season already (the
        office's /certificates twice at once: the second waits for the first and adds none)."""
        statement = (
            insert_for(self.session, Certificate)
            .values(
                person_id=certificate.person_id,
                season_id=certificate.season_id,
                code=certificate.code,
                issued_at=certificate.issued_at,
                coursework=bool(certificate.coursework),
            )
            .on_conflict_do_nothing(index_elements=["person_id", "season_id"])
            .returning(Certificate.id)
        )
        new_id = await self.session.scalar(statement)
        return None if new_id is None else await self.session.get(Certificate, new_id)

    async def by_code(self, code: str) -> Certificate | None:
        return await self.session.scalar(
            select(Certificate).where(Certificate.code == code, Certificate.revoked_at.is_(None))
        )

    async def code_taken(self, code: str) -> bool:
        return (
            await self.session.scalar(select(Certificate.id).where(Certificate.code == code))
        ) is not None

    async def of_person(self, person_id: int) -> list[Certificate]:
        rows = await self.session.scalars(
            select(Certificate)
            .where(Certificate.person_id == person_id, Certificate.revoked_at.is_(None))
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
        return list(rows)

    async def set_coursework(self, certificate_id: int, coursework: bool) -> bool:
        result = await self.session.execute(
            update(Certificate)
            .where(Certificate.id == certificate_id, Certificate.coursework.is_not(coursework))
            .values(coursework=coursework)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result) == 1

    async def erase_of_person(self, person_id: int) -> int:
        result = await self.session.execute(
            delete(Certificate).where(Certificate.person_id == person_id)
        )
        return rowcount(result)


class ReserveRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, nomination: ReserveNomination) -> ReserveNomination:
        self.session.add(nomination)
        await self.session.flush()
        return nomination

    async def get(self, nomination_id: int) -> ReserveNomination | None:
        return await self.session.get(ReserveNomination, nomination_id)

    async def open_of(self, person_id: int, season_id: int) -> ReserveNomination | None:
        """The person's nomination in the season that consent was not refused or withdrawn for."""
        return await self.session.scalar(
            select(ReserveNomination).where(
                ReserveNomination.person_id == person_id,
                ReserveNomination.season_id == season_id,
                ReserveNomination.consent_withdrawn_at.is_(None),
            )
        )

    async def answer(self, nomination_id: int, person_id: int, agree: bool, now: datetime) -> bool:
        """Record the person's answer once: consent given, or refused (kept as withdrawn)."""
        values = {"consent_given_at": now} if agree else {"consent_withdrawn_at": now}
        result = await self.session.execute(
            update(ReserveNomination)
            .where(
                ReserveNomination.id == nomination_id,
                ReserveNomination.person_id == person_id,
                ReserveNomination.consent_given_at.is_(None),
                ReserveNomination.consent_withdrawn_at.is_(None),
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result) == 1

    async def withdraw(self, person_id: int, now: datetime) -> int:
        """Withdraw every consent the person gave: they leave the reserve."""
        result = await self.session.execute(
            update(ReserveNomination)
            .where(
                ReserveNomination.person_id == person_id,
                ReserveNomination.consent_given_at.is_not(None),
                ReserveNomination.consent_withdrawn_at.is_(None),
            )
            .values(consent_withdrawn_at=now)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result)

    async def consenting(self, season_id: int) -> list[ReserveNomination]:
        rows = await self.session.scalars(
            select(ReserveNomination)
            .where(
                ReserveNomination.season_id == season_id,
                ReserveNomination.consent_given_at.is_not(None),
                ReserveNomination.consent_withdrawn_at.is_(None),
            )
            .order_by(ReserveNomination.id)
        )
        return list(rows)

    async def erase_of_person(self, person_id: int) -> int:
        result = await self.session.execute(
            delete(ReserveNomination).where(ReserveNomination.person_id == person_id)
        )
        return rowcount(result)

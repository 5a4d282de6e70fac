"""Photos of parents' signed paper consent forms, and the minors' applications that wait for a
parent. A new photo replaces one still waiting; a decision is a conditional update."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.domain import ApplicationStatus, ConsentKind, Messenger, PaperStatus
from storage.models import Answer, Application, Consent, PaperConsent
from storage.sql import rowcount


class PaperConsentsRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, paper_id: int) -> PaperConsent | None:
        return await self.session.get(PaperConsent, paper_id)

    async def submit(
        self,
        application_id: int,
        person_id: int,
        messenger: Messenger,
        file_id: str,
        file_kind: str,
        now: datetime,
    ) -> tuple[int, bool]:
        """Store a photo of the form: the one still waiting is replaced (a conditional update),
        else a new row waits. Returns the row's id and whether it replaced one."""
        replaced = await self.session.scalar(
            update(PaperConsent)
            .where(
                PaperConsent.application_id == application_id,
                PaperConsent.status == PaperStatus.WAITING,
            )
            .values(messenger=messenger, file_id=file_id, file_kind=file_kind, submitted_at=now)
            .returning(PaperConsent.id)
            .execution_options(synchronize_session=False)
        )
        if replaced is not None:
            return replaced, True
        paper = PaperConsent(
            application_id=application_id, person_id=person_id, messenger=messenger,
            file_id=file_id, file_kind=file_kind, submitted_at=now, status=PaperStatus.WAITING,
        )  # fmt: skip
        self.session.add(paper)
        await self.session.flush()
        return paper.id, False

    async def decide(self, paper_id: int, to: PaperStatus, by: int, now: datetime) -> bool:
        """waiting → approved or refused; False when it was decided already (a second press)."""
        result = await self.session.execute(
            update(PaperConsent)
            .where(PaperConsent.id == paper_id, PaperConsent.status == PaperStatus.WAITING)
            .values(status=to, decided_by=by, decided_at=now)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result) == 1

    async def waiting_of(self, application_ids: Iterable[int]) -> dict[int, PaperConsent]:
        """The photo waiting for the office, by application."""
        ids = list(application_ids)
        if not ids:
            return {}
        rows = await self.session.scalars(
            select(PaperConsent).where(
                PaperConsent.application_id.in_(ids), PaperConsent.status == PaperStatus.WAITING
            )
        )
        return {row.application_id: row for row in rows}

    async def minors(self, season_id: int, groups: Iterable[str]) -> list[tuple[Application, str]]:
        """The season's applications not withdrawn whose age group answer is one of `groups`,
        oldest first, with that answer."""
        rows = await self.session.execute(
            select(Application, Answer.value)
            .join(Answer, Answer.application_id == Application.id)
            .where(
                Application.season_id == season_id,
                Application.status != ApplicationStatus.WITHDRAWN,
                Application.erased_at.is_(None),
                Answer.step == "age_group",
                Answer.value.in_(list(groups)),
            )
            .order_by(Application.created_at, Application.id)
        )
        return [(application, value or "") for application, value in rows]

    async def representative_consents(self, application_ids: Iterable[int]) -> dict[int, Consent]:
        ids = list(application_ids)
        if not ids:
            return {}
        rows = await self.session.scalars(
            select(Consent).where(
                Consent.application_id.in_(ids), Consent.kind == ConsentKind.REPRESENTATIVE
            )
        )
        return {row.application_id: row for row in rows}

    async def erase_of_person(self, person_id: int) -> int:
        """Erasure: the photos of the person's forms go, whatever their status (the consent
        record keeps when it was given and under which text)."""
        applications = select(Application.id).where(Application.person_id == person_id)
        result = await self.session.execute(
            delete(PaperConsent)
            .where(
                (PaperConsent.person_id == person_id)
                | PaperConsent.application_id.in_(applications)
            )
            .execution_options(synchronize_session=False)
        )
        return rowcount(result)

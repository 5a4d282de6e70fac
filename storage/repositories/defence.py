"""The public defence: sessions, criteria, jurors, slots, scores and the one publication."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.domain import DefenceStatus, Messenger
from storage.models import (
    DefenceComment,
    DefenceCriterion,
    DefenceJuror,
    DefenceMark,
    DefencePresentation,
    DefencePublication,
    DefenceScore,
    DefenceSession,
    DefenceSlot,
)
from storage.sql import insert_for, rowcount


class DefenceRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, row: object) -> None:
        self.session.add(row)
        await self.session.flush()

    async def sessions(self, season_id: int) -> list[DefenceSession]:
        rows = await self.session.scalars(
            select(DefenceSession)
            .where(DefenceSession.season_id == season_id)
            .order_by(DefenceSession.starts_at, DefenceSession.id)
            .execution_options(populate_existing=True)
        )
        return list(rows)

    async def get_session(self, session_id: int) -> DefenceSession | None:
        return await self.session.get(DefenceSession, session_id, populate_existing=True)

    async def session_by_code(self, season_id: int, code: str) -> DefenceSession | None:
        return await self.session.scalar(
            select(DefenceSession).where(
                DefenceSession.season_id == season_id, DefenceSession.code == code
            )
        )

    async def criteria(self, season_id: int) -> list[DefenceCriterion]:
        rows = await self.session.scalars(
            select(DefenceCriterion)
            .where(DefenceCriterion.season_id == season_id)
            .order_by(DefenceCriterion.position, DefenceCriterion.id)
        )
        return list(rows)

    async def close(self, session_id: int, now: datetime) -> bool:
        """Open → closed once; False if it was closed already."""
        result = await self.session.execute(
            update(DefenceSession)
            .where(DefenceSession.id == session_id, DefenceSession.status == DefenceStatus.OPEN)
            .values(status=DefenceStatus.CLOSED, closed_at=now)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result) == 1

    async def jurors(self, session_ids: Iterable[int]) -> dict[int, set[int]]:
        """Session id -> the person ids of its jurors."""
        found: dict[int, set[int]] = {}
        ids = list(session_ids)
        if not ids:
            return found
        rows = await self.session.execute(
            select(DefenceJuror.session_id, DefenceJuror.person_id).where(
                DefenceJuror.session_id.in_(ids)
            )
        )
        for session_id, person_id in rows:
            found.setdefault(session_id, set()).add(person_id)
        return found

    async def sessions_of_juror(self, person_id: int) -> list[DefenceSession]:
        rows = await self.session.scalars(
            select(DefenceSession)
            .join(DefenceJuror, DefenceJuror.session_id == DefenceSession.id)
            .where(DefenceJuror.person_id == person_id)
            .order_by(DefenceSession.starts_at, DefenceSession.id)
        )
        return list(rows)

    async def add_juror(self, session_id: int, person_id: int) -> None:
        await self.session.execute(
            insert_for(self.session, DefenceJuror.__table__)
            .values(session_id=session_id, person_id=person_id)
            .on_conflict_do_nothing(index_elements=["session_id", "person_id"])
        )

    async def slots(self, session_ids: Iterable[int]) -> list[DefenceSlot]:
        ids = list(session_ids)
        if not ids:
            return []
        rows = await self.session.scalars(
            select(DefenceSlot)
            .where(DefenceSlot.session_id.in_(ids))
            .order_by(DefenceSlot.starts_at, DefenceSlot.id)
        )
        return list(rows)

    async def upsert_score(
        self, session_id: int, juror_id: int, team_id: int, criterion_id: int, value: int,
        now: datetime,
    ) -> bool:  # fmt: skip
        """Store the juror's score; False when it already had this value (a double tap)."""
        statement = insert_for(self.session, DefenceScore.__table__).values(
            session_id=session_id,
            juror_id=juror_id,
            team_id=team_id,
            criterion_id=criterion_id,
            value=value,
            updated_at=now,
        )
        statement = statement.on_conflict_do_update(
            index_elements=["juror_id", "team_id", "criterion_id"],
            set_={"value": statement.excluded.value, "updated_at": statement.excluded.updated_at},
            where=DefenceScore.__table__.c.value != statement.excluded.value,
        )
        return bool(rowcount(await self.session.execute(statement)))

    async def scores(self, session_ids: Iterable[int]) -> list[tuple[int, int, int, int]]:
        """(juror id, team id, criterion id, value) rows of the sessions."""
        ids = list(session_ids)
        if not ids:
            return []
        rows = await self.session.execute(
            select(
                DefenceScore.juror_id,
                DefenceScore.team_id,
                DefenceScore.criterion_id,
                DefenceScore.value,
            ).where(DefenceScore.session_id.in_(ids))
        )
        return [(j, t, c, v) for j, t, c, v in rows]

    async def published(self, season_id: int) -> bool:
        row = await self.session.get(DefencePublication, season_id)
        return row is not None and row.published_at is not None

    async def claim_publication(self, season_id: int, person_id: int, now: datetime) -> bool:
        """Mark the season's defence results published; False if they already were."""
        await self.session.execute(
            insert_for(self.session, DefencePublication.__table__)
            .values(season_id=season_id, published_at=None, published_by=None)
            .on_conflict_do_nothing(index_elements=["season_id"])
        )
        result = await self.session.execute(
            update(DefencePublication)
            .where(
                DefencePublication.season_id == season_id,
                DefencePublication.published_at.is_(None),
            )
            .values(published_at=now, published_by=person_id)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def save_presentation(
        self, team_id: int, file_id: str, messenger: Messenger, person_id: int, now: datetime
    ) -> None:
        """The team's presentation; a new upload replaces the old one."""
        statement = insert_for(self.session, DefencePresentation.__table__).values(
            team_id=team_id, file_id=file_id, messenger=messenger, uploaded_by=person_id,
            uploaded_at=now,
        )  # fmt: skip
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["team_id"],
                set_={
                    "file_id": statement.excluded.file_id,
                    "messenger": statement.excluded.messenger,
                    "uploaded_by": statement.excluded.uploaded_by,
                    "uploaded_at": statement.excluded.uploaded_at,
                },
            )
        )

    async def presentation(self, team_id: int) -> DefencePresentation | None:
        return await self.session.scalar(
            select(DefencePresentation)
            .where(DefencePresentation.team_id == team_id)
            .execution_options(populate_existing=True)
        )

    async def sessions_of_team(self, team_id: int) -> list[DefenceSession]:
        rows = await self.session.scalars(
            select(DefenceSession)
            .join(DefenceSlot, DefenceSlot.session_id == DefenceSession.id)
            .where(DefenceSlot.team_id == team_id)
            .order_by(DefenceSession.starts_at, DefenceSession.id)
            .execution_options(populate_existing=True)
        )
        return list(rows)

    # --- the jurors' comments and the office's marks ------------------------------------------

    async def upsert_comment(
        self, session_id: int, juror_id: int, team_id: int, text: str, now: datetime
    ) -> None:
        """The juror's comment on the team; a new one replaces it."""
        statement = insert_for(self.session, DefenceComment.__table__).values(
            session_id=session_id, juror_id=juror_id, team_id=team_id, text=text, at=now
        )
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["juror_id", "team_id"],
                set_={"text": statement.excluded.text, "at": statement.excluded.at},
            )
        )

    async def comments(self, session_ids: Iterable[int]) -> list[DefenceComment]:
        ids = list(session_ids)
        if not ids:
            return []
        rows = await self.session.scalars(
            select(DefenceComment)
            .where(DefenceComment.session_id.in_(ids))
            .order_by(DefenceComment.team_id, DefenceComment.at, DefenceComment.id)
            .execution_options(populate_existing=True)
        )
        return list(rows)

    async def erase_comments_of(self, juror_id: int) -> int:
        result = await self.session.execute(
            delete(DefenceComment).where(DefenceComment.juror_id == juror_id)
        )
        return rowcount(result)

    async def marks(self, team_ids: Iterable[int]) -> dict[int, DefenceMark]:
        """Team id -> its marks (teams without a row have none)."""
        ids = list(team_ids)
        if not ids:
            return {}
        rows = await self.session.scalars(
            select(DefenceMark)
            .where(DefenceMark.team_id.in_(ids))
            .execution_options(populate_existing=True)
        )
        return {row.team_id: row for row in rows}

    async def toggle_mark(
        self, season_id: int, team_id: int, mark: str, person_id: int, now: datetime
    ) -> bool:
        """Flip one mark of the team in one conditional statement; True if a row changed."""
        await self.session.execute(
            insert_for(self.session, DefenceMark.__table__)
            .values(
                season_id=season_id,
                team_id=team_id,
                region_head=False,
                federal=False,
                startup=False,
                updated_by=person_id,
                updated_at=now,
            )
            .on_conflict_do_nothing(index_elements=["season_id", "team_id"])
        )
        column = DefenceMark.__table__.c[mark]
        result = await self.session.execute(
            update(DefenceMark)
            .where(DefenceMark.season_id == season_id, DefenceMark.team_id == team_id)
            .values({column: ~column, "updated_by": person_id, "updated_at": now})
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

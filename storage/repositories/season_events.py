"""Events of the season: the event and its agenda, invitations and answers (conditional
updates), check-ins (one per person per event, by ON CONFLICT DO NOTHING) and check-in codes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.domain import OutboxStatus
from storage.models import (
    EventCheckin,
    EventCode,
    EventInvitation,
    EventItem,
    OutgoingMessage,
    Person,
    SeasonEvent,
)
from storage.sql import insert_for, rowcount

# What the outbox records on a message withdrawn before it was sent (OutboxRepo.withdraw_pending).
RETRACTED = "retracted before sending"


class SeasonEventsRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, event: SeasonEvent, items: list[EventItem]) -> SeasonEvent:
        self.session.add(event)
        await self.session.flush()
        for item in items:
            item.event_id = event.id
        self.session.add_all(items)
        await self.session.flush()
        return event

    async def get(self, event_id: int) -> SeasonEvent | None:
        return await self.session.get(SeasonEvent, event_id)

    async def items(self, event_id: int) -> list[EventItem]:
        rows = await self.session.scalars(
            select(EventItem)
            .where(EventItem.event_id == event_id)
            .order_by(EventItem.starts_at, EventItem.position)
        )
        return list(rows)

    async def item(self, item_id: int) -> EventItem | None:
        return await self.session.get(EventItem, item_id)

    async def move_item(self, item_id: int, starts_at: datetime, place: str | None) -> bool:
        values: dict[str, object] = {"starts_at": starts_at}
        if place is not None:
            values["place"] = place
        result = await self.session.execute(
            update(EventItem).where(EventItem.id == item_id).values(**values)
        )
        return bool(rowcount(result))

    async def set_span(self, event_id: int, starts_at: datetime, ends_at: datetime) -> None:
        await self.session.execute(
            update(SeasonEvent)
            .where(SeasonEvent.id == event_id)
            .values(starts_at=starts_at, ends_at=ends_at)
        )

    # --- invitations --------------------------------------------------------------------------

    async def invite(self, event_id: int, person_ids: Iterable[int], now: datetime) -> None:
        self.session.add_all(
            EventInvitation(event_id=event_id, person_id=pid, invited_at=now) for pid in person_ids
        )
        await self.session.flush()

    async def invitation(self, event_id: int, person_id: int) -> EventInvitation | None:
        return await self.session.scalar(
            select(EventInvitation).where(
                EventInvitation.event_id == event_id, EventInvitation.person_id == person_id
            )
        )

    async def answer(self, event_id: int, person_id: int, answer: str, now: datetime) -> bool:
        """Record or change the answer; False when it was already this answer (a double tap)."""
        result = await self.session.execute(
            update(EventInvitation)
            .where(
                EventInvitation.event_id == event_id,
                EventInvitation.person_id == person_id,
                (EventInvitation.answer.is_(None)) | (EventInvitation.answer != answer),
            )
            .values(answer=answer, answered_at=now)
        )
        return bool(rowcount(result))

    async def invited(
        self, event_id: int, answer: str | None = None
    ) -> list[tuple[Person, EventInvitation]]:
        statement = (
            select(Person, EventInvitation)
            .join(EventInvitation, EventInvitation.person_id == Person.id)
            .where(EventInvitation.event_id == event_id)
            .order_by(Person.full_name, Person.id)
        )
        if answer is not None:
            statement = statement.where(EventInvitation.answer == answer)
        return [(p, i) for p, i in await self.session.execute(statement)]

    async def events_of(self, person_id: int, after: datetime) -> list[SeasonEvent]:
        """The events the person is invited to and did not decline, not over yet."""
        rows = await self.session.scalars(
            select(SeasonEvent)
            .join(EventInvitation, EventInvitation.event_id == SeasonEvent.id)
            .where(
                EventInvitation.person_id == person_id,
                (EventInvitation.answer.is_(None)) | (EventInvitation.answer != "no"),
                SeasonEvent.ends_at >= after,
            )
            .order_by(SeasonEvent.starts_at, SeasonEvent.id)
        )
        return list(rows)

    # --- attendance ---------------------------------------------------------------------------

    async def check_in(
        self, event_id: int, person_id: int, how: str, now: datetime, by: int | None = None
    ) -> bool:
        """False when the person was already checked in at this event."""
        result = await self.session.execute(
            insert_for(self.session, EventCheckin)
            .values(event_id=event_id, person_id=person_id, at=now, how=how, marked_by=by)
            .on_conflict_do_nothing(index_elements=["event_id", "person_id"])
        )
        return bool(rowcount(result))

    async def checked_in(self, event_id: int) -> set[int]:
        rows = await self.session.scalars(
            select(EventCheckin.person_id).where(EventCheckin.event_id == event_id)
        )
        return set(rows)

    async def add_code(
        self, event_id: int, code_hash: str, valid_until: datetime, now: datetime
    ) -> None:
        self.session.add(
            EventCode(
                event_id=event_id, code_hash=code_hash, valid_until=valid_until, created_at=now
            )
        )
        await self.session.flush()

    async def code_events(self, code_hash: str, now: datetime) -> list[int]:
        """The events a code is valid for now (a fresh code is made unique among valid ones)."""
        rows = await self.session.scalars(
            select(EventCode.event_id).where(
                EventCode.code_hash == code_hash, EventCode.valid_until > now
            )
        )
        return list(rows)

    async def forget_codes(self, before: datetime) -> int:
        result = await self.session.execute(delete(EventCode).where(EventCode.valid_until < before))
        return rowcount(result)

    async def erase_of_person(self, person_id: int) -> None:
        """Their answers and check-ins go with their data (the events the office wrote stay)."""
        await self.session.execute(
            delete(EventInvitation).where(EventInvitation.person_id == person_id)
        )
        await self.session.execute(delete(EventCheckin).where(EventCheckin.person_id == person_id))

    async def revive_reminder(self, dedupe_key: str, not_before: datetime) -> bool:
        """A reminder withdrawn before it was sent («Не смогу») queued again («Буду» after
        all); one already sent stays sent: a reminder arrives once."""
        result = await self.session.execute(
            update(OutgoingMessage)
            .where(
                OutgoingMessage.dedupe_key == dedupe_key,
                OutgoingMessage.status == OutboxStatus.FAILED,
                OutgoingMessage.error == RETRACTED,
            )
            .values(status=OutboxStatus.PENDING, error=None, not_before=not_before, attempts=0)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

"""Sites, slots (with the seat counter the database keeps honest), bookings, booking settings,
the /slots draft."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.domain import Attendance, BookingStatus, SlotStatus
from storage.models import Booking, Person, Site, Slot
from storage.sql import is_postgres, rowcount

# The first key of the advisory locks that queue bookings per slot (the second is the slot id).
BOOKING_QUEUE_LOCK = 4_201


class SitesRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, site: Site) -> Site:
        self.session.add(site)
        await self.session.flush()
        return site

    async def get(self, site_id: int) -> Site | None:
        return await self.session.get(Site, site_id)

    async def by_code(self, season_id: int, code: str) -> Site | None:
        return await self.session.scalar(
            select(Site).where(Site.season_id == season_id, Site.code == code)
        )

    async def by_ids(self, site_ids: Iterable[int]) -> dict[int, Site]:
        ids = set(site_ids)
        if not ids:
            return {}
        rows = await self.session.scalars(select(Site).where(Site.id.in_(ids)))
        return {site.id: site for site in rows}

    async def of_contact(self, person_id: int) -> list[Site]:
        rows = await self.session.scalars(
            select(Site).where(Site.contact_person_id == person_id).order_by(Site.id)
        )
        return list(rows)

    async def bind_contact(
        self,
        invitation_id: int,
        person_id: int,
        now: datetime,
        *,
        season_id: int | None = None,
        site_code: str | None = None,
    ) -> list[int]:
        """Make the person the contact of the sites this invitation was made for: by the
        sites import (`invitation_id`), or by hand (`invite site_contact --label site:CODE`)."""
        match = Site.invitation_id == invitation_id
        if season_id is not None and site_code:
            match = or_(match, and_(Site.season_id == season_id, Site.code == site_code))
        rows = await self.session.scalars(select(Site.id).where(match))
        ids = list(rows)
        if ids:
            await self.session.execute(
                update(Site)
                .where(Site.id.in_(ids))
                .values(contact_person_id=person_id, updated_at=now)
                .execution_options(synchronize_session=False)
            )
        return ids

    async def unbind_contact(self, person_id: int, season_id: int | None, now: datetime) -> int:
        """The person is no longer the contact of the season's sites (their role was revoked):
        the sites import then makes each a new contact link."""
        match = Site.contact_person_id == person_id
        if season_id is not None:
            match = and_(match, Site.season_id == season_id)
        result = await self.session.execute(
            update(Site)
            .where(match)
            .values(contact_person_id=None, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result)


class SlotsRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, slot: Slot) -> Slot:
        self.session.add(slot)
        await self.session.flush()
        return slot

    async def get(self, slot_id: int, *, fresh: bool = False) -> Slot | None:
        statement = select(Slot).where(Slot.id == slot_id)
        if fresh:
            statement = statement.execution_options(populate_existing=True)
        return await self.session.scalar(statement)

    async def lock_for_booking(self, slot_id: int) -> Slot | None:
        """Queue this transaction's booking of the slot behind those already asked for, then
        read the slot. Bookings of one slot pass one at a time in the order they asked, so
        seats and waitlist places follow it. PostgreSQL: a transaction-scoped advisory lock
        keyed by the slot, not a lock on its row: row locks are not granted in order once the
        row is updated (each seat taken is an update), an advisory lock's queue is. SQLite has
        one writer at a time already."""
        if is_postgres(self.session):
            await self.session.execute(
                select(func.pg_advisory_xact_lock(BOOKING_QUEUE_LOCK, slot_id))
            )
        return await self.get(slot_id, fresh=True)

    async def by_natural_key(self, site_id: int, kind: str, starts_at: datetime) -> Slot | None:
        return await self.session.scalar(
            select(Slot).where(
                Slot.site_id == site_id, Slot.kind == kind, Slot.starts_at == starts_at
            )
        )

    async def by_ids(self, slot_ids: Iterable[int]) -> dict[int, Slot]:
        ids = set(slot_ids)
        if not ids:
            return {}
        rows = await self.session.scalars(select(Slot).where(Slot.id.in_(ids)))
        return {slot.id: slot for slot in rows}

    async def take_seat(self, slot_id: int, now: datetime, *, only_open: bool) -> bool:
        """Take one seat if one is free: a conditional increment. Racing bookings queue on the
        row (PostgreSQL re-checks the condition after the lock), so no more than `capacity`
        ever win; the CHECK constraint is the last word."""
        statement = update(Slot).where(Slot.id == slot_id, Slot.seats_taken < Slot.capacity)
        if only_open:
            statement = statement.where(Slot.status == SlotStatus.OPEN)
        result = await self.session.execute(
            statement.values(seats_taken=Slot.seats_taken + 1, updated_at=now).execution_options(
                synchronize_session=False
            )
        )
        return bool(rowcount(result))

    async def release_seat(self, slot_id: int, now: datetime) -> bool:
        result = await self.session.execute(
            update(Slot)
            .where(Slot.id == slot_id, Slot.seats_taken > 0)
            .values(seats_taken=Slot.seats_taken - 1, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def set_capacity(self, slot_id: int, capacity: int, now: datetime) -> bool:
        """Change the capacity unless it would fall below the seats already held."""
        result = await self.session.execute(
            update(Slot)
            .where(Slot.id == slot_id, Slot.seats_taken <= capacity)
            .values(capacity=capacity, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def close(self, slot_id: int, now: datetime) -> bool:
        result = await self.session.execute(
            update(Slot)
            .where(Slot.id == slot_id, Slot.status == SlotStatus.OPEN)
            .values(status=SlotStatus.CLOSED, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def update_fields(self, slot_id: int, now: datetime, **values: Any) -> None:
        await self.session.execute(
            update(Slot)
            .where(Slot.id == slot_id)
            .values(updated_at=now, **values)
            .execution_options(synchronize_session=False)
        )

    async def upcoming_open(self, season_id: int, now: datetime) -> list[tuple[Slot, Site]]:
        rows = await self.session.execute(
            select(Slot, Site)
            .join(Site, Site.id == Slot.site_id)
            .where(
                Site.season_id == season_id,
                Slot.status == SlotStatus.OPEN,
                Slot.starts_at > now,
            )
            .order_by(Slot.starts_at, Slot.id)
        )
        return [(slot, site) for slot, site in rows]

    async def of_sites(self, site_ids: Sequence[int], since: datetime) -> list[Slot]:
        if not site_ids:
            return []
        rows = await self.session.scalars(
            select(Slot)
            .where(Slot.site_id.in_(list(site_ids)), Slot.ends_at >= since)
            .order_by(Slot.starts_at, Slot.id)
        )
        return list(rows)

    async def ended_not_asked(self, now: datetime, limit: int) -> list[Slot]:
        """Slots that are over, with confirmed bookings, whose contact was not yet asked to mark
        attendance."""
        confirmed = select(Booking.id).where(
            Booking.slot_id == Slot.id, Booking.status == BookingStatus.CONFIRMED
        )
        rows = await self.session.scalars(
            select(Slot)
            .where(Slot.ends_at <= now, Slot.attendance_asked_at.is_(None), confirmed.exists())
            .order_by(Slot.ends_at, Slot.id)
            .limit(limit)
        )
        return list(rows)

    async def mark_asked(self, slot_id: int, now: datetime) -> bool:
        result = await self.session.execute(
            update(Slot)
            .where(Slot.id == slot_id, Slot.attendance_asked_at.is_(None))
            .values(attendance_asked_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))


class BookingsRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, booking: Booking) -> Booking:
        self.session.add(booking)
        await self.session.flush()
        return booking

    async def get(self, booking_id: int, *, fresh: bool = False) -> Booking | None:
        statement = select(Booking).where(Booking.id == booking_id)
        if fresh:
            statement = statement.execution_options(populate_existing=True)
        return await self.session.scalar(statement)

    async def lock_student(self, student_id: int) -> None:
        """Serialise one student's bookings (PostgreSQL: lock their person row), so the overlap
        check and the insert that follows it see every other booking of theirs. SQLite has one
        writer at a time already. FOR NO KEY UPDATE, not FOR UPDATE: a message or an audit
        entry about the student being written by another transaction (a key share on the row)
        must not hold the booking up while others take the seats."""
        if is_postgres(self.session):
            await self.session.execute(
                select(Person.id).where(Person.id == student_id).with_for_update(key_share=True)
            )

    async def transition(
        self,
        booking_id: int,
        frm: Iterable[BookingStatus],
        to: BookingStatus,
        now: datetime,
        **values: Any,
    ) -> bool:
        """Move the booking to `to` only if it is in one of `frm`: of two racing taps one wins."""
        result = await self.session.execute(
            update(Booking)
            .where(Booking.id == booking_id, Booking.status.in_(list(frm)))
            .values(status=to, updated_at=now, **values)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def expire_offer(self, booking_id: int, now: datetime) -> bool:
        result = await self.session.execute(
            update(Booking)
            .where(
                Booking.id == booking_id,
                Booking.status == BookingStatus.OFFERED,
                Booking.offer_expires_at <= now,
            )
            .values(status=BookingStatus.EXPIRED, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def set_task(self, booking_id: int, task_id: int | None) -> None:
        await self.session.execute(
            update(Booking)
            .where(Booking.id == booking_id)
            .values(task_id=task_id)
            .execution_options(synchronize_session=False)
        )

    async def booked_tasks(self, task_ids: Iterable[int]) -> set[int]:
        """Which of these ИУП tasks a booking put into the plan (attendance completes them)."""
        ids = set(task_ids)
        if not ids:
            return set()
        rows = await self.session.scalars(select(Booking.task_id).where(Booking.task_id.in_(ids)))
        return {task_id for task_id in rows if task_id is not None}

    async def set_attendance(
        self, booking_id: int, attendance: Attendance, by: int, now: datetime
    ) -> bool:
        """Record attendance once, on a confirmed booking."""
        result = await self.session.execute(
            update(Booking)
            .where(
                Booking.id == booking_id,
                Booking.status == BookingStatus.CONFIRMED,
                Booking.attendance.is_(None),
            )
            .values(attendance=attendance, attendance_by=by, attendance_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def of_student(
        self, student_id: int, statuses: Iterable[BookingStatus] | None = None
    ) -> list[tuple[Booking, Slot, Site]]:
        statement = (
            select(Booking, Slot, Site)
            .join(Slot, Slot.id == Booking.slot_id)
            .join(Site, Site.id == Slot.site_id)
            .where(Booking.student_id == student_id)
            .order_by(Slot.starts_at, Booking.id)
            .execution_options(populate_existing=True)
        )
        if statuses is not None:
            statement = statement.where(Booking.status.in_(list(statuses)))
        rows = await self.session.execute(statement)
        return [(booking, slot, site) for booking, slot, site in rows]

    async def ids_of_student(self, student_id: int) -> list[int]:
        rows = await self.session.scalars(
            select(Booking.id).where(Booking.student_id == student_id).order_by(Booking.id)
        )
        return list(rows)

    async def of_slot(
        self, slot_id: int, statuses: Iterable[BookingStatus] | None = None
    ) -> list[tuple[Booking, Person]]:
        statement = (
            select(Booking, Person)
            .join(Person, Person.id == Booking.student_id)
            .where(Booking.slot_id == slot_id)
            .order_by(Booking.created_at, Booking.id)
            .execution_options(populate_existing=True)
        )
        if statuses is not None:
            statement = statement.where(Booking.status.in_(list(statuses)))
        rows = await self.session.execute(statement)
        return [(booking, person) for booking, person in rows]

    async def count_by_status(self, slot_ids: Sequence[int]) -> dict[tuple[int, str], int]:
        if not slot_ids:
            return {}
        rows = await self.session.execute(
            select(Booking.slot_id, Booking.status, Booking.id).where(
                Booking.slot_id.in_(list(slot_ids))
            )
        )
        counts: dict[tuple[int, str], int] = {}
        for slot_id, status, _ in rows:
            key = (slot_id, str(status))
            counts[key] = counts.get(key, 0) + 1
        return counts

    async def first_waitlisted(self, slot_id: int) -> Booking | None:
        """The longest-waiting student of the slot; locked (SKIP LOCKED on PostgreSQL) so two
        promotions at once never pick the same one."""
        statement = (
            select(Booking)
            .where(Booking.slot_id == slot_id, Booking.status == BookingStatus.WAITLISTED)
            .order_by(Booking.created_at, Booking.id)
            .limit(1)
            .execution_options(populate_existing=True)
        )
        if is_postgres(self.session):
            statement = statement.with_for_update(skip_locked=True)
        return await self.session.scalar(statement)

    async def expired_offers(self, now: datetime, limit: int) -> list[int]:
        rows = await self.session.scalars(
            select(Booking.id)
            .where(Booking.status == BookingStatus.OFFERED, Booking.offer_expires_at <= now)
            .order_by(Booking.offer_expires_at, Booking.id)
            .limit(limit)
        )
        return list(rows)

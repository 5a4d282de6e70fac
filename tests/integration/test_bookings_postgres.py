"""Bookings on PostgreSQL under real concurrency: fifty students taking ten seats at the same
moment, seats in the order of arrival, and one student booking two overlapping slots at once."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from services.domain import BookingStatus, Role
from services.errors import Conflict, DomainError
from services.people import Identity
from storage.db import create_engine, create_session_factory
from storage.models import Booking, Slot
from storage.uow import UnitOfWork, UnitOfWorkFactory
from tests.bookings_world import NOW, BookingWorld, build_booking_world
from tests.plans_world import STUDENT, TEXTS, services

pytestmark = pytest.mark.postgres

CROWD = 50
SEATS = 10


async def _students(world: BookingWorld, count: int) -> list[Identity]:
    async with world.uow_factory() as uow:
        for index in range(count):
            person = await uow.people.ensure(700_000 + index, "ru", NOW)
            await uow.people.grant(person.id, Role.STUDENT, world.season_id, NOW)
        await uow.commit()
    return [await world.me(700_000 + index) for index in range(count)]


async def _book(world: BookingWorld, me: Identity, slot_id: int) -> Any:
    async with world.uow_factory() as uow:
        return await services(uow, world.clock).internships.book(me, slot_id)


async def test_fifty_students_for_ten_seats_end_with_exactly_ten(postgres_url: str) -> None:
    from services.clock import FixedClock

    engine = create_engine(postgres_url, pool_size=CROWD, max_overflow=0)
    try:
        factory = UnitOfWorkFactory(create_session_factory(engine))
        world = await build_booking_world(factory, FixedClock(NOW), capacity=SEATS)
        crowd = await _students(world, CROWD)
        results = await asyncio.gather(*(_book(world, me, world.slot_id) for me in crowd))
        statuses = [view.status for view in results]
        assert statuses.count(BookingStatus.REQUESTED) == SEATS
        assert statuses.count(BookingStatus.WAITLISTED) == CROWD - SEATS
        async with factory() as uow:
            slot = await uow.session.get(Slot, world.slot_id)
            assert slot is not None and (slot.seats_taken, slot.capacity) == (SEATS, SEATS)
            rows = await uow.session.execute(
                select(Booking.status, func.count())
                .where(Booking.slot_id == world.slot_id)
                .group_by(Booking.status)
            )
            assert dict(rows.all()) == {
                BookingStatus.REQUESTED: SEATS,
                BookingStatus.WAITLISTED: CROWD - SEATS,
            }
    finally:
        await engine.dispose()


async def test_one_student_booking_two_overlapping_slots_at_once_gets_one(
    postgres_url: str,
) -> None:
    from services.clock import FixedClock

    engine = create_engine(postgres_url)
    try:
        factory = UnitOfWorkFactory(create_session_factory(engine))
        world = await build_booking_world(factory, FixedClock(NOW))
        me = await world.me(STUDENT)
        for _ in range(3):  # a race is a race: try it a few times
            outcomes = await asyncio.gather(
                _book(world, me, world.slot_id),
                _book(world, me, world.lab_slot_id),
                return_exceptions=True,
            )
            booked = [o for o in outcomes if not isinstance(o, BaseException)]
            refused = [o for o in outcomes if isinstance(o, DomainError)]
            assert len(booked) == 1 and len(refused) == 1, outcomes
            assert isinstance(refused[0], Conflict) and refused[0].key == "int-overlap"
            text = TEXTS.get(refused[0].key, **refused[0].args_for_text)
            assert text.startswith("У вас уже есть запись на это время: ")
            async with factory() as uow:
                await services(uow, world.clock).internships.cancel(me, booked[0].id)
    finally:
        await engine.dispose()


async def _waiting_on_locks(probe: AsyncConnection) -> int:
    result = await probe.execute(
        text(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
    )
    waiting = int(result.scalar_one())
    await probe.commit()  # within one transaction PostgreSQL shows the same snapshot each time
    return waiting


async def _arrive_one_by_one(
    world: BookingWorld, crowd: list[Identity], probe: AsyncConnection
) -> list[asyncio.Task[Any]]:
    """Start the bookings in the crowd's order, each only once the one before it has finished
    or waits on a lock: that order is the order of arrival."""
    presses: list[asyncio.Task[Any]] = []
    for me in crowd:
        presses.append(asyncio.create_task(_book(world, me, world.slot_id)))
        deadline = time.monotonic() + 10
        while (pending := sum(not p.done() for p in presses)) and (
            await _waiting_on_locks(probe) < pending
        ):
            assert time.monotonic() < deadline, "a booking neither finished nor waited"
    return presses


async def _message_being_queued_for(uow: UnitOfWork, person_id: int) -> None:
    # Another action (a reminder sweep, a notice) writes a message to the student and has not
    # committed yet: its foreign key holds a key-share lock on the student's row.
    await uow.outbox.add(1, "text", {"text": "…"}, NOW, person_id=person_id)


async def _booking_of_another_slot_in_flight(uow: UnitOfWork, person_id: int) -> None:
    await uow.bookings.lock_student(person_id)


@pytest.mark.parametrize("hold_up", [_message_being_queued_for, _booking_of_another_slot_in_flight])
async def test_seats_go_to_the_first_presses_by_arrival(postgres_url: str, hold_up: Any) -> None:
    """The first to press is held up by something about them alone: the seats still go to the
    first three by arrival, and the waitlist keeps the order of arrival too."""
    from services.clock import FixedClock

    seats, crowd_size = 3, 6
    engine = create_engine(postgres_url)
    try:
        factory = UnitOfWorkFactory(create_session_factory(engine))
        world = await build_booking_world(factory, FixedClock(NOW), capacity=seats)
        crowd = await _students(world, crowd_size)
        async with engine.connect() as probe, factory() as blocker:
            await hold_up(blocker, crowd[0].person_id)
            presses = await _arrive_one_by_one(world, crowd, probe)
            await blocker.rollback()
            results = await asyncio.gather(*presses)
        assert [view.status for view in results] == [BookingStatus.REQUESTED] * seats + [
            BookingStatus.WAITLISTED
        ] * (crowd_size - seats)
        async with factory() as uow:
            waitlist = await uow.bookings.of_slot(world.slot_id, {BookingStatus.WAITLISTED})
        assert [booking.id for booking, _ in waitlist] == [view.id for view in results[seats:]]
    finally:
        await engine.dispose()

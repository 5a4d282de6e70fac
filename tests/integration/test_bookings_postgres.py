"""Bookings on PostgreSQL under real concurrency: fifty students taking ten seats at the same
moment, and one student booking two overlapping slots at once."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import func, select

from services.errors import Conflict, DomainError
from services.people import Identity
from storage.db import create_engine, create_session_factory
from storage.models import Booking, BookingStatus, Role, Slot
from storage.uow import UnitOfWorkFactory
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

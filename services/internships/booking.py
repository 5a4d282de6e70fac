"""A student browses and books slots, cancels and answers offers; mentors and site contacts
decide on requests."""

from __future__ import annotations

from datetime import time, timedelta

from services.domain import BookingStatus, Role, SlotStatus
from services.errors import Conflict, NotAllowed, NotFound
from services.internships.views import ACTIVE, HOLDING, BookingView, WeekView
from services.internships.waitlist import Waitlist
from services.people import Identity
from storage.models import Booking


class BookingUseCases(Waitlist):
    """Browsing, booking, cancelling, answering offers, deciding."""

    async def browse(self, me: Identity, week: int = 0, direction: int = -1) -> WeekView:
        """Open slots of seven days from today in the season's zone (`week` 1, 2…: the seven
        days after), optionally of one direction (an index into `directions`, -1: all)."""
        if not -60 <= week <= 60:
            raise NotAllowed()
        week = max(week, 0)  # nothing before today is open («earlier» buttons of old messages)
        season_id = await self._season_of(me)
        policy = await self.policy_for(season_id)
        now = self.clock.now()
        upcoming = await self.uow.slots.upcoming_open(season_id, now)
        names: dict[str, str] = {}
        for slot, site in upcoming:
            for name in (site.direction, *(slot.directions or [])):
                names.setdefault(name.casefold(), name)
        directions = sorted(names.values(), key=str.casefold)
        chosen = directions[direction] if 0 <= direction < len(directions) else None
        first = policy.page_start(now, week)
        start = max(policy.at(first, time(0, 0)), now)
        end = policy.at(first + timedelta(days=7), time(0, 0))
        wanted = [
            (slot, site)
            for slot, site in upcoming
            if chosen is None or self._suits(slot, site, chosen)
        ]
        views = [
            await self._slot_view(slot, site)
            for slot, site in wanted
            if start <= slot.starts_at < end
        ]
        later = next((slot.starts_at for slot, _ in wanted if slot.starts_at >= end), None)
        return WeekView(
            week,
            f"{first:%d.%m}",
            f"{first + timedelta(days=6):%d.%m.%Y}",
            chosen,
            directions,
            views,
            later=f"{policy.local(later):%d.%m.%Y}" if later is not None else None,
        )

    async def book(self, me: Identity, slot_id: int) -> BookingView:
        """First come, first served: the press queues on the slot before anything else, so
        nothing it does later (the student's own lock, reading the policy) can let a later press
        overtake it; the seat and the waitlist place are both given in that queue's order."""
        slot = await self.uow.slots.lock_for_booking(slot_id)
        if slot is None:
            raise NotFound("int-slot-unknown")
        site = await self.uow.sites.get(slot.site_id)
        assert site is not None
        if not (me.has_in_season(Role.STUDENT, site.season_id) or me.has(Role.OFFICE)):
            raise NotAllowed()
        now = self.clock.now()
        if slot.status is not SlotStatus.OPEN or slot.starts_at <= now:
            raise Conflict("int-slot-closed")
        policy = await self.policy_for(site.season_id)
        # The student's bookings are serialised, then checked for a clash, in this transaction.
        await self.uow.bookings.lock_student(me.person_id)
        for booking, other, other_site in await self.uow.bookings.of_student(me.person_id, ACTIVE):
            if other.id == slot.id:
                raise Conflict("int-already-booked", status=self._status_text(booking.status))
            if other.starts_at < slot.ends_at and slot.starts_at < other.ends_at:
                raise Conflict(
                    "int-overlap",
                    organisation=other_site.organisation,
                    when=policy.span(other.starts_at, other.ends_at),
                )
        if await self.uow.slots.take_seat(slot.id, now, only_open=True):
            status = BookingStatus.CONFIRMED if site.auto_confirm else BookingStatus.REQUESTED
        else:
            status = BookingStatus.WAITLISTED
        booking = await self.uow.bookings.add(
            Booking(
                slot_id=slot.id,
                student_id=me.person_id,
                status=status,
                created_at=now,
                updated_at=now,
                decided_at=now if status is BookingStatus.CONFIRMED else None,
            )
        )
        await self.uow.audit.record(
            now,
            me.person_id,
            "booking.create",
            "booking",
            booking.id,
            slot_id=slot.id,
            status=status,
        )
        if status is BookingStatus.CONFIRMED:
            await self._on_confirmed(booking, slot, site, actor_id=None)
        elif status is BookingStatus.REQUESTED:
            await self._ask_deciders(booking, slot, site)
        await self.uow.commit()
        slot = await self.uow.slots.get(slot.id, fresh=True)
        assert slot is not None
        return await self._booking_view(booking, slot, site, me)

    async def my_bookings(self, me: Identity) -> list[BookingView]:
        since = self.clock.now() - timedelta(days=30)
        return [
            await self._booking_view(booking, slot, site, me)
            for booking, slot, site in await self.uow.bookings.of_student(me.person_id)
            if booking.status in ACTIVE or slot.ends_at >= since
        ]

    async def cancel(self, me: Identity, booking_id: int) -> BookingView:
        booking, slot, site = await self._booking(booking_id)
        if booking.student_id != me.person_id:
            raise NotAllowed()
        now = self.clock.now()
        policy = await self.policy_for(site.season_id)
        if booking.status in HOLDING and now > slot.starts_at - policy.cancel_cutoff:
            raise Conflict("int-cancel-too-late", hours=self._hours(policy.cancel_cutoff))
        previous = booking.status
        if not await self.uow.bookings.transition(
            booking.id, ACTIVE, BookingStatus.CANCELLED, now, offer_expires_at=None
        ):
            raise Conflict("int-booking-not-active")
        await self.uow.audit.record(
            now, me.person_id, "booking.cancel", "booking", booking.id, was=previous
        )
        if previous in HOLDING:
            await self._free_seat(booking, slot, site, actor_id=me.person_id)
        if previous is BookingStatus.CONFIRMED:
            await self._notify_contact(site, "int-cancelled-contact", booking, slot)
        await self.uow.commit()
        return await self._reload_view(booking.id, me)

    async def answer_offer(self, me: Identity, booking_id: int, accept: bool) -> BookingView:
        booking, slot, site = await self._booking(booking_id)
        if booking.student_id != me.person_id:
            raise NotAllowed()
        now = self.clock.now()
        if accept:
            if booking.offer_expires_at is not None and booking.offer_expires_at <= now:
                raise Conflict("int-offer-expired")
            status = BookingStatus.CONFIRMED if site.auto_confirm else BookingStatus.REQUESTED
            if not await self.uow.bookings.transition(
                booking.id, {BookingStatus.OFFERED}, status, now, offer_expires_at=None
            ):
                raise Conflict("int-offer-gone")
            await self.uow.audit.record(
                now, me.person_id, "booking.offer_accept", "booking", booking.id
            )
            booking = await self._fresh(booking.id)
            if status is BookingStatus.CONFIRMED:
                await self._on_confirmed(booking, slot, site, actor_id=None)
            else:
                await self._ask_deciders(booking, slot, site)
        else:
            if not await self.uow.bookings.transition(
                booking.id,
                {BookingStatus.OFFERED},
                BookingStatus.CANCELLED,
                now,
                offer_expires_at=None,
            ):
                raise Conflict("int-offer-gone")
            await self.uow.audit.record(
                now, me.person_id, "booking.offer_decline", "booking", booking.id
            )
            await self._free_seat(booking, slot, site, actor_id=me.person_id)
        await self.uow.commit()
        return await self._reload_view(booking.id, me)

    async def decide(self, me: Identity, booking_id: int, confirm: bool) -> BookingView:
        booking, slot, site = await self._booking(booking_id)
        if not await self._can_decide(me, booking, site):
            raise NotAllowed()
        now = self.clock.now()
        to = BookingStatus.CONFIRMED if confirm else BookingStatus.DECLINED
        if not await self.uow.bookings.transition(
            booking.id, {BookingStatus.REQUESTED}, to, now, decided_at=now, decided_by=me.person_id
        ):
            raise Conflict("int-already-decided", status=self._status_text(booking.status))
        await self.uow.audit.record(
            now, me.person_id, "booking.decide", "booking", booking.id, decision=to
        )
        booking = await self._fresh(booking.id)
        if confirm:
            await self._on_confirmed(booking, slot, site, actor_id=me.person_id)
        else:
            await self._notify_student(booking, slot, site, "int-declined-notice")
            await self._free_seat(booking, slot, site, actor_id=me.person_id)
        await self.uow.commit()
        return await self._reload_view(booking.id, me)

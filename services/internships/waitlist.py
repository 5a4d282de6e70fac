"""Seats changing hands: a confirmed booking's consequences (the ИУП task, the calendar file),
asking the deciders, and every freed seat offered to the first waitlisted student."""

from __future__ import annotations

from services.actions import BookingAction, BookingVerb
from services.domain import BookingStatus
from services.events import BookingCancelled, BookingConfirmed
from services.ics import event_ics
from services.internships.base import InternshipBase
from services.internships.views import TASK_KIND
from services.notify import Button
from services.people import display_name
from storage.models import Booking, Site, Slot


class Waitlist(InternshipBase):
    """Confirmation consequences and offers to the waitlist."""

    async def _on_confirmed(
        self, booking: Booking, slot: Slot, site: Site, actor_id: int | None
    ) -> None:
        policy = await self.policy_for(site.season_id)
        student = await self.uow.people.get(booking.student_id)
        lang = student.language if student else None
        title = self.texts.get(
            f"int-task-title-{slot.kind.value}", lang, organisation=site.organisation
        )
        description = self.texts.get(
            "int-task-description",
            lang,
            address=site.address,
            when=policy.span(slot.starts_at, slot.ends_at),
        )
        task_id = await self.consequences.booking_confirmed(
            BookingConfirmed(
                booking.id,
                season_id=site.season_id,
                student_id=booking.student_id,
                kind=TASK_KIND[slot.kind],
                title=title,
                description=description,
                starts_at=slot.starts_at,
                actor_id=actor_id,
            )
        )
        await self.uow.bookings.set_task(booking.id, task_id)
        if student is None:
            return
        await self.notifier.send_text(
            student,
            self.texts.get(
                "int-confirmed-notice",
                lang,
                organisation=site.organisation,
                address=site.address,
                when=policy.span(slot.starts_at, slot.ends_at),
            ),
            person_id=student.id,
            dedupe_key=f"booking-confirmed:{booking.id}",
        )
        content = event_ics(
            uid=f"booking-{booking.id}@kadry-bot",
            summary=title,
            location=f"{site.organisation}, {site.address}",
            description=slot.requirements,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            timezone=str(policy.timezone),
            stamp=self.clock.now(),
        )
        await self.notifier.send_file(
            student,
            f"booking-{booking.id}.ics",
            content,
            caption=self.texts.get("int-ics-caption", lang),
            person_id=student.id,
            dedupe_key=f"booking-ics:{booking.id}",
        )

    async def _ask_deciders(self, booking: Booking, slot: Slot, site: Site) -> None:
        policy = await self.policy_for(site.season_id)
        deciders = await self._mentors_of(booking.student_id, site.season_id)
        if site.contact_person_id is not None and site.contact_person_id not in deciders:
            deciders.insert(0, site.contact_person_id)
        people = await self.uow.tasks.people([*deciders, booking.student_id])
        student = people.get(booking.student_id)
        for person_id in deciders:
            person = people.get(person_id)
            if person is None:
                continue
            lang = person.language
            await self.notifier.send_text(
                person,
                self.texts.get(
                    "int-request-notice",
                    lang,
                    student=display_name(student, self.texts, lang) if student else "—",
                    organisation=site.organisation,
                    kind=self.texts.get(f"int-kind-{slot.kind.value}", lang),
                    when=policy.span(slot.starts_at, slot.ends_at),
                ),
                buttons=self._decision_buttons(booking.id, lang),
                person_id=person.id,
                dedupe_key=f"booking-request:{booking.id}:{person.id}:{int(self.clock.now().timestamp())}",
                subject=f"booking:{booking.id}",
            )

    async def _free_seat(
        self, booking: Booking, slot: Slot, site: Site, actor_id: int | None
    ) -> None:
        """The booking gave its seat up: drop its ИУП task and offer the seat on."""
        now = self.clock.now()
        if booking.task_id is not None:
            await self.consequences.booking_cancelled(
                BookingCancelled(booking.id, booking.task_id, actor_id)
            )
            await self.uow.bookings.set_task(booking.id, None)
        await self.uow.slots.release_seat(slot.id, now)
        await self._offer_next(slot, site)

    async def _offer_next(self, slot: Slot, site: Site) -> bool:
        """Offer a free seat to the first waitlisted student (the seat is held for them)."""
        now = self.clock.now()
        if slot.starts_at <= now:
            return False
        # Never at night: the offer waits for the morning, and its time limit counts daytime
        # only, so it cannot run out (and pass the seat on) while the student may not be told.
        quiet = await self.reminders.policy_for(site.season_id)
        told_at = quiet.outside_quiet_hours(now)
        if told_at >= slot.starts_at:
            return False  # the student could only hear of it after the start
        candidate = await self.uow.bookings.first_waitlisted(slot.id)
        if candidate is None:
            return False
        if not await self.uow.slots.take_seat(slot.id, now, only_open=False):
            return False
        policy = await self.policy_for(site.season_id)
        until = min(quiet.after_daytime(now, policy.offer_time), slot.starts_at)
        if not await self.uow.bookings.transition(
            candidate.id,
            {BookingStatus.WAITLISTED},
            BookingStatus.OFFERED,
            now,
            offer_expires_at=until,
        ):
            await self.uow.slots.release_seat(slot.id, now)
            return False
        await self.uow.audit.record(now, None, "booking.offer", "booking", candidate.id)
        student = await self.uow.people.get(candidate.student_id)
        if student is not None:
            lang = student.language
            await self.notifier.send_text(
                student,
                self.texts.get(
                    "int-offer-notice",
                    lang,
                    organisation=site.organisation,
                    when=policy.span(slot.starts_at, slot.ends_at),
                    until=policy.format(until),
                ),
                buttons=[
                    [
                        Button.doing(
                            self.texts.get("int-btn-accept", lang),
                            BookingAction(verb=BookingVerb.ACCEPT_OFFER, booking=candidate.id),
                        ),
                        Button.doing(
                            self.texts.get("int-btn-refuse", lang),
                            BookingAction(verb=BookingVerb.REFUSE_OFFER, booking=candidate.id),
                        ),
                    ]
                ],
                person_id=student.id,
                dedupe_key=f"booking-offer:{candidate.id}:{int(now.timestamp())}",
                not_before=told_at,
            )
        return True

"""Attendance: marked by mentors and site contacts, asked for after a slot ends by the
scheduler's sweep, which also expires unanswered offers."""

from __future__ import annotations

from services.actions import BookingAction, BookingVerb
from services.domain import Attendance, BookingStatus
from services.errors import Conflict, NotAllowed
from services.events import AttendanceMarked
from services.internships.views import SWEEP_BATCH, BookingView, SweepReport
from services.internships.waitlist import Waitlist
from services.notify import Button, Keyboard
from services.people import Identity, display_name
from storage.models import Booking, Person, Site, Slot


class AttendanceUseCases(Waitlist):
    """Marking attendance and the scheduler's sweep."""

    async def mark_attendance(self, me: Identity, booking_id: int, attended: bool) -> BookingView:
        booking, slot, site = await self._booking(booking_id)
        if not await self._can_decide(me, booking, site):
            raise NotAllowed()
        now = self.clock.now()
        if slot.starts_at > now:
            raise Conflict("int-attendance-early")
        value = Attendance.ATTENDED if attended else Attendance.NO_SHOW
        if not await self.uow.bookings.set_attendance(booking.id, value, me.person_id, now):
            raise Conflict("int-attendance-done")
        if booking.task_id is not None:
            # The internship is a mandatory ИУП task: attending it is what completes it.
            await self.consequences.attendance_marked(
                AttendanceMarked(booking.id, booking.task_id, attended, me.person_id)
            )
        await self.uow.audit.record(
            now,
            me.person_id,
            "booking.attendance",
            "booking",
            booking.id,
            student_id=booking.student_id,
            slot_id=slot.id,
            attendance=value,
        )
        await self.uow.commit()
        return await self._reload_view(booking.id, me)

    async def sweep(self, limit: int = SWEEP_BATCH) -> SweepReport:
        now = self.clock.now()
        report = SweepReport()
        for booking_id in await self.uow.bookings.expired_offers(now, limit):
            if not await self.uow.bookings.expire_offer(booking_id, now):
                continue  # answered or expired by someone else meanwhile
            report.expired += 1
            booking, slot, site = await self._booking(booking_id)
            await self.uow.audit.record(now, None, "booking.offer_expire", "booking", booking_id)
            await self._notify_student(booking, slot, site, "int-offer-expired-notice")
            await self.uow.slots.release_seat(slot.id, now)
            report.offered += int(await self._offer_next(slot, site))
        for ended in await self.uow.slots.ended_not_asked(now, limit):
            owner = await self.uow.sites.get(ended.site_id)
            if owner is None or owner.contact_person_id is None:
                continue  # asked once a contact is bound
            if not await self.uow.slots.mark_asked(ended.id, now):
                continue
            report.attendance_asked += int(await self._ask_attendance(ended, owner))
        if report.expired or report.attendance_asked or report.offered:
            await self.uow.commit()
        return report

    async def _ask_attendance(self, slot: Slot, site: Site) -> bool:
        contact = (
            await self.uow.people.get(site.contact_person_id) if site.contact_person_id else None
        )
        if contact is None:
            return False
        rows = await self.uow.bookings.of_slot(slot.id, {BookingStatus.CONFIRMED})
        rows = [(b, p) for b, p in rows if b.attendance is None]
        if not rows:
            return False
        lang = contact.language
        policy = await self.policy_for(site.season_id)
        await self.notifier.send_text(
            contact,
            self.texts.get(
                "int-attendance-ask",
                lang,
                organisation=site.organisation,
                when=policy.span(slot.starts_at, slot.ends_at),
            ),
            buttons=self._attendance_buttons(rows, lang),
            person_id=contact.id,
            dedupe_key=f"slot-attendance:{slot.id}",
        )
        return True

    def _attendance_buttons(self, rows: list[tuple[Booking, Person]], lang: str | None) -> Keyboard:
        t = self.texts.get
        keyboard: Keyboard = []
        for booking, person in rows[:40]:
            name = display_name(person, self.texts, lang)[:40]
            keyboard.append(
                [
                    Button.doing(
                        t("int-btn-attended", lang, student=name),
                        BookingAction(verb=BookingVerb.ATTENDED, booking=booking.id),
                    ),
                    Button.doing(
                        t("int-btn-no-show", lang, student=name),
                        BookingAction(verb=BookingVerb.ABSENT, booking=booking.id),
                    ),
                ]
            )
        return keyboard

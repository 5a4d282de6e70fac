"""What every bookings use case shares: the season's booking policy, loading bookings and
slots, rendering their views, the site contact's and mentors' rights, notices to one person."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from services.actions import BookingAction, BookingVerb
from services.clock import Clock
from services.domain import BookingStatus, Role, TeamRole
from services.errors import NotAllowed, NotFound
from services.events import Consequences
from services.i18n import Texts
from services.internships.slot_wizard import parse_capacity
from services.internships.views import HOLDING, BookingPolicy, BookingView, SlotView
from services.notify import Button, Keyboard, Notifier
from services.people import Identity, display_name
from services.reminders import ReminderService
from storage.models import Booking, BookingSettings, Site, Slot
from storage.uow import UnitOfWork


class InternshipBase:
    """The service's state and the helpers its use cases share."""

    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        notifier: Notifier,
        texts: Texts,
        reminders: ReminderService,
        consequences: Consequences,
        default_timezone: str = "Europe/Moscow",
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.notifier = notifier
        self.texts = texts
        self.reminders = reminders
        self.consequences = consequences
        self.default_timezone = default_timezone
        self._policies: dict[int, BookingPolicy] = {}

    async def policy_for(self, season_id: int) -> BookingPolicy:
        if season_id not in self._policies:
            season = await self.uow.seasons.get(season_id)
            zone = ZoneInfo(
                season.timezone if season and season.timezone else self.default_timezone
            )
            settings = await self.uow.booking_settings.get(season_id)
            if settings is None:
                policy = BookingPolicy(zone)
            else:
                policy = BookingPolicy(
                    zone,
                    timedelta(minutes=settings.cancel_cutoff_minutes),
                    timedelta(minutes=settings.offer_minutes),
                )
            self._policies[season_id] = policy
        return self._policies[season_id]

    async def set_settings(
        self, season_id: int, cancel_cutoff: timedelta, offer_time: timedelta
    ) -> None:
        await self.uow.booking_settings.put(
            BookingSettings(
                season_id=season_id,
                cancel_cutoff_minutes=int(cancel_cutoff.total_seconds() // 60),
                offer_minutes=int(offer_time.total_seconds() // 60),
                updated_at=self.clock.now(),
            )
        )
        self._policies.pop(season_id, None)
        await self.uow.commit()

    async def _slot_view(self, slot: Slot, site: Site, waitlisted: int = 0) -> SlotView:
        policy = await self.policy_for(site.season_id)
        return SlotView(
            id=slot.id,
            site_id=site.id,
            organisation=site.organisation,
            address=site.address,
            direction=site.direction,
            kind=slot.kind,
            when=policy.span(slot.starts_at, slot.ends_at),
            starts_at=slot.starts_at,
            capacity=slot.capacity,
            taken=slot.seats_taken,
            left=max(slot.capacity - slot.seats_taken, 0),
            requirements=slot.requirements,
            directions=list(slot.directions or []),
            status=slot.status,
            ended=slot.ends_at <= self.clock.now(),
            waitlisted=waitlisted,
        )

    @staticmethod
    def _suits(slot: Slot, site: Site, direction: str) -> bool:
        wanted = direction.casefold()
        return site.direction.casefold() == wanted or any(
            d.casefold() == wanted for d in slot.directions or []
        )

    async def _season_of(self, me: Identity) -> int:
        season = await self.uow.seasons.current()
        if season is None:
            raise NotFound("int-no-season")
        if not (me.has_in_season(Role.STUDENT, season.id) or me.has(Role.OFFICE)):
            raise NotAllowed()
        return season.id

    async def _mentors_of(self, student_id: int, season_id: int) -> list[int]:
        mentors: list[int] = []
        for membership in await self.uow.teams.memberships_of(student_id):
            if membership.role is not TeamRole.STUDENT:
                continue
            team = await self.uow.teams.get(membership.team_id)
            if team is None or team.season_id != season_id:
                continue
            for member, _ in await self.uow.teams.members(team.id, TeamRole.MENTOR):
                if member.person_id not in mentors:
                    mentors.append(member.person_id)
        return mentors

    async def _can_decide(self, me: Identity, booking: Booking, site: Site) -> bool:
        if me.has(Role.OFFICE) or site.contact_person_id == me.person_id:
            return True
        return me.person_id in await self._mentors_of(booking.student_id, site.season_id)

    async def _own_sites(self, me: Identity) -> list[Site]:
        sites = await self.uow.sites.of_contact(me.person_id)
        if not sites:
            raise NotAllowed("slots-no-site" if me.has(Role.SITE_CONTACT) else None)
        return sites

    async def _own_slot(self, me: Identity, slot_id: int) -> tuple[Slot, Site]:
        slot = await self.uow.slots.get(slot_id, fresh=True)
        if slot is None:
            raise NotFound("int-slot-unknown")
        site = await self.uow.sites.get(slot.site_id)
        assert site is not None
        if site.contact_person_id != me.person_id and not me.has(Role.OFFICE):
            raise NotAllowed()
        return slot, site

    @staticmethod
    def _capacity(text: str) -> int:
        return parse_capacity(text)

    def _decision_buttons(self, booking_id: int, lang: str | None) -> Keyboard:
        t = self.texts.get
        return [
            [
                Button.doing(
                    t("int-btn-confirm", lang),
                    BookingAction(verb=BookingVerb.CONFIRM, booking=booking_id),
                ),
                Button.doing(
                    t("int-btn-decline", lang),
                    BookingAction(verb=BookingVerb.DECLINE, booking=booking_id),
                ),
            ]
        ]

    async def _notify_student(
        self, booking: Booking, slot: Slot, site: Site, key: str, **args: Any
    ) -> None:
        student = await self.uow.people.get(booking.student_id)
        if student is None:
            return
        policy = await self.policy_for(site.season_id)
        # What others decided for the student (a decline, an expired offer) waits for the
        # morning if it happens at night.
        quiet = await self.reminders.policy_for(site.season_id)
        await self.notifier.send_text(
            student,
            self.texts.get(
                key,
                student.language,
                organisation=site.organisation,
                when=policy.span(slot.starts_at, slot.ends_at),
                **args,
            ),
            person_id=student.id,
            dedupe_key=f"booking-{key}:{booking.id}:{int(self.clock.now().timestamp())}",
            not_before=quiet.outside_quiet_hours(self.clock.now()),
        )

    async def _notify_contact(self, site: Site, key: str, booking: Booking, slot: Slot) -> None:
        if site.contact_person_id is None:
            return
        people = await self.uow.tasks.people([site.contact_person_id, booking.student_id])
        contact, student = people.get(site.contact_person_id), people.get(booking.student_id)
        if contact is None:
            return
        policy = await self.policy_for(site.season_id)
        await self.notifier.send_text(
            contact,
            self.texts.get(
                key,
                contact.language,
                student=display_name(student, self.texts, contact.language) if student else "—",
                when=policy.span(slot.starts_at, slot.ends_at),
            ),
            person_id=contact.id,
            dedupe_key=f"booking-{key}:{booking.id}:{int(self.clock.now().timestamp())}",
            subject=f"booking:{booking.id}",
        )

    @staticmethod
    def _hours(delta: timedelta) -> int:
        return int(delta.total_seconds() // 3600)

    def _status_text(self, status: BookingStatus) -> str:
        return self.texts.get(f"int-status-{status.value}")

    async def _booking(self, booking_id: int) -> tuple[Booking, Slot, Site]:
        booking = await self.uow.bookings.get(booking_id, fresh=True)
        if booking is None:
            raise NotFound("int-booking-unknown")
        slot = await self.uow.slots.get(booking.slot_id, fresh=True)
        assert slot is not None
        site = await self.uow.sites.get(slot.site_id)
        assert site is not None
        return booking, slot, site

    async def _fresh(self, booking_id: int) -> Booking:
        booking = await self.uow.bookings.get(booking_id, fresh=True)
        assert booking is not None
        return booking

    async def _fresh_slot(self, slot_id: int) -> Slot:
        slot = await self.uow.slots.get(slot_id, fresh=True)
        assert slot is not None
        return slot

    async def _reload_view(self, booking_id: int, me: Identity) -> BookingView:
        booking, slot, site = await self._booking(booking_id)
        return await self._booking_view(booking, slot, site, me)

    async def _booking_view(
        self, booking: Booking, slot: Slot, site: Site, me: Identity
    ) -> BookingView:
        policy = await self.policy_for(site.season_id)
        now = self.clock.now()
        own = booking.student_id == me.person_id
        student = await self.uow.people.get(booking.student_id)
        cancellable = booking.status is BookingStatus.WAITLISTED or (
            booking.status in HOLDING and now <= slot.starts_at - policy.cancel_cutoff
        )
        return BookingView(
            id=booking.id,
            status=booking.status,
            slot=await self._slot_view(slot, site),
            student=display_name(student, self.texts, me.language) if student else "—",
            offer_until=policy.format(booking.offer_expires_at)
            if booking.offer_expires_at
            else None,
            attendance=booking.attendance,
            can_cancel=own and cancellable,
            can_answer_offer=own and booking.status is BookingStatus.OFFERED,
        )

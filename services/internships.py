"""Internships and professional trials: sites and slots, booking with capacity and a waitlist,
confirmation, offers to the waitlist, the ИУП task and calendar file, attendance.

Seats are counted by the database: a booking takes a seat with a conditional increment of
`slots.seats_taken` (`… WHERE seats_taken < capacity`, and a CHECK constraint), so however many
students press «Записаться» at once, no more than `capacity` hold a seat; the others are
waitlisted. A booking holds a seat while it is requested, confirmed or offered. Every freed seat
is offered to the first waitlisted student, who must accept it within the offer time; the
scheduler's sweep expires unanswered offers and offers the seat to the next one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from services.actions import BookingAction, BookingVerb
from services.clock import Clock
from services.errors import Conflict, InvalidInput, NotAllowed, NotFound
from services.file_problems import FileInvalid, FileProblem
from services.i18n import Texts
from services.ics import event_ics
from services.invitations import INVITE_PREFIX, SITE_LABEL, InvitationService
from services.notify import Button, Keyboard, Notifier
from services.people import Identity
from services.plans import PlanService
from services.reminders import display_name
from services.sites_file import MAX_CAPACITY, SiteEntry, SlotEntry, read_sites, requested_season
from services.text_fit import trim, visible_length
from storage.models import (
    Attendance,
    Booking,
    BookingSettings,
    BookingStatus,
    Invitation,
    Person,
    Role,
    Site,
    Slot,
    SlotKind,
    SlotStatus,
    TaskKind,
    TeamRole,
)
from storage.uow import UnitOfWork

HOLDING = frozenset({BookingStatus.REQUESTED, BookingStatus.CONFIRMED, BookingStatus.OFFERED})
ACTIVE = HOLDING | {BookingStatus.WAITLISTED}
DEFAULT_CANCEL_CUTOFF = timedelta(hours=24)
DEFAULT_OFFER_TIME = timedelta(hours=12)
SWEEP_BATCH = 200
SLOT_STEPS = ("site", "kind", "start", "end", "capacity", "reqs", "dirs", "confirm")
TASK_KIND = {
    SlotKind.INTERNSHIP: TaskKind.INTERNSHIP,
    SlotKind.PROFESSIONAL_TRIAL: TaskKind.PROFESSIONAL_TRIAL,
}

_DATETIME = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s+(\d{1,2})[:.](\d{2})\s*$")
_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


@dataclass(frozen=True)
class BookingPolicy:
    timezone: ZoneInfo
    cancel_cutoff: timedelta = DEFAULT_CANCEL_CUTOFF
    offer_time: timedelta = DEFAULT_OFFER_TIME

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.timezone)

    def format(self, moment: datetime) -> str:
        return self.local(moment).strftime("%d.%m.%Y %H:%M")

    def span(self, starts_at: datetime, ends_at: datetime) -> str:
        start, end = self.local(starts_at), self.local(ends_at)
        if start.date() == end.date():
            return f"{start:%d.%m.%Y %H:%M}–{end:%H:%M}"
        return f"{start:%d.%m.%Y %H:%M} – {end:%d.%m.%Y %H:%M}"

    def page_start(self, now: datetime, page: int) -> date:
        """The first day of a page of seven days: today in the season's zone, then a week on
        per page (not calendar weeks: on a Sunday the first page still shows the week ahead)."""
        return self.local(now).date() + timedelta(weeks=page)

    def at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, tzinfo=self.timezone).astimezone(UTC)


@dataclass(frozen=True)
class SlotView:
    id: int
    site_id: int
    organisation: str
    address: str
    direction: str
    kind: SlotKind
    when: str
    starts_at: datetime
    capacity: int
    taken: int
    left: int
    requirements: str | None
    directions: list[str]
    status: SlotStatus
    ended: bool
    waitlisted: int = 0


@dataclass(frozen=True)
class BookingView:
    id: int
    status: BookingStatus
    slot: SlotView
    student: str
    offer_until: str | None = None
    attendance: Attendance | None = None
    can_cancel: bool = False
    can_answer_offer: bool = False
    can_decide: bool = False
    can_mark: bool = False


@dataclass(frozen=True)
class WeekView:
    """Seven days of open slots: `offset` 0 starts today, 1 a week later, and so on."""

    offset: int
    first: str  # the first and last day shown, dd.mm and dd.mm.yyyy
    last: str
    direction: str | None
    directions: list[str]
    slots: list[SlotView]
    later: str | None = None  # the day of the nearest open slot after these seven days


@dataclass(frozen=True)
class SlotCard:
    slot: SlotView
    bookings: list[BookingView]


@dataclass(frozen=True)
class SlotStep:
    step: str
    data: dict[str, Any]
    sites: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class ImportReport:
    sites_created: int = 0
    sites_updated: int = 0
    slots_created: int = 0
    slots_updated: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    # (site code, invitation payload or None when the contact is already bound)
    contacts: list[tuple[str, str | None]] = field(default_factory=list)


@dataclass
class SweepReport:
    expired: int = 0
    offered: int = 0
    attendance_asked: int = 0


def parse_local_datetime(text: str, policy: BookingPolicy) -> datetime:
    """ "ДД.ММ.ГГГГ ЧЧ:ММ" in the season's zone, as UTC."""
    match = _DATETIME.match(text)
    if match is None:
        raise InvalidInput("slot-start-format")
    day, month, year, hour, minute = (int(part) for part in match.groups())
    try:
        local = datetime(year, month, day, hour, minute, tzinfo=policy.timezone)
    except ValueError:
        raise InvalidInput("slot-date-invalid") from None
    return local.astimezone(UTC)


class InternshipService:
    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        notifier: Notifier,
        texts: Texts,
        plans: PlanService,
        default_timezone: str = "Europe/Moscow",
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.notifier = notifier
        self.texts = texts
        self.plans = plans
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

    # Views.

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

    # The student's side.

    async def _season_of(self, me: Identity) -> int:
        season = await self.uow.seasons.current()
        if season is None:
            raise NotFound("int-no-season")
        if not (me.has_in_season(Role.STUDENT, season.id) or me.has(Role.OFFICE)):
            raise NotAllowed()
        return season.id

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

    # Confirmation by the site contact or the student's mentor.

    async def _can_decide(self, me: Identity, booking: Booking, site: Site) -> bool:
        if me.has(Role.OFFICE) or site.contact_person_id == me.person_id:
            return True
        return me.person_id in await self._mentors_of(booking.student_id, site.season_id)

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
        if attended and booking.task_id is not None:
            # The internship is a mandatory ИУП task: attending it is what completes it.
            await self.plans.complete_programme_task(
                booking.task_id, me.person_id, f"booking:{booking.id}"
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

    # Consequences, inside the caller's transaction.

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
        task = await self.plans.add_programme_task(
            season_id=site.season_id,
            student_id=booking.student_id,
            kind=TASK_KIND[slot.kind],
            title=title,
            due_at=slot.starts_at,
            description=description,
            actor_id=actor_id,
            source=f"booking:{booking.id}",
        )
        await self.uow.bookings.set_task(booking.id, task.id)
        if student is None:
            return
        await self.notifier.send_text(
            student.tg_id,
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
            student.tg_id,
            f"booking-{booking.id}.ics",
            content,
            caption=self.texts.get("int-ics-caption", lang),
            person_id=student.id,
            dedupe_key=f"booking-ics:{booking.id}",
        )

    async def _free_seat(
        self, booking: Booking, slot: Slot, site: Site, actor_id: int | None
    ) -> None:
        """The booking gave its seat up: drop its ИУП task and offer the seat on."""
        now = self.clock.now()
        if booking.task_id is not None:
            await self.plans.remove_programme_task(
                booking.task_id, actor_id, f"booking:{booking.id}"
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
        quiet = await self.plans.reminders.policy_for(site.season_id)
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
                student.tg_id,
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
                person.tg_id,
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
        quiet = await self.plans.reminders.policy_for(site.season_id)
        await self.notifier.send_text(
            student.tg_id,
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
            contact.tg_id,
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

    # The scheduler's sweep: expired offers, attendance requests.

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
            contact.tg_id,
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

    # The site contact's /slots.

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

    async def my_slots(self, me: Identity) -> list[SlotView]:
        sites = {site.id: site for site in await self._own_sites(me)}
        since = self.clock.now() - timedelta(days=14)
        slots = await self.uow.slots.of_sites(list(sites), since)
        counts = await self.uow.bookings.count_by_status([s.id for s in slots])
        return [
            await self._slot_view(
                slot, sites[slot.site_id], counts.get((slot.id, BookingStatus.WAITLISTED.value), 0)
            )
            for slot in slots
        ]

    async def slot_card(self, me: Identity, slot_id: int) -> SlotCard:
        slot, site = await self._own_slot(me, slot_id)
        rows = await self.uow.bookings.of_slot(slot.id)
        waitlisted = sum(1 for b, _ in rows if b.status is BookingStatus.WAITLISTED)
        view = await self._slot_view(slot, site, waitlisted)
        now = self.clock.now()
        bookings = []
        for booking, person in rows:
            if booking.status not in ACTIVE and booking.attendance is None:
                continue
            bookings.append(
                BookingView(
                    id=booking.id,
                    status=booking.status,
                    slot=view,
                    student=display_name(person, self.texts, me.language),
                    attendance=booking.attendance,
                    can_decide=booking.status is BookingStatus.REQUESTED,
                    can_mark=booking.status is BookingStatus.CONFIRMED
                    and booking.attendance is None
                    and slot.starts_at <= now,
                )
            )
        return SlotCard(view, bookings)

    async def set_capacity(self, me: Identity, slot_id: int, text: str) -> SlotView:
        slot, site = await self._own_slot(me, slot_id)
        capacity = self._capacity(text)
        now = self.clock.now()
        if not await self.uow.slots.set_capacity(slot.id, capacity, now):
            raise InvalidInput("slot-capacity-below-taken", taken=slot.seats_taken)
        await self.uow.audit.record(
            now, me.person_id, "slot.capacity", "slot", slot.id, capacity=capacity
        )
        slot = await self._fresh_slot(slot.id)
        while slot.seats_taken < slot.capacity and await self._offer_next(slot, site):
            slot = await self._fresh_slot(slot.id)
        await self.uow.commit()
        return await self._slot_view(slot, site)

    async def close_slot(self, me: Identity, slot_id: int) -> SlotView:
        slot, site = await self._own_slot(me, slot_id)
        now = self.clock.now()
        if not await self.uow.slots.close(slot.id, now):
            raise Conflict("slot-already-closed")
        await self.uow.audit.record(now, me.person_id, "slot.close", "slot", slot.id)
        await self.uow.commit()
        return await self._slot_view(await self._fresh_slot(slot.id), site)

    @staticmethod
    def _capacity(text: str) -> int:
        text = text.strip()
        if not text.isdigit():
            raise InvalidInput("slot-capacity-format")
        capacity = int(text)
        if not 1 <= capacity <= MAX_CAPACITY:
            raise InvalidInput("slot-capacity-range", max=MAX_CAPACITY)
        return capacity

    # The "add a slot" dialogue: every answer is saved in a draft; the FSM state is a cursor.

    async def slot_begin(self, me: Identity) -> SlotStep:
        sites = await self._own_sites(me)
        data: dict[str, Any] = {}
        step = "site"
        if len(sites) == 1:
            data = {"site_id": sites[0].id, "site": sites[0].organisation}
            step = "kind"
        await self.uow.slot_drafts.save(me.person_id, step, data, self.clock.now())
        await self.uow.commit()
        return await self.slot_current(me)

    async def slot_current(self, me: Identity) -> SlotStep:
        draft = await self.uow.slot_drafts.get(me.person_id)
        if draft is None:
            raise Conflict("slot-draft-stale")
        sites = []
        if draft.step == "site":
            sites = [(s.id, s.organisation) for s in await self._own_sites(me)]
        return SlotStep(draft.step, dict(draft.data), sites)

    async def _advance(self, me: Identity, step: str, data: dict[str, Any]) -> SlotStep:
        await self.uow.slot_drafts.save(me.person_id, step, data, self.clock.now())
        await self.uow.commit()
        return await self.slot_current(me)

    async def _slot_draft(self, me: Identity, *steps: str) -> tuple[str, dict[str, Any]]:
        await self._own_sites(me)  # only a site's contact has a dialogue to continue
        draft = await self.uow.slot_drafts.get(me.person_id)
        if draft is None or (steps and draft.step not in steps):
            raise Conflict("slot-draft-stale")
        return draft.step, dict(draft.data)

    async def slot_pick(self, me: Identity, what: str, value: str) -> SlotStep:
        _, data = await self._slot_draft(me, what)
        if what == "site":
            sites = {site.id: site for site in await self._own_sites(me)}
            if not value.isdigit() or int(value) not in sites:
                raise NotAllowed()
            data.update(site_id=int(value), site=sites[int(value)].organisation)
            return await self._advance(me, "kind", data)
        if what == "kind":
            try:
                data["kind"] = SlotKind(value).value
            except ValueError:
                raise NotAllowed() from None
            return await self._advance(me, "start", data)
        raise NotAllowed()

    async def slot_text(self, me: Identity, text: str) -> SlotStep:
        step, data = await self._slot_draft(me)
        text = trim(text)
        site = await self.uow.sites.get(int(data.get("site_id", 0)))
        if site is None or site.contact_person_id != me.person_id:
            raise NotAllowed()
        policy = await self.policy_for(site.season_id)
        now = self.clock.now()
        if step == "start":
            start = parse_local_datetime(text, policy)
            if start <= now:
                raise InvalidInput("slot-start-past")
            if start - now > timedelta(days=400):
                raise InvalidInput("slot-start-far")
            data.update(start=start.isoformat(), start_text=policy.format(start))
        elif step == "end":
            start = datetime.fromisoformat(data["start"])
            match = _TIME.match(text)
            if match is not None:
                hour, minute = int(match.group(1)), int(match.group(2))
                if hour > 23 or minute > 59:
                    raise InvalidInput("slot-time-invalid")
                end = policy.at(policy.local(start).date(), time(hour, minute))
            elif _DATETIME.match(text):
                end = parse_local_datetime(text, policy)
            else:
                raise InvalidInput("slot-end-format")
            if end <= start:
                raise InvalidInput("slot-end-before-start", start=policy.format(start))
            if end - start > timedelta(days=31):
                raise InvalidInput("slot-too-long")
            data.update(end=end.isoformat(), when=policy.span(start, end))
        elif step == "capacity":
            data["capacity"] = self._capacity(text)
        elif step == "reqs":
            if len(text) > 1000:
                raise InvalidInput("slot-reqs-long")
            data["reqs"] = text
        elif step == "dirs":
            directions = [trim(d) for d in re.split(r"[,;\n]", text) if visible_length(d)]
            if not directions or any(len(d) > 100 for d in directions) or len(directions) > 10:
                raise InvalidInput("slot-dirs-invalid")
            data["dirs"] = directions
        else:
            raise InvalidInput(f"slot-expect-{step}")
        return await self._advance(me, SLOT_STEPS[SLOT_STEPS.index(step) + 1], data)

    async def slot_skip(self, me: Identity) -> SlotStep:
        step, data = await self._slot_draft(me, "reqs", "dirs")
        data.pop(step, None)
        return await self._advance(me, SLOT_STEPS[SLOT_STEPS.index(step) + 1], data)

    async def slot_back(self, me: Identity) -> SlotStep:
        step, data = await self._slot_draft(me)
        index = max(SLOT_STEPS.index(step) - 1, 0)
        if SLOT_STEPS[index] == "site" and len(await self._own_sites(me)) == 1:
            index = 1
        return await self._advance(me, SLOT_STEPS[index], data)

    async def slot_cancel(self, me: Identity) -> None:
        await self.uow.slot_drafts.drop(me.person_id)
        await self.uow.commit()

    async def slot_confirm(self, me: Identity) -> SlotView:
        """Create the slot from the draft; a second tap finds no draft and creates nothing."""
        _, data = await self._slot_draft(me, "confirm")
        site = await self.uow.sites.get(int(data["site_id"]))
        if site is None or site.contact_person_id != me.person_id:
            raise NotAllowed()
        now = self.clock.now()
        start = datetime.fromisoformat(data["start"])
        if start <= now:
            raise InvalidInput("slot-start-past")
        kind = SlotKind(data["kind"])
        if await self.uow.slots.by_natural_key(site.id, kind, start) is not None:
            raise Conflict("slot-exists")
        slot = await self.uow.slots.add(
            Slot(
                site_id=site.id,
                kind=kind,
                starts_at=start,
                ends_at=datetime.fromisoformat(data["end"]),
                capacity=int(data["capacity"]),
                seats_taken=0,
                requirements=data.get("reqs"),
                directions=list(data.get("dirs") or []),
                status=SlotStatus.OPEN,
                created_by=me.person_id,
                created_at=now,
                updated_at=now,
            )
        )
        await self.uow.slot_drafts.drop(me.person_id)
        await self.uow.audit.record(
            now, me.person_id, "slot.create", "slot", slot.id, site_id=site.id
        )
        await self.uow.commit()
        return await self._slot_view(slot, site)

    # Import (the office's CLI now, the season file later): parsed data in, errors with paths.

    async def import_sites(
        self, data: Any, season_code: str | None = None, *, commit: bool = True
    ) -> ImportReport:
        """Create or update sites and their slots, keyed by the site's `code` and the slot's
        (kind, start); create a one-time contact invitation for each site without a contact.
        Nothing is written when the file has any error (services/sites_file.py checks it)."""
        report = ImportReport()
        requested = season_code or requested_season(data)
        season = await (
            self.uow.seasons.by_code(requested) if requested else self.uow.seasons.current()
        )
        if season is None:
            return self._refused(report, [FileProblem("season", "file-season-unknown")])
        policy = await self.policy_for(season.id)
        try:
            parsed = read_sites(data, policy.timezone)
        except FileInvalid as invalid:
            return self._refused(report, invalid.problems)
        now = self.clock.now()
        for entry in parsed.sites:
            site = await self._import_site(season.id, entry, now, report)
            for slot in entry.slots:
                await self._import_slot(site, slot, now, report)
            report.contacts.append((site.code, await self._contact_link(site, now)))
        await self.uow.audit.record(
            now,
            None,
            "sites.import",
            "season",
            season.id,
            sites=report.sites_created + report.sites_updated,
            slots=report.slots_created + report.slots_updated,
        )
        if commit:
            await self.uow.commit()
        return report

    def _refused(self, report: ImportReport, problems: list[FileProblem]) -> ImportReport:
        report.errors.extend(
            (p.path or self.texts.get("file-whole"), p.text(self.texts)) for p in problems
        )
        return report

    async def _import_site(
        self, season_id: int, entry: SiteEntry, now: datetime, report: ImportReport
    ) -> Site:
        site = await self.uow.sites.by_code(season_id, entry.code)
        fields = entry.model_dump(include={"organisation", "address", "direction", "auto_confirm"})
        if site is None:
            report.sites_created += 1
            return await self.uow.sites.add(
                Site(season_id=season_id, code=entry.code, created_at=now, updated_at=now, **fields)
            )
        for key, value in fields.items():
            setattr(site, key, value)
        site.updated_at = now
        report.sites_updated += 1
        return site

    async def _contact_link(self, site: Site, now: datetime) -> str | None:
        """The site's open contact link (a new one when it has none that works), or None when
        its contact is bound."""
        if site.contact_person_id is not None:
            return None
        invitation = await self._open_invitation(site.invitation_id)
        if invitation is None:
            invitations = InvitationService(self.uow, self.clock, self.notifier)
            invitation = await invitations.issue(
                Role.SITE_CONTACT, site.season_id, label=f"{SITE_LABEL}{site.code}", now=now
            )
            site.invitation_id = invitation.id
        return INVITE_PREFIX + invitation.code

    async def _open_invitation(self, invitation_id: int | None) -> Invitation | None:
        if invitation_id is None:
            return None
        invitation = await self.uow.session.get(Invitation, invitation_id)
        if invitation is None or not invitation.is_open(self.clock.now()):
            return None  # used, revoked by the office or expired: the site gets a new link
        return invitation

    async def _import_slot(
        self, site: Site, entry: SlotEntry, now: datetime, report: ImportReport
    ) -> None:
        slot = await self.uow.slots.by_natural_key(site.id, entry.kind, entry.start)
        if slot is None:
            await self.uow.slots.add(
                Slot(
                    site_id=site.id,
                    kind=entry.kind,
                    starts_at=entry.start,
                    ends_at=entry.end,
                    capacity=entry.capacity,
                    seats_taken=0,
                    requirements=entry.requirements,
                    directions=entry.directions,
                    status=SlotStatus.OPEN,
                    created_at=now,
                    updated_at=now,
                )
            )
            report.slots_created += 1
            return
        await self.uow.slots.update_fields(
            slot.id,
            now,
            ends_at=entry.end,
            capacity=max(entry.capacity, slot.seats_taken),
            requirements=entry.requirements,
            directions=entry.directions,
        )
        report.slots_updated += 1

    # Helpers.

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

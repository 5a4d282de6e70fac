"""The bookings feature's policy, constants and the value types its screens show."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from services.domain import Attendance, BookingStatus, SlotKind, SlotStatus, TaskKind
from services.errors import InvalidInput

HOLDING = frozenset({BookingStatus.REQUESTED, BookingStatus.CONFIRMED, BookingStatus.OFFERED})
ACTIVE = HOLDING | {BookingStatus.WAITLISTED}
DEFAULT_CANCEL_CUTOFF = timedelta(hours=24)
DEFAULT_OFFER_TIME = timedelta(hours=12)
SWEEP_BATCH = 200
TASK_KIND = {
    SlotKind.INTERNSHIP: TaskKind.INTERNSHIP,
    SlotKind.PROFESSIONAL_TRIAL: TaskKind.PROFESSIONAL_TRIAL,
}

LOCAL_DATETIME = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s+(\d{1,2})[:.](\d{2})\s*$")


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
    match = LOCAL_DATETIME.match(text)
    if match is None:
        raise InvalidInput("slot-start-format")
    day, month, year, hour, minute = (int(part) for part in match.groups())
    try:
        local = datetime(year, month, day, hour, minute, tzinfo=policy.timezone)
    except ValueError:
        raise InvalidInput("slot-date-invalid") from None
    return local.astimezone(UTC)

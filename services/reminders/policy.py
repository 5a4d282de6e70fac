"""A season's reminder rules and the schedules they give: when a task's reminders go (before
the deadline, on its morning, overdue, escalation to the tutors) and when an event's do, quiet
hours applied. Pure: no database, no messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.domain import TaskKind, TaskStatus
from storage.models import PlanSettings

SNOOZE = "snooze"
DIGEST = "digest"
OVERDUE = "overdue"
DUE_MORNING = "due_morning"
ESCALATION = "escalation"
ESCALATION_TUTOR = "escalation_tutor"
SWEEP_BATCH = 500
# A student is not reminded about what they already handed in.
OPEN_STATUSES = frozenset({TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS, TaskStatus.RETURNED})
DIGEST_STATUSES = OPEN_STATUSES
# Internships and professional trials are events at a time, not deadlines: the student is
# reminded a day and two hours before the start, and nothing is "overdue" about them.
EVENT_KINDS = frozenset({TaskKind.INTERNSHIP, TaskKind.PROFESSIONAL_TRIAL})
EVENT_OFFSETS = (("start_1d", timedelta(days=1)), ("start_2h", timedelta(hours=2)))


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _time(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


@dataclass(frozen=True)
class ReminderPolicy:
    """A season's reminder rules in its time zone (defaults: the programme's)."""

    timezone: ZoneInfo
    before_days: tuple[int, ...] = (3, 1)
    due_morning: time = time(9, 0)
    escalation_after: timedelta = timedelta(days=2)
    quiet_start: time = time(21, 0)
    quiet_end: time = time(9, 0)
    digest_at: time = time(9, 0)
    digest_weekdays_only: bool = True

    @classmethod
    def from_settings(cls, timezone: str, settings: PlanSettings | None) -> ReminderPolicy:
        zone = ZoneInfo(timezone)
        if settings is None:
            return cls(zone)
        return cls(
            zone,
            before_days=tuple(sorted({int(d) for d in settings.before_days}, reverse=True)),
            due_morning=_time(settings.due_morning_minute),
            escalation_after=timedelta(days=settings.escalation_after_days),
            quiet_start=_time(settings.quiet_start_minute),
            quiet_end=_time(settings.quiet_end_minute),
            digest_at=_time(settings.digest_minute),
            digest_weekdays_only=settings.digest_weekdays_only,
        )

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.timezone)

    def at_local(self, day: date, moment: time) -> datetime:
        """The UTC instant of a wall-clock time on a local date."""
        return datetime.combine(day, moment, tzinfo=self.timezone).astimezone(ZoneInfo("UTC"))

    def in_quiet_hours(self, moment: datetime) -> bool:
        now = _minutes(self.local(moment).time())
        start, end = _minutes(self.quiet_start), _minutes(self.quiet_end)
        if start == end:
            return False
        if start > end:  # across midnight: 21:00–09:00
            return now >= start or now < end
        return start <= now < end

    def outside_quiet_hours(self, moment: datetime) -> datetime:
        """The moment itself, or, if it falls in quiet hours, the end of them (local morning)."""
        if not self.in_quiet_hours(moment):
            return moment
        local = self.local(moment)
        day = local.date()
        start, end = _minutes(self.quiet_start), _minutes(self.quiet_end)
        if start > end and _minutes(local.time()) >= start:
            day += timedelta(days=1)
        return self.at_local(day, self.quiet_end)

    def next_quiet_start(self, moment: datetime) -> datetime:
        """The first start of quiet hours after `moment`."""
        day = self.local(moment).date()
        start = self.at_local(day, self.quiet_start)
        while start <= moment:
            day += timedelta(days=1)
            start = self.at_local(day, self.quiet_start)
        return start

    def after_daytime(self, start: datetime, length: timedelta) -> datetime:
        """The moment `length` of daytime (time outside quiet hours) has passed since `start`:
        the night does not count, so a time limit never runs out while a child may not be
        written to (12 hours from 11:37 end at 11:37 the next day, not at 23:37)."""
        if self.quiet_start == self.quiet_end:
            return start + length
        moment = self.outside_quiet_hours(start)
        left = length
        while True:
            night = self.next_quiet_start(moment)
            if moment + left <= night:
                return moment + left
            left -= night - moment
            moment = self.outside_quiet_hours(night)

    def snooze_until(self, now: datetime, mode: str) -> datetime:
        if mode == "h":
            return self.outside_quiet_hours(now + timedelta(hours=1))
        tomorrow = self.local(now).date() + timedelta(days=1)
        return self.outside_quiet_hours(self.at_local(tomorrow, self.due_morning))

    def next_digest(self, now: datetime) -> datetime:
        """Today's digest moment if today still has one (before quiet hours), else the next
        digest day's."""
        local = self.local(now)
        day = local.date()
        if self._digest_day(day) and not (
            _minutes(local.time()) >= _minutes(self.quiet_start) and self.in_quiet_hours(now)
        ):
            return self.at_local(day, self.digest_at)
        day += timedelta(days=1)
        while not self._digest_day(day):
            day += timedelta(days=1)
        return self.at_local(day, self.digest_at)

    def _digest_day(self, day: date) -> bool:
        return not self.digest_weekdays_only or day.weekday() < 5

    def format(self, moment: datetime) -> str:
        return self.local(moment).strftime("%d.%m.%Y %H:%M")


@dataclass(frozen=True)
class PlannedReminder:
    kind: str
    due_at: datetime
    person_id: int
    dedupe_key: str


def schedule_for(
    task_id: int,
    student_id: int,
    due_at: datetime,
    policy: ReminderPolicy,
    now: datetime,
    tutor_ids: list[int] | tuple[int, ...] = (),
) -> list[PlannedReminder]:
    """The reminders a task due at `due_at` should get, quiet hours applied, past ones dropped.

    Keys name the due moment, so moving the date plans a fresh set while a reminder already
    sent for the same deadline is never planned again.
    """
    stamp = int(due_at.timestamp())
    base = f"task:{task_id}:{stamp}"
    wanted: list[tuple[str, datetime, int, str]] = []
    for days in policy.before_days:
        kind = f"before_{days}d"
        wanted.append((kind, due_at - timedelta(days=days), student_id, f"{base}:{kind}"))
    morning = policy.at_local(policy.local(due_at).date(), policy.due_morning)
    if morning < due_at:
        wanted.append((DUE_MORNING, morning, student_id, f"{base}:{DUE_MORNING}"))
    wanted.append((OVERDUE, due_at, student_id, f"{base}:{OVERDUE}"))
    escalation = due_at + policy.escalation_after
    wanted.append((ESCALATION, escalation, student_id, f"{base}:{ESCALATION}"))
    for tutor_id in tutor_ids:
        wanted.append(
            (ESCALATION_TUTOR, escalation, tutor_id, f"{base}:{ESCALATION_TUTOR}:{tutor_id}")
        )

    planned: dict[tuple[int, datetime], tuple[int, PlannedReminder]] = {}
    for order, (kind, moment, person_id, key) in enumerate(wanted):
        at = policy.outside_quiet_hours(moment)
        if at <= now:
            continue
        if kind.startswith("before_") and at >= due_at:
            continue  # pushed past the deadline by quiet hours: the later ones cover it
        # Two reminders landing on one moment (1 day before shifted to the due morning): one.
        planned[(person_id, at)] = (order, PlannedReminder(kind, at, person_id, key))
    return [r for _, r in sorted(planned.values(), key=lambda item: (item[1].due_at, item[0]))]


def event_schedule_for(
    task_id: int, student_id: int, starts_at: datetime, policy: ReminderPolicy, now: datetime
) -> list[PlannedReminder]:
    """Reminders before an event (an internship): a day and two hours before its start, moved
    out of quiet hours; one pushed to or past the start, or already past, is dropped."""
    base = f"task:{task_id}:{int(starts_at.timestamp())}"
    planned: dict[datetime, PlannedReminder] = {}
    for kind, offset in EVENT_OFFSETS:
        at = policy.outside_quiet_hours(starts_at - offset)
        if at <= now or at >= starts_at or at in planned:
            continue
        planned[at] = PlannedReminder(kind, at, student_id, f"{base}:{kind}")
    return sorted(planned.values(), key=lambda r: r.due_at)

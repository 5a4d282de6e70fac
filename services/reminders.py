"""Deadline reminders: planning rows with a task, quiet hours, the sweep, snooze, team digests.

Reminders are database rows planned in the same transaction as the task they are about. The
scheduler only runs `sweep()`, which claims due rows (SKIP LOCKED on PostgreSQL), marks them
sent and queues the message into the outbox keyed `reminder:<id>` — all in one transaction —
so a crash, a restart or a second bot process never loses or doubles a reminder.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.actions import PlanAction, PlanVerb, SnoozeAction, SnoozeVerb
from services.clock import Clock
from services.domain import TaskKind, TaskStatus, TeamRole
from services.errors import Conflict, NotAllowed, NotFound
from services.i18n import Texts
from services.notify import Button, Keyboard, Notifier, TextMessage
from services.people import Identity
from storage.models import Person, PlanSettings, PlanTask, Team
from storage.repositories.plans import ClaimedReminder
from storage.uow import UnitOfWork

logger = logging.getLogger(__name__)


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


def display_name(person: Person, texts: Texts, language: str | None = None) -> str:
    """The person's name, or a neutral label before it is known (never a phone or username)."""
    return person.full_name or texts.get("plan-person-anon", language, id=person.id)


@dataclass
class SweepResult:
    sent: int = 0
    postponed: int = 0
    cancelled: int = 0
    ids: list[int] = field(default_factory=list)


class ReminderService:
    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        notifier: Notifier,
        texts: Texts,
        default_timezone: str = "Europe/Moscow",
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.notifier = notifier
        self.texts = texts
        self.default_timezone = default_timezone
        self._policies: dict[int, ReminderPolicy] = {}

    async def policy_for(self, season_id: int) -> ReminderPolicy:
        if season_id not in self._policies:
            season = await self.uow.seasons.get(season_id)
            zone = season.timezone if season and season.timezone else self.default_timezone
            settings = await self.uow.plan_settings.get(season_id)
            self._policies[season_id] = ReminderPolicy.from_settings(zone, settings)
        return self._policies[season_id]

    # Planning: called by the plan service inside its transaction; never commits.

    async def plan_for(self, task: PlanTask) -> list[PlannedReminder]:
        """(Re)plan a task's reminders: unsent planned ones are cancelled and the schedule for
        the current due date is planned (snoozes the student asked for are kept)."""
        await self.uow.reminders.cancel_for_task(task.id, keep_kinds=[SNOOZE])
        if task.due_at is None or task.status not in OPEN_STATUSES:
            return []
        policy = await self.policy_for(task.season_id)
        if task.kind in EVENT_KINDS:
            schedule = event_schedule_for(
                task.id, task.student_id, task.due_at, policy, self.clock.now()
            )
        else:
            tutors = await self._tutors(task)
            schedule = schedule_for(
                task.id, task.student_id, task.due_at, policy, self.clock.now(), tutors
            )
        await self.uow.reminders.plan(
            [
                dict(
                    task_id=task.id,
                    person_id=r.person_id,
                    kind=r.kind,
                    due_at=r.due_at,
                    dedupe_key=r.dedupe_key,
                )
                for r in schedule
            ],
            self.clock.now(),
        )
        return schedule

    async def cancel_for(self, task_id: int) -> int:
        return await self.uow.reminders.cancel_for_task(task_id)

    async def _tutors(self, task: PlanTask) -> list[int]:
        if task.team_id is None:
            return []
        return [m.person_id for m, _ in await self.uow.teams.members(task.team_id, TeamRole.TUTOR)]

    # Snooze: a button on a delivered reminder.

    async def snooze(self, me: Identity, reminder_id: int, mode: str) -> tuple[datetime, str]:
        """Plan the reminder again in an hour or tomorrow morning (quiet hours respected).
        A second tap on the same button plans nothing more. Returns (when, local text)."""
        if mode not in ("h", "t"):
            raise NotAllowed()
        reminder = await self.uow.reminders.get(reminder_id)
        if reminder is None or reminder.person_id != me.person_id or reminder.task_id is None:
            raise NotAllowed()
        task = await self.uow.tasks.get(reminder.task_id)
        if task is None:
            raise NotFound()
        if task.status not in OPEN_STATUSES:
            raise Conflict("plan-snooze-closed")
        policy = await self.policy_for(task.season_id)
        key = f"snooze:{reminder_id}"
        at = policy.snooze_until(self.clock.now(), mode)
        added = await self.uow.reminders.add_once(
            dict(task_id=task.id, person_id=me.person_id, kind=SNOOZE, due_at=at, dedupe_key=key),
            self.clock.now(),
        )
        if not added:
            existing = await self.uow.reminders.by_key(key)
            assert existing is not None
            at = existing.due_at
        else:
            await self.uow.commit()
        return at, policy.format(at)

    # Digests: one row per team chat per local date, planned ahead, filled in at send time.

    async def plan_digests(self) -> int:
        teams = await self.uow.teams.with_chat()
        if not teams:
            return 0
        now = self.clock.now()
        wanted: dict[str, tuple[Team, datetime]] = {}
        for team in teams:
            policy = await self.policy_for(team.season_id)
            at = policy.next_digest(now)
            wanted[f"digest:{team.id}:{policy.local(at).date().isoformat()}"] = (team, at)
        existing = await self.uow.reminders.existing_keys(list(wanted))
        added = 0
        for key, (team, at) in wanted.items():
            if key in existing:
                continue
            row = dict(
                team_id=team.id, chat_id=team.chat_id, kind=DIGEST, due_at=at, dedupe_key=key
            )
            added += int(await self.uow.reminders.add_once(row, now))
        if added:
            await self.uow.commit()
        return added

    # The sweep.

    async def sweep(self, limit: int = SWEEP_BATCH) -> SweepResult:
        """Claim one batch of due reminders and queue their messages; one transaction."""
        now = self.clock.now()
        rows = await self.uow.reminders.claim_due(now, limit)
        result = SweepResult()
        if not rows:
            return result  # nothing claimed: nothing to commit (and no sender wake-up)
        tasks = await self.uow.tasks.by_ids(r.task_id for r in rows if r.task_id is not None)
        people = await self.uow.tasks.people(
            {r.person_id for r in rows if r.person_id is not None}
            | {t.student_id for t in tasks.values()}
        )
        teams = await self.uow.teams.by_ids(r.team_id for r in rows if r.team_id is not None)
        by_attendance = await self.uow.bookings.booked_tasks(tasks)
        outgoing: list[TextMessage] = []
        for row in rows:
            outcome = await self._deliver(row, now, tasks, people, teams, by_attendance, outgoing)
            if outcome == "sent":
                result.sent += 1
                result.ids.append(row.id)
            elif outcome == "postponed":
                result.postponed += 1
            else:
                result.cancelled += 1
        # The messages go into the outbox in the transaction that marks their rows sent.
        await self.notifier.send_texts(outgoing)
        await self.uow.commit()
        return result

    async def sweep_all(self, limit: int = SWEEP_BATCH) -> SweepResult:
        total = SweepResult()
        while True:
            batch = await self.sweep(limit)
            total.sent += batch.sent
            total.postponed += batch.postponed
            total.cancelled += batch.cancelled
            total.ids.extend(batch.ids)
            if batch.sent + batch.postponed + batch.cancelled < limit:
                return total

    async def _deliver(
        self,
        row: ClaimedReminder,
        now: datetime,
        tasks: dict[int, PlanTask],
        people: dict[int, Person],
        teams: dict[int, Team],
        by_attendance: set[int],
        outgoing: list[TextMessage],
    ) -> str:
        if row.kind == DIGEST:
            return await self._deliver_digest(row, now, teams, outgoing)
        task = tasks.get(row.task_id) if row.task_id is not None else None
        person = people.get(row.person_id) if row.person_id is not None else None
        if task is None or task.deleted_at is not None or person is None:
            await self.uow.reminders.cancel(row.id)
            return "cancelled"
        if task.status not in OPEN_STATUSES or task.due_at is None:
            await self.uow.reminders.cancel(row.id)
            return "cancelled"
        policy = await self.policy_for(task.season_id)
        if policy.in_quiet_hours(now):
            # Planned outside quiet hours, but due now at night (the bot was down, or the
            # settings changed): it waits for the morning.
            await self.uow.reminders.postpone(row.id, policy.outside_quiet_hours(now))
            return "postponed"
        text = self._reminder_text(row.kind, task, person, people, policy, now)
        if text is None:
            # Sent this late (the bot was down), it would announce what has already happened:
            # the deadline's own reminder or the start itself said it.
            await self.uow.reminders.cancel(row.id)
            return "cancelled"
        buttons = (
            self._tutor_buttons(task, person.language)
            if row.kind == ESCALATION_TUTOR
            else self._student_buttons(
                task, row, person.language, submittable=task.id not in by_attendance
            )
        )
        outgoing.append(
            TextMessage(person.tg_id, text, buttons, person.id, dedupe_key=f"reminder:{row.id}")
        )
        return "sent"

    def _reminder_text(
        self,
        kind: str,
        task: PlanTask,
        person: Person,
        people: dict[int, Person],
        policy: ReminderPolicy,
        now: datetime,
    ) -> str | None:
        """The reminder's text, its relative times computed now, from the real time left: the
        kind says when the reminder was meant to go, not how much time is left when it does
        (quiet hours move it, a restart delays it). None when it has nothing left to say."""
        assert task.due_at is not None
        language = person.language
        student = people.get(task.student_id)
        args: dict[str, object] = dict(
            title=task.title,
            due=policy.format(task.due_at),
            student=display_name(student, self.texts, language) if student else "—",
        )
        left = task.due_at - now
        if task.kind in EVENT_KINDS:
            if left <= timedelta(0):
                return None
            key = "reminder-start-2h" if kind == "start_2h" else "reminder-start-1d"
            return self.texts.get(key, language, left=self.span(left, language), **args)
        if kind in (ESCALATION, ESCALATION_TUTOR):
            late = self.span(now - task.due_at, language)
            return self.texts.get(f"reminder-{kind.replace('_', '-')}", language, late=late, **args)
        if kind == OVERDUE or (kind == SNOOZE and left <= timedelta(0)):
            return self.texts.get("reminder-overdue", language, **args)
        if kind == SNOOZE:
            return self.texts.get("reminder-snoozed", language, **args)
        if left <= timedelta(0):
            return None
        today = policy.local(now).date() == policy.local(task.due_at).date()
        key = "reminder-due-today" if today else "reminder-before"
        return self.texts.get(key, language, left=self.span(left, language), **args)

    def span(self, length: timedelta, language: str | None = None) -> str:
        """A stretch of time in words, as it follows «через» or «на»: whole days and hours
        from a day on («2 дня 14 часов»), hours and minutes below it («1 час 59 минут»),
        rounded to the nearest unit shown; never less than a minute."""
        minutes = max(round(length.total_seconds() / 60), 1)
        if minutes >= 24 * 60:
            days, hours = divmod(round(minutes / 60), 24)
            parts = (("reminder-span-days", days), ("reminder-span-hours", hours))
        else:
            hours, minutes = divmod(minutes, 60)
            parts = (("reminder-span-hours", hours), ("reminder-span-minutes", minutes))
        return " ".join(self.texts.get(key, language, n=n) for key, n in parts if n)

    def _student_buttons(
        self, task: PlanTask, row: ClaimedReminder, language: str, *, submittable: bool
    ) -> Keyboard:
        """Only buttons that work for the student: «Сдать задачу» unless attendance completes
        the task (a booked internship); snoozing unless it is an event at a time, where «an hour
        later» or «tomorrow» may fall after the start."""
        t = self.texts.get
        first = [
            Button.doing(t("plan-btn-open", language), PlanAction(verb=PlanVerb.OPEN, task=task.id))
        ]
        if submittable:
            first.append(
                Button.doing(
                    t("plan-btn-submit", language),
                    PlanAction(verb=PlanVerb.ASK_EVIDENCE, task=task.id),
                )
            )
        if task.kind in EVENT_KINDS:
            return [first]
        return [
            first,
            [
                Button.doing(
                    t("reminder-btn-hour", language),
                    SnoozeAction(verb=SnoozeVerb.AN_HOUR, reminder=row.id),
                ),
                Button.doing(
                    t("reminder-btn-tomorrow", language),
                    SnoozeAction(verb=SnoozeVerb.TILL_TOMORROW, reminder=row.id),
                ),
            ],
        ]

    def _tutor_buttons(self, task: PlanTask, language: str) -> Keyboard:
        text = self.texts.get("plan-btn-open", language)
        return [[Button.doing(text, PlanAction(verb=PlanVerb.OPEN, task=task.id))]]

    async def _deliver_digest(
        self,
        row: ClaimedReminder,
        now: datetime,
        teams: dict[int, Team],
        outgoing: list[TextMessage],
    ) -> str:
        team = teams.get(row.team_id) if row.team_id is not None else None
        if team is None or team.chat_id is None:
            await self.uow.reminders.cancel(row.id)
            return "cancelled"
        policy = await self.policy_for(team.season_id)
        today = policy.local(now).date()
        if policy.local(row.due_at).date() != today:
            await self.uow.reminders.cancel(row.id)  # yesterday's digest is no news today
            return "cancelled"
        end_of_today = policy.at_local(today + timedelta(days=1), time(0, 0))
        rows = await self.uow.tasks.due_before(team.id, end_of_today, DIGEST_STATUSES)
        if not rows:
            await self.uow.reminders.cancel(row.id)
            return "cancelled"
        text = self.render_digest(rows, policy, now, today)
        outgoing.append(TextMessage(team.chat_id, text, dedupe_key=f"reminder:{row.id}"))
        return "sent"

    def render_digest(
        self,
        rows: list[tuple[PlanTask, Person]],
        policy: ReminderPolicy,
        now: datetime,
        today: date,
    ) -> str:
        get = self.texts.get
        due_today = [(t, p) for t, p in rows if t.due_at is not None and t.due_at > now]
        overdue = [(t, p) for t, p in rows if t.due_at is not None and t.due_at <= now]
        lines = [get("digest-title", date=today.strftime("%d.%m.%Y"))]
        if due_today:
            lines.append(get("digest-today"))
            lines.extend(
                get(
                    "digest-line",
                    name=display_name(p, self.texts),
                    title=t.title,
                    due=policy.local(t.due_at).strftime("%H:%M") if t.due_at else "",
                )
                for t, p in due_today
            )
        if overdue:
            lines.append(get("digest-overdue"))
            lines.extend(
                get(
                    "digest-line",
                    name=display_name(p, self.texts),
                    title=t.title,
                    due=policy.format(t.due_at) if t.due_at else "",
                )
                for t, p in overdue
            )
        return "\n".join(lines)

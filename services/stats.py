"""/stats: the current season at a glance, as a typed snapshot, and its charts sent as files.

The office sees the whole season; a mentor sees the applications ranking their ideas and their
own teams (with their students' tasks, bookings and reminders); anyone else is refused. The
numbers come from a handful of aggregate queries (storage/repositories/stats.py); what is left
to Python works on grouped rows (hours, dates of birth, statuses), never on one row per
application. Charts are drawn off the event loop (services/stats_charts.py, asyncio.to_thread)
and queued through the outbox as PNG documents, so they reach Telegram and MAX alike.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from services.applications.parents import consent_age
from services.clock import Clock
from services.domain import BookingStatus, ReviewStatus, Role, TaskStatus
from services.errors import DomainError, NotFound
from services.i18n import Texts, Translator
from services.notify import Notifier
from services.people import Identity
from services.stats_charts import ChartLabels, render_charts
from storage.repositories.stats import StatsScope
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

# How many municipalities a chart and the text name; the rest are summed as «другие».
TOP_MUNICIPALITIES = 10
# Bookings that hold a seat (booked, whatever the decision still to come).
HOLDING = frozenset({BookingStatus.REQUESTED, BookingStatus.CONFIRMED, BookingStatus.OFFERED})


class StatsNotAllowed(DomainError):
    """Neither the project office nor a mentor of the season."""

    key = "stats-not-allowed"


@dataclass(frozen=True)
class Funnel:
    started: int
    consented: int
    submitted: int
    reviewed: int
    accepted: int


@dataclass(frozen=True)
class IdeaCount:
    title: str
    students: int
    tutors: int

    @property
    def total(self) -> int:
        return self.students + self.tutors


@dataclass(frozen=True)
class TeamProgress:
    name: str
    stages: int
    approved: int
    submitted: int


@dataclass(frozen=True)
class TaskNumbers:
    total: int = 0
    done: int = 0
    submitted: int = 0
    overdue: int = 0


@dataclass(frozen=True)
class BookingNumbers:
    holding: int = 0
    waitlisted: int = 0
    cancelled: int = 0  # cancelled, declined or an offer that expired
    attended: int = 0
    no_show: int = 0


@dataclass(frozen=True)
class StatsSnapshot:
    """The season's numbers as one person may see them (`mine`: a mentor's share)."""

    season_name: str
    timezone: str
    taken_at: datetime
    mine: bool
    funnel: Funnel
    by_day: list[tuple[date, int, int]]  # local day, started, submitted
    by_municipality: list[tuple[str, int]]  # most first; «другие» last when cut
    by_role: dict[Role, int]
    ideas: list[IdeaCount]  # most first
    ages: dict[int, int]  # full years today -> submitted applications
    ages_unknown: int
    teams: list[TeamProgress]
    tasks: TaskNumbers = field(default_factory=TaskNumbers)
    bookings: BookingNumbers = field(default_factory=BookingNumbers)
    reminders_sent: int = 0
    scope_ideas: int = 0
    scope_teams: int = 0


class StatsService:
    def __init__(self, uow: UnitOfWork, clock: Clock, notifier: Notifier, texts: Texts) -> None:
        self.uow = uow
        self.clock = clock
        self.notifier = notifier
        self.texts = texts

    async def snapshot(self, me: Identity) -> StatsSnapshot:
        """The current season's numbers for `me`: all of them for the office, a mentor's own
        ideas and teams for a mentor; refused for anyone else."""
        season = await self.uow.seasons.current()
        if season is None:
            if me.has(Role.OFFICE) or me.has(Role.MENTOR):
                raise NotFound("stats-no-season")
            raise StatsNotAllowed()
        scope: StatsScope | None = None
        if not me.has(Role.OFFICE):
            if not me.has_in_season(Role.MENTOR, season.id):
                raise StatsNotAllowed()
            scope = await self.uow.stats.mentor_scope(season.id, me.person_id)
        now = self.clock.now()
        zone = ZoneInfo(season.timezone)
        repo, sid = self.uow.stats, season.id
        funnel = await repo.funnel(sid, scope)
        started, submitted = await repo.by_hour(sid, scope)
        municipality_names, idea_titles = await repo.names(sid)
        municipalities = await repo.by_answer(sid, scope, "municipality")
        births = await repo.by_answer(sid, scope, "birth_date")
        ideas_roles = await repo.by_idea_and_role(sid, scope)
        stages = await repo.team_stages(sid, scope)
        task_rows, overdue = await repo.tasks(sid, scope, now)
        booking_rows = await repo.bookings(sid, scope)
        reminders = await repo.reminders_sent(sid, scope)
        ages, unknown = _ages(births, now.astimezone(zone).date())
        roles = await repo.by_role(sid, scope)
        return StatsSnapshot(
            season_name=season.name,
            timezone=season.timezone,
            taken_at=now,
            mine=scope is not None,
            funnel=Funnel(**vars(funnel)),
            by_day=_by_day(started, submitted, zone),
            by_municipality=_municipalities(municipalities, municipality_names),
            by_role={role: count for role, count in roles if role is not None},
            ideas=_ideas(ideas_roles, idea_titles),
            ages=ages,
            ages_unknown=unknown,
            teams=_teams(stages),
            tasks=_tasks(task_rows, overdue),
            bookings=_bookings(booking_rows),
            reminders_sent=reminders,
            scope_ideas=len(scope.idea_ids) if scope else 0,
            scope_teams=len(scope.team_ids) if scope else 0,
        )

    async def send_charts(self, me: Identity, snapshot: StatsSnapshot) -> int:
        """Draw the snapshot's charts off the event loop and queue them to `me` as PNG
        documents; commits. Returns how many were queued."""
        t = self.texts.for_language(me.language)
        labels = chart_labels(t)
        charts = await asyncio.to_thread(render_charts, snapshot, labels)
        for filename, content in charts:
            await self.notifier.send_file(
                me.address, filename, content, caption=labels.caption, person_id=me.person_id
            )
        await self.uow.commit()
        log.info("stats charts queued: person=%s charts=%d", me.person_id, len(charts))
        return len(charts)


def chart_labels(t: Translator) -> ChartLabels:
    return ChartLabels(
        caption=t("stats-chart-caption"),
        funnel=t("stats-chart-funnel"),
        stages=(
            t("stats-funnel-started"),
            t("stats-funnel-consented"),
            t("stats-funnel-submitted"),
            t("stats-funnel-reviewed"),
            t("stats-funnel-accepted"),
        ),
        ages=t("stats-chart-ages"),
        days=t("stats-chart-days"),
        started=t("stats-chart-started"),
        submitted=t("stats-chart-submitted"),
        municipalities=t("stats-chart-municipalities"),
        ideas=t("stats-chart-ideas"),
        students=t("stats-chart-students"),
        tutors=t("stats-chart-tutors"),
        empty=t("stats-chart-empty"),
    )


def _ages(births: list[tuple[str | None, int]], today: date) -> tuple[dict[int, int], int]:
    """Full years today per date of birth (one row per distinct date, not per application)."""
    ages: Counter[int] = Counter()
    unknown = 0
    for value, count in births:
        try:
            born = date.fromisoformat(value) if value else None
        except ValueError:
            born = None
        if born is None:
            unknown += count
        else:
            ages[consent_age(born, today)] += count
    return dict(sorted(ages.items())), unknown


def _by_day(
    started: list[tuple[datetime, int]], submitted: list[tuple[datetime, int]], zone: ZoneInfo
) -> list[tuple[date, int, int]]:
    """UTC hours moved into the season's zone and summed per local day, every day between the
    first and the last shown (a day with nothing is a zero, not a gap)."""
    days: dict[date, list[int]] = {}
    for column, rows in ((0, started), (1, submitted)):
        for hour, count in rows:
            day = hour.astimezone(zone).date()
            days.setdefault(day, [0, 0])[column] += count
    if not days:
        return []
    first, last = min(days), max(days)
    span = [date.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1)]
    return [(day, *days.get(day, [0, 0])) for day in span]  # type: ignore[misc]


def _municipalities(
    rows: list[tuple[str | None, int]], names: dict[int, str]
) -> list[tuple[str, int]]:
    counted: Counter[str] = Counter()
    for value, count in rows:
        name = names.get(int(value)) if value and value.isdigit() else None
        counted[name or "—"] += count
    ordered = sorted(counted.items(), key=lambda item: (-item[1], item[0]))
    if len(ordered) <= TOP_MUNICIPALITIES:
        return ordered
    head, rest = ordered[: TOP_MUNICIPALITIES - 1], ordered[TOP_MUNICIPALITIES - 1 :]
    return [*head, (OTHERS, sum(count for _, count in rest))]


OTHERS = "другие"


def _ideas(rows: list[tuple[int, Role | None, int]], titles: dict[int, str]) -> list[IdeaCount]:
    per_idea: dict[int, list[int]] = {}
    for idea_id, role, count in rows:
        per_idea.setdefault(idea_id, [0, 0])[1 if role is Role.TUTOR else 0] += count
    ideas = [
        IdeaCount(titles.get(idea_id, "—"), students, tutors)
        for idea_id, (students, tutors) in per_idea.items()
    ]
    return sorted(ideas, key=lambda idea: (-idea.total, idea.title))


def _teams(rows: list[tuple[int, str, ReviewStatus | None, int]]) -> list[TeamProgress]:
    per_team: dict[int, tuple[str, Counter[ReviewStatus]]] = {}
    for team_id, name, status, count in rows:
        _, statuses = per_team.setdefault(team_id, (name, Counter()))
        if status is not None:
            statuses[status] += count
    return [
        TeamProgress(
            name,
            sum(statuses.values()),
            statuses[ReviewStatus.APPROVED],
            statuses[ReviewStatus.SUBMITTED],
        )
        for name, statuses in per_team.values()
    ]


def _tasks(rows: list[tuple[TaskStatus, int]], overdue: int) -> TaskNumbers:
    per_status = dict(rows)
    return TaskNumbers(
        total=sum(per_status.values()),
        done=per_status.get(TaskStatus.DONE, 0),
        submitted=per_status.get(TaskStatus.SUBMITTED, 0),
        overdue=overdue,
    )


def _bookings(rows: list[tuple[str, str | None, int]]) -> BookingNumbers:
    holding = waitlisted = cancelled = attended = no_show = 0
    for status, attendance, count in rows:
        if status in HOLDING:
            holding += count
        elif status == BookingStatus.WAITLISTED:
            waitlisted += count
        else:
            cancelled += count
        if attendance == "attended":
            attended += count
        elif attendance == "no_show":
            no_show += count
    return BookingNumbers(holding, waitlisted, cancelled, attended, no_show)

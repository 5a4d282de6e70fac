"""The digital profile («цифровой профиль, след»): a participant's path in the programme, read
from every feature's records — the application and its result, teams and roles, the roadmap
stages they contributed to, the ИУП tasks done, the internships and professional trials
attended — and, on request, the same as a PDF portfolio sent through the outbox.

Not a feature of its own: it only reads what the features wrote, through storage's repositories
(never through another feature's service, so the features stay independent). Who may see whose
profile is re-checked here on every call: the person themselves, the mentor or tutor of a team
the person is in, and the office; nobody else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from services.clock import Clock
from services.defence import published_results
from services.defence.marks import marks_text, team_marks
from services.domain import (
    Attendance,
    ReviewStatus,
    Role,
    SlotKind,
    TaskKind,
    TaskStatus,
    TeamRole,
)
from services.errors import NotAllowed
from services.i18n import Texts, Translator
from services.notify import Notifier
from services.people import Identity, display_name
from services.portfolio_pdf import render_portfolio
from storage.uow import UnitOfWork

STAFF_ROLES = (TeamRole.MENTOR, TeamRole.TUTOR)
PDF_FILENAME = "portfolio.pdf"


@dataclass(frozen=True)
class ApplicationLine:
    season: str
    number: str | None
    status: str  # an ApplicationStatus value: its result once the office has published it


@dataclass(frozen=True)
class TeamLine:
    name: str
    role: TeamRole


@dataclass(frozen=True)
class StageLine:
    team: str
    title: str


@dataclass(frozen=True)
class TaskLine:
    title: str
    kind: TaskKind


@dataclass(frozen=True)
class VisitLine:
    """An internship or professional trial the person attended (the site marked them present)."""

    kind: SlotKind
    organisation: str
    day: str  # dd.mm.yyyy in the season's time zone


@dataclass(frozen=True)
class ProfileView:
    person_id: int
    name: str
    applications: list[ApplicationLine]
    teams: list[TeamLine]
    stages: list[StageLine]
    tasks: list[TaskLine]
    visits: list[VisitLine]
    # The project's defence result, once the office published it (services/defence).
    defence: str | None = None


@dataclass(frozen=True)
class Member:
    """A team member whose profile a mentor may open from the roster."""

    id: int
    name: str


class ProfileService:
    def __init__(self, uow: UnitOfWork, clock: Clock, notifier: Notifier, texts: Texts) -> None:
        self.uow = uow
        self.clock = clock
        self.notifier = notifier
        self.texts = texts

    async def view(self, me: Identity, person_id: int | None = None) -> ProfileView:
        """`person_id`'s profile (one's own without it), if `me` may see it."""
        target = me.person_id if person_id is None else person_id
        await self._check_may_see(me, target)
        person = await self.uow.people.get(target)
        if person is None:
            raise NotAllowed()
        return ProfileView(
            person_id=target,
            name=display_name(person, self.texts, me.language),
            applications=await self._applications(target),
            teams=[
                TeamLine(team.name, role) for team, role in await self.uow.teams.teams_of(target)
            ],
            stages=await self._stages(target),
            tasks=[
                TaskLine(task.title, task.kind)
                for task in await self.uow.tasks.of_student(target)
                if task.status is TaskStatus.DONE and task.deleted_at is None
            ],
            visits=await self._visits(target),
            defence=await self._defence(target, me.language),
        )

    async def _defence(self, person_id: int, language: str) -> str | None:
        results = await published_results(self.uow, person_id)
        marks = await team_marks(self.uow, (row.team_id for _, row, _ in results))
        lines = [
            self.texts.get(
                "profile-defence-result",
                language,
                team=name,
                rank=row.rank,
                teams=of,
                mean=f"{row.mean:.2f}",
            )
            + (
                self.texts.get(
                    "profile-defence-marks",
                    language,
                    marks=marks_text(self.texts, language, marks[row.team_id]),
                )
                if row.team_id in marks
                else ""
            )
            for name, row, of in results
            if row.mean is not None
        ]
        return "; ".join(lines) or None

    async def send_portfolio(self, me: Identity, person_id: int | None = None) -> ProfileView:
        """Queue the profile as a PDF to `me` (through the outbox, as a document)."""
        view = await self.view(me, person_id)
        t = self.texts.for_language(me.language)
        content = render_portfolio(t("profile-pdf-title"), view.name, profile_sections(view, t))
        await self.notifier.send_file(
            me.address,
            PDF_FILENAME,
            content,
            caption=t("profile-pdf-caption", name=view.name),
            person_id=me.person_id,
        )
        await self.uow.commit()
        return view

    async def team_members(self, me: Identity, team_id: int) -> list[Member]:
        """The students of a team `me` mentors or tutors (or any team, for the office)."""
        role = await self.uow.teams.role_in(team_id, me.person_id)
        if role not in STAFF_ROLES and not me.has(Role.OFFICE):
            raise NotAllowed()
        return [
            Member(person.id, display_name(person, self.texts, me.language))
            for member, person in await self.uow.teams.members(team_id)
            if member.role is TeamRole.STUDENT
        ]

    async def _check_may_see(self, me: Identity, person_id: int) -> None:
        if person_id == me.person_id or me.has(Role.OFFICE):
            return
        for team, _ in await self.uow.teams.teams_of(me.person_id, STAFF_ROLES):
            if await self.uow.teams.member(team.id, person_id) is not None:
                return
        raise NotAllowed()

    async def _applications(self, person_id: int) -> list[ApplicationLine]:
        lines = []
        for application in await self.uow.applications.all_of_person(person_id):
            season = await self.uow.seasons.get(application.season_id)
            lines.append(
                ApplicationLine(
                    season.name if season else "—", application.number, application.status.value
                )
            )
        return lines

    async def _stages(self, person_id: int) -> list[StageLine]:
        """Stages the person handed in, and the approved stages of the teams they study in."""
        lines = []
        for team, role in await self.uow.teams.teams_of(person_id):
            for stage in await self.uow.stages.of_team(team.id):
                approved_for_student = (
                    role is TeamRole.STUDENT and stage.status is ReviewStatus.APPROVED
                )
                if stage.submitted_by == person_id or approved_for_student:
                    lines.append(StageLine(team.name, stage.title))
        return lines

    async def _visits(self, person_id: int) -> list[VisitLine]:
        visits = []
        zones: dict[int, ZoneInfo] = {}
        for booking, slot, site in await self.uow.bookings.of_student(person_id):
            if booking.attendance is not Attendance.ATTENDED:
                continue
            if site.season_id not in zones:
                season = await self.uow.seasons.get(site.season_id)
                zones[site.season_id] = ZoneInfo(season.timezone if season else "UTC")
            visits.append(
                VisitLine(slot.kind, site.organisation, _day(slot.starts_at, zones[site.season_id]))
            )
        return visits


def _day(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%d.%m.%Y")


Section = tuple[str, list[str]]


def profile_sections(view: ProfileView, t: Translator) -> list[Section]:
    """The profile as headed lists of lines: what the screen shows and the PDF prints."""
    none = [t("profile-none")]
    applications = [
        t(
            "profile-application-line",
            season=line.season,
            number=line.number or "—",
            status=t(f"profile-status-{line.status}"),
        )
        for line in view.applications
    ]
    teams = [
        t("profile-team-line", team=line.name, role=t(f"team-role-{line.role.value}"))
        for line in view.teams
    ]
    stages = [t("profile-stage-line", team=line.team, title=line.title) for line in view.stages]
    tasks = [
        t("profile-task-line", title=line.title, kind=t(f"plan-kind-{line.kind.value}"))
        for line in view.tasks
    ]
    visits = [
        t(
            "profile-visit-line",
            day=line.day,
            kind=t(f"int-kind-{line.kind.value}"),
            organisation=line.organisation,
        )
        for line in view.visits
    ]
    return [
        (t("profile-section-applications"), applications or none),
        (t("profile-section-teams"), teams or none),
        (t("profile-section-stages"), stages or none),
        (t("profile-section-tasks"), tasks or none),
        (t("profile-section-visits"), visits or none),
        (t("profile-section-defence"), [view.defence or t("profile-defence-pending")]),
    ]

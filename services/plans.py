"""ИУП: tasks of a student's individual learning plan — assign, work, submit, review.

Every action re-checks the actor's role and ownership (the tutor of the student's team, the
team's mentor, the office) and the task's current state; transitions are conditional updates,
so double taps and replays change nothing. Reminders are (re)planned in the same transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from services.actions import PlanAction, PlanVerb
from services.clock import Clock
from services.domain import Role, TaskKind, TaskStatus, TeamRole
from services.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound
from services.i18n import Texts
from services.notify import Button, Keyboard, Notifier
from services.people import Identity
from services.reminders import (
    OPEN_STATUSES,
    ReminderPolicy,
    ReminderService,
    display_name,
)
from services.text_fit import trim, visible_length
from storage.models import PlanTask, Team
from storage.uow import UnitOfWork

STATUS_ORDER = (
    TaskStatus.RETURNED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.ASSIGNED,
    TaskStatus.SUBMITTED,
    TaskStatus.DONE,
)
ASSIGN_STEPS = ("target", "kind", "title", "due", "link", "desc", "confirm")
MAX_TARGET_TEAMS = 20
TITLE_LIMIT = 200
LINK_LIMIT = 500
DESCRIPTION_LIMIT = 2000
EVIDENCE_LIMIT = 3000
COMMENT_LIMIT = 1000
_DUE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+(\d{1,2})[:.](\d{2}))?\s*$")
_URL = re.compile(r"^https?://\S+\.\S+$", re.IGNORECASE)


class DraftStale(Conflict):
    key = "plan-assign-stale"


@dataclass(frozen=True)
class Evidence:
    kind: str  # text, link, document, photo
    text: str | None = None
    file_id: str | None = None


@dataclass(frozen=True)
class TaskView:
    id: int
    kind: TaskKind
    title: str
    description: str | None
    link: str | None
    status: TaskStatus
    due: str | None
    overdue: bool
    student: str
    return_comment: str | None
    evidence_kind: str | None
    evidence_text: str | None
    # Put into the plan by a confirmed booking: the attendance mark completes it, not a submission.
    by_attendance: bool = False
    staff: bool = False  # the viewer reviews this student's tasks (not the student)
    can_start: bool = False
    can_submit: bool = False
    can_review: bool = False
    can_manage: bool = False


@dataclass(frozen=True)
class PlanView:
    reviewer: bool
    groups: list[tuple[TaskStatus, list[TaskView]]]


@dataclass(frozen=True)
class AssignTarget:
    kind: str  # "team" or "student"
    id: int
    label: str


@dataclass(frozen=True)
class AssignStep:
    step: str
    targets: list[AssignTarget]
    data: dict[str, Any]


@dataclass(frozen=True)
class _Access:
    owner: bool
    reviewer: bool
    manager: bool


def parse_due(text: str, policy: ReminderPolicy, now: datetime) -> datetime:
    """ "ДД.ММ.ГГГГ ЧЧ:ММ" or "ДД.ММ.ГГГГ" (then 23:59) in the season's zone, as UTC."""
    match = _DUE.match(text)
    if match is None:
        raise InvalidInput("plan-due-format")
    day, month, year, hour, minute = match.groups()
    try:
        local = datetime(
            int(year),
            int(month),
            int(day),
            int(hour) if hour is not None else 23,
            int(minute) if minute is not None else 59,
            tzinfo=policy.timezone,
        )
    except ValueError:
        raise InvalidInput("plan-due-invalid") from None
    due = local.astimezone(UTC)
    if due <= now:
        raise InvalidInput("plan-due-past")
    if (due - now).days > 2 * 366:
        raise InvalidInput("plan-due-far")
    return due


class PlanService:
    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        notifier: Notifier,
        texts: Texts,
        reminders: ReminderService,
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.notifier = notifier
        self.texts = texts
        self.reminders = reminders

    # Reading.

    async def plan_of(self, me: Identity) -> PlanView:
        """A student's own plan; for tutors, mentors and the office, their teams' tasks."""
        memberships = await self.uow.teams.memberships_of(me.person_id)
        staff_teams = [m.team_id for m in memberships if m.role is not TeamRole.STUDENT]
        own = await self.uow.tasks.of_student(me.person_id)
        if own or not (staff_teams or me.has(Role.OFFICE)):
            student = await self.uow.people.get(me.person_id)
            assert student is not None
            booked = await self.uow.bookings.booked_tasks(t.id for t in own)
            views = [await self._view(t, me, student=student, booked=booked) for t in own]
            return PlanView(False, self._group(views))
        if me.has(Role.OFFICE) and not staff_teams:
            season = await self.uow.seasons.current()
            teams = await self.uow.teams.in_season(season.id) if season else []
            staff_teams = [team.id for team in teams]
        rows = await self.uow.tasks.of_teams(staff_teams)
        booked = await self.uow.bookings.booked_tasks(t.id for t, _ in rows)
        views = [await self._view(t, me, student=p, booked=booked) for t, p in rows]
        return PlanView(True, self._group(views))

    async def task(self, me: Identity, task_id: int) -> TaskView:
        task = await self._task(task_id)
        await self._access(me, task)
        return await self._view(task, me)

    def _group(self, views: list[TaskView]) -> list[tuple[TaskStatus, list[TaskView]]]:
        return [
            (status, [v for v in views if v.status is status])
            for status in STATUS_ORDER
            if any(v.status is status for v in views)
        ]

    async def _view(
        self, task: PlanTask, me: Identity, student: Any = None, booked: set[int] | None = None
    ) -> TaskView:
        access = await self._access(me, task)
        by_attendance = task.id in booked if booked is not None else await self._by_attendance(task)
        policy = await self.reminders.policy_for(task.season_id)
        if student is None:
            student = await self.uow.people.get(task.student_id)
        open_ = task.status in OPEN_STATUSES
        return TaskView(
            id=task.id,
            kind=task.kind,
            title=task.title,
            description=task.description,
            link=task.link,
            status=task.status,
            due=policy.format(task.due_at) if task.due_at else None,
            overdue=bool(
                task.due_at
                and task.due_at <= self.clock.now()
                and task.status is not TaskStatus.DONE
            ),
            student=display_name(student, self.texts, me.language) if student else "—",
            return_comment=task.return_comment,
            evidence_kind=task.evidence_kind,
            evidence_text=task.evidence_text,
            by_attendance=by_attendance,
            staff=access.reviewer and not access.owner,
            can_start=access.owner
            and not by_attendance
            and task.status in (TaskStatus.ASSIGNED, TaskStatus.RETURNED),
            can_submit=access.owner and not by_attendance and open_,
            can_review=access.reviewer and task.status is TaskStatus.SUBMITTED,
            can_manage=access.manager and not by_attendance and task.status is not TaskStatus.DONE,
        )

    # The student's side.

    async def start(self, me: Identity, task_id: int) -> TaskView:
        task = await self._task(task_id)
        if not (await self._access(me, task)).owner:
            raise NotAllowed()
        await self._refuse_if_by_attendance(task)
        now = self.clock.now()
        changed = await self.uow.tasks.transition(
            task_id, {TaskStatus.ASSIGNED, TaskStatus.RETURNED}, TaskStatus.IN_PROGRESS, now
        )
        task = await self._task(task_id, fresh=True)
        if not changed and task.status is not TaskStatus.IN_PROGRESS:
            raise Conflict("plan-cannot-start")
        if changed:
            await self.uow.audit.record(now, me.person_id, "plan.start", "plan_task", task_id)
            await self.uow.commit()
        return await self._view(task, me)

    async def check_submit(self, me: Identity, task_id: int) -> TaskView:
        """Before asking for evidence: is this my task, and can it be submitted now?"""
        task = await self._task(task_id)
        if not (await self._access(me, task)).owner:
            raise NotAllowed()
        await self._refuse_if_by_attendance(task)
        if task.status not in OPEN_STATUSES:
            raise Conflict("plan-cannot-submit")
        return await self._view(task, me)

    async def submit(self, me: Identity, task_id: int, evidence: Evidence) -> TaskView:
        task = await self._task(task_id)
        if not (await self._access(me, task)).owner:
            raise NotAllowed()
        await self._refuse_if_by_attendance(task)
        if evidence.kind not in ("text", "link", "document", "photo"):
            raise InvalidInput("plan-evidence-unsupported")
        if evidence.text is not None and len(evidence.text) > EVIDENCE_LIMIT:
            raise InvalidInput("plan-evidence-long")
        if evidence.kind in ("text", "link") and not visible_length(evidence.text or ""):
            raise InvalidInput("plan-evidence-empty")
        now = self.clock.now()
        changed = await self.uow.tasks.transition(
            task_id,
            OPEN_STATUSES,
            TaskStatus.SUBMITTED,
            now,
            submitted_at=now,
            evidence_kind=evidence.kind,
            evidence_text=evidence.text,
            evidence_file_id=evidence.file_id,
        )
        if not changed:
            raise Conflict("plan-cannot-submit")
        task = await self._task(task_id, fresh=True)
        await self.reminders.cancel_for(task_id)
        await self.uow.audit.record(
            now, me.person_id, "plan.submit", "plan_task", task_id, evidence=evidence.kind
        )
        await self._notify_reviewers(task, evidence)
        await self.uow.commit()
        return await self._view(task, me)

    async def _notify_reviewers(self, task: PlanTask, evidence: Evidence) -> None:
        reviewers: list[int] = []
        if task.team_id is not None:
            for role in (TeamRole.TUTOR, TeamRole.MENTOR):
                reviewers = [
                    m.person_id for m, _ in await self.uow.teams.members(task.team_id, role)
                ]
                if reviewers:
                    break
        if (
            not reviewers
            and task.assigned_by is not None
            and await self._may_review(task.assigned_by, task)
        ):
            reviewers = [task.assigned_by]
        people = await self.uow.tasks.people([*reviewers, task.student_id])
        student = people.get(task.student_id)
        stamp = int(self.clock.now().timestamp())
        for person_id in reviewers:
            person = people.get(person_id)
            if person is None or person_id == task.student_id:
                continue
            lang = person.language
            name = display_name(student, self.texts, lang) if student else "—"
            if evidence.file_id is not None:
                await self.notifier.send_media(
                    person.tg_id,
                    evidence.kind,
                    evidence.file_id,
                    caption=self.texts.get("plan-evidence-caption", lang, title=task.title),
                    person_id=person.id,
                    dedupe_key=f"task-evidence:{task.id}:{stamp}:{person.id}",
                    subject=f"task:{task.id}",
                )
            text = self.texts.get(
                "plan-submitted-notice",
                lang,
                student=name,
                title=task.title,
                evidence=evidence.text or self.texts.get("plan-evidence-file", lang),
            )
            await self.notifier.send_text(
                person.tg_id,
                text,
                buttons=self._review_buttons(task.id, lang),
                person_id=person.id,
                dedupe_key=f"task-submitted:{task.id}:{stamp}:{person.id}",
                subject=f"task:{task.id}",
            )

    def _review_buttons(self, task_id: int, lang: str) -> Keyboard:
        t = self.texts.get
        return [
            [
                Button.doing(
                    t("plan-btn-approve", lang), PlanAction(verb=PlanVerb.APPROVE, task=task_id)
                ),
                Button.doing(
                    t("plan-btn-return", lang),
                    PlanAction(verb=PlanVerb.ASK_RETURN_COMMENT, task=task_id),
                ),
            ],
            [Button.doing(t("plan-btn-open", lang), PlanAction(verb=PlanVerb.OPEN, task=task_id))],
        ]

    # The reviewer's side (the tutor or the mentor of the team, or the office).

    async def check_review(self, me: Identity, task_id: int) -> TaskView:
        task = await self._task(task_id)
        if not (await self._access(me, task)).reviewer:
            raise NotAllowed()
        if task.status is not TaskStatus.SUBMITTED:
            raise Conflict("plan-already-decided")
        return await self._view(task, me)

    async def approve(self, me: Identity, task_id: int) -> TaskView:
        task = await self._task(task_id)
        if not (await self._access(me, task)).reviewer:
            raise NotAllowed()
        now = self.clock.now()
        changed = await self.uow.tasks.transition(
            task_id,
            {TaskStatus.SUBMITTED},
            TaskStatus.DONE,
            now,
            decided_at=now,
            decided_by=me.person_id,
            return_comment=None,
        )
        if not changed:
            raise Conflict("plan-already-decided")
        task = await self._task(task_id, fresh=True)
        await self.reminders.cancel_for(task_id)
        await self.uow.audit.record(
            now, me.person_id, "plan.decide", "plan_task", task_id, decision="done"
        )
        await self._notify_student(task, "plan-approved-notice", buttons=False)
        await self.uow.commit()
        return await self._view(task, me)

    async def return_task(self, me: Identity, task_id: int, comment: str) -> TaskView:
        task = await self._task(task_id)
        if not (await self._access(me, task)).reviewer:
            raise NotAllowed()
        comment = trim(comment)
        if visible_length(comment) < 2:
            raise InvalidInput("plan-comment-short")
        if len(comment) > COMMENT_LIMIT:
            raise InvalidInput("plan-comment-long")
        now = self.clock.now()
        changed = await self.uow.tasks.transition(
            task_id,
            {TaskStatus.SUBMITTED},
            TaskStatus.RETURNED,
            now,
            decided_at=now,
            decided_by=me.person_id,
            return_comment=comment,
        )
        if not changed:
            raise Conflict("plan-already-decided")
        task = await self._task(task_id, fresh=True)
        await self.reminders.plan_for(task)
        await self.uow.audit.record(
            now, me.person_id, "plan.decide", "plan_task", task_id, decision="returned"
        )
        await self._notify_student(task, "plan-returned-notice", buttons=True, comment=comment)
        await self.uow.commit()
        return await self._view(task, me)

    async def check_manage(self, me: Identity, task_id: int) -> TaskView:
        """Before asking for a new due date or a confirmation to delete: may I, and may it?"""
        task = await self._task(task_id)
        if not (await self._access(me, task)).manager or task.status is TaskStatus.DONE:
            raise NotAllowed()
        if await self._by_attendance(task):
            raise Conflict("plan-booking-task")
        return await self._view(task, me)

    async def move_due(self, me: Identity, task_id: int, text: str) -> TaskView:
        task = await self._task(task_id)
        if not (await self._access(me, task)).manager:
            raise NotAllowed()
        policy = await self.reminders.policy_for(task.season_id)
        now = self.clock.now()
        due = parse_due(text, policy, now)
        return await self.set_due(me, task_id, due)

    async def set_due(self, me: Identity, task_id: int, due: datetime) -> TaskView:
        task = await self._task(task_id)
        if not (await self._access(me, task)).manager:
            raise NotAllowed()
        if await self._by_attendance(task):
            raise Conflict("plan-booking-task")
        now = self.clock.now()
        statuses = {*OPEN_STATUSES, TaskStatus.SUBMITTED}
        if not await self.uow.tasks.set_due(task_id, due, statuses, now):
            raise Conflict("plan-cannot-move")
        task = await self._task(task_id, fresh=True)
        await self.reminders.plan_for(task)
        await self.uow.audit.record(now, me.person_id, "plan.move_due", "plan_task", task_id)
        policy = await self.reminders.policy_for(task.season_id)
        await self._notify_student(task, "plan-moved-notice", buttons=True, due=policy.format(due))
        await self.uow.commit()
        return await self._view(task, me)

    async def delete(self, me: Identity, task_id: int) -> str:
        task = await self._task(task_id)
        if not (await self._access(me, task)).manager:
            raise NotAllowed()
        if await self._by_attendance(task):
            raise Conflict("plan-booking-task")
        now = self.clock.now()
        if not await self.uow.tasks.mark_deleted(task_id, now):
            raise NotFound()
        await self.reminders.cancel_for(task_id)
        await self.uow.audit.record(now, me.person_id, "plan.delete", "plan_task", task_id)
        await self._notify_student(task, "plan-deleted-notice", buttons=False)
        await self.uow.commit()
        return task.title

    async def _notify_student(
        self, task: PlanTask, key: str, *, buttons: bool, **args: Any
    ) -> None:
        student = await self.uow.people.get(task.student_id)
        if student is None:
            return
        lang = student.language
        keyboard = None
        if buttons:
            keyboard = [
                [
                    Button.doing(
                        self.texts.get("plan-btn-open", lang),
                        PlanAction(verb=PlanVerb.OPEN, task=task.id),
                    )
                ]
            ]
        await self.notifier.send_text(
            student.tg_id,
            self.texts.get(key, lang, title=task.title, **args),
            buttons=keyboard,
            person_id=student.id,
            dedupe_key=f"task-{key}:{task.id}:{int(self.clock.now().timestamp())}",
        )

    # Assigning.

    async def assign(
        self,
        me: Identity,
        *,
        kind: TaskKind,
        title: str,
        due_at: datetime | None,
        team_id: int | None = None,
        student_id: int | None = None,
        link: str | None = None,
        description: str | None = None,
    ) -> list[PlanTask]:
        """Give a task to one student or to every student of a team; one transaction."""
        if (team_id is None) == (student_id is None):
            raise InvalidInput()
        if team_id is not None:
            team = await self._assignable_team(me, team_id)
            students = [p.id for _, p in await self.uow.teams.members(team.id, TeamRole.STUDENT)]
            if not students:
                raise DomainError("plan-team-empty")
            targets = [(s, team) for s in students]
        else:
            assert student_id is not None
            targets = [(student_id, await self._team_of_student(me, student_id))]
        now = self.clock.now()
        if due_at is not None and due_at <= now:
            raise InvalidInput("plan-due-past")
        tasks = []
        for sid, team in targets:
            task = await self.uow.tasks.add(
                PlanTask(
                    season_id=team.season_id,
                    student_id=sid,
                    team_id=team.id,
                    kind=kind,
                    title=title,
                    description=description,
                    link=link,
                    due_at=due_at,
                    status=TaskStatus.ASSIGNED,
                    assigned_by=me.person_id,
                    created_at=now,
                    updated_at=now,
                )
            )
            await self.reminders.plan_for(task)
            await self.uow.audit.record(
                now, me.person_id, "plan.assign", "plan_task", task.id, student_id=sid
            )
            policy = await self.reminders.policy_for(task.season_id)
            await self._notify_student(
                task,
                "plan-assigned-notice",
                buttons=True,
                due=policy.format(due_at) if due_at else "—",
            )
            tasks.append(task)
        await self.uow.commit()
        return tasks

    # Tasks the programme itself puts into a plan (a confirmed internship booking). The caller
    # has checked who acts; nothing is committed here: it is part of the caller's transaction.

    async def add_programme_task(
        self,
        *,
        season_id: int,
        student_id: int,
        kind: TaskKind,
        title: str,
        due_at: datetime,
        description: str | None,
        actor_id: int | None,
        source: str,
    ) -> PlanTask:
        now = self.clock.now()
        team_id = None
        for membership in await self.uow.teams.memberships_of(student_id):
            if membership.role is TeamRole.STUDENT:
                team = await self.uow.teams.get(membership.team_id)
                if team is not None and team.season_id == season_id:
                    team_id = team.id
                    break
        task = await self.uow.tasks.add(
            PlanTask(
                season_id=season_id,
                student_id=student_id,
                team_id=team_id,
                kind=kind,
                title=title[:200],
                description=description,
                due_at=due_at,
                status=TaskStatus.ASSIGNED,
                assigned_by=actor_id,
                created_at=now,
                updated_at=now,
            )
        )
        await self.reminders.plan_for(task)
        await self.uow.audit.record(
            now, actor_id, "plan.assign", "plan_task", task.id, student_id=student_id, source=source
        )
        return task

    async def remove_programme_task(self, task_id: int, actor_id: int | None, source: str) -> bool:
        """Delete such a task and cancel its pending reminders (a cancelled booking)."""
        now = self.clock.now()
        if not await self.uow.tasks.mark_deleted(task_id, now):
            return False
        await self.reminders.cancel_for(task_id)
        await self.uow.audit.record(
            now, actor_id, "plan.delete", "plan_task", task_id, source=source
        )
        return True

    async def complete_programme_task(
        self, task_id: int, actor_id: int | None, source: str
    ) -> bool:
        """Mark such a task done (the student attended the internship) and cancel its reminders."""
        now = self.clock.now()
        changed = await self.uow.tasks.transition(
            task_id,
            {*OPEN_STATUSES, TaskStatus.SUBMITTED},
            TaskStatus.DONE,
            now,
            decided_at=now,
            decided_by=actor_id,
        )
        if not changed:
            return False
        await self.reminders.cancel_for(task_id)
        await self.uow.audit.record(
            now, actor_id, "plan.decide", "plan_task", task_id, decision="done", source=source
        )
        return True

    async def _assignable_teams(self, me: Identity) -> list[Team]:
        if me.has(Role.OFFICE):
            season = await self.uow.seasons.current()
            return await self.uow.teams.in_season(season.id, MAX_TARGET_TEAMS) if season else []
        ids = [
            m.team_id
            for m in await self.uow.teams.memberships_of(me.person_id)
            if m.role is TeamRole.TUTOR
        ]
        teams = await self.uow.teams.by_ids(ids)
        return [teams[i] for i in ids if i in teams]

    async def _assignable_team(self, me: Identity, team_id: int) -> Team:
        team = await self.uow.teams.get(team_id)
        if team is None:
            raise NotFound()
        if me.has(Role.OFFICE) or await self.uow.teams.role_in(team_id, me.person_id) is (
            TeamRole.TUTOR
        ):
            return team
        raise NotAllowed()

    async def _team_of_student(self, me: Identity, student_id: int) -> Team:
        for membership in await self.uow.teams.memberships_of(student_id):
            if membership.role is not TeamRole.STUDENT:
                continue
            try:
                return await self._assignable_team(me, membership.team_id)
            except NotAllowed:
                continue
        raise NotAllowed()

    # The /assign dialogue: every answer is saved in a draft; the FSM state is only a cursor.

    async def assign_begin(self, me: Identity) -> AssignStep:
        teams = await self._assignable_teams(me)
        if not teams:
            raise NotAllowed("plan-assign-no-teams" if me.has(Role.TUTOR) else None)
        await self.uow.assign_drafts.save(me.person_id, "target", {}, self.clock.now())
        await self.uow.commit()
        return AssignStep("target", await self._targets(me, teams), {})

    async def assign_current(self, me: Identity) -> AssignStep:
        draft = await self.uow.assign_drafts.get(me.person_id)
        if draft is None:
            raise DraftStale()
        targets = (
            await self._targets(me, await self._assignable_teams(me))
            if draft.step == "target"
            else []
        )
        return AssignStep(draft.step, targets, dict(draft.data))

    async def _targets(self, me: Identity, teams: list[Team]) -> list[AssignTarget]:
        targets: list[AssignTarget] = []
        for team in teams:
            targets.append(AssignTarget("team", team.id, team.name))
            for _, person in await self.uow.teams.members(team.id, TeamRole.STUDENT):
                targets.append(
                    AssignTarget(
                        "student", person.id, display_name(person, self.texts, me.language)
                    )
                )
        return targets

    async def _draft(self, me: Identity, *steps: str) -> dict[str, Any]:
        draft = await self.uow.assign_drafts.get(me.person_id)
        if draft is None or draft.step not in steps:
            raise DraftStale()
        return dict(draft.data)

    async def _advance(self, me: Identity, step: str, data: dict[str, Any]) -> AssignStep:
        await self.uow.assign_drafts.save(me.person_id, step, data, self.clock.now())
        await self.uow.commit()
        return await self.assign_current(me)

    async def assign_target(self, me: Identity, kind: str, target_id: int) -> AssignStep:
        data = await self._draft(me, "target")
        if kind == "team":
            team = await self._assignable_team(me, target_id)
            label = team.name
        elif kind == "student":
            team = await self._team_of_student(me, target_id)
            person = await self.uow.people.get(target_id)
            label = display_name(person, self.texts, me.language) if person else "—"
        else:
            raise NotAllowed()
        data.update(target=kind, target_id=target_id, season_id=team.season_id, label=label)
        return await self._advance(me, "kind", data)

    async def assign_kind(self, me: Identity, kind: str) -> AssignStep:
        data = await self._draft(me, "kind")
        try:
            data["kind"] = TaskKind(kind).value
        except ValueError:
            raise NotAllowed() from None
        return await self._advance(me, "title", data)

    async def assign_text(self, me: Identity, text: str) -> AssignStep:
        draft = await self.uow.assign_drafts.get(me.person_id)
        if draft is None:
            raise DraftStale()
        data, text = dict(draft.data), trim(text)
        if draft.step == "title":
            if visible_length(text) < 3:
                raise InvalidInput("plan-title-short")
            if len(text) > TITLE_LIMIT:
                raise InvalidInput("plan-title-long")
            data["title"] = text
        elif draft.step == "due":
            policy = await self.reminders.policy_for(int(data["season_id"]))
            data["due_at"] = parse_due(text, policy, self.clock.now()).isoformat()
            data["due"] = policy.format(datetime.fromisoformat(data["due_at"]))
        elif draft.step == "link":
            if len(text) > LINK_LIMIT or not _URL.match(text):
                raise InvalidInput("plan-link-invalid")
            data["link"] = text
        elif draft.step == "desc":
            if not visible_length(text):
                raise InvalidInput("plan-desc-empty")
            if len(text) > DESCRIPTION_LIMIT:
                raise InvalidInput("plan-desc-long")
            data["desc"] = text
        else:
            raise InvalidInput(f"plan-assign-expect-{draft.step}")
        return await self._advance(me, ASSIGN_STEPS[ASSIGN_STEPS.index(draft.step) + 1], data)

    async def assign_skip(self, me: Identity) -> AssignStep:
        draft = await self.uow.assign_drafts.get(me.person_id)
        if draft is None or draft.step not in ("link", "desc"):
            raise DraftStale()
        data = dict(draft.data)
        data.pop(draft.step, None)
        return await self._advance(me, ASSIGN_STEPS[ASSIGN_STEPS.index(draft.step) + 1], data)

    async def assign_back(self, me: Identity) -> AssignStep:
        draft = await self.uow.assign_drafts.get(me.person_id)
        if draft is None:
            raise DraftStale()
        index = ASSIGN_STEPS.index(draft.step)
        step = ASSIGN_STEPS[max(index - 1, 0)]
        return await self._advance(me, step, dict(draft.data))

    async def assign_cancel(self, me: Identity) -> None:
        await self.uow.assign_drafts.drop(me.person_id)
        await self.uow.commit()

    async def assign_confirm(self, me: Identity) -> tuple[int, str, str]:
        """Create the task(s) from the draft. A second tap finds no draft and creates nothing."""
        data = await self._draft(me, "confirm")
        target = {"team_id" if data["target"] == "team" else "student_id": int(data["target_id"])}
        await self.uow.assign_drafts.drop(me.person_id)
        tasks = await self.assign(
            me,
            kind=TaskKind(data["kind"]),
            title=str(data["title"]),
            due_at=datetime.fromisoformat(data["due_at"]),
            link=data.get("link"),
            description=data.get("desc"),
            **target,
        )
        return len(tasks), str(data["label"]), str(data["title"])

    # Helpers.

    async def _task(self, task_id: int, *, fresh: bool = False) -> PlanTask:
        task = await self.uow.tasks.get(task_id, fresh=fresh)
        if task is None:
            raise NotFound("plan-task-unknown")
        return task

    async def _by_attendance(self, task: PlanTask) -> bool:
        return bool(await self.uow.bookings.booked_tasks([task.id]))

    async def _refuse_if_by_attendance(self, task: PlanTask) -> None:
        """A booked internship is signed off by the attendance mark of the site contact or the
        mentor (`InternshipService.mark_attendance`), not by a submission someone must review."""
        if await self._by_attendance(task):
            raise Conflict("plan-task-by-attendance")

    async def _may_review(self, person_id: int, task: PlanTask) -> bool:
        """The rule of `_access` for someone other than the actor: a notice with «Принять» and
        «Вернуть» goes only to a person whose press would be accepted."""
        if any(role is Role.OFFICE for role, _ in await self.uow.people.roles_of(person_id)):
            return True
        if task.team_id is None:
            return False
        role = await self.uow.teams.role_in(task.team_id, person_id)
        return role in (TeamRole.TUTOR, TeamRole.MENTOR)

    async def _access(self, me: Identity, task: PlanTask) -> _Access:
        owner = task.student_id == me.person_id
        office = me.has(Role.OFFICE)
        role = (
            await self.uow.teams.role_in(task.team_id, me.person_id)
            if task.team_id is not None
            else None
        )
        reviewer = office or role in (TeamRole.TUTOR, TeamRole.MENTOR)
        manager = office or role is TeamRole.TUTOR
        if not (owner or reviewer):
            raise NotAllowed()
        return _Access(owner, reviewer, manager)

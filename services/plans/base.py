"""What every ИУП use case shares: the service's state, loading a task, the actor's rights on it
(owner, reviewer, manager), the view of a task as its viewer may act on it, and the notice to
the student."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.actions import PlanAction, PlanVerb
from services.clock import Clock
from services.domain import Role, TaskStatus, TeamRole
from services.errors import Conflict, NotAllowed, NotFound
from services.i18n import Texts
from services.notify import Button, Notifier
from services.people import Identity, display_name
from services.plans.views import TaskView
from services.reminders import OPEN_STATUSES, ReminderService
from storage.models import PlanTask
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Access:
    owner: bool  # the task is in the actor's own plan
    reviewer: bool  # the team's tutor or mentor, or the office
    manager: bool  # the team's tutor or the office: may move the due date or delete


class PlanBase:
    """The service's state and the helpers its use cases share."""

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

    async def _access(self, me: Identity, task: PlanTask) -> Access:
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
        return Access(owner, reviewer, manager)

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
            student,
            self.texts.get(key, lang, title=task.title, **args),
            buttons=keyboard,
            person_id=student.id,
            dedupe_key=f"task-{key}:{task.id}:{int(self.clock.now().timestamp())}",
        )

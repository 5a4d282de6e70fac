"""Tasks the programme itself puts into a plan (a confirmed internship booking): other features
call these. The caller has checked who acts; nothing is committed here: it is part of the
caller's transaction."""

from __future__ import annotations

from datetime import datetime

from services.domain import TaskKind, TaskStatus, TeamRole
from services.plans.base import PlanBase
from services.reminders import OPEN_STATUSES
from storage.models import PlanTask


class ProgrammeTasks(PlanBase):
    """Add, remove and complete a task on behalf of another feature."""

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

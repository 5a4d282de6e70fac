"""Planning a task's reminders: called by the plan service inside its transaction; never
commits."""

from __future__ import annotations

from services.domain import TeamRole
from services.reminders.base import ReminderBase
from services.reminders.policy import (
    EVENT_KINDS,
    OPEN_STATUSES,
    SNOOZE,
    PlannedReminder,
    event_schedule_for,
    schedule_for,
)
from storage.models import PlanTask


class Planning(ReminderBase):
    """(Re)planning and cancelling the reminders of one task."""

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

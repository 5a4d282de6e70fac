"""A tutor's or the office's management of a task: moving its due date (typed in the season's
zone, read by services/due_dates.py; its reminders are planned anew), deleting the task.

A task a confirmed booking put into the plan belongs to the booking: it is neither moved nor
deleted here (cancelling the booking removes it).
"""

from __future__ import annotations

from datetime import datetime

from services.domain import TaskStatus
from services.due_dates import parse_due
from services.errors import Conflict, NotAllowed, NotFound
from services.people import Identity
from services.plans.base import PlanBase
from services.plans.views import TaskView
from services.reminders import OPEN_STATUSES


class TaskManagement(PlanBase):
    """Move a task's due date or delete it."""

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

"""The reviewer's side (the tutor or the mentor of the team, or the office): approving a
submitted task or returning it with a comment; the student is told either way."""

from __future__ import annotations

from services.domain import TaskStatus
from services.errors import Conflict, InvalidInput, NotAllowed
from services.people import Identity
from services.plans.base import PlanBase
from services.plans.views import TaskView
from services.text_fit import trim, visible_length

COMMENT_LIMIT = 1000


class TaskReview(PlanBase):
    """Approve or return a submitted task."""

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

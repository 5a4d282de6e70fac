"""Snooze: a button on a delivered reminder plans it again later."""

from __future__ import annotations

from datetime import datetime

from services.errors import Conflict, NotAllowed, NotFound
from services.people import Identity
from services.reminders.base import ReminderBase
from services.reminders.policy import OPEN_STATUSES, SNOOZE


class Snooze(ReminderBase):
    """A student's «in an hour» and «tomorrow»."""

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

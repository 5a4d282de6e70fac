"""The sweep: claim a batch of due reminders and queue their messages, all in one
transaction (see the package's docstring)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from services.notify import TextMessage
from services.reminders.digests import Digests
from services.reminders.messages import ReminderMessages
from services.reminders.policy import (
    DIGEST,
    ESCALATION_TUTOR,
    OPEN_STATUSES,
    SWEEP_BATCH,
)
from storage.models import Person, PlanTask, Team
from storage.repositories.plans import ClaimedReminder


@dataclass
class SweepResult:
    sent: int = 0
    postponed: int = 0
    cancelled: int = 0
    ids: list[int] = field(default_factory=list)


class Sweep(Digests, ReminderMessages):
    """Delivering due reminders and digests; postponing what falls in quiet hours."""

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
            TextMessage(person, text, buttons, person.id, dedupe_key=f"reminder:{row.id}")
        )
        return "sent"

"""ИУП tasks, reminders (planned rows, the sweep's claim), plan settings, /assign drafts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.domain import ReminderStatus, TaskStatus
from storage.models import Person, PlanTask, Reminder
from storage.sql import insert_for, rowcount

SNOOZE = "snooze"


class PlanTasksRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, task: PlanTask) -> PlanTask:
        self.session.add(task)
        await self.session.flush()
        return task

    async def get(self, task_id: int, *, fresh: bool = False) -> PlanTask | None:
        """A task that was not deleted. `fresh` re-reads what a conditional update changed."""
        statement = select(PlanTask).where(PlanTask.id == task_id, PlanTask.deleted_at.is_(None))
        if fresh:
            statement = statement.execution_options(populate_existing=True)
        return await self.session.scalar(statement)

    async def by_ids(self, task_ids: Iterable[int]) -> dict[int, PlanTask]:
        ids = set(task_ids)
        if not ids:
            return {}
        rows = await self.session.scalars(select(PlanTask).where(PlanTask.id.in_(ids)))
        return {task.id: task for task in rows}

    async def transition(
        self,
        task_id: int,
        frm: Iterable[TaskStatus],
        to: TaskStatus,
        now: datetime,
        **values: Any,
    ) -> bool:
        """Move the task to `to` only if it is in one of `frm` and not deleted: exactly one of
        two racing taps wins."""
        result = await self.session.execute(
            update(PlanTask)
            .where(
                PlanTask.id == task_id,
                PlanTask.status.in_(list(frm)),
                PlanTask.deleted_at.is_(None),
            )
            .values(status=to, updated_at=now, **values)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def set_due(
        self, task_id: int, due_at: datetime, open_statuses: Iterable[TaskStatus], now: datetime
    ) -> bool:
        result = await self.session.execute(
            update(PlanTask)
            .where(
                PlanTask.id == task_id,
                PlanTask.status.in_(list(open_statuses)),
                PlanTask.deleted_at.is_(None),
            )
            .values(due_at=due_at, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def mark_deleted(self, task_id: int, now: datetime) -> bool:
        result = await self.session.execute(
            update(PlanTask)
            .where(PlanTask.id == task_id, PlanTask.deleted_at.is_(None))
            .values(deleted_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def of_student(self, student_id: int) -> list[PlanTask]:
        rows = await self.session.scalars(
            select(PlanTask)
            .where(PlanTask.student_id == student_id, PlanTask.deleted_at.is_(None))
            .order_by(PlanTask.due_at.is_(None), PlanTask.due_at, PlanTask.id)
        )
        return list(rows)

    async def ids_of_student(self, student_id: int) -> list[int]:
        """Every task of the student's plan, deleted ones included."""
        rows = await self.session.scalars(
            select(PlanTask.id).where(PlanTask.student_id == student_id).order_by(PlanTask.id)
        )
        return list(rows)

    async def erase_of_student(self, student_id: int) -> None:
        """The individual plan is the student's own: its tasks go whole (their reminders with
        them, a booking keeps its seat but loses the link to its task: the foreign keys)."""
        await self.session.execute(
            delete(PlanTask)
            .where(PlanTask.student_id == student_id)
            .execution_options(synchronize_session=False)
        )

    async def of_teams(self, team_ids: Sequence[int]) -> list[tuple[PlanTask, Person]]:
        if not team_ids:
            return []
        rows = await self.session.execute(
            select(PlanTask, Person)
            .join(Person, Person.id == PlanTask.student_id)
            .where(PlanTask.team_id.in_(list(team_ids)), PlanTask.deleted_at.is_(None))
            .order_by(PlanTask.due_at.is_(None), PlanTask.due_at, PlanTask.id)
        )
        return [(task, person) for task, person in rows]

    async def people(self, person_ids: Iterable[int]) -> dict[int, Person]:
        ids = set(person_ids)
        if not ids:
            return {}
        rows = await self.session.scalars(select(Person).where(Person.id.in_(ids)))
        return {person.id: person for person in rows}

    async def due_before(
        self, team_id: int, moment: datetime, statuses: Iterable[TaskStatus]
    ) -> list[tuple[PlanTask, Person]]:
        """A team's open tasks due before `moment` (the digest: due today and overdue)."""
        rows = await self.session.execute(
            select(PlanTask, Person)
            .join(Person, Person.id == PlanTask.student_id)
            .where(
                PlanTask.team_id == team_id,
                PlanTask.deleted_at.is_(None),
                PlanTask.status.in_(list(statuses)),
                PlanTask.due_at.is_not(None),
                PlanTask.due_at < moment,
            )
            .order_by(PlanTask.due_at, PlanTask.id)
        )
        return [(task, person) for task, person in rows]


@dataclass(frozen=True)
class ClaimedReminder:
    """What the sweep needs of a claimed row (plain values: a thousand ORM objects per batch
    would cost more than the claim itself)."""

    id: int
    task_id: int | None
    person_id: int | None
    team_id: int | None
    chat_id: int | None
    kind: str
    due_at: datetime


_CLAIMED = (
    Reminder.id,
    Reminder.task_id,
    Reminder.person_id,
    Reminder.team_id,
    Reminder.chat_id,
    Reminder.kind,
    Reminder.due_at,
)


def claim_statement(now: datetime, limit: int) -> Any:
    """UPDATE … WHERE id IN (the first `limit` due pending rows, FOR UPDATE SKIP LOCKED)
    RETURNING the rows. Served by the partial index ix_reminders_pending_due."""
    due = (
        select(Reminder.id)
        .where(Reminder.status == ReminderStatus.PENDING, Reminder.due_at <= now)
        .order_by(Reminder.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (
        update(Reminder)
        .where(Reminder.id.in_(due.scalar_subquery()))
        .values(status=ReminderStatus.SENT, sent_at=now, attempts=Reminder.attempts + 1)
        .returning(*_CLAIMED)
    )


class RemindersRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, reminder_id: int) -> Reminder | None:
        return await self.session.get(Reminder, reminder_id)

    async def by_key(self, dedupe_key: str) -> Reminder | None:
        return await self.session.scalar(select(Reminder).where(Reminder.dedupe_key == dedupe_key))

    async def existing_keys(self, keys: Sequence[str]) -> set[str]:
        if not keys:
            return set()
        rows = await self.session.scalars(
            select(Reminder.dedupe_key).where(Reminder.dedupe_key.in_(list(keys)))
        )
        return set(rows)

    async def for_task(self, task_id: int) -> list[Reminder]:
        rows = await self.session.scalars(
            select(Reminder)
            .where(Reminder.task_id == task_id)
            .order_by(Reminder.due_at, Reminder.id)
            .execution_options(populate_existing=True)
        )
        return list(rows)

    async def plan(self, rows: Sequence[dict[str, Any]], now: datetime) -> None:
        """Insert planned reminders; a key planned before and cancelled comes back pending,
        one already sent stays sent (it is never sent twice)."""
        if not rows:
            return
        statement = insert_for(self.session, Reminder).values(
            [dict(row, status=ReminderStatus.PENDING, created_at=now, attempts=0) for row in rows]
        )
        statement = statement.on_conflict_do_update(
            index_elements=["dedupe_key"],
            set_={"due_at": statement.excluded.due_at, "status": ReminderStatus.PENDING.value},
            where=Reminder.status != ReminderStatus.SENT,
        )
        await self.session.execute(statement)

    async def add_once(self, row: dict[str, Any], now: datetime) -> bool:
        """Insert one reminder unless its key exists (a snooze tapped twice plans one)."""
        statement = (
            insert_for(self.session, Reminder)
            .values(dict(row, status=ReminderStatus.PENDING, created_at=now, attempts=0))
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
        )
        return bool(rowcount(await self.session.execute(statement)))

    async def erase_for_person(self, person_id: int) -> None:
        """Reminders addressed to the person: nothing is to reach them any more."""
        await self.session.execute(
            delete(Reminder)
            .where(Reminder.person_id == person_id)
            .execution_options(synchronize_session=False)
        )

    async def cancel_for_task(self, task_id: int, *, keep_kinds: Iterable[str] = ()) -> int:
        statement = update(Reminder).where(
            Reminder.task_id == task_id, Reminder.status == ReminderStatus.PENDING
        )
        keep = list(keep_kinds)
        if keep:
            statement = statement.where(Reminder.kind.not_in(keep))
        result = await self.session.execute(
            statement.values(status=ReminderStatus.CANCELLED).execution_options(
                synchronize_session=False
            )
        )
        return rowcount(result)

    async def claim_due(self, now: datetime, limit: int) -> list[ClaimedReminder]:
        """Mark up to `limit` due pending rows sent and return them, in due order.

        On PostgreSQL the rows are locked with SKIP LOCKED, so concurrent sweepers take
        disjoint batches; SQLite has one writer, so the single UPDATE is atomic there. The
        caller queues the messages in the same transaction: a crash before its commit leaves
        the rows pending.
        """
        result = await self.session.execute(
            claim_statement(now, limit).execution_options(synchronize_session=False)
        )
        rows = [ClaimedReminder(*row) for row in result]
        return sorted(rows, key=lambda row: (row.due_at, row.id))

    async def postpone(self, reminder_id: int, due_at: datetime) -> None:
        """Put a claimed row back to wait (quiet hours at send time)."""
        await self.session.execute(
            update(Reminder)
            .where(Reminder.id == reminder_id)
            .values(status=ReminderStatus.PENDING, sent_at=None, due_at=due_at)
            .execution_options(synchronize_session=False)
        )

    async def cancel(self, reminder_id: int) -> None:
        await self.session.execute(
            update(Reminder)
            .where(Reminder.id == reminder_id)
            .values(status=ReminderStatus.CANCELLED, sent_at=None)
            .execution_options(synchronize_session=False)
        )

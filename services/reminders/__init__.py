"""Deadline reminders: planning rows with a task, quiet hours, the sweep, snooze, team digests.

Reminders are database rows planned in the same transaction as the task they are about. The
scheduler only runs `sweep()`, which claims due rows (SKIP LOCKED on PostgreSQL), marks them
sent and queues the message into the outbox keyed `reminder:<id>` — all in one transaction —
so a crash, a restart or a second bot process never loses or doubles a reminder.

One use case a module: planning (a task's schedule), snooze, digests (team chats), sweep
(delivery) with messages (a reminder's text and buttons); policy holds the season's rules and
the pure schedules, base the state they share. `ReminderService` is only their union, so
callers keep one service object with one constructor.
"""

from services.reminders.base import season_policy
from services.reminders.planning import Planning
from services.reminders.policy import (
    DIGEST,
    DUE_MORNING,
    ESCALATION,
    ESCALATION_TUTOR,
    EVENT_KINDS,
    OPEN_STATUSES,
    OVERDUE,
    SNOOZE,
    SWEEP_BATCH,
    PlannedReminder,
    ReminderPolicy,
    event_schedule_for,
    schedule_for,
)
from services.reminders.snooze import Snooze
from services.reminders.sweep import Sweep, SweepResult


class ReminderService(Planning, Snooze, Sweep):
    """The reminders feature as one object: the union of its use cases, nothing of its own."""


__all__ = [
    "DIGEST",
    "DUE_MORNING",
    "ESCALATION",
    "ESCALATION_TUTOR",
    "EVENT_KINDS",
    "OPEN_STATUSES",
    "OVERDUE",
    "SNOOZE",
    "SWEEP_BATCH",
    "PlannedReminder",
    "ReminderPolicy",
    "ReminderService",
    "SweepResult",
    "event_schedule_for",
    "schedule_for",
    "season_policy",
]

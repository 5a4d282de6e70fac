"""A personal reminder's text and buttons, worded from the real time left when it goes."""

from __future__ import annotations

from datetime import datetime, timedelta

from services.actions import PlanAction, PlanVerb, SnoozeAction, SnoozeVerb
from services.notify import Button, Keyboard
from services.people import display_name
from services.reminders.base import ReminderBase
from services.reminders.policy import (
    ESCALATION,
    ESCALATION_TUTOR,
    EVENT_KINDS,
    OVERDUE,
    SNOOZE,
    ReminderPolicy,
)
from storage.models import Person, PlanTask
from storage.repositories.plans import ClaimedReminder


class ReminderMessages(ReminderBase):
    """What a personal reminder says and which buttons it carries."""

    def _reminder_text(
        self,
        kind: str,
        task: PlanTask,
        person: Person,
        people: dict[int, Person],
        policy: ReminderPolicy,
        now: datetime,
    ) -> str | None:
        """The reminder's text, its relative times computed now, from the real time left: the
        kind says when the reminder was meant to go, not how much time is left when it does
        (quiet hours move it, a restart delays it). None when it has nothing left to say."""
        assert task.due_at is not None
        language = person.language
        student = people.get(task.student_id)
        args: dict[str, object] = dict(
            title=task.title,
            due=policy.format(task.due_at),
            student=display_name(student, self.texts, language) if student else "—",
        )
        left = task.due_at - now
        if task.kind in EVENT_KINDS:
            if left <= timedelta(0):
                return None
            key = "reminder-start-2h" if kind == "start_2h" else "reminder-start-1d"
            return self.texts.get(key, language, left=self.span(left, language), **args)
        if kind in (ESCALATION, ESCALATION_TUTOR):
            late = self.span(now - task.due_at, language)
            return self.texts.get(f"reminder-{kind.replace('_', '-')}", language, late=late, **args)
        if kind == OVERDUE or (kind == SNOOZE and left <= timedelta(0)):
            return self.texts.get("reminder-overdue", language, **args)
        if kind == SNOOZE:
            return self.texts.get("reminder-snoozed", language, **args)
        if left <= timedelta(0):
            return None
        today = policy.local(now).date() == policy.local(task.due_at).date()
        key = "reminder-due-today" if today else "reminder-before"
        return self.texts.get(key, language, left=self.span(left, language), **args)

    def span(self, length: timedelta, language: str | None = None) -> str:
        """A stretch of time in words, as it follows «через» or «на»: whole days and hours
        from a day on («2 дня 14 часов»), hours and minutes below it («1 час 59 минут»),
        rounded to the nearest unit shown; never less than a minute."""
        minutes = max(round(length.total_seconds() / 60), 1)
        if minutes >= 24 * 60:
            days, hours = divmod(round(minutes / 60), 24)
            parts = (("reminder-span-days", days), ("reminder-span-hours", hours))
        else:
            hours, minutes = divmod(minutes, 60)
            parts = (("reminder-span-hours", hours), ("reminder-span-minutes", minutes))
        return " ".join(self.texts.get(key, language, n=n) for key, n in parts if n)

    def _student_buttons(
        self, task: PlanTask, row: ClaimedReminder, language: str, *, submittable: bool
    ) -> Keyboard:
        """Only buttons that work for the student: «Сдать задачу» unless attendance completes
        the task (a booked internship); snoozing unless it is an event at a time, where «an hour
        later» or «tomorrow» may fall after the start."""
        t = self.texts.get
        first = [
            Button.doing(t("plan-btn-open", language), PlanAction(verb=PlanVerb.OPEN, task=task.id))
        ]
        if submittable:
            first.append(
                Button.doing(
                    t("plan-btn-submit", language),
                    PlanAction(verb=PlanVerb.ASK_EVIDENCE, task=task.id),
                )
            )
        if task.kind in EVENT_KINDS:
            return [first]
        return [
            first,
            [
                Button.doing(
                    t("reminder-btn-hour", language),
                    SnoozeAction(verb=SnoozeVerb.AN_HOUR, reminder=row.id),
                ),
                Button.doing(
                    t("reminder-btn-tomorrow", language),
                    SnoozeAction(verb=SnoozeVerb.TILL_TOMORROW, reminder=row.id),
                ),
            ],
        ]

    def _tutor_buttons(self, task: PlanTask, language: str) -> Keyboard:
        text = self.texts.get("plan-btn-open", language)
        return [[Button.doing(text, PlanAction(verb=PlanVerb.OPEN, task=task.id))]]

"""The ИУП's screens: the plan (/plan), a task's card and the questions asked about a task,
drawn from the views of services.plans. Pure functions of a view and the person's language."""

from __future__ import annotations

from dialogs.screen import Button, Keyboard, Screen, doing
from services.actions import PlanAction, PlanVerb
from services.i18n import Translator
from services.plans import PlanView, TaskView

MAX_LISTED = 30
BUTTON_LABEL_LIMIT = 60


def _do(text: str, verb: PlanVerb, task: int) -> Button:
    return doing(text, PlanAction(verb=verb, task=task))


def plan_screen(t: Translator, view: PlanView) -> Screen:
    """The tasks grouped by status, a button per task (the first MAX_LISTED of them)."""
    if not view.groups:
        return Screen(t("plan-empty-reviewer" if view.reviewer else "plan-empty"))
    lines = [t("plan-title-reviewer" if view.reviewer else "plan-title")]
    buttons: Keyboard = []
    total = sum(len(tasks) for _, tasks in view.groups)
    for status, tasks in view.groups:
        lines.append("")
        lines.append(t(f"plan-status-{status.value}") + ":")
        for task in tasks:
            due = t("plan-line-due", due=task.due) if task.due else ""
            overdue = t("plan-overdue-mark") if task.overdue else ""
            key = "plan-line-reviewer" if view.reviewer else "plan-line"
            lines.append(t(key, title=task.title, due=due, overdue=overdue, student=task.student))
            if len(buttons) < MAX_LISTED:
                label = f"{task.student}: {task.title}" if view.reviewer else task.title
                buttons.append([_do(label[:BUTTON_LABEL_LIMIT], PlanVerb.OPEN, task.id)])
    if total > len(buttons):
        lines.append(t("plan-more", count=total - len(buttons)))
    return Screen("\n".join(lines), buttons)


def card_screen(t: Translator, task: TaskView) -> Screen:
    """A task's card: what it is, its state, and the buttons of what this person may do."""
    return Screen("\n".join(_card_lines(t, task)), _card_buttons(t, task))


def _card_lines(t: Translator, task: TaskView) -> list[str]:
    status = task.status.value
    lines = [
        t(
            "plan-card",
            kind=t(f"plan-kind-{task.kind.value}"),
            title=task.title,
            status=t(f"plan-state-{status}"),
        )
    ]
    if task.staff:
        lines.append(t("plan-card-student", student=task.student))
    if task.due:
        lines.append(t("plan-card-due", due=task.due))
    if task.overdue:
        lines.append(t("plan-card-overdue"))
    if task.link:
        lines.append(t("plan-card-link", link=task.link))
    if task.description:
        lines.append(t("plan-card-description", description=task.description))
    if task.by_attendance and status != "done":
        lines.append(t("plan-card-by-attendance"))
    if task.return_comment and status == "returned":
        lines.append(t("plan-card-comment", comment=task.return_comment))
    if task.evidence_kind and status in ("submitted", "done"):
        evidence = task.evidence_text or t("plan-evidence-file")
        lines.append(t("plan-card-evidence", evidence=evidence))
    return lines


def _card_buttons(t: Translator, task: TaskView) -> Keyboard:
    """Doing (start, submit, approve, return), managing (move, delete), and back to the plan."""
    doing_row: list[Button] = []
    if task.can_start:
        doing_row.append(_do(t("plan-btn-start"), PlanVerb.START, task.id))
    if task.can_submit:
        doing_row.append(_do(t("plan-btn-submit"), PlanVerb.ASK_EVIDENCE, task.id))
    if task.can_review:
        doing_row.append(_do(t("plan-btn-approve"), PlanVerb.APPROVE, task.id))
        doing_row.append(_do(t("plan-btn-return"), PlanVerb.ASK_RETURN_COMMENT, task.id))
    managing_row: list[Button] = []
    if task.can_manage:
        managing_row.append(_do(t("plan-btn-move"), PlanVerb.ASK_DUE, task.id))
        managing_row.append(_do(t("plan-btn-delete"), PlanVerb.ASK_DELETE, task.id))
    return [doing_row, managing_row, [_do(t("plan-btn-list"), PlanVerb.LIST, 0)]]


def asking_screen(t: Translator, question: str, task: TaskView) -> Screen:
    """A question about a task the next message answers (evidence, a comment, a date), with a
    way back that drops it."""
    return Screen(
        t(question, title=task.title), [[_do(t("plan-btn-back"), PlanVerb.BACK, task.id)]]
    )


def delete_question_screen(t: Translator, task: TaskView) -> Screen:
    """Sure to delete the task, or back."""
    return Screen(
        t("plan-delete-ask", title=task.title),
        [
            [
                _do(t("plan-btn-delete-sure"), PlanVerb.DELETE, task.id),
                _do(t("plan-btn-back"), PlanVerb.BACK, task.id),
            ]
        ],
    )

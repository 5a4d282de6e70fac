"""The ИУП in a chat, for any messenger: /plan, a task's card, starting it and submitting
evidence (a text, a link, a file or a photo), review by buttons (approve, or return with a
comment), moving a due date, deleting; and the snooze buttons of a reminder. /assign is
dialogs/plan_assign.py.

A question about a task (evidence, a return comment, a new date) puts the cursor in a state
whose next message answers it; the cursor's data holds only the task's id, and the service
checks everything again when the answer comes.
"""

from __future__ import annotations

from dialogs.evidence import evidence_from
from dialogs.plan_screens import asking_screen, card_screen, delete_question_screen, plan_screen
from dialogs.screen import ActionHandler, Dialog, Screen, Turn
from services.actions import PlanAction, PlanVerb, SnoozeAction, SnoozeVerb
from services.errors import InvalidInput
from services.plans import TaskView
from services.questionnaire import Input

# The cursor's states. The names are those aiogram gave the former StatesGroup, so a cursor
# saved before this module existed still reads the same.
EVIDENCE = "PlanFlow:evidence"
COMMENT = "PlanFlow:comment"
DUE = "PlanFlow:due"


# --- /plan and the card ------------------------------------------------------------------------


async def plan_command(turn: Turn, args: str) -> None:
    await turn.chat.show(plan_screen(turn.t, await turn.services.plans.plan_of(turn.me)))


async def plan_list(turn: Turn, action: PlanAction) -> None:
    view = await turn.services.plans.plan_of(turn.me)
    await turn.chat.notice()
    await turn.chat.show(plan_screen(turn.t, view))


async def open_task(turn: Turn, action: PlanAction) -> None:
    task = await turn.services.plans.task(turn.me, action.task)
    await turn.chat.notice()
    await turn.chat.show(card_screen(turn.t, task))


async def start_task(turn: Turn, action: PlanAction) -> None:
    task = await turn.services.plans.start(turn.me, action.task)
    await turn.chat.notice(turn.t("plan-started", title=task.title))
    await turn.chat.show(card_screen(turn.t, task))


async def approve_task(turn: Turn, action: PlanAction) -> None:
    task = await turn.services.plans.approve(turn.me, action.task)
    done = turn.t("plan-approved", title=task.title)
    await turn.chat.notice(done)
    await turn.chat.show(Screen(done))


async def ask_delete(turn: Turn, action: PlanAction) -> None:
    task = await turn.services.plans.check_manage(turn.me, action.task)
    await turn.chat.notice()
    await turn.chat.show(delete_question_screen(turn.t, task))


async def delete_task(turn: Turn, action: PlanAction) -> None:
    title = await turn.services.plans.delete(turn.me, action.task)
    done = turn.t("plan-deleted", title=title)
    await turn.chat.notice(done)
    await turn.chat.show(Screen(done))


async def back(turn: Turn, action: PlanAction) -> None:
    """Back from a question: whatever it waited for is dropped."""
    await turn.cursor.clear()
    await turn.chat.notice(turn.t("plan-back-done"))


# --- questions a message answers ---------------------------------------------------------------


async def _ask(turn: Turn, state: str, question: str, task: TaskView) -> None:
    """Put the question about `task`; the person's next message (in `state`) answers it."""
    await turn.cursor.set_state(state)
    await turn.cursor.set_data({**(await turn.cursor.get_data()), "task_id": task.id})
    await turn.chat.notice()
    await turn.chat.show(asking_screen(turn.t, question, task))


async def ask_evidence(turn: Turn, action: PlanAction) -> None:
    task = await turn.services.plans.check_submit(turn.me, action.task)
    await _ask(turn, EVIDENCE, "plan-submit-ask", task)


async def ask_comment(turn: Turn, action: PlanAction) -> None:
    task = await turn.services.plans.check_review(turn.me, action.task)
    await _ask(turn, COMMENT, "plan-return-ask", task)


async def ask_due(turn: Turn, action: PlanAction) -> None:
    task = await turn.services.plans.check_manage(turn.me, action.task)
    await _ask(turn, DUE, "plan-move-ask", task)


async def _asked_task(turn: Turn) -> int:
    return int((await turn.cursor.get_data())["task_id"])


def _typed(given: Input) -> str:
    """A comment or a date is typed; anything else (a photo, a sticker) is refused."""
    if given.kind != "text":
        raise InvalidInput("plan-text-expected")
    return given.text or ""


async def take_evidence(turn: Turn, given: Input) -> None:
    task_id = await _asked_task(turn)
    task = await turn.services.plans.submit(turn.me, task_id, evidence_from(given))
    await turn.cursor.clear()
    await turn.chat.show(Screen(turn.t("plan-submitted", title=task.title)))


async def take_comment(turn: Turn, given: Input) -> None:
    comment = _typed(given)
    task_id = await _asked_task(turn)
    task = await turn.services.plans.return_task(turn.me, task_id, comment)
    await turn.cursor.clear()
    await turn.chat.show(Screen(turn.t("plan-returned", title=task.title)))


async def take_due(turn: Turn, given: Input) -> None:
    due = _typed(given)
    task_id = await _asked_task(turn)
    task = await turn.services.plans.move_due(turn.me, task_id, due)
    await turn.cursor.clear()
    await turn.chat.show(Screen(turn.t("plan-moved", title=task.title, due=task.due)))


# --- a reminder's snooze buttons ---------------------------------------------------------------


async def snooze(turn: Turn, action: SnoozeAction) -> None:
    _, when = await turn.services.reminders.snooze(turn.me, action.reminder, action.verb.value)
    await turn.chat.notice(turn.t("reminder-snoozed-until", when=when), alert=True)


ACTIONS: dict[PlanVerb, ActionHandler] = {
    PlanVerb.LIST: plan_list,
    PlanVerb.OPEN: open_task,
    PlanVerb.START: start_task,
    PlanVerb.ASK_EVIDENCE: ask_evidence,
    PlanVerb.APPROVE: approve_task,
    PlanVerb.ASK_RETURN_COMMENT: ask_comment,
    PlanVerb.ASK_DUE: ask_due,
    PlanVerb.ASK_DELETE: ask_delete,
    PlanVerb.DELETE: delete_task,
    PlanVerb.BACK: back,
}

DIALOG = Dialog(
    name="plan",
    action=PlanAction,
    commands={"plan": plan_command},
    states={EVIDENCE: take_evidence, COMMENT: take_comment, DUE: take_due},
    actions=ACTIONS,
)

# The buttons under a reminder (services/reminders.py) are actions of their own kind.
SNOOZE = Dialog(
    name="plan_snooze",
    action=SnoozeAction,
    actions={verb: snooze for verb in SnoozeVerb},
)

"""The application conversation: /apply, the questionnaire's messages and buttons, /status and
/privacy, for any messenger.

Each command, typed message or press is one call of `services.applications` and the screen its
result leads to. The cursor holds only where the person stands (application id, step, whether
they came from the review); every answer is already in the database when the next screen is
shown, so a lost cursor is derived from the database again (`resume_lost_cursor`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from dialogs import paper_consent, parent
from dialogs.apply_screens import (
    privacy_screen,
    question_screen,
    review_screen,
    short,
    shown,
    status_screen,
    step_screen,
)
from dialogs.screen import ActionHandler, Dialog, Screen, Turn
from services.actions import ApplyAction, ApplyVerb
from services.applications import ApplicationService, Outcome, ReviewView, StepView
from services.people import Identity
from services.questionnaire import Input

# The cursor's states. The names are those aiogram gave the former StatesGroup, so a cursor
# saved before this module existed still reads the same.
STEP = "ApplyStates:step"
REVIEW = "ApplyStates:review"
# Set in the cursor's data by /cancel (dialogs/start.py): the person left on purpose, so their
# next message is not taken as an answer to the draft the database says they stand at.
CANCELLED = "cancelled"
RESUME_LABEL_LIMIT = 80


async def show(turn: Turn, outcome: Outcome, previous_step: str | None = None) -> None:
    """Draw the screen an outcome leads to and move the cursor to it."""
    t, cursor = turn.t, turn.cursor
    if previous_step == "phone" and not (
        isinstance(outcome, StepView) and outcome.step.code == "phone"
    ):
        # Leaving the phone step takes its keyboard away, echoing what was saved.
        saved = outcome.saved if isinstance(outcome, StepView) else None
        text = shown(t, saved) if saved else t("apply-keyboard-closed")
        await turn.chat.show(Screen(text, remove_keys=True))
    # The cursor moves before the screen is drawn: if drawing fails, /apply shows it again.
    if isinstance(outcome, StepView):
        if previous_step in (None, "review"):  # otherwise the state is already STEP
            await cursor.set_state(STEP)
        await cursor.set_data(
            {"app": outcome.application_id, "step": outcome.step.code, "edit": outcome.editing}
        )
        await turn.chat.show(step_screen(t, outcome))
    elif isinstance(outcome, ReviewView):
        await cursor.set_state(REVIEW)
        await cursor.set_data({"app": outcome.application_id, "step": "review", "edit": False})
        await turn.chat.show(review_screen(t, outcome))
    else:
        await cursor.clear()
        key = "apply-submitted" if outcome.first_time else "apply-submitted-again"
        await turn.chat.show(Screen(t(key, number=outcome.number, closes=outcome.closes or "—")))


# --- commands and typed messages ---------------------------------------------------------------


async def apply_command(turn: Turn, args: str) -> None:
    previous = (await turn.cursor.get_data()).get("step")
    await show(turn, await turn.services.applications.open(turn.me), previous)


async def status_command(turn: Turn, args: str) -> None:
    await turn.chat.show(status_screen(turn.t, await turn.services.applications.status(turn.me)))


async def privacy_command(turn: Turn, args: str) -> None:
    await turn.chat.show(privacy_screen(turn.t, await turn.services.applications.privacy(turn.me)))


async def step_message(turn: Turn, given: Input) -> None:
    """Any message while a step is open: it is the answer to that step (or is refused)."""
    data = await turn.cursor.get_data()
    app, step, editing = int(data.get("app", 0)), str(data.get("step", "")), bool(data.get("edit"))
    applications, me, t = turn.services.applications, turn.me, turn.t
    typed = (given.text or "").strip() if given.kind in ("text", "command") else ""
    if given.kind == "command" and typed.split()[0] == "/parent_link":
        # The parent's link, asked for on any step: the child stays where they are.
        await parent.link_command(turn, "")
        return
    if given.kind == "command" and typed.split()[0] == "/parent_paper":
        # The paper form instead: the chat then waits for its photo; /apply comes back here.
        await paper_consent.paper_command(turn, "")
        return
    if typed == t("apply-btn-back"):  # the keys under the input field (the phone step)
        outcome = await applications.back(me, app, step, editing=editing)
    elif typed == t("apply-btn-keep"):
        outcome = await applications.keep(me, app, step, editing=editing)
    else:
        outcome = await applications.answer(me, app, step, given, editing=editing)
    await show(turn, outcome, previous_step=step)


async def review_message(turn: Turn, given: Input) -> None:
    await turn.chat.show(Screen(turn.t("apply-review-use-buttons")))


async def resume_lost_cursor(turn: Turn, given: Input) -> bool:
    """A message in no state from someone with an open draft: the cursor was lost (a restart
    on the in-memory FSM, Redis losing its keys), so it is derived from the database and the
    message is taken as the answer to the step the draft stands at. After /cancel the person
    left on purpose: the reply names that step and points to /apply instead. False when there
    is no open draft (the message is someone else's to answer)."""
    outcome = await turn.services.applications.cursor(turn.me)
    if outcome is None:
        return False
    t = turn.t
    if (await turn.cursor.get_data()).get(CANCELLED):
        if isinstance(outcome, StepView):
            label = (
                short(outcome.step.question.text, RESUME_LABEL_LIMIT)
                if outcome.step.question is not None
                else t(f"apply-label-{outcome.step.code}")
            )
            hint = t("apply-resume-hint", n=outcome.number, total=outcome.total, label=label)
        else:
            hint = t("apply-resume-hint-review")
        await turn.chat.show(Screen(hint))
        return True
    if isinstance(outcome, StepView):
        await turn.cursor.set_state(STEP)
        await turn.cursor.set_data(
            {"app": outcome.application_id, "step": outcome.step.code, "edit": False}
        )
        await step_message(turn, given)
    else:  # every step answered: the review, whose buttons are the only answers
        await show(turn, outcome)
    return True


async def show_again(turn: Turn) -> None:
    """A redelivered update whose effect is already committed (the bot stopped after the commit,
    before or after its reply; or another process handled it): nothing is stored again. A
    person in the questionnaire sees the screen where the database says they stand, and the
    cursor points at it, so their next message answers the step they see — a stale cursor
    would take it as the answer to the step already answered, and a lost one (the in-memory FSM
    after a restart) as the answer to a question never shown. Anyone else: nothing."""
    state = await turn.cursor.get_state()
    if state not in (None, STEP, REVIEW) or (await turn.cursor.get_data()).get(CANCELLED):
        return  # another dialog's cursor, or left on purpose: the redelivery changed nothing
    applications = turn.services.applications
    outcome = await applications.cursor(turn.me)
    if outcome is not None:
        await show(turn, outcome)
    elif state is not None:  # the draft went on (submitted): where it stands now
        await turn.cursor.clear()
        await turn.chat.show(status_screen(turn.t, await applications.status(turn.me)))


# --- presses: one handler per action -------------------------------------------------------------

# A press that moves the questionnaire: one call of the service, given the pressing person, the
# action and whether the applicant came from the review to edit this application.
Move = Callable[[Identity, ApplicationService, ApplyAction, bool], Awaitable[Outcome]]

# What each press that moves the questionnaire asks of the service.
MOVES: dict[ApplyVerb, Move] = {
    ApplyVerb.OPEN: lambda me, apps, action, editing: apps.open(me),
    ApplyVerb.CHOOSE: lambda me, apps, action, editing: apps.answer(
        me, action.application, action.step, Input("choice", text=action.choice), editing=editing
    ),
    # The service reads a municipality as the choice of its id, as if it were typed.
    ApplyVerb.PICK_MUNICIPALITY: lambda me, apps, action, editing: apps.answer(
        me,
        action.application,
        "municipality",
        Input("choice", text=str(action.item)),
        editing=editing,
    ),
    ApplyVerb.CONFIRM: lambda me, apps, action, editing: apps.answer(
        me, action.application, action.step, Input("confirm"), editing=editing
    ),
    ApplyVerb.SKIP: lambda me, apps, action, editing: apps.skip(
        me, action.application, action.step, editing=editing
    ),
    ApplyVerb.BACK: lambda me, apps, action, editing: apps.back(
        me, action.application, action.step, editing=editing
    ),
    ApplyVerb.KEEP: lambda me, apps, action, editing: apps.keep(
        me, action.application, action.step, editing=editing
    ),
    ApplyVerb.EDIT_FROM_REVIEW: lambda me, apps, action, editing: apps.show(
        me, action.application, action.step
    ),
    ApplyVerb.REVIEW: lambda me, apps, action, editing: apps.review(me, action.application),
    ApplyVerb.CHANGE_PATH: lambda me, apps, action, editing: apps.change(
        me, action.application, action.step, editing=editing
    ),
    ApplyVerb.RESTART: lambda me, apps, action, editing: apps.restart(me, action.application),
    ApplyVerb.SUBMIT: lambda me, apps, action, editing: apps.submit(me, action.application),
    ApplyVerb.IDEAS_DONE: lambda me, apps, action, editing: apps.ideas_done(
        me, action.application, editing=editing
    ),
}
# Paging and picking ideas redraw the list in place instead of drawing the next screen.
IDEAS_MOVES: dict[ApplyVerb, Move] = {
    ApplyVerb.IDEAS_PAGE: lambda me, apps, action, editing: apps.ideas_page(
        me, action.application, action.page, editing=editing
    ),
    ApplyVerb.TOGGLE_IDEA: lambda me, apps, action, editing: apps.toggle_idea(
        me, action.application, action.item, action.page, editing=editing
    ),
}


def moving(verb: ApplyVerb, move: Move) -> ActionHandler:
    """The handler of a press that moves the questionnaire: `move`, then the screen it leads to."""

    async def handler(turn: Turn, action: ApplyAction) -> None:
        data = await turn.cursor.get_data()
        editing = bool(data.get("edit")) and data.get("app") == action.application
        outcome = await move(turn.me, turn.services.applications, action, editing)
        if (
            isinstance(outcome, StepView)
            and outcome.problem is not None
            and outcome.step.code == action.step
            and not outcome.exits
        ):
            # The press was refused on this very step: say why, leave the screen as it is. A
            # refusal with a way forward is a new screen: its buttons are the way.
            await turn.chat.notice(turn.t(outcome.problem.key, **outcome.problem.args), alert=True)
            return
        await turn.chat.close_buttons()
        await show(turn, outcome, previous_step=data.get("step"))

    handler.__name__ = handler.__qualname__ = verb.name.lower()
    return handler


def paging_ideas(verb: ApplyVerb, move: Move) -> ActionHandler:
    """The handler of a press that pages or picks ideas: the list is redrawn in place."""

    async def handler(turn: Turn, action: ApplyAction) -> None:
        data = await turn.cursor.get_data()
        editing = bool(data.get("edit")) and data.get("app") == action.application
        outcome = await move(turn.me, turn.services.applications, action, editing)
        if not isinstance(outcome, StepView) or outcome.step.code != "ideas":
            await turn.chat.close_buttons()
            await show(turn, outcome)
            return
        if outcome.problem is not None:
            await turn.chat.notice(turn.t(outcome.problem.key, **outcome.problem.args), alert=True)
            return
        await turn.chat.notice()
        await turn.chat.redraw(step_screen(turn.t, outcome))
        await turn.cursor.set_state(STEP)
        await turn.cursor.set_data(
            {"app": outcome.application_id, "step": "ideas", "edit": outcome.editing}
        )

    handler.__name__ = handler.__qualname__ = verb.name.lower()
    return handler


async def idea_details(turn: Turn, action: ApplyAction) -> None:
    idea = await turn.services.applications.idea(turn.me, action.application, action.item)
    await turn.chat.notice()
    await turn.chat.show(Screen(f"{idea.title}\n\n{idea.description}"))


def asking(question: str, yes: str, confirmed: ApplyVerb) -> ActionHandler:
    """The handler of a press that asks before an action that cannot be undone."""

    async def handler(turn: Turn, action: ApplyAction) -> None:
        await turn.chat.notice()
        sure = action.model_copy(update={"verb": confirmed})
        await turn.chat.show(question_screen(turn.t, question, yes, sure))

    handler.__name__ = handler.__qualname__ = f"ask_{confirmed.name.lower()}"
    return handler


async def withdraw(turn: Turn, action: ApplyAction) -> None:
    await turn.services.applications.withdraw(turn.me, action.application)
    await turn.chat.close_buttons()
    await turn.chat.show(Screen(turn.t("apply-withdrawn")))
    await turn.cursor.clear()


async def withdraw_consent(turn: Turn, action: ApplyAction) -> None:
    await turn.services.applications.withdraw_consent(turn.me)
    # The cursor may hold what was being typed: it goes before anything else can fail.
    await turn.cursor.clear()
    await turn.chat.close_buttons()
    await turn.chat.show(Screen(turn.t("apply-privacy-done")))


async def changed_mind(turn: Turn, action: ApplyAction) -> None:
    await turn.chat.close_buttons()
    await turn.chat.show(Screen(turn.t("apply-kept")))


def _actions() -> dict[ApplyVerb, ActionHandler]:
    actions = {verb: moving(verb, move) for verb, move in MOVES.items()}
    actions.update({verb: paging_ideas(verb, move) for verb, move in IDEAS_MOVES.items()})
    actions.update(
        {
            ApplyVerb.IDEA_DETAILS: idea_details,
            ApplyVerb.ASK_RESTART: asking(
                "apply-restart-ask", "apply-btn-restart-confirm", ApplyVerb.RESTART
            ),
            ApplyVerb.ASK_WITHDRAW: asking(
                "apply-withdraw-ask", "apply-btn-withdraw-confirm", ApplyVerb.WITHDRAW
            ),
            ApplyVerb.WITHDRAW: withdraw,
            ApplyVerb.ASK_WITHDRAW_CONSENT: asking(
                "apply-privacy-ask", "apply-btn-privacy-confirm", ApplyVerb.WITHDRAW_CONSENT
            ),
            ApplyVerb.WITHDRAW_CONSENT: withdraw_consent,
            ApplyVerb.CHANGED_MIND: changed_mind,
        }
    )
    return actions


DIALOG = Dialog(
    name="apply",
    action=ApplyAction,
    commands={"apply": apply_command, "status": status_command, "privacy": privacy_command},
    states={STEP: step_message, REVIEW: review_message},
    actions=_actions(),
    # A command typed on a step is the step's to refuse (it is no answer), so the person sees
    # why and stays on the step.
    commands_in_states=True,
)

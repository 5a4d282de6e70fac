"""/assign, for any messenger: the dialogue in which a team's tutor or the office gives a task to
a student or a team. The steps and their answers live in the service's draft; the cursor's state
only says that the person's next text answers the dialogue.

A dialog of its own, registered right after the plan's, so it can later move onto a generic
wizard without touching the rest of the ИУП's dialog.
"""

from __future__ import annotations

from dialogs.screen import ActionHandler, Button, Dialog, Screen, Turn, doing
from services.actions import AssignAction, AssignVerb
from services.domain import TaskKind
from services.errors import InvalidInput
from services.i18n import Translator
from services.plans import AssignStep
from services.questionnaire import Input

# The name aiogram gave the former StatesGroup, so a cursor saved before this module existed
# still reads the same.
ACTIVE = "AssignFlow:active"


def _do(text: str, verb: AssignVerb, kind: str = "", target: int = 0) -> Button:
    return doing(text, AssignAction(verb=verb, kind=kind, target=target))


def step_screen(t: Translator, step: AssignStep) -> Screen:
    """The question of the draft's step: whom, what kind, then the texts, then the summary."""
    back = _do(t("plan-btn-back"), AssignVerb.BACK)
    cancel = _do(t("assign-btn-cancel"), AssignVerb.CANCEL)
    skip = _do(t("assign-btn-skip"), AssignVerb.SKIP)
    data = step.data
    if step.step == "target":
        targets = [
            [
                _do(
                    t("assign-target-team", name=target.label)
                    if target.kind == "team"
                    else target.label,
                    AssignVerb.PICK_TARGET,
                    kind=target.kind,
                    target=target.id,
                )
            ]
            for target in step.targets
        ]
        return Screen(t("assign-pick-target"), [*targets, [cancel]])
    if step.step == "kind":
        kinds = [
            [_do(t(f"plan-kind-{kind.value}"), AssignVerb.PICK_KIND, kind=kind.value)]
            for kind in TaskKind
        ]
        return Screen(t("assign-pick-kind", target=data.get("label", "")), [*kinds, [back]])
    typed = {
        "title": ("assign-ask-title", []),
        "due": ("assign-ask-due", []),
        "link": ("assign-ask-link", [[skip]]),
        "desc": ("assign-ask-desc", [[skip]]),
    }
    if step.step in typed:
        question, skipping = typed[step.step]
        return Screen(t(question), [*skipping, [back, cancel]])
    none = t("assign-none")
    text = t(
        "assign-confirm",
        target=data.get("label", none),
        kind=t(f"plan-kind-{data.get('kind', 'other')}"),
        title=data.get("title", none),
        due=data.get("due", none),
        link=data.get("link") or none,
        description=data.get("desc") or none,
    )
    return Screen(text, [[_do(t("assign-btn-confirm"), AssignVerb.CONFIRM)], [back, cancel]])


async def assign_command(turn: Turn, args: str) -> None:
    step = await turn.services.plans.assign_begin(turn.me)
    await turn.cursor.set_state(ACTIVE)
    await turn.chat.show(step_screen(turn.t, step))


async def assign_text(turn: Turn, given: Input) -> None:
    """A typed answer to the step; anything but a text is refused."""
    if given.kind != "text":
        raise InvalidInput("plan-text-expected")
    step = await turn.services.plans.assign_text(turn.me, given.text or "")
    await turn.chat.show(step_screen(turn.t, step))


async def assign_cancel(turn: Turn, action: AssignAction) -> None:
    await turn.services.plans.assign_cancel(turn.me)
    await turn.cursor.clear()
    await turn.chat.notice()
    await turn.chat.show(Screen(turn.t("assign-cancelled")))


async def assign_confirm(turn: Turn, action: AssignAction) -> None:
    count, target, title = await turn.services.plans.assign_confirm(turn.me)
    await turn.cursor.clear()
    await turn.chat.notice()
    await turn.chat.show(Screen(turn.t("assign-done", title=title, target=target, count=count)))


async def _moved(turn: Turn, step: AssignStep) -> None:
    """The dialogue's next (or previous) step, below the pressed message."""
    await turn.cursor.set_state(ACTIVE)
    await turn.chat.notice()
    await turn.chat.show(step_screen(turn.t, step))


async def assign_target(turn: Turn, action: AssignAction) -> None:
    await _moved(turn, await turn.services.plans.assign_target(turn.me, action.kind, action.target))


async def assign_kind(turn: Turn, action: AssignAction) -> None:
    await _moved(turn, await turn.services.plans.assign_kind(turn.me, action.kind))


async def assign_skip(turn: Turn, action: AssignAction) -> None:
    await _moved(turn, await turn.services.plans.assign_skip(turn.me))


async def assign_back(turn: Turn, action: AssignAction) -> None:
    await _moved(turn, await turn.services.plans.assign_back(turn.me))


ACTIONS: dict[AssignVerb, ActionHandler] = {
    AssignVerb.CANCEL: assign_cancel,
    AssignVerb.CONFIRM: assign_confirm,
    AssignVerb.PICK_TARGET: assign_target,
    AssignVerb.PICK_KIND: assign_kind,
    AssignVerb.SKIP: assign_skip,
    AssignVerb.BACK: assign_back,
}

DIALOG = Dialog(
    name="plan_assign",
    action=AssignAction,
    commands={"assign": assign_command},
    states={ACTIVE: assign_text},
    actions=ACTIONS,
)

"""/assign in the chat: the dialogue in which a team's tutor or the office gives a task to a
student or a team. The steps and their answers live in the service's draft; the FSM state only
says that the person's next text answers the dialogue.

A router of its own, registered right after the plan router, so it can later move onto a
generic wizard without touching the rest of the ИУП's handlers.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from handlers.callback_data import Pressed
from handlers.replies import answer, button, keyboard, send_below
from services.actions import AssignAction, AssignVerb
from services.container import Services
from services.domain import TaskKind
from services.errors import InvalidInput
from services.i18n import Translator
from services.people import Identity
from services.plans import AssignStep


class AssignFlow(StatesGroup):
    active = State()


def render_step(step: AssignStep, t: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    back = button(t("plan-btn-back"), AssignAction(verb=AssignVerb.BACK))
    cancel = button(t("assign-btn-cancel"), AssignAction(verb=AssignVerb.CANCEL))
    skip = button(t("assign-btn-skip"), AssignAction(verb=AssignVerb.SKIP))
    data = step.data
    if step.step == "target":
        rows = [
            [
                button(
                    t("assign-target-team", name=target.label)
                    if target.kind == "team"
                    else target.label,
                    AssignAction(verb=AssignVerb.PICK_TARGET, kind=target.kind, target=target.id),
                )
            ]
            for target in step.targets
        ]
        return t("assign-pick-target"), keyboard([*rows, [cancel]])
    if step.step == "kind":
        rows = [
            [
                button(
                    t(f"plan-kind-{kind.value}"),
                    AssignAction(verb=AssignVerb.PICK_KIND, kind=kind.value),
                )
            ]
            for kind in TaskKind
        ]
        return t("assign-pick-kind", target=data.get("label", "")), keyboard([*rows, [back]])
    if step.step == "title":
        return t("assign-ask-title"), keyboard([[back, cancel]])
    if step.step == "due":
        return t("assign-ask-due"), keyboard([[back, cancel]])
    if step.step == "link":
        return t("assign-ask-link"), keyboard([[skip], [back, cancel]])
    if step.step == "desc":
        return t("assign-ask-desc"), keyboard([[skip], [back, cancel]])
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
    confirm = button(t("assign-btn-confirm"), AssignAction(verb=AssignVerb.CONFIRM))
    return text, keyboard([[confirm], [back, cancel]])


async def assign_command(
    message: Message, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    step = await services.plans.assign_begin(me)
    await state.set_state(AssignFlow.active)
    text, markup = render_step(step, t)
    await answer(message, text, markup)


async def assign_cancel(
    query: CallbackQuery, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    await services.plans.assign_cancel(me)
    await state.clear()
    await query.answer()
    await send_below(query, t("assign-cancelled"), None)


async def assign_confirm(
    query: CallbackQuery, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    count, target, title = await services.plans.assign_confirm(me)
    await state.clear()
    await query.answer()
    await send_below(query, t("assign-done", title=title, target=target, count=count), None)


async def _assign_moved(
    query: CallbackQuery, step: AssignStep, t: Translator, state: FSMContext
) -> None:
    """The dialogue's next (or previous) step, below the pressed message."""
    await state.set_state(AssignFlow.active)
    await query.answer()
    text, markup = render_step(step, t)
    await send_below(query, text, markup)


async def assign_target(
    query: CallbackQuery,
    action: AssignAction,
    me: Identity,
    services: Services,
    t: Translator,
    state: FSMContext,
) -> None:
    step = await services.plans.assign_target(me, action.kind, action.target)
    await _assign_moved(query, step, t, state)


async def assign_kind(
    query: CallbackQuery,
    action: AssignAction,
    me: Identity,
    services: Services,
    t: Translator,
    state: FSMContext,
) -> None:
    await _assign_moved(query, await services.plans.assign_kind(me, action.kind), t, state)


async def assign_skip(
    query: CallbackQuery, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    await _assign_moved(query, await services.plans.assign_skip(me), t, state)


async def assign_back(
    query: CallbackQuery, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    await _assign_moved(query, await services.plans.assign_back(me), t, state)


async def assign_text(message: Message, me: Identity, services: Services, t: Translator) -> None:
    step = await services.plans.assign_text(me, message.text or "")
    text, markup = render_step(step, t)
    await answer(message, text, markup)


async def wrong_input(message: Message) -> None:
    raise InvalidInput("plan-text-expected")


def create_router() -> Router:
    router = Router(name="plan_assign")
    private = F.chat.type == "private"
    router.message.register(assign_command, Command("assign"), private)
    router.message.register(
        assign_text, AssignFlow.active, private, F.text, ~F.text.startswith("/")
    )
    router.message.register(wrong_input, AssignFlow.active, private, ~F.text)
    for verb, handler in (
        (AssignVerb.CANCEL, assign_cancel),
        (AssignVerb.CONFIRM, assign_confirm),
        (AssignVerb.PICK_TARGET, assign_target),
        (AssignVerb.PICK_KIND, assign_kind),
        (AssignVerb.SKIP, assign_skip),
        (AssignVerb.BACK, assign_back),
    ):
        router.callback_query.register(handler, Pressed(AssignAction, F.verb == verb))
    return router

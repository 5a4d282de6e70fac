"""ИУП in the chat: /plan, the task card, start and submit with evidence, review by buttons,
moving a due date, deleting, snoozing a reminder. /assign is handlers/plan_assign.py.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.callback_data import Pressed
from handlers.replies import answer, button, keyboard, send_below
from services.actions import PlanAction, PlanVerb, SnoozeAction
from services.container import Services
from services.errors import InvalidInput
from services.i18n import Translator
from services.people import Identity
from services.plans import Evidence, PlanView, TaskView

MAX_LISTED = 30


class PlanFlow(StatesGroup):
    evidence = State()
    comment = State()
    due = State()


# /plan and the card.


def render_plan(view: PlanView, t: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    if not view.groups:
        return t("plan-empty-reviewer" if view.reviewer else "plan-empty"), None
    lines = [t("plan-title-reviewer" if view.reviewer else "plan-title")]
    buttons: list[list[InlineKeyboardButton]] = []
    listed = 0
    total = sum(len(tasks) for _, tasks in view.groups)
    for status, tasks in view.groups:
        lines.append("")
        lines.append(t(f"plan-status-{status.value}") + ":")
        for task in tasks:
            due = t("plan-line-due", due=task.due) if task.due else ""
            overdue = t("plan-overdue-mark") if task.overdue else ""
            key = "plan-line-reviewer" if view.reviewer else "plan-line"
            lines.append(t(key, title=task.title, due=due, overdue=overdue, student=task.student))
            if listed < MAX_LISTED:
                label = f"{task.student}: {task.title}" if view.reviewer else task.title
                buttons.append([button(label[:60], PlanAction(verb=PlanVerb.OPEN, task=task.id))])
                listed += 1
    if total > listed:
        lines.append(t("plan-more", count=total - listed))
    return "\n".join(lines), keyboard(buttons)


def render_card(task: TaskView, t: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    lines = [
        t(
            "plan-card",
            kind=t(f"plan-kind-{task.kind.value}"),
            title=task.title,
            status=t(f"plan-state-{task.status.value}"),
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
    if task.by_attendance and task.status.value != "done":
        lines.append(t("plan-card-by-attendance"))
    if task.return_comment and task.status.value == "returned":
        lines.append(t("plan-card-comment", comment=task.return_comment))
    if task.evidence_kind and task.status.value in ("submitted", "done"):
        evidence = task.evidence_text or t("plan-evidence-file")
        lines.append(t("plan-card-evidence", evidence=evidence))
    rows: list[list[InlineKeyboardButton]] = [[], [], []]
    if task.can_start:
        rows[0].append(button(t("plan-btn-start"), PlanAction(verb=PlanVerb.START, task=task.id)))
    if task.can_submit:
        rows[0].append(
            button(t("plan-btn-submit"), PlanAction(verb=PlanVerb.ASK_EVIDENCE, task=task.id))
        )
    if task.can_review:
        rows[0].append(
            button(t("plan-btn-approve"), PlanAction(verb=PlanVerb.APPROVE, task=task.id))
        )
        rows[0].append(
            button(t("plan-btn-return"), PlanAction(verb=PlanVerb.ASK_RETURN_COMMENT, task=task.id))
        )
    if task.can_manage:
        rows[1].append(button(t("plan-btn-move"), PlanAction(verb=PlanVerb.ASK_DUE, task=task.id)))
        rows[1].append(
            button(t("plan-btn-delete"), PlanAction(verb=PlanVerb.ASK_DELETE, task=task.id))
        )
    rows[2].append(button(t("plan-btn-list"), PlanAction(verb=PlanVerb.LIST, task=0)))
    return "\n".join(lines), keyboard(rows)


def _back(t: Translator, task_id: int) -> InlineKeyboardMarkup | None:
    return keyboard([[button(t("plan-btn-back"), PlanAction(verb=PlanVerb.BACK, task=task_id))]])


async def plan_command(message: Message, me: Identity, services: Services, t: Translator) -> None:
    text, markup = render_plan(await services.plans.plan_of(me), t)
    await answer(message, text, markup)


async def plan_list(query: CallbackQuery, me: Identity, services: Services, t: Translator) -> None:
    text, markup = render_plan(await services.plans.plan_of(me), t)
    await query.answer()
    await send_below(query, text, markup)


async def open_task(
    query: CallbackQuery, action: PlanAction, me: Identity, services: Services, t: Translator
) -> None:
    text, markup = render_card(await services.plans.task(me, action.task), t)
    await query.answer()
    await send_below(query, text, markup)


async def start_task(
    query: CallbackQuery, action: PlanAction, me: Identity, services: Services, t: Translator
) -> None:
    task = await services.plans.start(me, action.task)
    await query.answer(t("plan-started", title=task.title))
    text, markup = render_card(task, t)
    await send_below(query, text, markup)


async def ask_evidence(
    query: CallbackQuery,
    action: PlanAction,
    me: Identity,
    services: Services,
    t: Translator,
    state: FSMContext,
) -> None:
    task = await services.plans.check_submit(me, action.task)
    await state.set_state(PlanFlow.evidence)
    await state.update_data(task_id=task.id)
    await query.answer()
    await send_below(query, t("plan-submit-ask", title=task.title), _back(t, task.id))


def evidence_of(message: Message) -> Evidence:
    if message.photo:
        return Evidence("photo", message.caption, message.photo[-1].file_id)
    if message.document:
        return Evidence("document", message.caption, message.document.file_id)
    if message.text is not None:
        text = message.text.strip()
        is_link = text.lower().startswith(("http://", "https://")) and " " not in text
        return Evidence("link" if is_link else "text", text)
    raise InvalidInput("plan-evidence-unsupported")


async def take_evidence(
    message: Message, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    task_id = int((await state.get_data())["task_id"])
    task = await services.plans.submit(me, task_id, evidence_of(message))
    await state.clear()
    await answer(message, t("plan-submitted", title=task.title))


async def approve_task(
    query: CallbackQuery, action: PlanAction, me: Identity, services: Services, t: Translator
) -> None:
    task = await services.plans.approve(me, action.task)
    await query.answer(t("plan-approved", title=task.title))
    await send_below(query, t("plan-approved", title=task.title), None)


async def ask_comment(
    query: CallbackQuery,
    action: PlanAction,
    me: Identity,
    services: Services,
    t: Translator,
    state: FSMContext,
) -> None:
    task = await services.plans.check_review(me, action.task)
    await state.set_state(PlanFlow.comment)
    await state.update_data(task_id=task.id)
    await query.answer()
    await send_below(query, t("plan-return-ask", title=task.title), _back(t, task.id))


async def take_comment(
    message: Message, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    task_id = int((await state.get_data())["task_id"])
    task = await services.plans.return_task(me, task_id, message.text or "")
    await state.clear()
    await answer(message, t("plan-returned", title=task.title))


async def ask_due(
    query: CallbackQuery,
    action: PlanAction,
    me: Identity,
    services: Services,
    t: Translator,
    state: FSMContext,
) -> None:
    task = await services.plans.check_manage(me, action.task)
    await state.set_state(PlanFlow.due)
    await state.update_data(task_id=task.id)
    await query.answer()
    await send_below(query, t("plan-move-ask", title=task.title), _back(t, task.id))


async def take_due(
    message: Message, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    task_id = int((await state.get_data())["task_id"])
    task = await services.plans.move_due(me, task_id, message.text or "")
    await state.clear()
    await answer(message, t("plan-moved", title=task.title, due=task.due))


async def ask_delete(
    query: CallbackQuery, action: PlanAction, me: Identity, services: Services, t: Translator
) -> None:
    task = await services.plans.check_manage(me, action.task)
    markup = keyboard(
        [
            [
                button(t("plan-btn-delete-sure"), PlanAction(verb=PlanVerb.DELETE, task=task.id)),
                button(t("plan-btn-back"), PlanAction(verb=PlanVerb.BACK, task=task.id)),
            ]
        ]
    )
    await query.answer()
    await send_below(query, t("plan-delete-ask", title=task.title), markup)


async def delete_task(
    query: CallbackQuery, action: PlanAction, me: Identity, services: Services, t: Translator
) -> None:
    title = await services.plans.delete(me, action.task)
    await query.answer(t("plan-deleted", title=title))
    await send_below(query, t("plan-deleted", title=title), None)


async def back(query: CallbackQuery, t: Translator, state: FSMContext) -> None:
    await state.clear()
    await query.answer(t("plan-back-done"))


async def wrong_input(message: Message) -> None:
    raise InvalidInput("plan-text-expected")


async def snooze(
    query: CallbackQuery, action: SnoozeAction, me: Identity, services: Services, t: Translator
) -> None:
    _, when = await services.reminders.snooze(me, action.reminder, action.verb.value)
    await query.answer(t("reminder-snoozed-until", when=when), show_alert=True)


def create_router() -> Router:
    router = Router(name="plan")
    private = F.chat.type == "private"
    router.message.register(plan_command, Command("plan"), private)
    router.message.register(take_evidence, PlanFlow.evidence, private, ~F.text.startswith("/"))
    router.message.register(
        take_comment, PlanFlow.comment, private, F.text, ~F.text.startswith("/")
    )
    router.message.register(take_due, PlanFlow.due, private, F.text, ~F.text.startswith("/"))
    router.message.register(
        wrong_input,
        StateFilter(PlanFlow.comment, PlanFlow.due),
        private,
        ~F.text,
    )
    for verb, handler in (
        (PlanVerb.LIST, plan_list),
        (PlanVerb.OPEN, open_task),
        (PlanVerb.START, start_task),
        (PlanVerb.ASK_EVIDENCE, ask_evidence),
        (PlanVerb.APPROVE, approve_task),
        (PlanVerb.ASK_RETURN_COMMENT, ask_comment),
        (PlanVerb.ASK_DUE, ask_due),
        (PlanVerb.ASK_DELETE, ask_delete),
        (PlanVerb.DELETE, delete_task),
        (PlanVerb.BACK, back),
    ):
        router.callback_query.register(handler, Pressed(PlanAction, F.verb == verb))
    router.callback_query.register(snooze, Pressed(SnoozeAction))
    return router

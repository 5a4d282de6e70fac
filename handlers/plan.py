"""ИУП in the chat: /plan, the task card, start and submit with evidence, review by buttons,
moving a due date, deleting, snoozing a reminder; and /assign (the tutor's or office's dialogue).
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.callback_data import Id
from handlers.replies import answer, button, keyboard, send_below
from services.container import Services
from services.errors import InvalidInput, NotAllowed
from services.i18n import Translator
from services.people import Identity
from services.plans import AssignStep, Evidence, PlanView, TaskView
from services.reminders import PLAN_ACTION, SNOOZE_ACTION
from storage.models import TaskKind

MAX_LISTED = 30


class PlanCD(CallbackData, prefix=PLAN_ACTION):
    act: str
    id: Id


class SnoozeCD(CallbackData, prefix=SNOOZE_ACTION):
    rid: Id
    m: str


class AssignCD(CallbackData, prefix="asg"):
    act: str
    k: str = ""
    id: Id = 0


class PlanFlow(StatesGroup):
    evidence = State()
    comment = State()
    due = State()


class AssignFlow(StatesGroup):
    active = State()


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
                buttons.append([button(label[:60], PlanCD(act="open", id=task.id))])
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
        rows[0].append(button(t("plan-btn-start"), PlanCD(act="start", id=task.id)))
    if task.can_submit:
        rows[0].append(button(t("plan-btn-submit"), PlanCD(act="sub", id=task.id)))
    if task.can_review:
        rows[0].append(button(t("plan-btn-approve"), PlanCD(act="ok", id=task.id)))
        rows[0].append(button(t("plan-btn-return"), PlanCD(act="ret", id=task.id)))
    if task.can_manage:
        rows[1].append(button(t("plan-btn-move"), PlanCD(act="due", id=task.id)))
        rows[1].append(button(t("plan-btn-delete"), PlanCD(act="del", id=task.id)))
    rows[2].append(button(t("plan-btn-list"), PlanCD(act="list", id=0)))
    return "\n".join(lines), keyboard(rows)


def _back(t: Translator, task_id: int) -> InlineKeyboardMarkup | None:
    return keyboard([[button(t("plan-btn-back"), PlanCD(act="back", id=task_id))]])


async def plan_command(message: Message, me: Identity, services: Services, t: Translator) -> None:
    text, markup = render_plan(await services.plans.plan_of(me), t)
    await answer(message, text, markup)


async def plan_list(query: CallbackQuery, me: Identity, services: Services, t: Translator) -> None:
    text, markup = render_plan(await services.plans.plan_of(me), t)
    await query.answer()
    await send_below(query, text, markup)


async def open_task(
    query: CallbackQuery, callback_data: PlanCD, me: Identity, services: Services, t: Translator
) -> None:
    text, markup = render_card(await services.plans.task(me, callback_data.id), t)
    await query.answer()
    await send_below(query, text, markup)


async def start_task(
    query: CallbackQuery, callback_data: PlanCD, me: Identity, services: Services, t: Translator
) -> None:
    task = await services.plans.start(me, callback_data.id)
    await query.answer(t("plan-started", title=task.title))
    text, markup = render_card(task, t)
    await send_below(query, text, markup)


async def ask_evidence(
    query: CallbackQuery,
    callback_data: PlanCD,
    me: Identity,
    services: Services,
    t: Translator,
    state: FSMContext,
) -> None:
    task = await services.plans.check_submit(me, callback_data.id)
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
    query: CallbackQuery, callback_data: PlanCD, me: Identity, services: Services, t: Translator
) -> None:
    task = await services.plans.approve(me, callback_data.id)
    await query.answer(t("plan-approved", title=task.title))
    await send_below(query, t("plan-approved", title=task.title), None)


async def ask_comment(
    query: CallbackQuery,
    callback_data: PlanCD,
    me: Identity,
    services: Services,
    t: Translator,
    state: FSMContext,
) -> None:
    task = await services.plans.check_review(me, callback_data.id)
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
    callback_data: PlanCD,
    me: Identity,
    services: Services,
    t: Translator,
    state: FSMContext,
) -> None:
    task = await services.plans.check_manage(me, callback_data.id)
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
    query: CallbackQuery, callback_data: PlanCD, me: Identity, services: Services, t: Translator
) -> None:
    task = await services.plans.check_manage(me, callback_data.id)
    markup = keyboard(
        [
            [
                button(t("plan-btn-delete-sure"), PlanCD(act="delok", id=task.id)),
                button(t("plan-btn-back"), PlanCD(act="back", id=task.id)),
            ]
        ]
    )
    await query.answer()
    await send_below(query, t("plan-delete-ask", title=task.title), markup)


async def delete_task(
    query: CallbackQuery, callback_data: PlanCD, me: Identity, services: Services, t: Translator
) -> None:
    title = await services.plans.delete(me, callback_data.id)
    await query.answer(t("plan-deleted", title=title))
    await send_below(query, t("plan-deleted", title=title), None)


async def back(query: CallbackQuery, t: Translator, state: FSMContext) -> None:
    await state.clear()
    await query.answer(t("plan-back-done"))


async def wrong_input(message: Message) -> None:
    raise InvalidInput("plan-text-expected")


async def snooze(
    query: CallbackQuery, callback_data: SnoozeCD, me: Identity, services: Services, t: Translator
) -> None:
    _, when = await services.reminders.snooze(me, callback_data.rid, callback_data.m)
    await query.answer(t("reminder-snoozed-until", when=when), show_alert=True)


# /assign.


def render_step(step: AssignStep, t: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    back = button(t("plan-btn-back"), AssignCD(act="back"))
    cancel = button(t("assign-btn-cancel"), AssignCD(act="cancel"))
    skip = button(t("assign-btn-skip"), AssignCD(act="skip"))
    data = step.data
    if step.step == "target":
        rows = [
            [
                button(
                    t("assign-target-team", name=target.label)
                    if target.kind == "team"
                    else target.label,
                    AssignCD(act="tgt", k=target.kind, id=target.id),
                )
            ]
            for target in step.targets
        ]
        return t("assign-pick-target"), keyboard([*rows, [cancel]])
    if step.step == "kind":
        rows = [
            [button(t(f"plan-kind-{kind.value}"), AssignCD(act="kind", k=kind.value))]
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
    confirm = button(t("assign-btn-confirm"), AssignCD(act="ok"))
    return text, keyboard([[confirm], [back, cancel]])


async def assign_command(
    message: Message, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    step = await services.plans.assign_begin(me)
    await state.set_state(AssignFlow.active)
    text, markup = render_step(step, t)
    await answer(message, text, markup)


async def assign_button(
    query: CallbackQuery,
    callback_data: AssignCD,
    me: Identity,
    services: Services,
    t: Translator,
    state: FSMContext,
) -> None:
    plans = services.plans
    act = callback_data.act
    if act == "cancel":
        await plans.assign_cancel(me)
        await state.clear()
        await query.answer()
        await send_below(query, t("assign-cancelled"), None)
        return
    if act == "ok":
        count, target, title = await plans.assign_confirm(me)
        await state.clear()
        await query.answer()
        await send_below(query, t("assign-done", title=title, target=target, count=count), None)
        return
    if act == "tgt":
        step = await plans.assign_target(me, callback_data.k, callback_data.id)
    elif act == "kind":
        step = await plans.assign_kind(me, callback_data.k)
    elif act == "skip":
        step = await plans.assign_skip(me)
    elif act == "back":
        step = await plans.assign_back(me)
    else:
        raise NotAllowed()
    await state.set_state(AssignFlow.active)
    await query.answer()
    text, markup = render_step(step, t)
    await send_below(query, text, markup)


async def assign_text(message: Message, me: Identity, services: Services, t: Translator) -> None:
    step = await services.plans.assign_text(me, message.text or "")
    text, markup = render_step(step, t)
    await answer(message, text, markup)


def create_router() -> Router:
    router = Router(name="plan")
    private = F.chat.type == "private"
    router.message.register(plan_command, Command("plan"), private)
    router.message.register(assign_command, Command("assign"), private)
    router.message.register(take_evidence, PlanFlow.evidence, private, ~F.text.startswith("/"))
    router.message.register(
        take_comment, PlanFlow.comment, private, F.text, ~F.text.startswith("/")
    )
    router.message.register(take_due, PlanFlow.due, private, F.text, ~F.text.startswith("/"))
    router.message.register(
        assign_text, AssignFlow.active, private, F.text, ~F.text.startswith("/")
    )
    router.message.register(
        wrong_input,
        StateFilter(PlanFlow.comment, PlanFlow.due, AssignFlow.active),
        private,
        ~F.text,
    )
    router.callback_query.register(plan_list, PlanCD.filter(F.act == "list"))
    router.callback_query.register(open_task, PlanCD.filter(F.act == "open"))
    router.callback_query.register(start_task, PlanCD.filter(F.act == "start"))
    router.callback_query.register(ask_evidence, PlanCD.filter(F.act == "sub"))
    router.callback_query.register(approve_task, PlanCD.filter(F.act == "ok"))
    router.callback_query.register(ask_comment, PlanCD.filter(F.act == "ret"))
    router.callback_query.register(ask_due, PlanCD.filter(F.act == "due"))
    router.callback_query.register(ask_delete, PlanCD.filter(F.act == "del"))
    router.callback_query.register(delete_task, PlanCD.filter(F.act == "delok"))
    router.callback_query.register(back, PlanCD.filter(F.act == "back"))
    router.callback_query.register(snooze, SnoozeCD.filter())
    router.callback_query.register(assign_button, AssignCD.filter())
    return router

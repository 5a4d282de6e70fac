"""/passport and /roadmap: the tutor fills the passport field by field (each answer saved),
adds stages and submits them with a report; the mentor approves or returns with a comment."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.callback_data import Pressed
from handlers.evidence import evidence_of
from handlers.replies import answer, keyboard, send_below
from services.actions import RoadmapAction, RoadmapVerb, encode
from services.container import Services
from services.domain import PASSPORT_FIELDS
from services.errors import DomainError, InvalidInput
from services.i18n import Translator
from services.people import Identity
from services.roadmap import PassportView, RoadmapView, StageView
from storage.models import Team


class PassportFlow(StatesGroup):
    answer = State()


class StageFlow(StatesGroup):
    title = State()
    due = State()
    report = State()


class ReviewFlow(StatesGroup):
    passport_comment = State()
    stage_comment = State()


def _button(text: str, verb: RoadmapVerb, item: int) -> InlineKeyboardButton:
    action = RoadmapAction(verb=verb, item=item)
    return InlineKeyboardButton(text=text, callback_data=encode(action))


def _pick(teams: list[Team], verb: RoadmapVerb) -> InlineKeyboardMarkup | None:
    return keyboard([[_button(team.name, verb, team.id)] for team in teams])


# Rendering.


def render_passport(view: PassportView, t: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    none = t("roadmap-empty-field")
    lines = [t("passport-title", team=view.team, status=t(f"passport-status-{view.status.value}"))]
    for name in PASSPORT_FIELDS:
        lines.append(t(f"passport-field-{name}", value=view.fields[name] or none))
    if view.return_comment and view.status.value == "returned":
        lines.append(t("roadmap-comment-line", comment=view.return_comment))
    rows: list[list[InlineKeyboardButton]] = [[], []]
    if view.can_edit:
        rows[0].append(_button(t("passport-btn-fill"), RoadmapVerb.FILL_PASSPORT, view.team_id))
    if view.can_submit:
        rows[0].append(_button(t("passport-btn-submit"), RoadmapVerb.SUBMIT_PASSPORT, view.team_id))
    if view.can_review:
        rows[1].append(_button(t("roadmap-btn-approve"), RoadmapVerb.APPROVE_PASSPORT, view.id))
        rows[1].append(_button(t("roadmap-btn-return"), RoadmapVerb.ASK_PASSPORT_RETURN, view.id))
    return "\n\n".join(lines), keyboard(rows)


def render_roadmap(view: RoadmapView, t: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    lines = [t("roadmap-title", team=view.team)]
    rows: list[list[InlineKeyboardButton]] = []
    if not view.stages:
        lines.append(t("roadmap-no-stages"))
    for stage in view.stages:
        lines.append(
            t(
                "roadmap-line",
                n=str(stage.position),
                title=stage.title,
                due=stage.due or t("roadmap-no-due"),
                status=t(f"roadmap-status-{stage.status.value}"),
            )
        )
        rows.append(
            [_button(f"{stage.position}. {stage.title}"[:60], RoadmapVerb.OPEN_STAGE, stage.id)]
        )
    if view.can_add:
        rows.append([_button(t("roadmap-btn-add"), RoadmapVerb.ADD_STAGE, view.team_id)])
    return "\n".join(lines), keyboard(rows)


def render_stage(view: StageView, t: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    lines = [
        t(
            "roadmap-stage-card",
            n=str(view.position),
            title=view.title,
            due=view.due or t("roadmap-no-due"),
            status=t(f"roadmap-status-{view.status.value}"),
        )
    ]
    if view.report_kind and view.status.value in ("submitted", "approved", "returned"):
        lines.append(t("roadmap-report-line", report=view.report_text or t("roadmap-report-file")))
    if view.return_comment and view.status.value == "returned":
        lines.append(t("roadmap-comment-line", comment=view.return_comment))
    rows: list[list[InlineKeyboardButton]] = [[], [], []]
    if view.can_submit:
        rows[0].append(_button(t("roadmap-btn-submit"), RoadmapVerb.ASK_STAGE_REPORT, view.id))
    if view.can_set_due:
        rows[0].append(_button(t("roadmap-btn-due"), RoadmapVerb.ASK_STAGE_DUE, view.id))
    if view.can_review:
        rows[1].append(_button(t("roadmap-btn-approve"), RoadmapVerb.APPROVE_STAGE, view.id))
        rows[1].append(_button(t("roadmap-btn-return"), RoadmapVerb.ASK_STAGE_RETURN, view.id))
    rows[2].append(_button(t("roadmap-btn-list"), RoadmapVerb.OPEN_ROADMAP, view.team_id))
    return "\n".join(lines), keyboard(rows)


def _back(t: Translator) -> InlineKeyboardMarkup | None:
    return keyboard([[_button(t("roadmap-btn-back"), RoadmapVerb.BACK, 0)]])


# /passport.


async def passport_command(
    message: Message, me: Identity, services: Services, t: Translator
) -> None:
    teams = await services.roadmap.teams(me)
    if not teams:
        raise DomainError("team-none")
    if len(teams) > 1:
        await answer(message, t("team-pick"), _pick(teams, RoadmapVerb.OPEN_PASSPORT))
        return
    text, markup = render_passport(await services.roadmap.passport(me, teams[0].id), t)
    await answer(message, text, markup)


async def passport_open(
    query: CallbackQuery, action: RoadmapAction, me: Identity, services: Services, t: Translator
) -> None:
    text, markup = render_passport(await services.roadmap.passport(me, action.item), t)
    await query.answer()
    await send_below(query, text, markup)


async def _ask_field(
    query_or_message: CallbackQuery | Message,
    view: PassportView,
    index: int,
    t: Translator,
    state: FSMContext,
) -> None:
    await state.set_state(PassportFlow.answer)
    await state.update_data(team_id=view.team_id, index=index)
    name = PASSPORT_FIELDS[index]
    current = view.fields[name]
    text = t(f"passport-ask-{name}", step=str(index + 1), total=str(len(PASSPORT_FIELDS)))
    if current:
        text += "\n\n" + t("passport-current", value=current)
    rows = (
        [[_button(t("passport-btn-keep"), RoadmapVerb.KEEP_FIELD, view.team_id)]] if current else []
    )
    rows.append(
        [
            _button(t("roadmap-btn-back"), RoadmapVerb.PREVIOUS_FIELD, view.team_id),
            _button(t("passport-btn-exit"), RoadmapVerb.LEAVE_PASSPORT, view.team_id),
        ]
    )
    markup = keyboard(rows)
    if isinstance(query_or_message, CallbackQuery):
        await send_below(query_or_message, text, markup)
    else:
        await answer(query_or_message, text, markup)


async def _finish_fill(
    target: CallbackQuery | Message, view: PassportView, t: Translator, state: FSMContext
) -> None:
    await state.clear()
    text, markup = render_passport(view, t)
    text = t("passport-filled") + "\n\n" + text
    if isinstance(target, CallbackQuery):
        await send_below(target, text, markup)
    else:
        await answer(target, text, markup)


async def passport_fill(
    query: CallbackQuery,
    action: RoadmapAction,
    me: Identity,
    services: Services,
    t: Translator,
    state: FSMContext,
) -> None:
    view = await services.roadmap.passport_begin(me, action.item)
    await query.answer()
    await _ask_field(query, view, 0, t, state)


async def _cursor(state: FSMContext, team_id: int) -> int:
    data = await state.get_data()
    if await state.get_state() != PassportFlow.answer.state or data.get("team_id") != team_id:
        raise DomainError("passport-restart")
    return int(data["index"])


async def passport_answer(
    message: Message, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    data = await state.get_data()
    team_id, index = int(data["team_id"]), int(data["index"])
    view = await services.roadmap.passport_answer(
        me, team_id, PASSPORT_FIELDS[index], message.text or ""
    )
    if index + 1 >= len(PASSPORT_FIELDS):
        await _finish_fill(message, view, t, state)
    else:
        await _ask_field(message, view, index + 1, t, state)


async def passport_move(
    query: CallbackQuery,
    action: RoadmapAction,
    me: Identity,
    services: Services,
    t: Translator,
    state: FSMContext,
) -> None:
    """Keep the current answer (forward), Back, or leave the questions (everything is saved)."""
    view = await services.roadmap.passport_begin(me, action.item)
    await query.answer()
    if action.verb is RoadmapVerb.LEAVE_PASSPORT:
        await _finish_fill(query, view, t, state)
        return
    index = await _cursor(state, action.item)
    if action.verb is RoadmapVerb.KEEP_FIELD:
        if not view.fields[PASSPORT_FIELDS[index]]:
            raise InvalidInput("passport-nothing-to-keep")
        index += 1
    else:
        index -= 1
    if index < 0 or index >= len(PASSPORT_FIELDS):
        await _finish_fill(query, view, t, state)
    else:
        await _ask_field(query, view, index, t, state)


async def passport_submit(
    query: CallbackQuery,
    action: RoadmapAction,
    me: Identity,
    services: Services,
    t: Translator,
) -> None:
    await services.roadmap.passport_submit(me, action.item)
    await query.answer(t("passport-submitted"))
    await send_below(query, t("passport-submitted"), None)


async def passport_approve(
    query: CallbackQuery, action: RoadmapAction, me: Identity, services: Services, t: Translator
) -> None:
    view = await services.roadmap.approve_passport(me, action.item)
    await query.answer(t("passport-approved-done", team=view.team))
    await send_below(query, t("passport-approved-done", team=view.team), None)


async def passport_ask_comment(
    query: CallbackQuery,
    action: RoadmapAction,
    me: Identity,
    services: Services,
    t: Translator,
    state: FSMContext,
) -> None:
    view = await services.roadmap.check_passport_review(me, action.item)
    await state.set_state(ReviewFlow.passport_comment)
    await state.update_data(passport_id=view.id)
    await query.answer()
    await send_below(query, t("passport-return-ask", team=view.team), _back(t))


async def passport_comment(
    message: Message, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    passport_id = int((await state.get_data())["passport_id"])
    view = await services.roadmap.return_passport(me, passport_id, message.text or "")
    await state.clear()
    await answer(message, t("passport-returned-done", team=view.team))


# /roadmap.


async def roadmap_command(
    message: Message, me: Identity, services: Services, t: Translator
) -> None:
    teams = await services.roadmap.teams(me)
    if not teams:
        raise DomainError("team-none")
    if len(teams) > 1:
        await answer(message, t("team-pick"), _pick(teams, RoadmapVerb.OPEN_ROADMAP))
        return
    text, markup = render_roadmap(await services.roadmap.roadmap(me, teams[0].id), t)
    await answer(message, text, markup)


async def roadmap_open(
    query: CallbackQuery, action: RoadmapAction, me: Identity, services: Services, t: Translator
) -> None:
    text, markup = render_roadmap(await services.roadmap.roadmap(me, action.item), t)
    await query.answer()
    await send_below(query, text, markup)


async def stage_open(
    query: CallbackQuery, action: RoadmapAction, me: Identity, services: Services, t: Translator
) -> None:
    text, markup = render_stage(await services.roadmap.stage(me, action.item), t)
    await query.answer()
    await send_below(query, text, markup)


async def stage_add(
    query: CallbackQuery,
    action: RoadmapAction,
    me: Identity,
    services: Services,
    t: Translator,
    state: FSMContext,
) -> None:
    team = await services.roadmap.check_add_stage(me, action.item)
    await state.set_state(StageFlow.title)
    await state.update_data(team_id=team.id)
    await query.answer()
    await send_below(query, t("roadmap-ask-title"), _back(t))


async def stage_title(
    message: Message, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    team_id = int((await state.get_data())["team_id"])
    stage = await services.roadmap.add_stage(me, team_id, message.text or "")
    await state.set_state(StageFlow.due)
    await state.update_data(stage_id=stage.id)
    await answer(message, t("roadmap-ask-due", title=stage.title), _back(t))


async def stage_ask_due(
    query: CallbackQuery,
    action: RoadmapAction,
    me: Identity,
    services: Services,
    t: Translator,
    state: FSMContext,
) -> None:
    stage = await services.roadmap.check_set_due(me, action.item)
    await state.set_state(StageFlow.due)
    await state.update_data(stage_id=stage.id)
    await query.answer()
    await send_below(query, t("roadmap-ask-due", title=stage.title), _back(t))


async def stage_due(
    message: Message, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    stage_id = int((await state.get_data())["stage_id"])
    stage = await services.roadmap.set_stage_due(me, stage_id, message.text or "")
    await state.clear()
    text, markup = render_stage(stage, t)
    await answer(message, t("roadmap-due-saved") + "\n\n" + text, markup)


async def stage_ask_report(
    query: CallbackQuery,
    action: RoadmapAction,
    me: Identity,
    services: Services,
    t: Translator,
    state: FSMContext,
) -> None:
    stage = await services.roadmap.check_submit_stage(me, action.item)
    await state.set_state(StageFlow.report)
    await state.update_data(stage_id=stage.id)
    await query.answer()
    await send_below(query, t("roadmap-ask-report", title=stage.title), _back(t))


async def stage_report(
    message: Message, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    stage_id = int((await state.get_data())["stage_id"])
    stage = await services.roadmap.submit_stage(me, stage_id, evidence_of(message))
    await state.clear()
    await answer(message, t("roadmap-submitted", title=stage.title))


async def stage_approve(
    query: CallbackQuery, action: RoadmapAction, me: Identity, services: Services, t: Translator
) -> None:
    stage = await services.roadmap.approve_stage(me, action.item)
    await query.answer(t("roadmap-approved-done", title=stage.title))
    await send_below(query, t("roadmap-approved-done", title=stage.title), None)


async def stage_ask_comment(
    query: CallbackQuery,
    action: RoadmapAction,
    me: Identity,
    services: Services,
    t: Translator,
    state: FSMContext,
) -> None:
    stage = await services.roadmap.check_stage_review(me, action.item)
    await state.set_state(ReviewFlow.stage_comment)
    await state.update_data(stage_id=stage.id)
    await query.answer()
    await send_below(query, t("roadmap-return-ask", title=stage.title), _back(t))


async def stage_comment(
    message: Message, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    stage_id = int((await state.get_data())["stage_id"])
    stage = await services.roadmap.return_stage(me, stage_id, message.text or "")
    await state.clear()
    await answer(message, t("roadmap-returned-done", title=stage.title))


async def back(query: CallbackQuery, t: Translator, state: FSMContext) -> None:
    await state.clear()
    await query.answer(t("roadmap-back-done"))


async def wrong_input(message: Message) -> None:
    raise InvalidInput("roadmap-text-expected")


def create_router() -> Router:
    router = Router(name="roadmap")
    private = F.chat.type == "private"
    text = (private, F.text, ~F.text.startswith("/"))
    router.message.register(passport_command, Command("passport"), private)
    router.message.register(roadmap_command, Command("roadmap"), private)
    router.message.register(passport_answer, PassportFlow.answer, *text)
    router.message.register(passport_comment, ReviewFlow.passport_comment, *text)
    router.message.register(stage_title, StageFlow.title, *text)
    router.message.register(stage_due, StageFlow.due, *text)
    router.message.register(stage_comment, ReviewFlow.stage_comment, *text)
    router.message.register(stage_report, StageFlow.report, private, ~F.text.startswith("/"))
    router.message.register(
        wrong_input,
        StateFilter(
            PassportFlow.answer,
            ReviewFlow.passport_comment,
            ReviewFlow.stage_comment,
            StageFlow.title,
            StageFlow.due,
        ),
        private,
        ~F.text,
    )
    for verb, handler in (
        (RoadmapVerb.OPEN_PASSPORT, passport_open),
        (RoadmapVerb.FILL_PASSPORT, passport_fill),
        (RoadmapVerb.KEEP_FIELD, passport_move),
        (RoadmapVerb.PREVIOUS_FIELD, passport_move),
        (RoadmapVerb.LEAVE_PASSPORT, passport_move),
        (RoadmapVerb.SUBMIT_PASSPORT, passport_submit),
        (RoadmapVerb.APPROVE_PASSPORT, passport_approve),
        (RoadmapVerb.ASK_PASSPORT_RETURN, passport_ask_comment),
        (RoadmapVerb.OPEN_ROADMAP, roadmap_open),
        (RoadmapVerb.OPEN_STAGE, stage_open),
        (RoadmapVerb.ADD_STAGE, stage_add),
        (RoadmapVerb.ASK_STAGE_DUE, stage_ask_due),
        (RoadmapVerb.ASK_STAGE_REPORT, stage_ask_report),
        (RoadmapVerb.APPROVE_STAGE, stage_approve),
        (RoadmapVerb.ASK_STAGE_RETURN, stage_ask_comment),
        (RoadmapVerb.BACK, back),
    ):
        router.callback_query.register(handler, Pressed(RoadmapAction, F.verb == verb))
    return router

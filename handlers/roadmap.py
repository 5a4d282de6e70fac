"""/roadmap: the tutor adds stages, sets their due dates and submits them with a report; the
mentor approves a stage or returns it with a comment. The buttons, Back and the wrong-input
reply shared with /passport live here."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.callback_data import Pressed
from handlers.evidence import evidence_of
from handlers.replies import answer, button, keyboard, send_below
from services.actions import RoadmapAction, RoadmapVerb
from services.container import Services
from services.errors import DomainError, InvalidInput
from services.i18n import Translator
from services.people import Identity
from services.roadmap import RoadmapView, StageView
from storage.models import Team


class StageFlow(StatesGroup):
    title = State()
    due = State()
    report = State()


class StageReviewFlow(StatesGroup):
    # The state keeps the name it had when passport and roadmap were one module, so a
    # conversation stored in Redis across a deploy goes on.
    comment = State("stage_comment", group_name="ReviewFlow")


def roadmap_button(text: str, verb: RoadmapVerb, item: int) -> InlineKeyboardButton:
    return button(text, RoadmapAction(verb=verb, item=item))


def pick_team(teams: list[Team], verb: RoadmapVerb) -> InlineKeyboardMarkup | None:
    return keyboard([[roadmap_button(team.name, verb, team.id)] for team in teams])


def back_keyboard(t: Translator) -> InlineKeyboardMarkup | None:
    return keyboard([[roadmap_button(t("roadmap-btn-back"), RoadmapVerb.BACK, 0)]])


# Rendering.


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
            [
                roadmap_button(
                    f"{stage.position}. {stage.title}"[:60], RoadmapVerb.OPEN_STAGE, stage.id
                )
            ]
        )
    if view.can_add:
        rows.append([roadmap_button(t("roadmap-btn-add"), RoadmapVerb.ADD_STAGE, view.team_id)])
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
        rows[0].append(
            roadmap_button(t("roadmap-btn-submit"), RoadmapVerb.ASK_STAGE_REPORT, view.id)
        )
    if view.can_set_due:
        rows[0].append(roadmap_button(t("roadmap-btn-due"), RoadmapVerb.ASK_STAGE_DUE, view.id))
    if view.can_review:
        rows[1].append(roadmap_button(t("roadmap-btn-approve"), RoadmapVerb.APPROVE_STAGE, view.id))
        rows[1].append(
            roadmap_button(t("roadmap-btn-return"), RoadmapVerb.ASK_STAGE_RETURN, view.id)
        )
    rows[2].append(roadmap_button(t("roadmap-btn-list"), RoadmapVerb.OPEN_ROADMAP, view.team_id))
    return "\n".join(lines), keyboard(rows)


# /roadmap.


async def roadmap_command(
    message: Message, me: Identity, services: Services, t: Translator
) -> None:
    teams = await services.roadmap.teams(me)
    if not teams:
        raise DomainError("team-none")
    if len(teams) > 1:
        await answer(message, t("team-pick"), pick_team(teams, RoadmapVerb.OPEN_ROADMAP))
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
    await send_below(query, t("roadmap-ask-title"), back_keyboard(t))


async def stage_title(
    message: Message, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    team_id = int((await state.get_data())["team_id"])
    stage = await services.roadmap.add_stage(me, team_id, message.text or "")
    await state.set_state(StageFlow.due)
    await state.update_data(stage_id=stage.id)
    await answer(message, t("roadmap-ask-due", title=stage.title), back_keyboard(t))


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
    await send_below(query, t("roadmap-ask-due", title=stage.title), back_keyboard(t))


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
    await send_below(query, t("roadmap-ask-report", title=stage.title), back_keyboard(t))


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
    await state.set_state(StageReviewFlow.comment)
    await state.update_data(stage_id=stage.id)
    await query.answer()
    await send_below(query, t("roadmap-return-ask", title=stage.title), back_keyboard(t))


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
    router.message.register(roadmap_command, Command("roadmap"), private)
    router.message.register(stage_title, StageFlow.title, *text)
    router.message.register(stage_due, StageFlow.due, *text)
    router.message.register(stage_comment, StageReviewFlow.comment, *text)
    router.message.register(stage_report, StageFlow.report, private, ~F.text.startswith("/"))
    router.message.register(
        wrong_input,
        StateFilter(StageReviewFlow.comment, StageFlow.title, StageFlow.due),
        private,
        ~F.text,
    )
    for verb, handler in (
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

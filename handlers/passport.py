"""/passport: the tutor fills the team's project passport field by field (each answer saved)
and submits it; the mentor approves it or returns it with a comment."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.callback_data import Pressed
from handlers.replies import answer, keyboard, send_below
from handlers.roadmap import back_keyboard, pick_team, roadmap_button, wrong_input
from services.actions import RoadmapAction, RoadmapVerb
from services.container import Services
from services.domain import PASSPORT_FIELDS
from services.errors import DomainError, InvalidInput
from services.i18n import Translator
from services.people import Identity
from services.roadmap import PassportView


class PassportFlow(StatesGroup):
    answer = State()


class PassportReviewFlow(StatesGroup):
    # The state keeps the name it had when passport and roadmap were one module, so a
    # conversation stored in Redis across a deploy goes on.
    comment = State("passport_comment", group_name="ReviewFlow")


def render_passport(view: PassportView, t: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    none = t("roadmap-empty-field")
    lines = [t("passport-title", team=view.team, status=t(f"passport-status-{view.status.value}"))]
    for name in PASSPORT_FIELDS:
        lines.append(t(f"passport-field-{name}", value=view.fields[name] or none))
    if view.return_comment and view.status.value == "returned":
        lines.append(t("roadmap-comment-line", comment=view.return_comment))
    rows: list[list[InlineKeyboardButton]] = [[], []]
    if view.can_edit:
        rows[0].append(
            roadmap_button(t("passport-btn-fill"), RoadmapVerb.FILL_PASSPORT, view.team_id)
        )
    if view.can_submit:
        rows[0].append(
            roadmap_button(t("passport-btn-submit"), RoadmapVerb.SUBMIT_PASSPORT, view.team_id)
        )
    if view.can_review:
        rows[1].append(
            roadmap_button(t("roadmap-btn-approve"), RoadmapVerb.APPROVE_PASSPORT, view.id)
        )
        rows[1].append(
            roadmap_button(t("roadmap-btn-return"), RoadmapVerb.ASK_PASSPORT_RETURN, view.id)
        )
    return "\n\n".join(lines), keyboard(rows)


# /passport.


async def passport_command(
    message: Message, me: Identity, services: Services, t: Translator
) -> None:
    teams = await services.roadmap.teams(me)
    if not teams:
        raise DomainError("team-none")
    if len(teams) > 1:
        await answer(message, t("team-pick"), pick_team(teams, RoadmapVerb.OPEN_PASSPORT))
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
        [[roadmap_button(t("passport-btn-keep"), RoadmapVerb.KEEP_FIELD, view.team_id)]]
        if current
        else []
    )
    rows.append(
        [
            roadmap_button(t("roadmap-btn-back"), RoadmapVerb.PREVIOUS_FIELD, view.team_id),
            roadmap_button(t("passport-btn-exit"), RoadmapVerb.LEAVE_PASSPORT, view.team_id),
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
    await state.set_state(PassportReviewFlow.comment)
    await state.update_data(passport_id=view.id)
    await query.answer()
    await send_below(query, t("passport-return-ask", team=view.team), back_keyboard(t))


async def passport_comment(
    message: Message, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    passport_id = int((await state.get_data())["passport_id"])
    view = await services.roadmap.return_passport(me, passport_id, message.text or "")
    await state.clear()
    await answer(message, t("passport-returned-done", team=view.team))


def create_router() -> Router:
    router = Router(name="passport")
    private = F.chat.type == "private"
    text = (private, F.text, ~F.text.startswith("/"))
    router.message.register(passport_command, Command("passport"), private)
    router.message.register(passport_answer, PassportFlow.answer, *text)
    router.message.register(passport_comment, PassportReviewFlow.comment, *text)
    router.message.register(
        wrong_input,
        StateFilter(PassportFlow.answer, PassportReviewFlow.comment),
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
    ):
        router.callback_query.register(handler, Pressed(RoadmapAction, F.verb == verb))
    return router

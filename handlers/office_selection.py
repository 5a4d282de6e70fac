"""The office's side of selection (/selection): the ideas with their places, each idea's
applicants ranked by combined score, a decision per application, "accept the top N" with a
preview and a confirmation, undoing a decision until results are published, and "publish
results" with a confirmation. After publication the same screens show what was published."""

from __future__ import annotations

import contextlib

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.callback_data import Pressed
from handlers.replies import answer, keyboard, send_below
from handlers.review import redraw_card
from services.actions import OfficeAction, OfficeVerb, encode
from services.container import Services
from services.domain import Decision
from services.errors import NotAllowed
from services.i18n import Translator
from services.people import Identity
from services.selection import IdeaRanking, Overview, RankedRow
from services.selection.card import DECISIONS, clip

ROWS_SHOWN = 40


def _button(text: str, verb: OfficeVerb, **fields: int | str) -> InlineKeyboardButton:
    action = OfficeAction.model_validate({"verb": verb, **fields})
    return InlineKeyboardButton(text=text, callback_data=encode(action))


def render_overview(view: Overview, t: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    lines = [t("sel-office-title", applications=view.applications, undecided=view.undecided)]
    if view.published:
        accepted, waitlisted, rejected = view.results
        lines.append(
            t(
                "sel-office-published",
                accepted=accepted, waitlisted=waitlisted, rejected=rejected,
            )
        )  # fmt: skip
    rows = []
    for n, idea in enumerate(view.ideas, start=1):
        lines.append(
            t(
                "sel-office-idea", n=n, title=idea.title,
                s_ranked=idea.students[0], s_accepted=idea.students[1], s_capacity=idea.students[2],
                t_ranked=idea.tutors[0], t_accepted=idea.tutors[1], t_capacity=idea.tutors[2],
            )
        )  # fmt: skip
        rows.append([_button(clip(f"{n}. {idea.title}"), OfficeVerb.IDEA_RANKING, idea=idea.id)])
    lines.append(t("sel-office-hint"))
    if not view.published:
        rows.append([_button(t("sel-btn-top"), OfficeVerb.PREVIEW_TOP)])
        rows.append([_button(t("sel-btn-publish"), OfficeVerb.PREVIEW_PUBLISH)])
    return "\n".join(lines), keyboard(rows)


def _row_text(n: int, row: RankedRow, t: Translator) -> str:
    decision = ""
    if row.decision is not None:
        key = row.decision.value
        if row.decision is Decision.ACCEPTED and not row.here:
            key = "accepted-elsewhere"
        decision = " " + t("sel-idea-decision", decision=key)
    score = t("sel-idea-no-score") if row.score is None else f"{row.score:.2f}"
    incomplete = t("sel-idea-incomplete", count=row.incomplete) if row.incomplete else ""
    return t(
        "sel-idea-row", n=n, number=row.number, score=score, reviewers=row.reviewers,
        rank=row.rank, incomplete=incomplete, decision=decision,
    )  # fmt: skip


def render_idea(view: IdeaRanking, t: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    lines = [t("sel-idea-title", title=view.title, students=view.capacity[0],
               tutors=view.capacity[1])]  # fmt: skip
    rows = []
    for heading, group in (("sel-idea-students", view.students), ("sel-idea-tutors", view.tutors)):
        lines += ["", t(heading)]
        if not group:
            lines.append(t("sel-idea-none"))
        for n, row in enumerate(group[:ROWS_SHOWN], start=1):
            text = _row_text(n, row, t)
            lines.append(text)
            rows.append([_button(clip(text), OfficeVerb.OPEN_CARD, application=row.application_id)])
    rows.append([_button(t("sel-btn-overview"), OfficeVerb.OVERVIEW)])
    return "\n".join(lines), keyboard(rows)


async def _send(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    await send_below(query, text, markup)


async def selection_command(
    message: Message, me: Identity, services: Services, t: Translator
) -> None:
    text, markup = render_overview(await services.selection.overview(me), t)
    await answer(message, text, markup)


async def overview(query: CallbackQuery, me: Identity, services: Services, t: Translator) -> None:
    text, markup = render_overview(await services.selection.overview(me), t)
    await query.answer()
    await _send(query, text, markup)


async def idea(
    query: CallbackQuery, action: OfficeAction, me: Identity, services: Services, t: Translator
) -> None:
    text, markup = render_idea(await services.selection.idea_ranking(me, action.idea), t)
    await query.answer()
    await _send(query, text, markup)


async def card(
    query: CallbackQuery, action: OfficeAction, me: Identity, services: Services
) -> None:
    await services.selection.open_card(me, action.application, for_office=True)
    await query.answer()


def _shown(query: CallbackQuery) -> tuple[int, int] | None:
    """The pressed card (chat id, message id): the decision redraws it, not takes it back."""
    message = query.message
    return (message.chat.id, message.message_id) if message is not None else None


async def decide(
    query: CallbackQuery, action: OfficeAction, me: Identity, services: Services, t: Translator
) -> None:
    if not 0 <= action.decision < len(DECISIONS):
        raise NotAllowed()
    view = await services.selection.decide(
        me, action.application, DECISIONS[action.decision], action.idea or None,
        shown=_shown(query),
    )  # fmt: skip
    await query.answer(t("sel-decided-done"))
    await redraw_card(query, view, t)


async def undo(
    query: CallbackQuery, action: OfficeAction, me: Identity, services: Services, t: Translator
) -> None:
    if not 0 <= action.decision < len(DECISIONS) or not action.stamp:
        raise NotAllowed()
    view = await services.selection.undo(
        me,
        action.application,
        DECISIONS[action.decision],
        action.idea or None,
        action.stamp,
    )
    await query.answer(t("sel-undo-done"))
    await redraw_card(query, view, t)


async def top_preview(
    query: CallbackQuery, me: Identity, services: Services, t: Translator
) -> None:
    plan = await services.selection.top_preview(me)
    await query.answer()
    if not plan.lines:
        await _send(query, t("sel-top-empty"), None)
        return
    lines = [t("sel-top-preview", count=len(plan.lines))]
    lines += [
        t("sel-top-line", number=number, idea=title, rank=rank, score=f"{score:.2f}")
        for number, title, rank, score in plan.lines
    ]
    lines += ["", t("sel-top-rule")]
    confirm = _button(t("sel-btn-confirm"), OfficeVerb.ACCEPT_TOP, stamp=plan.digest)
    markup = keyboard([[confirm, _button(t("sel-btn-cancel"), OfficeVerb.CANCEL)]])
    await _send(query, "\n".join(lines), markup)


async def top_confirm(
    query: CallbackQuery, action: OfficeAction, me: Identity, services: Services, t: Translator
) -> None:
    outcome = await services.selection.accept_top(me, action.stamp)
    if not outcome.first_time:  # the same confirmation pressed again
        await query.answer(t("sel-top-again", count=outcome.accepted), show_alert=True)
        return
    await query.answer(t("sel-top-done", count=outcome.accepted))
    if isinstance(query.message, Message):  # the preview's buttons are spent
        with contextlib.suppress(TelegramBadRequest):
            await query.message.edit_reply_markup(reply_markup=None)
    await _send(query, t("sel-top-done", count=outcome.accepted), None)


async def publish_preview(
    query: CallbackQuery, me: Identity, services: Services, t: Translator
) -> None:
    view = await services.selection.publish_preview(me)
    await query.answer()
    if view.published:
        await _send(query, t("sel-publish-again"), None)
        return
    text = t(
        "sel-publish-preview", accepted=view.accepted, waitlisted=view.waitlisted,
        rejected=view.rejected, undecided=view.undecided,
    )  # fmt: skip
    markup = keyboard(
        [
            [
                _button(t("sel-btn-confirm"), OfficeVerb.PUBLISH),
                _button(t("sel-btn-cancel"), OfficeVerb.CANCEL),
            ]
        ]
    )
    await _send(query, text, markup)


async def publish(query: CallbackQuery, me: Identity, services: Services, t: Translator) -> None:
    outcome = await services.selection.publish(me)
    if not outcome.first_time:
        await query.answer(t("sel-publish-again"), show_alert=True)
        return
    text = t("sel-publish-done", sent=outcome.sent, teams=outcome.teams)
    if outcome.without_mentor:
        text += "\n" + t("sel-publish-no-mentor", ideas=", ".join(outcome.without_mentor))
    await query.answer()
    await _send(query, text, None)


async def cancel(query: CallbackQuery, t: Translator) -> None:
    await query.answer(t("sel-cancelled"))


def create_router() -> Router:
    router = Router(name="office_selection")
    router.message.register(selection_command, Command("selection"), F.chat.type == "private")
    for verb, handler in (
        (OfficeVerb.OVERVIEW, overview),
        (OfficeVerb.IDEA_RANKING, idea),
        (OfficeVerb.OPEN_CARD, card),
        (OfficeVerb.DECIDE, decide),
        (OfficeVerb.UNDO, undo),
        (OfficeVerb.PREVIEW_TOP, top_preview),
        (OfficeVerb.ACCEPT_TOP, top_confirm),
        (OfficeVerb.PREVIEW_PUBLISH, publish_preview),
        (OfficeVerb.PUBLISH, publish),
        (OfficeVerb.CANCEL, cancel),
    ):
        router.callback_query.register(handler, Pressed(OfficeAction, F.verb == verb))
    return router

"""The office's side of selection (/selection): the ideas with their places, each idea's
applicants ranked by combined score, a decision per application, "accept the top N" with a
preview and a confirmation, undoing a decision until results are published, and "publish
results" with a confirmation. After publication the same screens show what was published."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.callback_data import Id, Small
from handlers.replies import answer, keyboard, send_below
from handlers.review import ReviewCD, redraw_card
from services.container import Services
from services.errors import NotAllowed
from services.i18n import Translator
from services.people import Identity
from services.review_card import DECISIONS, clip
from services.selection import OFFICE_ACTION, REVIEW_ACTION, IdeaRanking, Overview, RankedRow
from storage.models import Decision

ROWS_SHOWN = 40


class OfficeCD(CallbackData, prefix=OFFICE_ACTION):
    """act: ov (overview), id (idea ranking: i), a (card: app), d (decide: app, v index of
    DECISIONS, i idea), u (undo the decision shown: app, v, i, h its decision_stamp), tp / ty
    (top N: preview / confirm with h, the plan's digest), pp / py (publish: preview / confirm),
    no (cancel)."""

    act: str
    app: Id = 0
    i: Id = 0
    v: Small = 0
    h: str = ""


def _button(text: str, **data: int | str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=OfficeCD(**data).pack())


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
        rows.append([_button(clip(f"{n}. {idea.title}"), act="id", i=idea.id)])
    lines.append(t("sel-office-hint"))
    if not view.published:
        rows.append([_button(t("sel-btn-top"), act="tp")])
        rows.append([_button(t("sel-btn-publish"), act="pp")])
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
            rows.append([_button(clip(text), act="a", app=row.application_id)])
    rows.append([_button(t("sel-btn-overview"), act="ov")])
    return "\n".join(lines), keyboard(rows)


FACTORIES: Mapping[str, type[CallbackData]] = {REVIEW_ACTION: ReviewCD, OFFICE_ACTION: OfficeCD}


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
    query: CallbackQuery, callback_data: OfficeCD, me: Identity, services: Services, t: Translator
) -> None:
    text, markup = render_idea(await services.selection.idea_ranking(me, callback_data.i), t)
    await query.answer()
    await _send(query, text, markup)


async def card(
    query: CallbackQuery, callback_data: OfficeCD, me: Identity, services: Services
) -> None:
    await services.selection.open_card(me, callback_data.app, for_office=True)
    await query.answer()


def _shown(query: CallbackQuery) -> tuple[int, int] | None:
    """The pressed card (chat id, message id): the decision redraws it, not takes it back."""
    message = query.message
    return (message.chat.id, message.message_id) if message is not None else None


async def decide(
    query: CallbackQuery, callback_data: OfficeCD, me: Identity, services: Services, t: Translator
) -> None:
    if not 0 <= callback_data.v < len(DECISIONS):
        raise NotAllowed()
    view = await services.selection.decide(
        me, callback_data.app, DECISIONS[callback_data.v], callback_data.i or None,
        shown=_shown(query),
    )  # fmt: skip
    await query.answer(t("sel-decided-done"))
    await redraw_card(query, view, t, FACTORIES)


async def undo(
    query: CallbackQuery, callback_data: OfficeCD, me: Identity, services: Services, t: Translator
) -> None:
    if not 0 <= callback_data.v < len(DECISIONS) or not callback_data.h:
        raise NotAllowed()
    view = await services.selection.undo(
        me,
        callback_data.app,
        DECISIONS[callback_data.v],
        callback_data.i or None,
        callback_data.h,
    )
    await query.answer(t("sel-undo-done"))
    await redraw_card(query, view, t, FACTORIES)


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
    markup = keyboard(
        [[_button(t("sel-btn-confirm"), act="ty", h=plan.digest), _button(t("sel-btn-cancel"),
                                                                         act="no")]]
    )  # fmt: skip
    await _send(query, "\n".join(lines), markup)


async def top_confirm(
    query: CallbackQuery, callback_data: OfficeCD, me: Identity, services: Services, t: Translator
) -> None:
    outcome = await services.selection.accept_top(me, callback_data.h)
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
        [[_button(t("sel-btn-confirm"), act="py"), _button(t("sel-btn-cancel"), act="no")]]
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
    router.callback_query.register(overview, OfficeCD.filter(F.act == "ov"))
    router.callback_query.register(idea, OfficeCD.filter(F.act == "id"))
    router.callback_query.register(card, OfficeCD.filter(F.act == "a"))
    router.callback_query.register(decide, OfficeCD.filter(F.act == "d"))
    router.callback_query.register(undo, OfficeCD.filter(F.act == "u"))
    router.callback_query.register(top_preview, OfficeCD.filter(F.act == "tp"))
    router.callback_query.register(top_confirm, OfficeCD.filter(F.act == "ty"))
    router.callback_query.register(publish_preview, OfficeCD.filter(F.act == "pp"))
    router.callback_query.register(publish, OfficeCD.filter(F.act == "py"))
    router.callback_query.register(cancel, OfficeCD.filter(F.act == "no"))
    return router

"""The reviewer's side of selection: the application card (scores 0–5 per criterion, a comment,
a recommendation) opened from the notice or from /review, and /review's pages."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.replies import answer, redraw, send_below
from services.container import Services
from services.errors import DomainError, InvalidInput
from services.i18n import Translator
from services.people import Identity
from services.selection import REVIEW_ACTION, CardView, ReviewList
from storage.models import Recommendation

RECOMMENDATIONS = (Recommendation.ACCEPT, Recommendation.WAITLIST, Recommendation.REJECT)


class ReviewCD(CallbackData, prefix=REVIEW_ACTION):
    """act: o (open card), s (score: c criterion, v value), h (criterion hint), cm (comment),
    r (recommend: v index), l (list: i idea filter, p page)."""

    act: str
    app: int = 0
    c: int = 0
    v: int = 0
    i: int = 0
    p: int = 0


class ReviewStates(StatesGroup):
    comment = State()


def _button(text: str, **data: int | str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=ReviewCD(**data).pack())


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def card_text(view: CardView, t: Translator) -> str:
    role = t(f"sel-role-{view.role.value if view.role else 'none'}")
    lines = [t("sel-card-title", number=view.number, role=role), ""]
    lines += [f"{label}: {value}" for label, value in view.answers]
    if view.presentation:
        lines.append(t("sel-card-presentation", kind=view.presentation))
        if view.presentation == "text" and view.presentation_text:
            lines.append(view.presentation_text)
    lines += ["", t("sel-card-ranking")]
    lines += [f"{n}. {title}" for n, (_, title) in enumerate(view.ranking, start=1)]
    lines += ["", t("sel-card-scores")]
    for n, criterion in enumerate(view.criteria, start=1):
        mine = t("sel-card-unscored") if criterion.mine is None else str(criterion.mine)
        lines.append(
            t("sel-card-criterion", n=n, title=criterion.title, weight=f"{criterion.weight:g}",
              score=mine)
        )  # fmt: skip
    if view.combined is None:
        lines.append(t("sel-card-no-score"))
    else:
        lines.append(t("sel-card-combined", score=_score(view.combined), reviewers=view.reviewers))
    if view.my_comment:
        lines.append(t("sel-card-my-comment", comment=view.my_comment))
    if view.my_recommendation:
        lines.append(t("sel-card-my-rec", rec=t(f"sel-rec-{view.my_recommendation.value}")))
    if view.office and view.notes:
        lines += ["", t("sel-card-notes")]
        for rec, comment in view.notes:
            rec_text = t(f"sel-rec-{rec.value}") if rec else t("sel-rec-none")
            lines.append(
                t("sel-card-note", rec=rec_text, comment=f": {comment}" if comment else "")
            )
    if view.decision is not None:
        decision = t(f"sel-decision-{view.decision.value}", idea=view.decided_idea or "—")
        lines += ["", t("sel-card-decided", decision=decision)]
    return "\n".join(lines)  # a long card is sent in parts (handlers/replies.py)


def card_rows(view: CardView, t: Translator) -> list[list[InlineKeyboardButton]]:
    if not view.can_score:
        return []
    app = view.application_id
    rows = []
    for n, criterion in enumerate(view.criteria, start=1):
        row = [_button(f"{n}. {criterion.title}"[:18], act="h", app=app, c=criterion.id)]
        for value in range(criterion.max_score + 1):
            label = f"•{value}•" if criterion.mine == value else str(value)
            row.append(_button(label, act="s", app=app, c=criterion.id, v=value))
        rows.append(row)
    rows.append([_button(t("sel-btn-comment"), act="cm", app=app)])
    rows.append(
        [
            _button(
                ("✅ " if view.my_recommendation is rec else "") + t(f"sel-btn-rec-{rec.value}"),
                act="r",
                app=app,
                v=index,
            )
            for index, rec in enumerate(RECOMMENDATIONS)
        ]
    )
    return rows


def render_card(view: CardView, t: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    rows = card_rows(view, t)
    return card_text(view, t), InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def render_list(view: ReviewList, t: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    ideas = dict(view.ideas)
    title = ideas.get(view.idea_id, t("sel-review-all"))
    lines = [t("sel-review-title", filter=title, page=view.page + 1, pages=view.pages)]
    rows: list[list[InlineKeyboardButton]] = []
    if not view.items:
        lines.append(t("sel-review-empty"))
    for item in view.items:
        role = t(f"sel-role-{item.role.value if item.role else 'none'}")
        text = t(
            "sel-review-item", mark="✅" if item.scored else "▫️", number=item.number, role=role
        )
        lines.append(text)
        rows.append([_button(text, act="o", app=item.application_id)])
    lines.append(t("sel-review-legend"))
    paging = []
    if view.page > 0:
        paging.append(_button(t("sel-btn-prev"), act="l", i=view.idea_id, p=view.page - 1))
    if view.page + 1 < view.pages:
        paging.append(_button(t("sel-btn-next"), act="l", i=view.idea_id, p=view.page + 1))
    if paging:
        rows.append(paging)
    if len(view.ideas) > 1:
        rows += [[_button(f"🔎 {name}"[:60], act="l", i=idea_id)] for idea_id, name in view.ideas]
        rows.append([_button(t("sel-btn-all-ideas"), act="l")])
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


async def _redraw(query: CallbackQuery, view: CardView, t: Translator) -> None:
    text, markup = render_card(view, t)
    await redraw(query, text, markup)


# Handlers.


async def review_command(message: Message, me: Identity, services: Services, t: Translator) -> None:
    text, markup = render_list(await services.selection.pending(me), t)
    await answer(message, text, markup)


async def review_list(
    query: CallbackQuery, callback_data: ReviewCD, me: Identity, services: Services, t: Translator
) -> None:
    view = await services.selection.pending(me, callback_data.i, callback_data.p)
    await query.answer()
    text, markup = render_list(view, t)
    await redraw(query, text, markup)


async def open_card(
    query: CallbackQuery, callback_data: ReviewCD, me: Identity, services: Services, t: Translator
) -> None:
    view = await services.selection.open_card(me, callback_data.app)
    await query.answer()
    text, markup = render_card(view, t)
    assert query.message is not None
    await send_below(query, text, markup)


async def score(
    query: CallbackQuery, callback_data: ReviewCD, me: Identity, services: Services, t: Translator
) -> None:
    view = await services.selection.score(me, callback_data.app, callback_data.c, callback_data.v)
    await query.answer(t("sel-score-saved"))
    await _redraw(query, view, t)


async def hint(
    query: CallbackQuery, callback_data: ReviewCD, me: Identity, services: Services, t: Translator
) -> None:
    view = await services.selection.card(me, callback_data.app)
    criterion = next((c for c in view.criteria if c.id == callback_data.c), None)
    await query.answer(criterion.title if criterion else None)


async def recommend(
    query: CallbackQuery, callback_data: ReviewCD, me: Identity, services: Services, t: Translator
) -> None:
    if not 0 <= callback_data.v < len(RECOMMENDATIONS):
        raise DomainError("error-not-allowed")
    view = await services.selection.recommend(
        me, callback_data.app, RECOMMENDATIONS[callback_data.v]
    )
    await query.answer(t("sel-rec-saved"))
    await _redraw(query, view, t)


async def ask_comment(
    query: CallbackQuery,
    callback_data: ReviewCD,
    me: Identity,
    services: Services,
    t: Translator,
    state: FSMContext,
) -> None:
    view = await services.selection.check_comment(me, callback_data.app)
    await state.set_state(ReviewStates.comment)
    await state.update_data(app=view.application_id)
    await query.answer()
    assert query.message is not None
    await query.bot.send_message(  # type: ignore[union-attr]
        query.message.chat.id, t("sel-comment-ask", number=view.number)
    )


async def comment(
    message: Message, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    application_id = (await state.get_data()).get("app")
    if not isinstance(application_id, int):
        await state.clear()
        raise DomainError("sel-comment-restart")
    view = await services.selection.comment(me, application_id, message.text or "")
    await state.clear()
    text, markup = render_card(view, t)
    await answer(message, t("sel-comment-saved") + "\n\n" + text, markup)


async def comment_not_text(message: Message) -> None:
    raise InvalidInput("sel-comment-text")


def create_router() -> Router:
    router = Router(name="review")
    private = F.chat.type == "private"
    router.message.register(review_command, Command("review"), private)
    router.message.register(comment, ReviewStates.comment, private, F.text, ~F.text.startswith("/"))
    router.message.register(comment_not_text, StateFilter(ReviewStates.comment), private, ~F.text)
    router.callback_query.register(open_card, ReviewCD.filter(F.act == "o"))
    router.callback_query.register(score, ReviewCD.filter(F.act == "s"))
    router.callback_query.register(hint, ReviewCD.filter(F.act == "h"))
    router.callback_query.register(recommend, ReviewCD.filter(F.act == "r"))
    router.callback_query.register(ask_comment, ReviewCD.filter(F.act == "cm"))
    router.callback_query.register(review_list, ReviewCD.filter(F.act == "l"))
    return router

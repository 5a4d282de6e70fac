"""The reviewer's side of selection: the application card (scores 0–5 per criterion, a comment,
a recommendation, then the next application of the queue) opened from the notice or from
/review, and /review's pages. The card is built and sent by the service (through the outbox, so
that what was sent about an application can be taken back); presses redraw its last message in
place."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.callback_data import Id, Small
from handlers.replies import answer, keyboard, redraw
from services.container import Services
from services.errors import DomainError, InvalidInput
from services.i18n import Translator
from services.notify import Keyboard
from services.people import Identity
from services.review_card import RECOMMENDATIONS, CardView, card_parts, clip
from services.selection import REVIEW_ACTION, ReviewList


class ReviewCD(CallbackData, prefix=REVIEW_ACTION):
    """act: o (open card), s (score: c criterion, v value), h (criterion hint, on cards sent
    before the criteria were named in the text), cm (comment), r (recommend: v index),
    n (the next application after app), l (list: i idea filter, p page)."""

    act: str
    app: Id = 0
    c: Id = 0
    v: Small = 0
    i: Id = 0
    p: Small = 0


class ReviewStates(StatesGroup):
    comment = State()


def _button(text: str, **data: int | str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=ReviewCD(**data).pack())


def inline_markup(
    buttons: Keyboard | None, factories: Mapping[str, type[CallbackData]]
) -> InlineKeyboardMarkup | None:
    """The service's buttons (an action prefix and its ids) as Telegram's inline keyboard."""
    rows = [
        [
            InlineKeyboardButton(text=b.text, url=b.url)
            if b.url
            else InlineKeyboardButton(
                text=b.text, callback_data=factories[b.action or ""](**b.args).pack()
            )
            for b in row
        ]
        for row in buttons or []
    ]
    return keyboard(rows)


async def redraw_card(
    query: CallbackQuery,
    view: CardView,
    t: Translator,
    factories: Mapping[str, type[CallbackData]] | None = None,
) -> None:
    """Redraw the pressed message: the card's last part, which holds the panel and buttons."""
    last = card_parts(view, t)[-1]
    await redraw(query, last.text, inline_markup(last.buttons, factories or FACTORIES))


FACTORIES: Mapping[str, type[CallbackData]] = {REVIEW_ACTION: ReviewCD}


def render_list(view: ReviewList, t: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    ideas = dict(view.ideas)
    title = ideas.get(view.idea_id, t("sel-review-all"))
    lines = [t("sel-review-title", filter=title, page=view.page + 1, pages=view.pages)]
    rows: list[list[InlineKeyboardButton]] = []
    if not view.items:
        lines.append(t("sel-review-empty"))
    for item in view.items:
        role = t(f"sel-role-{item.role.value if item.role else 'none'}")
        mark = t("sel-review-mark", progress=item.progress.value)
        text = t("sel-review-item", mark=mark, number=item.number, role=role)
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
        rows += [[_button(clip(f"🔎 {name}"), act="l", i=idea_id)] for idea_id, name in view.ideas]
        rows.append([_button(t("sel-btn-all-ideas"), act="l")])
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


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
    query: CallbackQuery, callback_data: ReviewCD, me: Identity, services: Services
) -> None:
    await services.selection.open_card(me, callback_data.app)
    await query.answer()


async def next_card(
    query: CallbackQuery, callback_data: ReviewCD, me: Identity, services: Services
) -> None:
    await services.selection.next_card(me, callback_data.app)
    await query.answer()


async def score(
    query: CallbackQuery, callback_data: ReviewCD, me: Identity, services: Services, t: Translator
) -> None:
    view = await services.selection.score(me, callback_data.app, callback_data.c, callback_data.v)
    await query.answer(t("sel-score-saved"))
    await redraw_card(query, view, t)


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
    await redraw_card(query, view, t)


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
    # The card's message: the comment is shown in it once saved.
    card = query.message.message_id if query.message is not None else None
    await state.update_data(app=view.application_id, card=card)
    await query.answer()
    assert query.message is not None
    await query.bot.send_message(  # type: ignore[union-attr]
        query.message.chat.id, t("sel-comment-ask", number=view.number)
    )


async def comment(
    message: Message, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    data = await state.get_data()
    application_id = data.get("app")
    if not isinstance(application_id, int):
        await state.clear()
        raise DomainError("sel-comment-restart")
    view = await services.selection.comment(me, application_id, message.text or "")
    await state.clear()
    card = data.get("card")
    if isinstance(card, int) and message.bot is not None:
        last = card_parts(view, t)[-1]
        # Gone or too old to edit: the comment is saved all the same and shows on the card.
        with contextlib.suppress(TelegramBadRequest):
            await message.bot.edit_message_text(
                last.text,
                chat_id=message.chat.id,
                message_id=card,
                reply_markup=inline_markup(last.buttons, FACTORIES),
            )
    await message.answer(t("sel-comment-saved"))


async def comment_not_text(message: Message) -> None:
    raise InvalidInput("sel-comment-text")


def create_router() -> Router:
    router = Router(name="review")
    private = F.chat.type == "private"
    router.message.register(review_command, Command("review"), private)
    router.message.register(comment, ReviewStates.comment, private, F.text, ~F.text.startswith("/"))
    router.message.register(comment_not_text, StateFilter(ReviewStates.comment), private, ~F.text)
    router.callback_query.register(open_card, ReviewCD.filter(F.act == "o"))
    router.callback_query.register(next_card, ReviewCD.filter(F.act == "n"))
    router.callback_query.register(score, ReviewCD.filter(F.act == "s"))
    router.callback_query.register(hint, ReviewCD.filter(F.act == "h"))
    router.callback_query.register(recommend, ReviewCD.filter(F.act == "r"))
    router.callback_query.register(ask_comment, ReviewCD.filter(F.act == "cm"))
    router.callback_query.register(review_list, ReviewCD.filter(F.act == "l"))
    return router

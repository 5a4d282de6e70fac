"""The reviewer's side of selection: the application card (scores 0–5 per criterion, a comment,
a recommendation, then the next application of the queue) opened from the notice or from
/review, and /review's pages. The card is built and sent by the service (through the outbox, so
that what was sent about an application can be taken back); presses redraw its last message in
place."""

from __future__ import annotations

import contextlib

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.callback_data import Pressed
from handlers.replies import answer, keyboard, redraw
from services.actions import ReviewAction, ReviewVerb, build, encode
from services.container import Services
from services.errors import DomainError, InvalidInput
from services.i18n import Translator
from services.notify import Keyboard
from services.people import Identity
from services.selection import ReviewList
from services.selection.card import RECOMMENDATIONS, CardView, card_parts, clip


class ReviewStates(StatesGroup):
    comment = State()


def _button(text: str, verb: ReviewVerb, **fields: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=encode(ReviewAction(verb=verb, **fields)))


def inline_markup(buttons: Keyboard | None) -> InlineKeyboardMarkup | None:
    """The service's buttons (typed actions, by prefix and fields) as Telegram's inline
    keyboard."""
    rows = [
        [
            InlineKeyboardButton(text=b.text, url=b.url)
            if b.url
            else InlineKeyboardButton(
                text=b.text, callback_data=encode(build(b.action or "", b.args))
            )
            for b in row
        ]
        for row in buttons or []
    ]
    return keyboard(rows)


async def redraw_card(query: CallbackQuery, view: CardView, t: Translator) -> None:
    """Redraw the pressed message: the card's last part, which holds the panel and buttons."""
    last = card_parts(view, t)[-1]
    await redraw(query, last.text, inline_markup(last.buttons))


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
        rows.append([_button(text, ReviewVerb.OPEN_CARD, application=item.application_id)])
    lines.append(t("sel-review-legend"))
    paging = []
    if view.page > 0:
        paging.append(
            _button(t("sel-btn-prev"), ReviewVerb.LIST, idea=view.idea_id, page=view.page - 1)
        )
    if view.page + 1 < view.pages:
        paging.append(
            _button(t("sel-btn-next"), ReviewVerb.LIST, idea=view.idea_id, page=view.page + 1)
        )
    if paging:
        rows.append(paging)
    if len(view.ideas) > 1:
        rows += [
            [_button(clip(f"🔎 {name}"), ReviewVerb.LIST, idea=idea_id)]
            for idea_id, name in view.ideas
        ]
        rows.append([_button(t("sel-btn-all-ideas"), ReviewVerb.LIST)])
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


# Handlers.


async def review_command(message: Message, me: Identity, services: Services, t: Translator) -> None:
    text, markup = render_list(await services.selection.pending(me), t)
    await answer(message, text, markup)


async def review_list(
    query: CallbackQuery, action: ReviewAction, me: Identity, services: Services, t: Translator
) -> None:
    view = await services.selection.pending(me, action.idea, action.page)
    await query.answer()
    text, markup = render_list(view, t)
    await redraw(query, text, markup)


async def open_card(
    query: CallbackQuery, action: ReviewAction, me: Identity, services: Services
) -> None:
    await services.selection.open_card(me, action.application)
    await query.answer()


async def next_card(
    query: CallbackQuery, action: ReviewAction, me: Identity, services: Services
) -> None:
    await services.selection.next_card(me, action.application)
    await query.answer()


async def score(
    query: CallbackQuery, action: ReviewAction, me: Identity, services: Services, t: Translator
) -> None:
    view = await services.selection.score(me, action.application, action.criterion, action.value)
    await query.answer(t("sel-score-saved"))
    await redraw_card(query, view, t)


async def hint(
    query: CallbackQuery, action: ReviewAction, me: Identity, services: Services, t: Translator
) -> None:
    view = await services.selection.card(me, action.application)
    criterion = next((c for c in view.criteria if c.id == action.criterion), None)
    await query.answer(criterion.title if criterion else None)


async def recommend(
    query: CallbackQuery, action: ReviewAction, me: Identity, services: Services, t: Translator
) -> None:
    if not 0 <= action.value < len(RECOMMENDATIONS):
        raise DomainError("error-not-allowed")
    view = await services.selection.recommend(me, action.application, RECOMMENDATIONS[action.value])
    await query.answer(t("sel-rec-saved"))
    await redraw_card(query, view, t)


async def ask_comment(
    query: CallbackQuery,
    action: ReviewAction,
    me: Identity,
    services: Services,
    t: Translator,
    state: FSMContext,
) -> None:
    view = await services.selection.check_comment(me, action.application)
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
                reply_markup=inline_markup(last.buttons),
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
    for verb, handler in (
        (ReviewVerb.OPEN_CARD, open_card),
        (ReviewVerb.NEXT_APPLICATION, next_card),
        (ReviewVerb.SCORE, score),
        (ReviewVerb.CRITERION_HINT, hint),
        (ReviewVerb.RECOMMEND, recommend),
        (ReviewVerb.ASK_COMMENT, ask_comment),
        (ReviewVerb.LIST, review_list),
    ):
        router.callback_query.register(handler, Pressed(ReviewAction, F.verb == verb))
    return router

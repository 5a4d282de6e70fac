"""The reviewer's side of selection, for any messenger: the application card (scores 0–5 per
criterion, a comment, a recommendation, then the next application of the queue) opened from the
notice or from /review, and /review's pages. The card is built and sent by the service (through
the outbox, so that what was sent about an application can be taken back); presses redraw its
last message in place."""

from __future__ import annotations

from dialogs.review_screens import card_screen, list_screen
from dialogs.screen import Dialog, Screen, Turn
from services.actions import ReviewAction, ReviewVerb
from services.errors import DomainError, InvalidInput
from services.questionnaire import Input
from services.selection.card import RECOMMENDATIONS

# The cursor's state while a comment is being typed. The name is the one aiogram gave the former
# StatesGroup, so a cursor saved before this module existed still reads the same.
COMMENT = "ReviewStates:comment"


async def review_command(turn: Turn, args: str) -> None:
    await turn.chat.show(list_screen(turn.t, await turn.services.selection.pending(turn.me)))


async def review_list(turn: Turn, action: ReviewAction) -> None:
    view = await turn.services.selection.pending(turn.me, action.idea, action.page)
    await turn.chat.notice()
    await turn.chat.redraw(list_screen(turn.t, view))


async def open_card(turn: Turn, action: ReviewAction) -> None:
    await turn.services.selection.open_card(turn.me, action.application)


async def next_card(turn: Turn, action: ReviewAction) -> None:
    await turn.services.selection.next_card(turn.me, action.application)


async def score(turn: Turn, action: ReviewAction) -> None:
    view = await turn.services.selection.score(
        turn.me, action.application, action.criterion, action.value
    )
    await turn.chat.notice(turn.t("sel-score-saved"))
    await turn.chat.redraw(card_screen(turn.t, view))


async def hint(turn: Turn, action: ReviewAction) -> None:
    """A criterion's full title, for a button that can only name it by its number."""
    view = await turn.services.selection.card(turn.me, action.application)
    criterion = next((c for c in view.criteria if c.id == action.criterion), None)
    await turn.chat.notice(criterion.title if criterion else None)


async def recommend(turn: Turn, action: ReviewAction) -> None:
    if not 0 <= action.value < len(RECOMMENDATIONS):
        raise DomainError("error-not-allowed")
    view = await turn.services.selection.recommend(
        turn.me, action.application, RECOMMENDATIONS[action.value]
    )
    await turn.chat.notice(turn.t("sel-rec-saved"))
    await turn.chat.redraw(card_screen(turn.t, view))


async def ask_comment(turn: Turn, action: ReviewAction) -> None:
    view = await turn.services.selection.check_comment(turn.me, action.application)
    await turn.cursor.set_state(COMMENT)
    # The card's message: the comment is shown in it once saved.
    pressed = turn.chat.pressed_message()
    data = await turn.cursor.get_data()
    card = pressed[1] if pressed is not None else None
    await turn.cursor.set_data({**data, "app": view.application_id, "card": card})
    await turn.chat.notice()
    await turn.chat.show(Screen(turn.t("sel-comment-ask", number=view.number)))


async def comment(turn: Turn, given: Input) -> None:
    """The comment typed after «comment» on a card: saved, and shown on the card."""
    if given.kind != "text":
        raise InvalidInput("sel-comment-text")
    data = await turn.cursor.get_data()
    application_id = data.get("app")
    if not isinstance(application_id, int):
        await turn.cursor.clear()
        raise DomainError("sel-comment-restart")
    view = await turn.services.selection.comment(turn.me, application_id, given.text or "")
    await turn.cursor.clear()
    card = data.get("card")
    if isinstance(card, int):
        # Gone or too old to edit: the comment is saved all the same and shows on the card.
        await turn.chat.redraw_message(card, card_screen(turn.t, view))
    await turn.chat.show(Screen(turn.t("sel-comment-saved")))


DIALOG = Dialog(
    name="review",
    action=ReviewAction,
    commands={"review": review_command},
    states={COMMENT: comment},
    actions={
        ReviewVerb.OPEN_CARD: open_card,
        ReviewVerb.NEXT_APPLICATION: next_card,
        ReviewVerb.SCORE: score,
        ReviewVerb.CRITERION_HINT: hint,
        ReviewVerb.RECOMMEND: recommend,
        ReviewVerb.ASK_COMMENT: ask_comment,
        ReviewVerb.LIST: review_list,
    },
)

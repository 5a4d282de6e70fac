"""The office's side of selection (/selection), for any messenger: the ideas with their places,
each idea's applicants ranked by combined score, a decision per application, "accept the top N"
with a preview and a confirmation, undoing a decision until results are published, and "publish
results" with a confirmation. After publication the same screens show what was published."""

from __future__ import annotations

from dialogs.office_selection_screens import (
    idea_screen,
    overview_screen,
    publish_preview_screen,
    published_screen,
    top_preview_screen,
)
from dialogs.review_screens import card_screen
from dialogs.screen import Dialog, Screen, Turn
from services.actions import OfficeAction, OfficeVerb
from services.errors import NotAllowed
from services.selection.card import DECISIONS


async def selection_command(turn: Turn, args: str) -> None:
    await turn.chat.show(overview_screen(turn.t, await turn.services.selection.overview(turn.me)))


# Every screen but a card's comes as a new message: the old one stays as history.


async def overview(turn: Turn, action: OfficeAction) -> None:
    view = await turn.services.selection.overview(turn.me)
    await turn.chat.notice()
    await turn.chat.show(overview_screen(turn.t, view))


async def idea(turn: Turn, action: OfficeAction) -> None:
    view = await turn.services.selection.idea_ranking(turn.me, action.idea)
    await turn.chat.notice()
    await turn.chat.show(idea_screen(turn.t, view))


async def card(turn: Turn, action: OfficeAction) -> None:
    await turn.services.selection.open_card(turn.me, action.application, for_office=True)


async def decide(turn: Turn, action: OfficeAction) -> None:
    if not 0 <= action.decision < len(DECISIONS):
        raise NotAllowed()
    view = await turn.services.selection.decide(
        turn.me, action.application, DECISIONS[action.decision], action.idea or None,
        # The pressed card: the decision redraws it, not takes its buttons back.
        shown=turn.chat.pressed_message(),
    )  # fmt: skip
    await turn.chat.notice(turn.t("sel-decided-done"))
    await turn.chat.redraw(card_screen(turn.t, view))


async def undo(turn: Turn, action: OfficeAction) -> None:
    if not 0 <= action.decision < len(DECISIONS) or not action.stamp:
        raise NotAllowed()
    view = await turn.services.selection.undo(
        turn.me, action.application, DECISIONS[action.decision], action.idea or None, action.stamp
    )
    await turn.chat.notice(turn.t("sel-undo-done"))
    await turn.chat.redraw(card_screen(turn.t, view))


async def top_preview(turn: Turn, action: OfficeAction) -> None:
    plan = await turn.services.selection.top_preview(turn.me)
    await turn.chat.notice()
    if not plan.lines:
        await turn.chat.show(Screen(turn.t("sel-top-empty")))
        return
    await turn.chat.show(top_preview_screen(turn.t, plan))


async def top_confirm(turn: Turn, action: OfficeAction) -> None:
    t = turn.t
    outcome = await turn.services.selection.accept_top(turn.me, action.stamp)
    if not outcome.first_time:  # the same confirmation pressed again
        await turn.chat.notice(t("sel-top-again", count=outcome.accepted), alert=True)
        return
    await turn.chat.notice(t("sel-top-done", count=outcome.accepted))
    await turn.chat.close_buttons()  # the preview's buttons are spent
    await turn.chat.show(Screen(t("sel-top-done", count=outcome.accepted)))


async def publish_preview(turn: Turn, action: OfficeAction) -> None:
    view = await turn.services.selection.publish_preview(turn.me)
    await turn.chat.notice()
    if view.published:
        await turn.chat.show(Screen(turn.t("sel-publish-again")))
        return
    await turn.chat.show(publish_preview_screen(turn.t, view))


async def publish(turn: Turn, action: OfficeAction) -> None:
    outcome = await turn.services.selection.publish(turn.me)
    if not outcome.first_time:
        await turn.chat.notice(turn.t("sel-publish-again"), alert=True)
        return
    await turn.chat.notice()
    await turn.chat.show(published_screen(turn.t, outcome))


async def cancel(turn: Turn, action: OfficeAction) -> None:
    turn.services.selection.cancel_decision(turn.me)
    await turn.chat.notice(turn.t("sel-cancelled"))


DIALOG = Dialog(
    name="office_selection",
    action=OfficeAction,
    commands={"selection": selection_command},
    actions={
        OfficeVerb.OVERVIEW: overview,
        OfficeVerb.IDEA_RANKING: idea,
        OfficeVerb.OPEN_CARD: card,
        OfficeVerb.DECIDE: decide,
        OfficeVerb.UNDO: undo,
        OfficeVerb.PREVIEW_TOP: top_preview,
        OfficeVerb.ACCEPT_TOP: top_confirm,
        OfficeVerb.PREVIEW_PUBLISH: publish_preview,
        OfficeVerb.PUBLISH: publish,
        OfficeVerb.CANCEL: cancel,
    },
)

"""The office's /access, for any messenger: the invitation links nobody has opened yet and the
people holding staff roles, page by page, each with a revoke button that asks for confirmation
first. One message, redrawn in place; every press is re-checked by services/access.py."""

from __future__ import annotations

from dialogs.office_access_screens import (
    confirm_grant_screen,
    confirm_invitation_screen,
    page_screen,
)
from dialogs.screen import Dialog, Turn
from services.access import Revoked
from services.actions import AccessAction, AccessVerb

# What a revoke that found nothing to do says (an alert: the list was stale).
OUTCOME_TEXT = {
    Revoked.ALREADY: "access-already-revoked",
    Revoked.USED: "access-invitation-used",
}


async def access_command(turn: Turn, args: str) -> None:
    await turn.chat.show(page_screen(turn.t, await turn.services.access.page(turn.me)))


async def show_page(turn: Turn, action: AccessAction) -> None:
    view = await turn.services.access.page(turn.me, action.page)
    await turn.chat.notice()
    await turn.chat.redraw(page_screen(turn.t, view))


async def ask_invitation(turn: Turn, action: AccessAction) -> None:
    entry = await turn.services.access.invitation(turn.me, action.item)
    await turn.chat.notice()
    await turn.chat.redraw(confirm_invitation_screen(turn.t, entry, action.page))


async def ask_grant(turn: Turn, action: AccessAction) -> None:
    entry = await turn.services.access.grant(turn.me, action.item)
    await turn.chat.notice()
    await turn.chat.redraw(confirm_grant_screen(turn.t, entry, action.page))


async def revoke_invitation(turn: Turn, action: AccessAction) -> None:
    outcome = await turn.services.access.revoke_invitation(turn.me, action.item)
    await after_revoking(turn, action, outcome, "access-invitation-revoked")


async def revoke_grant(turn: Turn, action: AccessAction) -> None:
    outcome = await turn.services.access.revoke_grant(turn.me, action.item)
    await after_revoking(turn, action, outcome, "access-role-revoked")


async def after_revoking(turn: Turn, action: AccessAction, outcome: Revoked, done: str) -> None:
    """Say what the revoke did and show the page it was pressed on again, without the entry."""
    t = turn.t
    notice = t(done) if outcome is Revoked.DONE else t(OUTCOME_TEXT[outcome])
    await turn.chat.notice(notice, alert=outcome is not Revoked.DONE)
    view = await turn.services.access.page(turn.me, action.page)
    await turn.chat.redraw(page_screen(t, view, notice))


DIALOG = Dialog(
    name="office_access",
    action=AccessAction,
    commands={"access": access_command},
    actions={
        AccessVerb.SHOW_PAGE: show_page,
        AccessVerb.ASK_REVOKE_INVITATION: ask_invitation,
        AccessVerb.ASK_REVOKE_ROLE: ask_grant,
        AccessVerb.REVOKE_INVITATION: revoke_invitation,
        AccessVerb.REVOKE_ROLE: revoke_grant,
    },
)

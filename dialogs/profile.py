"""/profile: a participant's digital profile and its PDF portfolio, for any messenger.

`/profile` shows one's own; `/profile <person id>` and the roster's «profiles» button let a
team's mentor or tutor, or the office, open a member's. The service re-checks on every call
that the viewer may see that person.
"""

from __future__ import annotations

from dialogs.profile_screens import members_screen, profile_screen
from dialogs.screen import Dialog, Screen, Turn
from services.actions import ProfileAction, ProfileVerb


async def profile_command(turn: Turn, args: str) -> None:
    words = args.split()
    if len(words) > 1 or (words and not words[0].isdigit()):
        await turn.chat.show(Screen(turn.t("profile-usage")))
        return
    person_id = int(words[0]) if words else None
    view = await turn.services.profile.view(turn.me, person_id)
    await turn.chat.show(profile_screen(turn.t, view))


async def open_profile(turn: Turn, action: ProfileAction) -> None:
    view = await turn.services.profile.view(turn.me, action.person)
    await turn.chat.notice()
    await turn.chat.show(profile_screen(turn.t, view))


async def send_pdf(turn: Turn, action: ProfileAction) -> None:
    await turn.services.profile.send_portfolio(turn.me, action.person)
    await turn.chat.notice(turn.t("profile-pdf-queued"))


async def team_members(turn: Turn, action: ProfileAction) -> None:
    members = await turn.services.profile.team_members(turn.me, action.team)
    await turn.chat.notice()
    await turn.chat.show(members_screen(turn.t, members))


DIALOG = Dialog(
    name="profile",
    action=ProfileAction,
    commands={"profile": profile_command},
    actions={
        ProfileVerb.OPEN: open_profile,
        ProfileVerb.SEND_PDF: send_pdf,
        ProfileVerb.MEMBERS: team_members,
    },
)

"""/team (the roster, the team's code and chat, the member's contact opt-in) and /announce in a
private chat (the mentor picks the team if several, then writes the text), for any messenger.

What happens in the team's group chat itself (/bind, /announce there, join requests) is the
messenger's own: handlers/team_chat.py.
"""

from __future__ import annotations

from dialogs.screen import Dialog, Named, Screen, Turn
from dialogs.team_screens import announce_ask_screen, pick_team_screen, roster_screen
from services.actions import TeamAction, TeamVerb
from services.errors import DomainError, InvalidInput, NotAllowed
from services.questionnaire import Input
from services.team_chat import BIND_PREFIX
from services.teams import Roster

# The cursor's state while the text of an announcement is awaited: the name aiogram gave the
# former StatesGroup, so a cursor saved before this module existed still reads the same.
ANNOUNCE_TEXT = "AnnounceFlow:text"


async def _show_roster(turn: Turn, roster: Roster) -> None:
    link = await turn.chat.group_link(f"{BIND_PREFIX}{roster.team.code}")
    await turn.chat.show(roster_screen(turn.t, roster, link))


async def team_command(turn: Turn, args: str) -> None:
    teams = await turn.services.teams.my_teams(turn.me)
    if not teams:
        raise DomainError("team-none")
    if len(teams) > 1:
        await turn.chat.show(pick_team_screen(turn.t, "team-pick", teams, TeamVerb.OPEN_ROSTER))
        return
    await _show_roster(turn, await turn.services.teams.roster(turn.me, teams[0].id))


async def open_roster(turn: Turn, action: TeamAction) -> None:
    roster = await turn.services.teams.roster(turn.me, action.team)
    await turn.chat.notice()
    await _show_roster(turn, roster)


async def toggle_share(turn: Turn, action: TeamAction) -> None:
    share = action.verb is TeamVerb.SHARE_CONTACT
    username = turn.profile.username if turn.profile is not None else None
    roster = await turn.services.teams.set_share_contact(turn.me, action.team, share, username)
    await turn.chat.notice(turn.t("team-share-on-done" if share else "team-share-off-done"))
    await _show_roster(turn, roster)


# --- /announce in a private chat ---------------------------------------------------------------


async def announce_command(turn: Turn, args: str) -> None:
    teams = await turn.services.team_chat.announce_teams(turn.me)
    if len(teams) > 1:
        await turn.chat.show(
            pick_team_screen(turn.t, "team-announce-pick", teams, TeamVerb.ANNOUNCE_TO)
        )
        return
    team = await turn.services.team_chat.check_announce(turn.me, teams[0].id)
    await _ask_announcement(turn, team)


async def announce_pick(turn: Turn, action: TeamAction) -> None:
    team = await turn.services.team_chat.check_announce(turn.me, action.team)
    await turn.chat.notice()
    await _ask_announcement(turn, team)


async def _ask_announcement(turn: Turn, team: Named) -> None:
    await turn.cursor.set_state(ANNOUNCE_TEXT)
    await turn.cursor.set_data({**await turn.cursor.get_data(), "team_id": team.id})
    await turn.chat.show(announce_ask_screen(turn.t, team))


async def announce_text(turn: Turn, given: Input) -> None:
    """The announcement's text; anything but text is refused and the text still awaited."""
    if given.kind != "text":
        raise InvalidInput("team-text-expected")
    team_id = (await turn.cursor.get_data()).get("team_id")
    if team_id is None:
        await turn.cursor.clear()
        raise NotAllowed()
    team = await turn.services.team_chat.announce(turn.me, int(team_id), given.text or "")
    await turn.cursor.clear()
    await turn.chat.show(Screen(turn.t("team-announce-sent", team=team.name)))


async def announce_back(turn: Turn, action: TeamAction) -> None:
    await turn.cursor.clear()
    await turn.chat.notice(turn.t("team-back-done"))


DIALOG = Dialog(
    name="team",
    action=TeamAction,
    commands={"team": team_command, "announce": announce_command},
    states={ANNOUNCE_TEXT: announce_text},
    actions={
        TeamVerb.OPEN_ROSTER: open_roster,
        TeamVerb.SHARE_CONTACT: toggle_share,
        TeamVerb.STOP_SHARING_CONTACT: toggle_share,
        TeamVerb.ANNOUNCE_TO: announce_pick,
        TeamVerb.BACK: announce_back,
    },
)

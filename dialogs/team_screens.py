"""The team's screens: the roster (/team) and the questions of /announce in a private chat.
Pure functions of a view and the person's language."""

from __future__ import annotations

from collections.abc import Sequence

from dialogs.screen import Button, Named, Screen, doing
from services.actions import (
    ProfileAction,
    ProfileVerb,
    RoadmapAction,
    RoadmapVerb,
    TeamAction,
    TeamVerb,
)
from services.i18n import Translator
from services.teams import Roster


def pick_team_screen(
    t: Translator, question: str, teams: Sequence[Named], verb: TeamVerb
) -> Screen:
    """A person in several teams says which one they mean: a button per team."""
    rows = [[doing(team.name, TeamAction(verb=verb, team=team.id))] for team in teams]
    return Screen(t(question), rows)


def roster_screen(t: Translator, roster: Roster, bind_link: str | None) -> Screen:
    """Who is in the team and how to reach them, the team's chat (or, for its mentor and tutor,
    how to bind one through `bind_link`), the person's own contact opt-in and their buttons."""
    team = roster.team
    lines = [t("team-roster-title", team=team.name, code=team.code), ""]
    for line in roster.lines:
        contact = t("team-roster-contact", contact=line.contact) if line.contact else ""
        me = t("team-roster-me") if line.is_me else ""
        lines.append(
            t(
                "team-roster-line",
                role=t(f"team-role-{line.role.value}"),
                name=line.name,
                contact=contact,
                me=me,
            )
        )
    lines.append("")
    if team.chat_id is not None:
        lines.append(t("team-roster-chat", title=team.chat_title or "—"))
    else:
        lines.append(t("team-roster-no-chat"))
    if roster.is_staff:
        lines.append(t("team-roster-bind-help", code=team.code, link=bind_link or "—"))
    lines.append("")
    lines.append(t("team-roster-sharing-on" if roster.sharing else "team-roster-sharing-off"))
    return Screen("\n".join(lines), _roster_buttons(t, roster))


def _roster_buttons(t: Translator, roster: Roster) -> list[list[Button]]:
    team = roster.team.id
    share = (
        doing(t("team-btn-share-off"), TeamAction(verb=TeamVerb.STOP_SHARING_CONTACT, team=team))
        if roster.sharing
        else doing(t("team-btn-share-on"), TeamAction(verb=TeamVerb.SHARE_CONTACT, team=team))
    )
    rows = [
        [share],
        [
            doing(t("team-btn-passport"), RoadmapAction(verb=RoadmapVerb.OPEN_PASSPORT, item=team)),
            doing(t("team-btn-roadmap"), RoadmapAction(verb=RoadmapVerb.OPEN_ROADMAP, item=team)),
        ],
    ]
    if roster.is_staff:  # the mentor and tutor open their students' digital profiles
        rows.append(
            [doing(t("profile-btn-members"), ProfileAction(verb=ProfileVerb.MEMBERS, team=team))]
        )
    return rows


def announce_ask_screen(t: Translator, team: Named) -> Screen:
    """What to write to the team, with the way back."""
    back = doing(t("team-btn-back"), TeamAction(verb=TeamVerb.BACK))
    return Screen(t("team-announce-ask", team=team.name), [[back]])

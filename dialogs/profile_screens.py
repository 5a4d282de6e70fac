"""The digital profile's screens: the profile with its PDF button, and a team's members for
its mentor to open. Pure functions of a view and the person's language."""

from __future__ import annotations

from collections.abc import Sequence

from dialogs.screen import Screen, doing
from services.actions import ProfileAction, ProfileVerb
from services.i18n import Translator
from services.profile import Member, ProfileView, profile_sections


def profile_screen(t: Translator, view: ProfileView) -> Screen:
    """Every section under its heading (the adapter splits a long one), then the PDF button."""
    parts = [t("profile-title", name=view.name)]
    for heading, lines in profile_sections(view, t):
        parts.append("\n".join([f"\n{heading}", *(f"• {line}" for line in lines)]))
    pdf = doing(
        t("profile-btn-pdf"), ProfileAction(verb=ProfileVerb.SEND_PDF, person=view.person_id)
    )
    return Screen("\n".join(parts), [[pdf]])


def members_screen(t: Translator, members: Sequence[Member]) -> Screen:
    """A button per student of the team, each opening their profile."""
    if not members:
        return Screen(t("profile-members-none"))
    rows = [
        [doing(member.name, ProfileAction(verb=ProfileVerb.OPEN, person=member.id))]
        for member in members
    ]
    return Screen(t("profile-members-title"), rows)

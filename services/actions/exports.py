"""The actions of the office's /export: one button per kind of file."""

from __future__ import annotations

import enum

from services.actions.codec import Action, Id


class ExportVerb(enum.StrEnum):
    """Which file a /export button asks for."""

    APPLICATIONS = "a"
    TEAMS = "t"
    TASKS = "k"
    BOOKINGS = "b"


class ExportAction(Action, prefix="ex"):
    verb: ExportVerb
    season: Id = 0  # the season the menu was shown for; 0 the current one

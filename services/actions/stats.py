"""The actions of /stats (dialogs/stats.py): the office's and mentors' season at a glance."""

from __future__ import annotations

import enum

from services.actions.codec import Action


class StatsVerb(enum.StrEnum):
    REFRESH = "rf"  # the numbers again, and the charts
    TEXT = "tx"  # the numbers again, without the charts


class StatsAction(Action, prefix="st"):
    verb: StatsVerb

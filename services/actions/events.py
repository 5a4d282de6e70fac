"""The actions of the season's events (dialogs/season_events.py)."""

from __future__ import annotations

import enum

from services.actions.codec import Action, Id


class EventVerb(enum.StrEnum):
    YES = "y"  # item: the event — «Буду»
    NO = "n"  # item: the event — «Не смогу»
    MARK = "m"  # item: the event, value: the person — the roster's «✅ был»


class EventAction(Action, prefix="ev"):
    verb: EventVerb
    item: Id = 0
    value: Id = 0

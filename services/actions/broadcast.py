"""The actions of the project office's /broadcast (dialogs/broadcast.py)."""

from __future__ import annotations

import enum

from services.actions.codec import Action, ChoiceCode, Id, Page


class BroadcastVerb(enum.StrEnum):
    SEGMENT = "sg"  # value: the segment's position in BroadcastSegment
    FILTERS = "fs"  # back to the filters of the draft
    FILTER = "fl"  # kind: the filter's code; page
    NO_FILTER = "nf"
    PICK = "pk"  # kind, value: the filter's value
    URGENT = "ur"
    SEND = "ok"
    REWRITE = "rw"
    DISCARD = "no"
    STOP = "sp"  # under the progress message: cancel what is not sent yet


class BroadcastAction(Action, prefix="bc"):
    verb: BroadcastVerb
    item: Id = 0  # the broadcast
    value: Id = 0
    kind: ChoiceCode = ""
    page: Page = 0

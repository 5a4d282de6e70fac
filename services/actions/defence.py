"""The actions of the public defence: the juror's card and the office's /defence."""

from __future__ import annotations

import enum

from services.actions.codec import Action, Id, Small


class DefenceVerb(enum.StrEnum):
    JURY_LIST = "l"
    CARD = "c"
    SCORE = "s"
    OVERVIEW = "o"
    CLOSE = "x"
    PUBLISH = "p"
    COMMENT = "m"
    REVIEWS = "r"
    MARK = "k"


class DefenceAction(Action, prefix="df"):
    verb: DefenceVerb
    session: Id = 0
    team: Id = 0
    criterion: Id = 0
    value: Small = 0

"""The actions of selection: mentors' review and the office's decisions."""

from __future__ import annotations

import enum

from services.actions.codec import Action, Id, Small, Stamp


class ReviewVerb(enum.StrEnum):
    """The reviewer's application card and /review's list."""

    OPEN_CARD = "o"
    SCORE = "s"
    CRITERION_HINT = "h"  # on cards sent before the criteria were named in the text
    ASK_COMMENT = "cm"
    RECOMMEND = "r"
    NEXT_APPLICATION = "n"
    LIST = "l"


class ReviewAction(Action, prefix="sel", version=2):
    verb: ReviewVerb
    application: Id = 0
    criterion: Id = 0
    value: Small = 0  # a score, or a position in RECOMMENDATIONS
    idea: Id = 0  # the list's filter; 0 every idea
    page: Small = 0


class OfficeVerb(enum.StrEnum):
    """The office's /selection."""

    OVERVIEW = "ov"
    IDEA_RANKING = "id"
    OPEN_CARD = "a"
    DECIDE = "d"
    UNDO = "u"
    PREVIEW_TOP = "tp"
    ACCEPT_TOP = "ty"
    PREVIEW_PUBLISH = "pp"
    PUBLISH = "py"
    CANCEL = "no"


class OfficeAction(Action, prefix="ofs", version=2):
    verb: OfficeVerb
    application: Id = 0
    idea: Id = 0
    decision: Small = 0  # a position in DECISIONS
    stamp: Stamp = ""

"""The project passport and the roadmap: a tutor fills and submits, the team's mentor approves
or returns with a comment; decisions go to the tutors privately and to the team chat.

Every action re-checks the actor's place in the team and the object's state; transitions are
conditional updates, so double taps and replayed callbacks change nothing; decisions are audited.

One use case a module: passport (filling and submitting), passport_review (the mentor's
decision), stages (the roadmap, adding, due dates, reports), stage_review; base holds the rights
and messages they share, views the value types and limits. `RoadmapService` is only their union,
so callers keep one service object with one constructor.
"""

from services.roadmap.passport_review import PassportReview
from services.roadmap.stage_review import StageReview
from services.roadmap.views import (
    COMMENT_LIMIT,
    EDITABLE,
    FIELD_LIMIT,
    MAX_STAGES,
    REPORT_LIMIT,
    TITLE_LIMIT,
    PassportView,
    RoadmapView,
    StageView,
)


class RoadmapService(PassportReview, StageReview):
    """The passport and roadmap feature as one object: the union of its use cases."""


__all__ = [
    "COMMENT_LIMIT",
    "EDITABLE",
    "FIELD_LIMIT",
    "MAX_STAGES",
    "REPORT_LIMIT",
    "TITLE_LIMIT",
    "PassportView",
    "RoadmapService",
    "RoadmapView",
    "StageView",
]

"""The public defence with a jury: the office's sessions, weighted criteria and slots (loaded
from a YAML section, `setup`), the jurors' scores by buttons, the ranking and the one-time
publication.

Every press is re-checked here: a juror scores only a team with a slot in a session they sit
on, only while that session is open, a criterion of the season, a value 1–5. Closing a session
(a conditional update) makes its scores final. The ranking is the weighted mean over criteria
and jurors (Σ weight × value / Σ weight over every score given); a team some juror of its
session has not fully scored is shown as incomplete. Publication is claimed once per season
(a conditional update) and each team member and mentor gets one message about each of their
teams, dedupe key `defence:<season>:<team>:<person>`, so a double press or a crash cannot send
twice; a minor's waits for the end of quiet hours (publication.py), the office is told so before
it confirms.
"""

from __future__ import annotations

from services.defence.arithmetic import RankedTeam, rank_teams
from services.defence.feedback import COMMENT_LIMIT, DefenceFeedback, TeamReviews
from services.defence.marks import MARKS
from services.defence.publication import PublishOutcome, PublishPreview
from services.defence.service import (
    SCALE,
    DefenceService,
    JuryCard,
    JuryHome,
    OfficeView,
    published_results,
    ranking,
)

__all__ = [
    "COMMENT_LIMIT",
    "MARKS",
    "SCALE",
    "DefenceFeedback",
    "DefenceService",
    "JuryCard",
    "JuryHome",
    "OfficeView",
    "PublishOutcome",
    "PublishPreview",
    "RankedTeam",
    "TeamReviews",
    "published_results",
    "rank_teams",
    "ranking",
]

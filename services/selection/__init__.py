"""Selection: reviewers' notices on submit, the application card with scores, comments and
recommendations, /review and the reviewer's queue, the office's ranking per idea, decisions,
"accept the top N" and the one-time publication of results (which forms the teams).

Who reviews: the mentors of the ideas an applicant ranked (the people who redeemed the idea's
mentor invitation and still hold the mentor role); tutor applications also the project office.

A reviewer's score counts only once they scored every criterion (a complete review): the
combined score of an application is the weighted mean over its complete reviews, the sum of
weight × score over their (reviewer, criterion) pairs divided by the sum of the weights, which
is the mean of each complete reviewer's weighted mean. A partial review is shown as such to its
reviewer (and in /review) and to the office, and is left out of the ranking and of "accept the
top N" until it is completed.

"Accept the top N per idea": undecided applications with a combined score are taken in order
of it (ties: earlier submission first); each gets the highest-ranked of their ideas that still
has a free place for their role (capacity minus those already accepted); who fits nowhere stays
undecided. So an applicant is accepted to at most one idea, and to their first choice whenever
their score keeps a place there for them.

Every press is re-checked here: the presser's role, that they review this application, its
state and whether it is decided. Scores are upserts, decisions inserts that lose to an existing
decision, publication a conditional update; every change is audited. Everything sent to staff
about an application (notices, cards, the re-sent self-presentation) carries the subject
`application:<id>`, and a decision takes the buttons off all of it in its own transaction.

Until results are published the office may undo a decision: the button carries the decision it
showed (value, idea and a stamp of its time), and only that exact row is deleted, so a double
tap or a stale button changes nothing. The application is then undecided again: the office may
decide anew and its reviewers may score it again (read-only follows the decision row alone).

One module per use case: scoring (a reviewer's presses, /review and the queue), card_builder
(building and sending the card; card is the card's view and rendering), ranking (the office's
overview, ranking and "accept the top N"), decisions (one decision and its undo), publication
(results; the teams it forms are a consequence, services/consequences.py), notices (on
submit, a consequence of the applicant's); base holds the loading and rights they share,
arithmetic the pure calculations.
"""

from __future__ import annotations

from services.selection.arithmetic import (
    Candidate,
    Combined,
    combined_scores,
    decision_stamp,
    plan_digest,
    plan_top,
    progress_of,
)
from services.selection.base import Decided, subject_of
from services.selection.card import COMMENT_LIMIT, CardView, CriterionLine, ReviewProgress
from services.selection.decisions import Decisions
from services.selection.notices import Notices
from services.selection.publication import Publication, PublishOutcome, PublishPreview
from services.selection.ranking import (
    IdeaRanking,
    IdeaSummary,
    Overview,
    RankedRow,
    Ranking,
    TopOutcome,
    TopPlan,
)
from services.selection.scoring import ReviewItem, ReviewList, Scoring

__all__ = [
    "COMMENT_LIMIT",
    "Candidate",
    "CardView",
    "Combined",
    "CriterionLine",
    "Decided",
    "IdeaRanking",
    "IdeaSummary",
    "Overview",
    "PublishOutcome",
    "PublishPreview",
    "RankedRow",
    "ReviewItem",
    "ReviewList",
    "ReviewProgress",
    "SelectionService",
    "TopOutcome",
    "TopPlan",
    "combined_scores",
    "decision_stamp",
    "plan_digest",
    "plan_top",
    "progress_of",
    "subject_of",
]


class SelectionService(Scoring, Decisions, Ranking, Publication, Notices):
    """Every selection use case behind the one object the handlers call."""

"""Applications: /apply, each questionnaire answer, Back / Skip / Edit, the review, submit,
/status, withdrawal and the withdrawal of consent.

Every method re-reads the application, checks that it is the caller's and still editable, and
commits at most once. The questionnaire's rules live in `services.questionnaire`; this package
stores what they accept and says which screen comes next, one module per use case: `flow` (the
questionnaire's moves), `answers` and `consent` (storing an answer), `ideas`, `screens` (what
a step or the review shows), `submission`, `status`, `privacy`, and a parent's consent from
their own account (`parents`) or on a signed paper form (`paper`). Nothing here logs personal
data.
"""

from __future__ import annotations

from services.applications.flow import Flow
from services.applications.ideas import Ideas
from services.applications.paper import PaperConsents
from services.applications.parents import ParentConsents
from services.applications.submission import Submission
from services.applications.views import (
    EDITABLE,
    EXITS,
    IDEAS_PER_PAGE,
    MAX_IDEAS,
    MUNICIPALITY_BUTTONS,
    ROLE_BOUND_STEPS,
    ConsentRecord,
    Exit,
    IdeasPage,
    NoSeason,
    Outcome,
    PrivacyView,
    Problem,
    ReadOnly,
    ReviewRow,
    ReviewView,
    Shown,
    StatusView,
    StepUnavailable,
    StepView,
    SubmittedView,
    WindowClosed,
    application_number,
    local_time,
)

__all__ = [
    "EDITABLE",
    "EXITS",
    "IDEAS_PER_PAGE",
    "MAX_IDEAS",
    "MUNICIPALITY_BUTTONS",
    "ROLE_BOUND_STEPS",
    "ApplicationService",
    "ConsentRecord",
    "Exit",
    "IdeasPage",
    "NoSeason",
    "Outcome",
    "PrivacyView",
    "Problem",
    "ReadOnly",
    "ReviewRow",
    "ReviewView",
    "Shown",
    "StatusView",
    "StepUnavailable",
    "StepView",
    "SubmittedView",
    "WindowClosed",
    "application_number",
    "local_time",
]


class ApplicationService(Flow, Ideas, Submission, PaperConsents, ParentConsents):
    """The applicant's side of a season. Submit confirms to the applicant directly and queues
    the reviewers' notices (services.selection) in its one transaction."""

"""ИУП: tasks of a student's individual learning plan — assign, work, submit, review.

Every action re-checks the actor's role and ownership (the tutor of the student's team, the
team's mentor, the office) and the task's current state; transitions are conditional updates,
so double taps and replays change nothing. Reminders are (re)planned in the same transaction.

One use case a module: reading (/plan and the card), progress (the student starts and
submits), review (approve or return), deadlines (move the due date, delete), programme (tasks
other features put into a plan), creation (`assign`), assignment (the /assign dialogue); base
holds the state, rights and notices they share, views the value types. `PlanService` is only
their union, so callers keep one service object with one constructor.
"""

from services.domain import Evidence
from services.plans.assignment import (
    ASSIGN_STEPS,
    DESCRIPTION_LIMIT,
    LINK_LIMIT,
    MAX_TARGET_TEAMS,
    TITLE_LIMIT,
    AssignStep,
    AssignTarget,
    AssignWizard,
    DraftStale,
)
from services.plans.deadlines import TaskManagement
from services.plans.programme import ProgrammeTasks
from services.plans.progress import EVIDENCE_LIMIT, TaskProgress
from services.plans.reading import PlanReading
from services.plans.review import COMMENT_LIMIT, TaskReview
from services.plans.views import STATUS_ORDER, PlanView, TaskView


class PlanService(
    PlanReading, TaskProgress, TaskReview, TaskManagement, ProgrammeTasks, AssignWizard
):
    """The ИУП as one object: the union of its use cases, nothing of its own."""


__all__ = [
    "ASSIGN_STEPS",
    "COMMENT_LIMIT",
    "DESCRIPTION_LIMIT",
    "EVIDENCE_LIMIT",
    "LINK_LIMIT",
    "MAX_TARGET_TEAMS",
    "STATUS_ORDER",
    "TITLE_LIMIT",
    "AssignStep",
    "AssignTarget",
    "DraftStale",
    "Evidence",
    "PlanService",
    "PlanView",
    "TaskView",
]

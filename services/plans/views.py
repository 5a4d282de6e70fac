"""What the ИУП shows: a task as its viewer may act on it and a plan grouped by status (the
evidence a student submits is services/domain.py's `Evidence`: the roadmap's reports take it
too)."""

from __future__ import annotations

from dataclasses import dataclass

from services.domain import TaskKind, TaskStatus

# The order of the groups of /plan: what needs the student's work first, what is finished last.
STATUS_ORDER = (
    TaskStatus.RETURNED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.ASSIGNED,
    TaskStatus.SUBMITTED,
    TaskStatus.DONE,
)


@dataclass(frozen=True)
class TaskView:
    id: int
    kind: TaskKind
    title: str
    description: str | None
    link: str | None
    status: TaskStatus
    due: str | None
    overdue: bool
    student: str
    return_comment: str | None
    evidence_kind: str | None
    evidence_text: str | None
    # Put into the plan by a confirmed booking: the attendance mark completes it, not a submission.
    by_attendance: bool = False
    staff: bool = False  # the viewer reviews this student's tasks (not the student)
    can_start: bool = False
    can_submit: bool = False
    can_review: bool = False
    can_manage: bool = False


@dataclass(frozen=True)
class PlanView:
    reviewer: bool
    groups: list[tuple[TaskStatus, list[TaskView]]]


def group_by_status(views: list[TaskView]) -> list[tuple[TaskStatus, list[TaskView]]]:
    """The non-empty groups of the plan, in `STATUS_ORDER`."""
    return [
        (status, [v for v in views if v.status is status])
        for status in STATUS_ORDER
        if any(v.status is status for v in views)
    ]

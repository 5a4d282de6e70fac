"""What the roadmap feature shows: the passport, a stage, the roadmap; and its limits."""

from __future__ import annotations

from dataclasses import dataclass

from services.domain import ReviewStatus

EDITABLE = (ReviewStatus.DRAFT, ReviewStatus.RETURNED)
MAX_STAGES = 30
FIELD_LIMIT = 2000
COMMENT_LIMIT = 1000
TITLE_LIMIT = 200
REPORT_LIMIT = 3000


@dataclass(frozen=True)
class PassportView:
    id: int
    team_id: int
    team: str
    status: ReviewStatus
    fields: dict[str, str | None]
    return_comment: str | None
    can_edit: bool
    can_submit: bool
    can_review: bool


@dataclass(frozen=True)
class StageView:
    id: int
    team_id: int
    team: str
    position: int
    title: str
    due: str | None
    status: ReviewStatus
    report_kind: str | None
    report_text: str | None
    return_comment: str | None
    can_submit: bool
    can_set_due: bool
    can_review: bool


@dataclass(frozen=True)
class RoadmapView:
    team_id: int
    team: str
    stages: list[StageView]
    can_add: bool

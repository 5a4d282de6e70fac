"""What the applicant's screens show: the values the handlers render, the domain errors,
and the context every use case works on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, NamedTuple

from services.domain import ApplicationStatus, ConsentKind
from services.errors import Conflict, DomainError
from services.questionnaire import (
    ROLE_BOUND_STEPS as ROLE_BOUND_STEPS,
)
from services.questionnaire import (
    Facts,
    Step,
    index_of,
    resume_point,
    revisitable,
)
from services.questionnaire import (
    Shown as Shown,
)
from services.seasons import IdeaInfo, SeasonConfig
from storage.models import Application

IDEAS_PER_PAGE = 4
MAX_IDEAS = 3
MUNICIPALITY_BUTTONS = 12
EDITABLE = (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED)
# The way forward a refusal offers on a draft: go back to the role or the age group to change
# it, or start over with a clean draft.
Exit = Literal["role", "age_group", "restart"]
EXITS: dict[str, tuple[Exit, ...]] = {
    "apply-age-group-refused": ("role", "restart"),
    "apply-age-refused": ("role", "restart"),
    "apply-age-group-mismatch": ("age_group", "restart"),
}


class NoSeason(DomainError):
    key = "apply-no-season"


class WindowClosed(DomainError):
    key = "apply-window-closed"


class ReadOnly(DomainError):
    key = "apply-read-only"


class StepUnavailable(Conflict):
    key = "apply-step-unavailable"


# ---------------------------------------------------------------------------------------------
# What the handlers render


@dataclass(frozen=True)
class Problem:
    key: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class IdeasPage:
    page: int
    pages: int
    items: tuple[tuple[IdeaInfo, int | None], ...]  # the idea and its rank if picked
    picked: tuple[IdeaInfo, ...]


@dataclass(frozen=True)
class StepView:
    application_id: int
    step: Step
    number: int
    total: int
    prompt: dict[str, Any]
    current: Shown | None
    can_back: bool
    editing: bool
    problem: Problem | None = None
    options: tuple[tuple[int, str], ...] = ()
    ideas: IdeasPage | None = None
    saved: Shown | None = None  # what the previous step stored, when worth echoing
    exits: tuple[Exit, ...] = ()  # a refusal's way forward (buttons besides Back)


@dataclass(frozen=True)
class ReviewRow:
    step: str
    value: Shown
    editable: bool


@dataclass(frozen=True)
class ReviewView:
    application_id: int
    status: ApplicationStatus
    number: str | None
    rows: tuple[ReviewRow, ...]
    editable: bool
    complete: bool
    reason: str | None  # why it is read-only: closed, in_review, withdrawn


@dataclass(frozen=True)
class SubmittedView:
    application_id: int
    number: str
    first_time: bool
    closes: str | None


@dataclass(frozen=True)
class StatusView:
    season: str
    application_id: int | None
    status: ApplicationStatus | None
    number: str | None
    progress: tuple[int, int] | None  # answered steps, all steps (drafts)
    can_withdraw: bool
    window_open: bool
    closes: str | None
    idea: str | None = None  # the idea the applicant was accepted into, once published


class ConsentRecord(NamedTuple):
    """A consent as /privacy shows it: exactly what its record keeps."""

    kind: ConsentKind
    version: str
    given: str  # local time
    withdrawn: str | None = None  # local time
    representative: str | None = None  # the representative's name
    relation: str | None = None  # a rep_relation choice


@dataclass(frozen=True)
class PrivacyView:
    has_data: bool
    consents: tuple[ConsentRecord, ...]  # in force
    # Withdrawn: kept after erasure as the proof of what was agreed.
    withdrawn: tuple[ConsentRecord, ...] = ()


Outcome = StepView | ReviewView | SubmittedView


@dataclass
class Context:
    application: Application
    config: SeasonConfig
    steps: list[Step]
    answers: dict[str, str | None]

    @property
    def facts(self) -> Facts:
        """What a step's question and the display of an answer depend on."""
        return Facts(self.config, self.application.role, self.answers)

    def step(self, code: str) -> Step:
        for step in self.steps:
            if step.code == code:
                return step
        raise StepUnavailable()

    def reachable(self, step: Step) -> bool:
        """A step may be answered if it is the resume point, or before it and revisitable. The
        role and the age group change only in a draft: they decide whose consent and which
        answers a submitted application stands on."""
        if step.path and self.application.status is not ApplicationStatus.DRAFT:
            return False
        current = resume_point(self.steps, self.answers)
        if current is not None and current.code == step.code:
            return True
        limit = len(self.steps) if current is None else index_of(self.steps, current.code)
        return index_of(self.steps, step.code) < limit and revisitable(step, self.answers)


def local_time(moment: datetime | None, config: SeasonConfig) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(config.zone).strftime("%d.%m.%Y %H:%M")


def shown_time(moment: datetime, config: SeasonConfig | None) -> str:
    """Local time in the season's zone; UTC, said so, if the season is gone."""
    shown = local_time(moment, config) if config is not None else None
    return shown or moment.strftime("%d.%m.%Y %H:%M UTC")


def application_number(config: SeasonConfig, application_id: int) -> str:
    return f"{config.code.upper()}-{application_id:05d}"

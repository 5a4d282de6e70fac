"""The questionnaire's moves on the wizard engine (services.wizard): the resume point, the
next-step rule and Back, which steps over consents already given."""

from __future__ import annotations

from collections.abc import Mapping

from services.questionnaire.steps import Step
from services.wizard import Wizard


def index_of(steps: list[Step], code: str) -> int:
    return Wizard(steps).index(code)


def resume_point(steps: list[Step], answered: Mapping[str, object]) -> Step | None:
    """The first unanswered step; None when every step has an answer (the review is next)."""
    return Wizard(steps).first_open(answered)


def next_step(steps: list[Step], answered: Mapping[str, object], after: str) -> Step | None:
    """After answering `after`: the first unanswered step behind it, else the first unanswered
    one anywhere, else None (all done: the review)."""
    return Wizard(steps).next_open(after, answered)


def revisitable(step: Step, answered: Mapping[str, object]) -> bool:
    """May the applicant go back to this step? Always to the role and the age group (changing
    them keeps what still applies and erases the rest); not to a consent once given (the
    parent's step left for later is returned to until the parent confirms)."""
    if step.path:
        return True
    return step.locked_by is None or answered.get(step.locked_by) is None


def previous_step(steps: list[Step], answered: Mapping[str, object], current: str) -> Step | None:
    """The nearest earlier step one may go back to: given consents are stepped over, so every
    step after the role has Back (at least to the role or the age group)."""
    return Wizard(steps).previous(current, lambda step: revisitable(step, answered))

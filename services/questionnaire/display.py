"""How an answer shows (in the review, at its step and on the mentor's card) and what a step's
question says: the functions step definitions name (services.questionnaire.steps)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from services.domain import Role
from services.questionnaire.groups import age_range, group_args
from services.questionnaire.kinds import StepKind
from services.questionnaire.limits import (
    MB,
    MEDIA_DURATION_LIMITS,
    MEDIA_SIZE_LIMITS,
    PRESENTATION_TEXT,
    grade_range,
)
from services.seasons import SeasonConfig

if TYPE_CHECKING:
    from services.questionnaire.steps import Step


@dataclass(frozen=True)
class Shown:
    """A value for the screen: a literal text, or a Fluent key with its arguments."""

    text: str | None = None
    key: str | None = None
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Facts:
    """What a step's question and the display of its answer may depend on."""

    config: SeasonConfig
    role: Role | None
    answers: Mapping[str, str | None]


def show_answer(step: Step, value: str | None, facts: Facts) -> Shown:
    """A stored answer as the applicant and the mentor read it (None: skipped)."""
    config = facts.config
    if step.kind is StepKind.PARENT:
        if value is None:
            return Shown(key="apply-parent-pending")
        return Shown(key="apply-consent-shown", args={"version": value})
    if value is None:
        return Shown(key="apply-skipped")
    match step.kind:
        case StepKind.CHOICE:
            args = step.choice_args(config) if step.choice_args is not None else {}
            return Shown(key=f"apply-choice-{step.code}-{value}", args=args)
        case StepKind.CONFIRM:
            return Shown(key="apply-consent-shown", args={"version": value})
        case StepKind.DATE:
            return Shown(text=date.fromisoformat(value).strftime("%d.%m.%Y"))
        case StepKind.MUNICIPALITY:
            return Shown(text=config.municipality(int(value)) or "—")
        case StepKind.GRADE if value.isdigit():
            kind_name, _, _ = grade_range(facts.role, facts.answers.get("edu_type"))
            return Shown(key="apply-grade-shown", args={"kind": kind_name, "n": int(value)})
        case StepKind.MEDIA:
            return Shown(key="apply-media-shown", args={"kind": value})
        case StepKind.IDEAS:
            titles = [
                f"{rank}. {idea.title}"
                for rank, code in enumerate(value.split(","), start=1)
                if (idea := next((i for i in config.ideas if i.code == code), None)) is not None
            ]
            return Shown(text="; ".join(titles) or "—")
        case StepKind.SCALE if value.isdigit():
            return Shown(key="apply-scale-shown", args={"n": int(value)})
    return Shown(text=value)


# ---------------------------------------------------------------------------------------------
# The arguments of a step's question


def consent_prompt(step: Step, facts: Facts) -> dict[str, Any]:
    assert step.consent_kind is not None
    text = facts.config.consent_texts.get(step.consent_kind)
    return {
        "text": text.text if text else "",
        "version": text.version if text else "",
    }


def parent_prompt(step: Step, facts: Facts) -> dict[str, Any]:
    """Whether the applicant waits before anything else (under the threshold) or only before
    submitting."""
    return {
        "waits": "submit" if step.optional else "all",
        "under": facts.config.representative_only_under,
        "adult": facts.config.adult_age,
    }


def group_prompt(step: Step, facts: Facts) -> dict[str, Any]:
    return group_args(facts.config)


def birth_prompt(step: Step, facts: Facts) -> dict[str, Any]:
    if facts.role is None:
        return {}
    low, high = age_range(facts.config, facts.role)
    return {"role": facts.role.value, "low": low, "high": high if high is not None else "none"}


def grade_prompt(step: Step, facts: Facts) -> dict[str, Any]:
    kind_name, low, high = grade_range(facts.role, facts.answers.get("edu_type"))
    return {"kind": kind_name, "low": low, "high": high}


def length_prompt(step: Step, facts: Facts) -> dict[str, Any]:
    return {"low": step.min_length, "high": step.max_length}


def municipality_prompt(step: Step, facts: Facts) -> dict[str, Any]:
    return {"count": len(facts.config.municipalities)}


def presentation_prompt(step: Step, facts: Facts) -> dict[str, Any]:
    return {
        "low": PRESENTATION_TEXT[0],
        "high": PRESENTATION_TEXT[1],
        "video": MEDIA_SIZE_LIMITS["video"] // MB,
        "minutes": MEDIA_DURATION_LIMITS["video"] // 60,
        "document": MEDIA_SIZE_LIMITS["document"] // MB,
    }


def question_prompt(step: Step, facts: Facts) -> dict[str, Any]:
    assert step.question is not None
    return {
        "question": step.question.text,
        "kind": step.question.kind.value,
        "low": step.min_length,
        "high": step.max_length,
    }

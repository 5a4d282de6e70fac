"""The step registry: every questionnaire step defined once — its kind, its question, how its
answer is checked and stored, how it shows in the review and on the mentor's card, whether it
may be skipped, edited from the review or revisited — and `steps_for`, which picks a role's and
an age group's path from it.

Adding a step: define it here and put it in `FIXED_STEPS_ORDER` (or, for a season's question,
in the season file). Its check follows from its kind (services.questionnaire.checks), its
storage from `stored` (services.applications.answers), its display from its kind
(services.questionnaire.display).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from services.domain import ConsentKind, QuestionKind, Role
from services.questionnaire.display import (
    Facts,
    Shown,
    birth_prompt,
    consent_prompt,
    grade_prompt,
    group_prompt,
    length_prompt,
    municipality_prompt,
    parent_prompt,
    presentation_prompt,
    question_prompt,
    show_answer,
)
from services.questionnaire.groups import AgeGroup, age_groups, chosen_group, group_args, groups_for
from services.questionnaire.kinds import Card, StepKind, Storage
from services.questionnaire.limits import ABOUT_TEXT, EDU_TYPES
from services.seasons import QuestionInfo, SeasonConfig


@dataclass(frozen=True)
class Path:
    """Who the steps are for: the role, and the age groups still possible for it."""

    role: Role
    groups: tuple[AgeGroup, ...]
    asks_group: bool


@dataclass(frozen=True)
class Step:
    code: str
    kind: StepKind
    optional: bool = False
    choices: tuple[str, ...] = ()
    min_length: int = 1
    max_length: int = 200
    question: QuestionInfo | None = None
    stored: Storage = Storage.ANSWER
    card: Card = Card.LINE
    # Not edited from the review: the path and the consents are given once.
    fixed: bool = False
    # Decides the path (which consents are asked, which questions follow); always revisitable
    # in a draft.
    path: bool = False
    # Its meaning depends on the role: a school and its grade are not a university and its
    # course; forgotten when the role changes.
    role_bound: bool = False
    # Once this step has an answer, this one may not be gone back to (a given consent).
    locked_by: str | None = None
    consent_kind: ConsentKind | None = None
    # The answer is the person's name too.
    person_name: bool = False
    # Answers that lose their meaning when this one changes.
    resets: tuple[str, ...] = ()
    # The applicant may answer by sharing their own contact (a «send my number» button).
    own_contact: bool = False
    # A Fluent key that echoes the stored value on the next screen (its argument: the step's
    # code).
    echo: str | None = None
    # For whom the step is asked (None: everyone).
    when: Callable[[Path], bool] | None = None
    # For whom it may be left without an answer for now (None: as `optional` says).
    optional_when: Callable[[Path], bool] | None = None
    choices_of: Callable[[SeasonConfig], tuple[str, ...]] | None = None
    choice_args: Callable[[SeasonConfig], dict[str, Any]] | None = None
    prompt: Callable[[Step, Facts], dict[str, Any]] | None = None

    @property
    def prompt_key(self) -> str:
        return "apply-step-question" if self.question is not None else f"apply-step-{self.code}"

    def prompt_args(self, facts: Facts) -> dict[str, Any]:
        return self.prompt(self, facts) if self.prompt is not None else {}

    def shown(self, value: str | None, facts: Facts) -> Shown:
        return show_answer(self, value, facts)


def _own_consent(path: Path) -> bool:
    return any(group.asks_own_consent for group in path.groups)


def _representative(path: Path) -> bool:
    return any(group.asks_representative for group in path.groups)


def _group_choices(config: SeasonConfig) -> tuple[str, ...]:
    # Every group is offered: one outside the role's range is refused at once, with the way
    # forward, instead of after the birth date.
    return tuple(group.value for group in age_groups(config))


_HIDDEN = Card.HIDDEN


FIXED_STEPS_ORDER: tuple[Step, ...] = (
    Step("role", StepKind.CHOICE, choices=("student", "tutor"), stored=Storage.ROLE,
         card=_HIDDEN, fixed=True, path=True),
    Step("age_group", StepKind.CHOICE, stored=Storage.AGE_GROUP, card=_HIDDEN, fixed=True,
         path=True, when=lambda path: path.asks_group, choices_of=_group_choices,
         choice_args=group_args, prompt=group_prompt),
    Step("consent", StepKind.CONFIRM, stored=Storage.CONSENT, card=_HIDDEN, fixed=True,
         locked_by="consent", consent_kind=ConsentKind.APPLICANT, when=_own_consent,
         prompt=consent_prompt),
    # A minor's parent consents from their own account (services/applications/parents.py):
    # under the threshold nothing else is asked before it; from the threshold the applicant
    # may fill in the rest meanwhile, and submitting waits for it.
    Step("parent", StepKind.PARENT, stored=Storage.PARENT, card=_HIDDEN, fixed=True,
         locked_by="parent", when=_representative, optional_when=_own_consent,
         prompt=parent_prompt),
    Step("birth_date", StepKind.DATE, prompt=birth_prompt),
    Step("full_name", StepKind.NAME, card=_HIDDEN, person_name=True),
    Step("municipality", StepKind.MUNICIPALITY, stored=Storage.MUNICIPALITY,
         prompt=municipality_prompt),
    Step("edu_type", StepKind.CHOICE, choices=EDU_TYPES, stored=Storage.CHOICE,
         resets=("grade",), role_bound=True, when=lambda path: path.role is not Role.TUTOR),
    Step("institution", StepKind.TEXT, min_length=2, role_bound=True, prompt=grade_prompt),
    Step("grade", StepKind.GRADE, role_bound=True, prompt=grade_prompt),
    Step("phone", StepKind.PHONE, card=_HIDDEN, own_contact=True, echo="apply-phone-saved"),
    Step("email", StepKind.EMAIL, optional=True, card=_HIDDEN),
    Step("leader_id", StepKind.LEADER_ID, optional=True, card=_HIDDEN),
    Step("meo", StepKind.MEO, optional=True, card=_HIDDEN),
    Step("about", StepKind.TEXT, min_length=ABOUT_TEXT[0], max_length=ABOUT_TEXT[1],
         card=Card.BLOCK, prompt=length_prompt),
    Step("presentation", StepKind.MEDIA, stored=Storage.MEDIA, card=Card.MEDIA,
         prompt=presentation_prompt),
    # The season's questions come here (question_step), then the ideas.
    Step("ideas", StepKind.IDEAS, stored=Storage.IDEAS, card=_HIDDEN),
)  # fmt: skip
STEPS_BY_CODE = {step.code: step for step in FIXED_STEPS_ORDER}
# The steps that decide the path (which consents are asked, which questions follow).
PATH_STEPS = tuple(step.code for step in FIXED_STEPS_ORDER if step.path)
# Steps that are not edited from the review screen: the path and the consents are given once.
FIXED_STEPS = frozenset(step.code for step in FIXED_STEPS_ORDER if step.fixed)
# Answers whose meaning depends on the role.
ROLE_BOUND_STEPS = tuple(step.code for step in FIXED_STEPS_ORDER if step.role_bound)


def question_step(question: QuestionInfo) -> Step:
    """A season's question: a 1–5 scale or a free text within the question's bounds."""
    code = f"q-{question.code}"
    if question.kind is QuestionKind.SCALE:
        return Step(
            code, StepKind.SCALE, question=question, card=Card.BLOCK, prompt=question_prompt
        )
    return Step(
        code,
        StepKind.TEXT,
        min_length=question.min_length or 1,
        max_length=question.max_length or 4000,
        question=question,
        card=Card.BLOCK,
        prompt=question_prompt,
    )


def steps_for(
    config: SeasonConfig, role: Role | None, answered: Mapping[str, object] | None = None
) -> list[Step]:
    """The steps for a role and the age group answered; before the role (or the group) is
    known, the longest path (the student's, with both consents)."""
    role = role or Role.STUDENT
    groups = groups_for(config, role) or (AgeGroup.ADULT,)
    group = chosen_group(config, role, answered or {})
    path = Path(role, (group,) if group is not None else groups, asks_group=len(groups) > 1)
    steps = []
    for step in FIXED_STEPS_ORDER:
        if step.code == "ideas":
            steps += [question_step(question) for question in config.questions]
        if step.when is not None and not step.when(path):
            continue
        if step.choices_of is not None:
            step = replace(step, choices=step.choices_of(config))
        if step.optional_when is not None and step.optional_when(path):
            step = replace(step, optional=True)
        steps.append(step)
    return steps

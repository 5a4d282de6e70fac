"""One small engine for every step-by-step dialogue: the questionnaire, the add-slot wizard and
the plan-assignment wizard (services/plans/assignment.py). Pure: it knows the order of the steps
and which have an answer, nothing about storage or a messenger.

The API, in full:

    wizard = Wizard(steps)            # ordered definitions; each has `.code` and `.optional`
    wizard.step(code)                 # the definition (KeyError: no such step)
    wizard.first_open(answers)        # resume point: first step without an answer, or None (done)
    wizard.following(code)            # the very next step in order (None after the last)
    wizard.next_open(code, answers)   # after answering `code`: the first unanswered step after it,
                                      # else the first unanswered one anywhere, else None
    wizard.previous(code, may_return) # Back: the nearest earlier step `may_return(step)` allows
    wizard.skip(code, answers)        # an optional step answered with nothing (None); raises
                                      # NotOptional otherwise

`answers` is the draft: a mapping from a step's code to its stored value (None: skipped); a code
that is absent has no answer yet. Answers are saved at every step: a caller checks one input,
writes the draft (its answers and, if it keeps one, the cursor) and only then asks the engine
where to go, so a dialogue survives a restart and resumes at `first_open` (or its saved cursor).
A linear wizard (add-slot, plan-assignment) moves with `following`; a questionnaire whose steps
may be revisited moves with `next_open`, which steps over what is already answered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping, Sequence
from typing import Generic, Protocol, TypeVar


class StepLike(Protocol):
    """What the engine needs of a step definition."""

    @property
    def code(self) -> str: ...

    @property
    def optional(self) -> bool: ...


S = TypeVar("S", bound=StepLike)


class NotOptional(ValueError):
    """Skip was asked of a step that must be answered."""


class Wizard(Generic[S]):
    """Ordered step definitions and the moves between them."""

    def __init__(self, steps: Sequence[S]) -> None:
        self.steps = list(steps)
        self._index = {step.code: index for index, step in enumerate(self.steps)}

    def __len__(self) -> int:
        return len(self.steps)

    def index(self, code: str) -> int:
        """The step's position, from 0 (KeyError: no such step)."""
        return self._index[code]

    def step(self, code: str) -> S:
        return self.steps[self.index(code)]

    def first_open(self, answers: Mapping[str, object]) -> S | None:
        return next((step for step in self.steps if step.code not in answers), None)

    def following(self, code: str) -> S | None:
        position = self.index(code) + 1
        return self.steps[position] if position < len(self.steps) else None

    def next_open(self, code: str, answers: Mapping[str, object]) -> S | None:
        later = self.steps[self.index(code) + 1 :]
        return next((s for s in later if s.code not in answers), None) or self.first_open(answers)

    def previous(self, code: str, may_return: Callable[[S], bool] = lambda _: True) -> S | None:
        earlier = reversed(self.steps[: self.index(code)])
        return next((step for step in earlier if may_return(step)), None)

    def skip(self, code: str, answers: MutableMapping[str, object]) -> None:
        if not self.step(code).optional:
            raise NotOptional(code)
        answers[code] = None

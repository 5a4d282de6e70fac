"""The wizard engine: the resume point, the next step (linear and over answered steps), Back
with a rule, and Skip of optional steps only."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from services.wizard import NotOptional, Wizard


@dataclass(frozen=True)
class Step:
    code: str
    optional: bool = False


WIZARD = Wizard([Step("a"), Step("b", optional=True), Step("c"), Step("d")])


def test_resume_point_is_the_first_step_without_an_answer() -> None:
    assert WIZARD.first_open({}) == Step("a")
    assert WIZARD.first_open({"a": "1", "b": None}) == Step("c")
    assert WIZARD.first_open({"a": "1", "b": None, "c": "x", "d": "y"}) is None


def test_following_is_the_next_in_order_whatever_is_answered() -> None:
    assert WIZARD.following("a") == Step("b", optional=True)
    assert WIZARD.following("d") is None


def test_next_open_steps_over_answers_then_wraps_to_the_first_gap() -> None:
    assert WIZARD.next_open("a", {"a": "1", "b": None}) == Step("c")
    assert WIZARD.next_open("c", {"b": None, "c": "x", "d": "y"}) == Step("a")
    assert WIZARD.next_open("d", {"a": "1", "b": None, "c": "x", "d": "y"}) is None


def test_previous_honours_the_rule() -> None:
    assert WIZARD.previous("c") == Step("b", optional=True)
    assert WIZARD.previous("c", lambda step: not step.optional) == Step("a")
    assert WIZARD.previous("a") is None


def test_skip_records_nothing_for_an_optional_step_only() -> None:
    answers: dict[str, object] = {"a": "1"}
    WIZARD.skip("b", answers)
    assert answers == {"a": "1", "b": None}
    with pytest.raises(NotOptional):
        WIZARD.skip("c", answers)
    with pytest.raises(KeyError):
        WIZARD.step("zz")

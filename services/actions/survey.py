"""The actions of the start and end surveys (dialogs/survey.py)."""

from __future__ import annotations

import enum

from services.actions.codec import Action, ChoiceCode, StepCode


class SurveyVerb(enum.StrEnum):
    BEGIN = "go"  # the invitation's «Начать»
    ANSWER = "an"  # question: its code; value: the choice
    SKIP = "sk"  # «Пропустить опрос»: the rest skipped


class SurveyAction(Action, prefix="sv"):
    verb: SurveyVerb
    wave: ChoiceCode = ""  # start | end
    question: StepCode = ""
    value: ChoiceCode = ""

"""The survey's questions, defined once: three scales (1–5) and one choice. Each is a wizard
step (services/wizard.py); every question may be skipped, and so may the whole survey."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from services.wizard import Wizard


class Wave(enum.StrEnum):
    START = "start"  # at acceptance
    END = "end"  # at the end of the season


SCALE = ("1", "2", "3", "4", "5")
PROFESSIONS = ("it", "eng", "med", "edu", "agro", "sci", "art", "other")


@dataclass(frozen=True)
class Question:
    code: str
    choices: tuple[str, ...]
    scale: bool
    optional: bool = True

    @property
    def text_key(self) -> str:
        return f"survey-q-{self.code}"

    def choice_key(self, value: str) -> str:
        return f"survey-choice-{value}" if not self.scale else f"survey-scale-{value}"


QUESTIONS = (
    Question("study", SCALE, scale=True),  # plans to study in the region
    Question("work", SCALE, scale=True),  # plans to work in the region
    Question("future", SCALE, scale=True),  # links their future with the region
    Question("prof", PROFESSIONS, scale=False),  # professions of interest
)
WIZARD = Wizard(QUESTIONS)
SCALES = tuple(q.code for q in QUESTIONS if q.scale)

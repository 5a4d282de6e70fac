"""Every text key the application feature uses exists in Russian (no raw keys on screen)."""

from __future__ import annotations

import re
from pathlib import Path

from services.applications import EXITS
from services.domain import Role
from services.i18n import Texts
from services.questionnaire import AgeGroup, StepKind, steps_for
from tests.unit.test_questionnaire import CONFIG

ROOT = Path(__file__).resolve().parents[2]
# The application feature's own modules, the questionnaire's rules and the dialog.
PATTERNS = (
    "services/applications/*.py",
    "services/questionnaire/*.py",
    "dialogs/apply*.py",
)
SOURCES = sorted(str(path.relative_to(ROOT)) for pattern in PATTERNS for path in ROOT.glob(pattern))


def test_literal_keys_exist() -> None:
    texts = Texts()
    keys = set()
    for source in SOURCES:
        keys |= set(re.findall(r'"(apply-[a-z0-9_\-]+)"', (ROOT / source).read_text()))
    missing = {key for key in keys if not texts.has(key)}
    assert len(keys) > 60 and not missing, missing


def test_keys_built_from_steps_exist() -> None:
    texts = Texts()
    missing = set()
    roles = (Role.STUDENT, Role.TUTOR)
    paths = [steps_for(CONFIG, role, {"age_group": g}) for role in roles for g in AgeGroup]
    for steps in paths:
        for step in steps:
            wanted = [step.prompt_key]
            if not step.code.startswith("q-"):
                wanted.append(f"apply-label-{step.code}")
            if step.kind is StepKind.CHOICE:
                wanted += [f"apply-choice-{step.code}-{value}" for value in step.choices]
            missing |= {key for key in wanted if not texts.has(key)}
    for way in {way for ways in EXITS.values() for way in ways} - {"restart"}:
        if not texts.has(f"apply-btn-change-{way}"):
            missing.add(f"apply-btn-change-{way}")
    for command in ("apply", "status", "privacy"):
        if not texts.has(f"cmd-{command}"):
            missing.add(f"cmd-{command}")
    assert not missing, missing

"""Every text key the ИУП feature names exists in Russian, including the ones built from enums."""

from __future__ import annotations

import re
from pathlib import Path

from services.domain import TaskKind, TaskStatus
from services.i18n import Texts

ROOT = Path(__file__).resolve().parents[2]
MODULES = [
    *(str(path.relative_to(ROOT)) for path in sorted((ROOT / "services/plans").glob("*.py"))),
    "services/reminders.py",
    "services/teams.py",
    "dialogs/plan.py",
    "dialogs/plan_screens.py",
    "dialogs/plan_assign.py",
]
KEY = re.compile(r'"((?:plan|reminder|assign|digest|team|cmd)-[a-z0-9_-]+)"')


def test_every_literal_key_exists() -> None:
    texts = Texts()
    keys = {key for module in MODULES for key in KEY.findall((ROOT / module).read_text())}
    assert len(keys) > 50
    assert [key for key in sorted(keys) if not texts.has(key)] == []


def test_keys_built_from_enums_and_steps_exist() -> None:
    texts = Texts()
    built = [f"plan-kind-{kind.value}" for kind in TaskKind]
    built += [f"plan-status-{s.value}" for s in TaskStatus]
    built += [f"plan-state-{s.value}" for s in TaskStatus]
    built += [f"plan-assign-expect-{step}" for step in ("target", "kind", "confirm")]
    built += [f"reminder-{kind}" for kind in ("due-today", "overdue", "escalation")]
    built += ["reminder-escalation-tutor", "cmd-plan", "cmd-assign"]
    assert [key for key in built if not texts.has(key)] == []

"""Every text key the bookings feature names exists in Russian, including those built from
enums and dialogue steps."""

from __future__ import annotations

import re
from pathlib import Path

from services.domain import Attendance, BookingStatus, SlotKind, SlotStatus
from services.i18n import Texts
from services.internships import SLOT_STEPS

ROOT = Path(__file__).resolve().parents[2]
MODULES = [
    *(str(path.relative_to(ROOT)) for path in sorted((ROOT / "services/internships").glob("*.py"))),
    "dialogs/internships.py",
    "dialogs/internships_screens.py",
    "dialogs/slots.py",
    "dialogs/slots_screens.py",
    "bot/__main__.py",
]
KEY = re.compile(r'"((?:int|slot|slots|sites|cmd)-[a-z0-9_-]+)"')


def test_every_literal_key_exists() -> None:
    texts = Texts()
    keys = {key for module in MODULES for key in KEY.findall((ROOT / module).read_text())}
    assert len(keys) > 60
    assert [key for key in sorted(keys) if not texts.has(key)] == []


def test_keys_built_from_enums_and_steps_exist() -> None:
    texts = Texts()
    built = [f"int-kind-{kind.value}" for kind in SlotKind]
    built += [f"int-task-title-{kind.value}" for kind in SlotKind]
    built += [f"int-status-{status.value}" for status in BookingStatus]
    built += [f"int-attendance-{value.value}" for value in Attendance]
    built += [f"int-marked-{value.value}" for value in Attendance]
    built += [f"slot-status-{status.value}" for status in SlotStatus] + ["slot-status-ended"]
    built += [f"int-booked-{s}" for s in ("requested", "confirmed", "waitlisted")]
    built += [f"int-offer-answered-{s}" for s in ("requested", "confirmed", "cancelled")]
    built += [f"int-decided-{s}" for s in ("confirmed", "declined")]
    built += [f"slot-ask-{step}" for step in SLOT_STEPS if step not in ("site", "confirm")]
    built += [f"slot-expect-{step}" for step in ("site", "kind", "confirm")]
    built += ["reminder-start-1d", "reminder-start-2h", "slot-ask-site"]
    built += ["cmd-internships", "cmd-bookings", "cmd-slots"]
    assert [key for key in built if not texts.has(key)] == []

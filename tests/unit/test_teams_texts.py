"""Every text key the teams, team-chat and roadmap features name exists in Russian, including
the ones built from enums and field names."""

from __future__ import annotations

import re
from pathlib import Path

from services.domain import PASSPORT_FIELDS, ReviewStatus, TeamRole
from services.i18n import Texts

ROOT = Path(__file__).resolve().parents[2]
PATTERNS = (
    "services/teams.py",
    "services/team_chat.py",
    "services/roadmap/*.py",
    "handlers/team_chat.py",
    "dialogs/team*.py",
    "dialogs/passport*.py",
    "dialogs/roadmap*.py",
)
MODULES = sorted(str(p.relative_to(ROOT)) for pattern in PATTERNS for p in ROOT.glob(pattern))
KEY = re.compile(r'"((?:team|passport|roadmap|cmd)-[a-z0-9_-]+)"')


def test_every_literal_key_exists() -> None:
    texts = Texts()
    keys = {key for module in MODULES for key in KEY.findall((ROOT / module).read_text())}
    assert len(keys) > 80
    assert [key for key in sorted(keys) if not texts.has(key)] == []


def test_keys_built_from_enums_and_fields_exist() -> None:
    texts = Texts()
    built = [f"team-role-{role.value}" for role in TeamRole]
    built += [f"team-right-{name}" for name in ("admin", "invite", "restrict")]
    built += [f"passport-status-{s.value}" for s in ReviewStatus]
    built += [f"passport-locked-{s.value}" for s in ReviewStatus]
    built += [f"roadmap-status-{s.value}" for s in ReviewStatus]
    built += [f"passport-{n}-{d}" for n in ("approved", "returned") for d in ("notice", "chat")]
    built += [f"roadmap-{n}-{d}" for n in ("approved", "returned") for d in ("notice", "chat")]
    built += [f"passport-field-{name}" for name in PASSPORT_FIELDS]
    built += [f"passport-ask-{name}" for name in PASSPORT_FIELDS]
    built += [f"cmd-{name}" for name in ("team", "passport", "roadmap", "announce")]
    assert [key for key in built if not texts.has(key)] == []

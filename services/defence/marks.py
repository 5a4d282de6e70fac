"""The office's marks on a team's project and how they read in Russian texts."""

from __future__ import annotations

from collections.abc import Iterable

from services.i18n import Texts
from storage.uow import UnitOfWork

# The marks in the order they are shown; the value in a button is the position + 1.
MARKS = ("region_head", "federal", "startup")


async def team_marks(uow: UnitOfWork, team_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """Team id -> the marks set on it (teams with none are left out)."""
    found = {}
    for team_id, row in (await uow.defence.marks(team_ids)).items():
        marks = tuple(m for m in MARKS if getattr(row, m))
        if marks:
            found[team_id] = marks
    return found


def marks_text(texts: Texts, language: str, marks: Iterable[str]) -> str:
    """The marks as one phrase, «главе региона, стартап-трек»; empty when none."""
    return ", ".join(texts.get(f"df-mark-{m.replace('_', '-')}", language) for m in marks)

"""The shift between the start and end surveys, by municipality, idea and role: pure.

A respondent counts for a scale question when they answered it in both waves; a group's
respondents are the people who answered both waves (any scale question in each). A group with
fewer than `MIN_RESPONDENTS` is hidden everywhere — text, chart and export show «—», never a
number (a small group could identify someone).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from services.survey.questions import SCALES, Wave

MIN_RESPONDENTS = 5
HIDDEN = "—"


@dataclass(frozen=True)
class GroupShift:
    kind: str  # municipality | idea | role
    name: str
    respondents: int
    shifts: dict[str, float | None]  # scale question -> mean (end − start)

    @property
    def hidden(self) -> bool:
        return self.respondents < MIN_RESPONDENTS

    def shown(self, question: str) -> float | None:
        return None if self.hidden else self.shifts.get(question)


@dataclass(frozen=True)
class ShiftReport:
    season_name: str
    respondents: int  # answered both waves, all groups
    groups: list[GroupShift]


Answers = Mapping[int, Mapping[str, Mapping[str, str | None]]]  # person -> wave -> q -> value


def person_shifts(answers: Answers) -> dict[int, dict[str, float]]:
    """Per person who answered both waves: scale question -> end − start."""
    result: dict[int, dict[str, float]] = {}
    for person, waves in answers.items():
        start, end = waves.get(Wave.START, {}), waves.get(Wave.END, {})
        changes = {
            q: float(int(end[q]) - int(start[q]))  # type: ignore[arg-type]
            for q in SCALES
            if start.get(q) and end.get(q)
        }
        if changes:
            result[person] = changes
    return result


def group_shifts(
    kind: str, membership: Mapping[int, str], shifts: Mapping[int, Mapping[str, float]]
) -> list[GroupShift]:
    """One line per group of `kind`, largest first; means rounded to two places."""
    members: dict[str, list[int]] = defaultdict(list)
    for person in shifts:
        members[membership.get(person, HIDDEN)].append(person)
    groups = []
    for name, people in members.items():
        means: dict[str, float | None] = {}
        for q in SCALES:
            values = [shifts[p][q] for p in people if q in shifts[p]]
            means[q] = round(sum(values) / len(values), 2) if values else None
        groups.append(GroupShift(kind, name, len(people), means))
    return sorted(groups, key=lambda g: (-g.respondents, g.name))


def collect(
    rows: Iterable[tuple[int, str, str, str | None]],
) -> dict[int, dict[str, dict[str, str | None]]]:
    """(person, wave, question, value) rows as person -> wave -> question -> value."""
    answers: dict[int, dict[str, dict[str, str | None]]] = {}
    for person, wave, question, value in rows:
        answers.setdefault(person, {}).setdefault(wave, {})[question] = value
    return answers


def signed(value: float | None) -> str:
    """+0.5, −1.25, 0; «—» for hidden or none."""
    if value is None:
        return HIDDEN
    if value == 0:
        return "0"
    text = f"{abs(value):.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return ("+" if value > 0 else "\u2212") + text

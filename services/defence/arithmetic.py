"""The defence ranking's arithmetic: pure functions of the scores."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class RankedTeam:
    team_id: int
    rank: int  # 1 the best; teams with no score at all come last, unranked (0)
    mean: float | None
    given: int  # scores given
    expected: int  # jurors of its session × criteria

    @property
    def complete(self) -> bool:
        return self.given >= self.expected > 0


def rank_teams(
    teams: Iterable[tuple[int, int]],
    scores: Iterable[tuple[int, int, int, int]],
    weights: Mapping[int, int],
) -> list[RankedTeam]:
    """`teams`: (team id, jurors of its session); `scores`: (juror, team, criterion, value).
    The weighted mean over criteria and jurors: Σ w·v / Σ w over the scores given. Ordered by
    the mean (best first), ties by team id; a team without scores last."""
    totals: dict[int, tuple[float, float, int]] = {}
    for _, team_id, criterion_id, value in scores:
        weight = weights.get(criterion_id)
        if weight is None:
            continue
        weighted, weight_sum, count = totals.get(team_id, (0.0, 0.0, 0))
        totals[team_id] = (weighted + weight * value, weight_sum + weight, count + 1)
    rows = []
    for team_id, jurors in teams:
        weighted, weight_sum, count = totals.get(team_id, (0.0, 0.0, 0))
        mean = weighted / weight_sum if weight_sum else None
        rows.append((team_id, mean, count, jurors * len(weights)))
    rows.sort(key=lambda r: (r[1] is None, -(r[1] or 0.0), r[0]))
    return [
        RankedTeam(team_id, position if mean is not None else 0, mean, count, expected)
        for position, (team_id, mean, count, expected) in enumerate(rows, start=1)
    ]

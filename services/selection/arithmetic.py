"""The arithmetic of selection (pure): a reviewer's progress, the combined score over complete
reviews, the "accept the top N" plan and the fingerprints buttons carry."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from services.domain import Role
from services.selection.card import ReviewProgress


def progress_of(scored: Collection[int], criteria: Collection[int]) -> ReviewProgress:
    """How far a reviewer who scored the criteria `scored` got, out of `criteria`."""
    given = set(scored) & set(criteria)
    if not given:
        return ReviewProgress.NONE
    return ReviewProgress.COMPLETE if given >= set(criteria) else ReviewProgress.PARTIAL


@dataclass(frozen=True)
class Combined:
    score: float | None  # None: no complete review yet
    reviewers: int  # complete reviews, the ones that count
    incomplete: int  # reviewers who scored only part of the criteria


def by_reviewer(
    rows: Iterable[tuple[int, int, int, int]], weights: dict[int, float]
) -> dict[int, dict[int, dict[int, int]]]:
    """Application -> reviewer -> criterion -> score, for the criteria in use (`weights`)."""
    given: dict[int, dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for application_id, reviewer_id, criterion_id, score in rows:
        if criterion_id in weights:
            given[application_id][reviewer_id][criterion_id] = score
    return given


def weighted(scores: dict[int, int], weights: dict[int, float]) -> tuple[float, float]:
    return (
        sum(weights[c] * s for c, s in scores.items()),
        sum(weights[c] for c in scores),
    )


def combined_scores(
    rows: Iterable[tuple[int, int, int, int]], weights: dict[int, float]
) -> dict[int, Combined]:
    """Application id -> its combined score over complete reviews.

    `rows` are (application, reviewer, criterion, score); `weights` are the criteria in use
    (one switched off since is left out, one added since makes earlier reviews incomplete)."""
    result = {}
    for application_id, reviewers in by_reviewer(rows, weights).items():
        total = weight_sum = 0.0
        complete = incomplete = 0
        for scores in reviewers.values():
            if progress_of(scores, weights) is ReviewProgress.COMPLETE:
                complete += 1
                part, part_weight = weighted(scores, weights)
                total += part
                weight_sum += part_weight
            else:
                incomplete += 1
        score = total / weight_sum if complete and weight_sum > 0 else None
        result[application_id] = Combined(score, complete, incomplete)
    return result


@dataclass(frozen=True)
class Candidate:
    application_id: int
    role: Role
    score: float
    ideas: tuple[int, ...]  # ranked, first choice first
    order: int  # submission order: earlier wins a tie


def plan_top(
    candidates: Iterable[Candidate], free: dict[tuple[int, Role], int]
) -> list[tuple[int, int]]:
    """(application id, idea id) acceptances: by score, each to their best idea with a place."""
    left = dict(free)
    plan = []
    for candidate in sorted(candidates, key=lambda c: (-c.score, c.order, c.application_id)):
        for idea_id in candidate.ideas:
            if left.get((idea_id, candidate.role), 0) > 0:
                left[(idea_id, candidate.role)] -= 1
                plan.append((candidate.application_id, idea_id))
                break
    return plan


def decision_stamp(decided_at: datetime) -> str:
    """A short fingerprint of when a decision was made: an undo button names the very decision
    it was shown for, so after an undo and a new decision with the same value it is stale."""
    return hashlib.sha256(decided_at.isoformat().encode()).hexdigest()[:8]


def plan_digest(plan: list[tuple[int, int]]) -> str:
    """A short fingerprint of a plan: the confirmation applies exactly what the preview showed."""
    text = ";".join(f"{a}:{i}" for a, i in sorted(plan))
    return hashlib.sha256(text.encode()).hexdigest()[:10]

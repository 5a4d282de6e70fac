"""The office's ranking: the overview, the ranking per idea and "accept the top N"."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from services.domain import ApplicationStatus, Decision, Role
from services.errors import Conflict, NotAllowed
from services.people import Identity
from services.selection.arithmetic import Candidate, Combined, plan_digest, plan_top
from services.selection.base import LoadedSeason, SelectionBase, number_of, subject_of
from storage.repositories.selection import ACTIVE


@dataclass(frozen=True)
class IdeaSummary:
    id: int
    title: str
    students: tuple[int, int, int]  # ranked it, accepted, capacity
    tutors: tuple[int, int, int]


@dataclass(frozen=True)
class Overview:
    ideas: tuple[IdeaSummary, ...]
    applications: int
    undecided: int
    published: bool
    results: tuple[int, int, int]  # accepted, waitlisted, rejected (what was published)


@dataclass(frozen=True)
class RankedRow:
    application_id: int
    number: str
    rank: int
    score: float | None
    reviewers: int
    incomplete: int
    decision: Decision | None
    here: bool  # accepted to this idea


@dataclass(frozen=True)
class IdeaRanking:
    id: int
    title: str
    capacity: tuple[int, int]  # students, tutors
    students: tuple[RankedRow, ...]
    tutors: tuple[RankedRow, ...]


@dataclass(frozen=True)
class TopPlan:
    lines: tuple[tuple[str, str, int, float], ...]  # number, idea title, rank, score
    digest: str


@dataclass(frozen=True)
class TopOutcome:
    accepted: int
    first_time: bool  # False: this very plan was applied before (a double tap)


class Ranking(SelectionBase):
    async def overview(self, me: Identity) -> Overview:
        self._office(me)
        season = await self._current()
        found, ranked, _, decisions = await self._state(season)
        counts: dict[tuple[int, Role], list[int]] = defaultdict(lambda: [0, 0])
        results = {d: 0 for d in Decision}
        for application, _ in found:
            decision = decisions.get(application.id)
            if decision is not None:
                results[decision.decision] += 1
            if application.role is None:
                continue
            for idea_id in ranked[application.id]:
                counts[(idea_id, application.role)][0] += 1
            if decision is not None and decision.decision is Decision.ACCEPTED and decision.idea_id:
                counts[(decision.idea_id, application.role)][1] += 1
        ideas = tuple(
            IdeaSummary(
                idea.id,
                idea.title,
                (*counts[(idea.id, Role.STUDENT)], idea.capacity_students),  # type: ignore[arg-type]
                (*counts[(idea.id, Role.TUTOR)], idea.capacity_tutors),  # type: ignore[arg-type]
            )
            for idea in season.ideas.values()
        )
        return Overview(
            ideas,
            len(found),
            sum(1 for a, _ in found if a.id not in decisions),
            await self._published(season),
            (results[Decision.ACCEPTED], results[Decision.WAITLISTED], results[Decision.REJECTED]),
        )

    async def idea_ranking(self, me: Identity, idea_id: int) -> IdeaRanking:
        self._office(me)
        season = await self._current()
        idea = season.ideas.get(idea_id)
        if idea is None:
            raise NotAllowed()
        found, ranked, scores, decisions = await self._state(season)
        rows: dict[Role, list[RankedRow]] = {Role.STUDENT: [], Role.TUTOR: []}
        for application, _ in found:
            if idea_id not in ranked[application.id] or application.role not in rows:
                continue
            combined = scores.get(application.id, Combined(None, 0, 0))
            decision = decisions.get(application.id)
            rows[application.role].append(
                RankedRow(
                    application.id,
                    number_of(application),
                    ranked[application.id].index(idea_id) + 1,
                    combined.score,
                    combined.reviewers,
                    combined.incomplete,
                    decision.decision if decision else None,
                    decision is not None and decision.idea_id == idea_id,
                )
            )
        for role_rows in rows.values():
            role_rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.application_id))
        return IdeaRanking(
            idea.id,
            idea.title,
            (idea.capacity_students, idea.capacity_tutors),
            tuple(rows[Role.STUDENT]),
            tuple(rows[Role.TUTOR]),
        )

    async def _plan(
        self, season: LoadedSeason
    ) -> tuple[list[tuple[int, int]], dict[int, Candidate]]:
        found, ranked, scores, decisions = await self._state(season)
        taken: dict[tuple[int, Role], int] = defaultdict(int)
        roles = {a.id: a.role for a, _ in found}
        for application_id, d in decisions.items():
            role = roles.get(application_id)
            if d.decision is Decision.ACCEPTED and d.idea_id is not None and role is not None:
                taken[(d.idea_id, role)] += 1
        free = {}
        for idea in season.ideas.values():
            free[(idea.id, Role.STUDENT)] = idea.capacity_students - taken[(idea.id, Role.STUDENT)]
            free[(idea.id, Role.TUTOR)] = idea.capacity_tutors - taken[(idea.id, Role.TUTOR)]
        candidates = {}
        for order, (a, _) in enumerate(found):
            score = scores[a.id].score if a.id in scores else None
            if a.id in decisions or score is None or a.role is None or a.status not in ACTIVE:
                continue  # decided, without a complete review, or no longer in the running
            ideas = tuple(i for i in ranked[a.id] if i in season.ideas)
            candidates[a.id] = Candidate(a.id, a.role, score, ideas, order)
        return plan_top(candidates.values(), free), candidates

    async def top_preview(self, me: Identity) -> TopPlan:
        self._office(me)
        season = await self._current()
        await self._unpublished(season)
        plan, candidates = await self._plan(season)
        numbers = {a.id: number_of(a) for a, _ in await self.uow.selection.active_applications(
            season.season.id
        )}  # fmt: skip
        lines = tuple(
            (
                numbers.get(a, f"#{a}"),
                season.ideas[i].title,
                candidates[a].ideas.index(i) + 1,
                candidates[a].score,
            )
            for a, i in plan
        )
        return TopPlan(lines, plan_digest(plan))

    async def accept_top(self, me: Identity, digest: str) -> TopOutcome:
        """Apply the previewed plan, if it is still what the preview showed. A second press of
        the same confirmation finds its plan applied and says so; a plan that changed since the
        preview (scores or decisions moved) is refused."""
        self._office(me)
        season = await self._current()
        await self._hold_unpublished(season)
        await self.uow.selection.lock_ideas(season.ideas)
        plan, _ = await self._plan(season)
        if plan_digest(plan) != digest:
            applied = await self._applied_top(season, digest)
            if applied is None:
                raise Conflict("sel-plan-changed")
            return TopOutcome(applied, first_time=False)
        now = self.clock.now()
        accepted = 0
        for application_id, idea_id in plan:
            if await self.uow.selection.decide(
                application_id, Decision.ACCEPTED, idea_id, me.person_id, now
            ):
                accepted += 1
                await self.uow.applications.transition(
                    application_id, [ApplicationStatus.SUBMITTED], ApplicationStatus.IN_REVIEW, now
                )
                await self.uow.audit.record(
                    now, me.person_id, "selection.decide", "application", application_id,
                    decision=Decision.ACCEPTED.value, idea_id=idea_id, top=True,
                )  # fmt: skip
                await self.notifier.retract(subject_of(application_id), delete=False)
        await self.uow.audit.record(
            now, me.person_id, "selection.accept_top", "season", season.season.id,
            digest=digest, plan=[[a, i] for a, i in plan], accepted=accepted,
        )  # fmt: skip
        await self.uow.commit()
        return TopOutcome(accepted, first_time=True)

    async def _applied_top(self, season: LoadedSeason, digest: str) -> int | None:
        """How many a confirmed plan with this digest accepted, if every acceptance of it still
        stands (the same confirmation pressed again); None if there was no such plan or it was
        undone in part since."""
        entries = await self.uow.audit.for_object("season", season.season.id)
        for entry in reversed(entries):
            if entry.action != "selection.accept_top" or entry.details.get("digest") != digest:
                continue
            pairs = [(int(a), int(i)) for a, i in entry.details.get("plan", [])]
            decisions = await self.uow.selection.decisions(a for a, _ in pairs)
            if all(
                (d := decisions.get(a)) is not None
                and d.decision is Decision.ACCEPTED
                and d.idea_id == i
                for a, i in pairs
            ):
                return int(entry.details.get("accepted", len(pairs)))
            return None
        return None

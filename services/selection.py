"""Selection: reviewers' notices on submit, the application card with scores, comments and
recommendations, /review, the office's ranking per idea, decisions, "accept the top N" and the
one-time publication of results (which forms the teams).

Who reviews: the mentors of the ideas an applicant ranked (the people who redeemed the idea's
mentor invitation and still hold the mentor role); tutor applications also the project office.

The combined score of an application is the weighted mean of every score given to it: the sum
of weight × score over all (reviewer, criterion) pairs divided by the sum of their weights. With
every reviewer scoring every criterion it equals the mean over reviewers of each reviewer's
weighted mean; a reviewer who scored only part of the criteria counts for what they scored.

"Accept the top N per idea": undecided, scored applicants are taken in order of combined score
(ties: earlier submission first); each gets the highest-ranked of their ideas that still has a
free place for their role (capacity minus those already accepted); who fits nowhere stays
undecided. So an applicant is accepted to at most one idea, and to their first choice whenever
their score keeps a place there for them.

Every press is re-checked here: the presser's role, that they review this application, its
state and whether it is decided. Scores are upserts, decisions inserts that lose to an existing
decision, publication a conditional update; every change is audited.

Until results are published the office may undo a decision: the button carries the decision it
showed (value, idea and a stamp of its time), and only that exact row is deleted, so a double
tap or a stale button changes nothing. The application is then undecided again: the office may
decide anew and its reviewers may score it again (read-only follows the decision row alone).
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from services.clock import Clock
from services.errors import Conflict, DomainError, InvalidInput, NotAllowed
from services.i18n import Texts
from services.notify import Button, Notifier
from services.people import Identity
from services.seasons import SeasonConfig, load_config
from services.teams import TeamService
from storage.models import (
    Application,
    ApplicationStatus,
    Decision,
    Person,
    ProjectIdea,
    Recommendation,
    Role,
    Season,
    SelectionCriterion,
    SelectionDecision,
)
from storage.repositories.selection import ACTIVE
from storage.uow import UnitOfWork

logger = logging.getLogger(__name__)

REVIEW_ACTION = "sel"  # handlers/review.py's ReviewCD prefix
PAGE_SIZE = 8
COMMENT_LIMIT = 1000
VALUE_LIMIT = 300
HIDDEN_STEPS = frozenset(
    {
        "role", "age_group", "consent", "rep_name", "rep_relation", "rep_phone", "rep_consent",
        "phone", "email", "leader_id", "meo", "ideas", "presentation",
    }
)  # fmt: skip


class Decided(Conflict):
    key = "sel-decided"


# ---------------------------------------------------------------------------------------------
# The arithmetic (pure)


def combined_scores(
    rows: Iterable[tuple[int, int, int, int]], weights: dict[int, float]
) -> dict[int, tuple[float, int]]:
    """Application id -> (weighted mean over criteria and reviewers, number of reviewers).

    `rows` are (application, reviewer, criterion, score); criteria without a weight (switched
    off since) are left out."""
    total: dict[int, float] = defaultdict(float)
    weight_sum: dict[int, float] = defaultdict(float)
    reviewers: dict[int, set[int]] = defaultdict(set)
    for application_id, reviewer_id, criterion_id, score in rows:
        weight = weights.get(criterion_id)
        if weight is None:
            continue
        total[application_id] += weight * score
        weight_sum[application_id] += weight
        reviewers[application_id].add(reviewer_id)
    return {a: (total[a] / weight_sum[a], len(reviewers[a])) for a in total if weight_sum[a] > 0}


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


# ---------------------------------------------------------------------------------------------
# What the handlers render


@dataclass(frozen=True)
class CriterionLine:
    id: int
    title: str
    weight: float
    max_score: int
    mine: int | None


@dataclass(frozen=True)
class CardView:
    application_id: int
    number: str
    role: Role | None
    answers: tuple[tuple[str, str], ...]  # label, value
    presentation: str | None  # the kind of the self-presentation ("text", "video", …)
    presentation_text: str | None
    ranking: tuple[tuple[int, str], ...]  # idea id, title, first choice first
    criteria: tuple[CriterionLine, ...]
    combined: float | None
    reviewers: int
    my_comment: str | None
    my_recommendation: Recommendation | None
    decision: Decision | None
    decided_idea: str | None
    decided_idea_id: int | None
    decision_stamp: str | None  # see decision_stamp(): what the office's undo button names
    published: bool  # the season's results (for the office: no undo after publication)
    can_score: bool
    office: bool
    notes: tuple[tuple[Recommendation | None, str | None], ...]  # every reviewer's, for the office


@dataclass(frozen=True)
class ReviewItem:
    application_id: int
    number: str
    role: Role | None
    scored: bool


@dataclass(frozen=True)
class ReviewList:
    items: tuple[ReviewItem, ...]
    page: int
    pages: int
    idea_id: int  # 0: all my ideas
    ideas: tuple[tuple[int, str], ...]  # my ideas, for the filter


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


@dataclass(frozen=True)
class RankedRow:
    application_id: int
    number: str
    rank: int
    score: float | None
    reviewers: int
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
class PublishPreview:
    accepted: int
    waitlisted: int
    rejected: int
    undecided: int
    published: bool


@dataclass(frozen=True)
class PublishOutcome:
    first_time: bool
    sent: int
    teams: int
    without_mentor: tuple[str, ...]


@dataclass
class _Season:
    season: Season
    config: SeasonConfig
    ideas: dict[int, ProjectIdea]
    criteria: list[SelectionCriterion]
    mentors: dict[int, int]

    @property
    def weights(self) -> dict[int, float]:
        return {c.id: c.weight for c in self.criteria}


_State = tuple[
    list[tuple[Application, Person]],
    dict[int, list[int]],
    dict[int, tuple[float, int]],
    dict[int, SelectionDecision],
]


def _number(application: Application) -> str:
    return application.number or f"#{application.id}"


# ---------------------------------------------------------------------------------------------
# Notices on submit (called inside ApplicationService.submit's transaction)


async def notify_reviewers(
    uow: UnitOfWork, notifier: Notifier, texts: Texts, application: Application, number: str
) -> int:
    """Tell the application's reviewers it arrived; the notice's button opens its card."""
    mentors = await uow.selection.idea_mentors(application.season_id)
    ranked = (await uow.selection.ranked([application.id]))[application.id]
    reviewer_ideas: dict[int, list[int]] = defaultdict(list)
    for idea_id in ranked:
        if idea_id in mentors:
            reviewer_ideas[mentors[idea_id]].append(idea_id)
    office: list[Person] = []
    if application.role is Role.TUTOR:
        office = await uow.selection.office_people()
        for person in office:
            reviewer_ideas.setdefault(person.id, [])
    ideas = {
        i.id: i.title for i in await uow.season_config.all_of(ProjectIdea, application.season_id)
    }
    people = {p.id: p for p in office}
    sent = 0
    for person_id, idea_ids in reviewer_ideas.items():
        found = people.get(person_id) or await uow.people.get(person_id)
        if found is None or person_id == application.person_id:
            continue
        person = found
        language = person.language
        text = texts.get(
            "sel-notice",
            language,
            number=number,
            role=texts.get(f"sel-role-{application.role.value if application.role else 'none'}"),
            ideas=", ".join(f"«{ideas[i]}»" for i in idea_ids if i in ideas) or "—",
        )
        button = Button(
            texts.get("sel-btn-open", language), REVIEW_ACTION, {"act": "o", "app": application.id}
        )
        if await notifier.send_text(
            person.tg_id,
            text,
            buttons=[[button]],
            person_id=person.id,
            dedupe_key=f"review-notice:{application.id}:{person.id}",
        ):
            sent += 1
    return sent


# ---------------------------------------------------------------------------------------------


class SelectionService:
    def __init__(
        self, uow: UnitOfWork, clock: Clock, notifier: Notifier, texts: Texts, teams: TeamService
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.notifier = notifier
        self.texts = texts
        self.teams = teams

    # --- loading and rights -----------------------------------------------------------------

    async def _season_of(self, season: Season) -> _Season:
        config = await load_config(self.uow, season)
        if config is None:
            raise DomainError("sel-no-season")
        return _Season(
            season,
            config,
            {i.id: i for i in await self.uow.season_config.active(ProjectIdea, season.id)},
            await self.uow.season_config.active(SelectionCriterion, season.id),
            await self.uow.selection.idea_mentors(season.id),
        )

    async def _current(self) -> _Season:
        season = await self.uow.seasons.current()
        if season is None:
            raise DomainError("sel-no-season")
        return await self._season_of(season)

    async def _application(self, application_id: int) -> tuple[Application, _Season]:
        found = await self.uow.applications.with_season(application_id)
        if found is None:
            raise NotAllowed()
        application, season, _ = found
        await self.uow.applications.refresh(application)
        return application, await self._season_of(season)

    def _reviews(
        self, me: Identity, application: Application, ranked: list[int], season: _Season
    ) -> bool:
        """Whether `me` scores this application: a mentor of one of its ranked ideas, or the
        office for a tutor's application."""
        if me.has_in_season(Role.MENTOR, season.season.id) and any(
            season.mentors.get(idea_id) == me.person_id for idea_id in ranked
        ):
            return True
        return application.role is Role.TUTOR and me.has(Role.OFFICE)

    def _office(self, me: Identity) -> None:
        if not me.has(Role.OFFICE):
            raise NotAllowed()

    async def _for_scoring(self, me: Identity, application_id: int) -> tuple[Application, _Season]:
        application, season = await self._application(application_id)
        ranked = (await self.uow.selection.ranked([application.id]))[application.id]
        if not self._reviews(me, application, ranked, season):
            raise NotAllowed()
        if application.status not in ACTIVE:
            raise Conflict("sel-not-active")
        if await self.uow.selection.decision(application.id) is not None:
            raise Decided()
        return application, season

    # --- the card ---------------------------------------------------------------------------

    async def open_card(self, me: Identity, application_id: int) -> CardView:
        """The card, with the self-presentation re-sent by its file_id before it."""
        view = await self.card(me, application_id)
        media = await self.uow.applications.media(application_id)
        if media is not None and media.file_id and media.kind != "text":
            await self.notifier.send_media(
                me.tg_id,
                media.kind,
                media.file_id,
                caption=self.texts.get("sel-media-caption", me.language, number=view.number),
                person_id=me.person_id,
            )
            await self.uow.commit()
        return view

    async def card(self, me: Identity, application_id: int) -> CardView:
        application, season = await self._application(application_id)
        ranked = (await self.uow.selection.ranked([application.id]))[application.id]
        reviewer = self._reviews(me, application, ranked, season)
        office = me.has(Role.OFFICE)
        if not reviewer and not office:
            raise NotAllowed()
        return await self._card(me, application, season, ranked, reviewer, office)

    async def _card(
        self,
        me: Identity,
        application: Application,
        season: _Season,
        ranked: list[int],
        reviewer: bool,
        office: bool,
    ) -> CardView:
        repo = self.uow.selection
        rows = await repo.scores([application.id])
        mine = {c: s for _, r, c, s in rows if r == me.person_id}
        combined = combined_scores(rows, season.weights).get(application.id)
        note = await repo.note(application.id, me.person_id)
        decision = await repo.decision(application.id)
        media = await self.uow.applications.media(application.id)
        notes: tuple[tuple[Recommendation | None, str | None], ...] = ()
        if office:
            notes = tuple((n.recommendation, n.comment) for n in await repo.notes(application.id))
        decided_idea = None
        if decision is not None and decision.idea_id is not None:
            idea = season.ideas.get(decision.idea_id)
            decided_idea = idea.title if idea else None
        published = False
        if office:
            publication = await repo.publication(season.season.id)
            published = publication is not None and publication.published_at is not None
        return CardView(
            application_id=application.id,
            number=_number(application),
            role=application.role,
            answers=await self._answers(application, season.config),
            presentation=media.kind if media else None,
            presentation_text=(media.text or "")[: VALUE_LIMIT * 3] if media else None,
            ranking=tuple((i, season.ideas[i].title if i in season.ideas else "—") for i in ranked),
            criteria=tuple(
                CriterionLine(c.id, c.title, c.weight, c.max_score, mine.get(c.id))
                for c in season.criteria
            ),
            combined=combined[0] if combined else None,
            reviewers=combined[1] if combined else 0,
            my_comment=note.comment if note else None,
            my_recommendation=note.recommendation if note else None,
            decision=decision.decision if decision else None,
            decided_idea=decided_idea,
            decided_idea_id=decision.idea_id if decision else None,
            decision_stamp=decision_stamp(decision.decided_at) if decision else None,
            published=published,
            can_score=reviewer and decision is None and application.status in ACTIVE,
            office=office,
            notes=notes,
        )

    async def _answers(
        self, application: Application, config: SeasonConfig
    ) -> tuple[tuple[str, str], ...]:
        answers = await self.uow.applications.answers(application.id)
        questions = {f"q-{q.code}": q.text for q in config.questions}
        shown = []
        for step, value in answers.items():
            if step in HIDDEN_STEPS or value is None:
                continue
            if step in questions:
                label = questions[step][:80]
            else:
                label = self.texts.get(f"apply-label-{step}")
            if step == "municipality":
                value = config.municipality(int(value)) or "—"
            elif step == "edu_type":
                value = self.texts.get(f"apply-choice-edu_type-{value}")
            elif step == "birth_date":
                value = date.fromisoformat(value).strftime("%d.%m.%Y")
            shown.append((label, value[:VALUE_LIMIT]))
        return tuple(shown)

    # --- the reviewer's presses --------------------------------------------------------------

    async def score(
        self, me: Identity, application_id: int, criterion_id: int, value: int
    ) -> CardView:
        application, season = await self._for_scoring(me, application_id)
        criterion = next((c for c in season.criteria if c.id == criterion_id), None)
        if criterion is None or not 0 <= value <= criterion.max_score:
            raise NotAllowed()
        now = self.clock.now()
        if await self.uow.selection.upsert_score(
            application.id, me.person_id, criterion.id, value, now
        ):
            await self.uow.audit.record(
                now, me.person_id, "selection.score", "application", application.id,
                criterion=criterion.code, score=value,
            )  # fmt: skip
        # The first score starts the review: from now on the applicant cannot edit.
        await self.uow.applications.transition(
            application.id, [ApplicationStatus.SUBMITTED], ApplicationStatus.IN_REVIEW, now
        )
        await self.uow.commit()
        return await self.card(me, application.id)

    async def recommend(
        self, me: Identity, application_id: int, recommendation: Recommendation
    ) -> CardView:
        application, _ = await self._for_scoring(me, application_id)
        now = self.clock.now()
        if await self.uow.selection.set_note(
            application.id, me.person_id, now, recommendation=recommendation
        ):
            await self.uow.audit.record(
                now, me.person_id, "selection.recommend", "application", application.id,
                recommendation=recommendation.value,
            )  # fmt: skip
        await self.uow.commit()
        return await self.card(me, application.id)

    async def check_comment(self, me: Identity, application_id: int) -> CardView:
        """Before asking for the comment: the presser reviews it and it is still open."""
        application, _ = await self._for_scoring(me, application_id)
        return await self.card(me, application.id)

    async def comment(self, me: Identity, application_id: int, text: str) -> CardView:
        application, _ = await self._for_scoring(me, application_id)
        text = text.strip()
        if len(text) < 2:
            raise InvalidInput("sel-comment-short")
        if len(text) > COMMENT_LIMIT:
            raise InvalidInput("sel-comment-long", limit=COMMENT_LIMIT)
        now = self.clock.now()
        await self.uow.selection.set_note(application.id, me.person_id, now, comment=text)
        await self.uow.audit.record(
            now, me.person_id, "selection.comment", "application", application.id
        )
        await self.uow.commit()
        return await self.card(me, application.id)

    # --- /review ------------------------------------------------------------------------------

    async def pending(self, me: Identity, idea_id: int = 0, page: int = 0) -> ReviewList:
        """A mentor's undecided applications, ranking their ideas, in pages."""
        season = await self._current()
        mine = sorted(i for i, p in season.mentors.items() if p == me.person_id)
        if not me.has_in_season(Role.MENTOR, season.season.id) or not mine:
            raise NotAllowed("sel-review-none")
        if idea_id and idea_id not in mine:
            raise NotAllowed()
        repo = self.uow.selection
        found = await repo.active_applications(season.season.id, [idea_id] if idea_id else mine)
        decided = await repo.decisions(a.id for a, _ in found)
        pending = [a for a, _ in found if a.id not in decided]
        scored = {a for a, r, _, _ in await repo.scores(a.id for a in pending) if r == me.person_id}
        pages = max(1, -(-len(pending) // PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        chunk = pending[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        return ReviewList(
            tuple(ReviewItem(a.id, _number(a), a.role, a.id in scored) for a in chunk),
            page,
            pages,
            idea_id,
            tuple((i, season.ideas[i].title) for i in mine if i in season.ideas),
        )

    # --- the office -----------------------------------------------------------------------------

    async def _state(self, season: _Season) -> _State:
        repo = self.uow.selection
        found = await repo.active_applications(season.season.id)
        ids = [a.id for a, _ in found]
        ranked = await repo.ranked(ids)
        scores = combined_scores(await repo.scores(ids), season.weights)
        decisions = await repo.decisions(ids)
        return found, ranked, scores, decisions

    async def overview(self, me: Identity) -> Overview:
        self._office(me)
        season = await self._current()
        found, ranked, _, decisions = await self._state(season)
        counts: dict[tuple[int, Role], list[int]] = defaultdict(lambda: [0, 0])
        for application, _ in found:
            if application.role is None:
                continue
            for idea_id in ranked[application.id]:
                counts[(idea_id, application.role)][0] += 1
            decision = decisions.get(application.id)
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
        publication = await self.uow.selection.publication(season.season.id)
        return Overview(
            ideas,
            len(found),
            sum(1 for a, _ in found if a.id not in decisions),
            publication is not None and publication.published_at is not None,
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
            score = scores.get(application.id)
            decision = decisions.get(application.id)
            rows[application.role].append(
                RankedRow(
                    application.id,
                    _number(application),
                    ranked[application.id].index(idea_id) + 1,
                    score[0] if score else None,
                    score[1] if score else 0,
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

    async def _accepted(self, season: _Season, idea_id: int, role: Role) -> int:
        found, _, _, decisions = await self._state(season)
        roles = {a.id: a.role for a, _ in found}
        return sum(
            1
            for application_id, d in decisions.items()
            if d.decision is Decision.ACCEPTED
            and d.idea_id == idea_id
            and roles.get(application_id) is role
        )

    async def _unpublished(self, season: _Season) -> None:
        publication = await self.uow.selection.publication(season.season.id)
        if publication is not None and publication.published_at is not None:
            raise Conflict("sel-published")

    async def _hold_unpublished(self, season: _Season) -> None:
        """For a change: refuse once published, and hold the publication row until commit, so a
        concurrent publication waits for this change and then sees it."""
        if not await self.uow.selection.hold_unpublished(season.season.id):
            raise Conflict("sel-published")

    async def decide(
        self, me: Identity, application_id: int, decision: Decision, idea_id: int | None = None
    ) -> CardView:
        """The office's decision on one application: recorded once, never over another."""
        self._office(me)
        application, season = await self._application(application_id)
        if application.status not in ACTIVE:
            raise Conflict("sel-not-active")
        await self._hold_unpublished(season)
        ranked = (await self.uow.selection.ranked([application.id]))[application.id]
        if decision is Decision.ACCEPTED:
            if idea_id not in ranked or idea_id not in season.ideas or application.role is None:
                raise NotAllowed()
            idea = season.ideas[idea_id]
            await self.uow.selection.lock_ideas([idea_id])
            capacity = (
                idea.capacity_tutors if application.role is Role.TUTOR else idea.capacity_students
            )
            if await self._accepted(season, idea_id, application.role) >= capacity:
                raise Conflict("sel-idea-full", idea=idea.title)
        else:
            idea_id = None
        now = self.clock.now()
        if not await self.uow.selection.decide(
            application.id, decision, idea_id, me.person_id, now
        ):
            raise Decided()
        await self.uow.applications.transition(
            application.id, [ApplicationStatus.SUBMITTED], ApplicationStatus.IN_REVIEW, now
        )
        await self.uow.audit.record(
            now, me.person_id, "selection.decide", "application", application.id,
            decision=decision.value, idea_id=idea_id,
        )  # fmt: skip
        await self.uow.commit()
        logger.info("application %s decided: %s", application.id, decision.value)
        reviewer = self._reviews(me, application, ranked, season)
        return await self._card(me, application, season, ranked, reviewer, True)

    async def undo(
        self,
        me: Identity,
        application_id: int,
        decision: Decision,
        idea_id: int | None,
        stamp: str,
    ) -> CardView:
        """Remove the decision the office was shown (before publication only): the application
        is undecided again. A second press, or a button older than the current decision, finds
        nothing to remove and is refused with nothing changed."""
        self._office(me)
        application, season = await self._application(application_id)
        await self._hold_unpublished(season)
        if application.status not in ACTIVE:
            raise Conflict("sel-not-active")
        current = await self.uow.selection.decision(application.id)
        if (
            current is None
            or current.decision is not decision
            or current.idea_id != idea_id
            or decision_stamp(current.decided_at) != stamp
        ):
            raise Conflict("sel-undo-stale")
        if not await self.uow.selection.undecide(
            application.id, current.decision, current.idea_id, current.decided_at
        ):
            raise Conflict("sel-undo-stale")
        now = self.clock.now()
        await self.uow.audit.record(
            now, me.person_id, "selection.undo", "application", application.id,
            decision=current.decision.value, idea_id=current.idea_id,
            decided_by=current.decided_by, decided_at=current.decided_at.isoformat(),
        )  # fmt: skip
        await self.uow.commit()
        logger.info("application %s decision undone: %s", application.id, decision.value)
        ranked = (await self.uow.selection.ranked([application.id]))[application.id]
        reviewer = self._reviews(me, application, ranked, season)
        return await self._card(me, application, season, ranked, reviewer, True)

    async def _plan(self, season: _Season) -> tuple[list[tuple[int, int]], dict[int, Candidate]]:
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
        candidates = {
            a.id: Candidate(
                a.id,
                a.role,
                scores[a.id][0],
                tuple(i for i in ranked[a.id] if i in season.ideas),
                order,
            )
            for order, (a, _) in enumerate(found)
            if a.id not in decisions and a.id in scores and a.role is not None
        }
        return plan_top(candidates.values(), free), candidates

    async def top_preview(self, me: Identity) -> TopPlan:
        self._office(me)
        season = await self._current()
        await self._unpublished(season)
        plan, candidates = await self._plan(season)
        numbers = {a.id: _number(a) for a, _ in await self.uow.selection.active_applications(
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

    async def accept_top(self, me: Identity, digest: str) -> int:
        """Apply the previewed plan, if it is still what the preview showed."""
        self._office(me)
        season = await self._current()
        await self._hold_unpublished(season)
        await self.uow.selection.lock_ideas(season.ideas)
        plan, _ = await self._plan(season)
        if plan_digest(plan) != digest:
            raise Conflict("sel-plan-changed")
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
        await self.uow.commit()
        return accepted

    async def publish_preview(self, me: Identity) -> PublishPreview:
        self._office(me)
        season = await self._current()
        found, _, _, decisions = await self._state(season)
        counts = {d: 0 for d in Decision}
        for d in decisions.values():
            counts[d.decision] += 1
        publication = await self.uow.selection.publication(season.season.id)
        return PublishPreview(
            counts[Decision.ACCEPTED],
            counts[Decision.WAITLISTED],
            counts[Decision.REJECTED],
            sum(1 for a, _ in found if a.id not in decisions),
            publication is not None and publication.published_at is not None,
        )

    async def publish(self, me: Identity) -> PublishOutcome:
        """Send every applicant their one result and form the teams, once per season.

        Applicants still undecided are put on the waiting list. A second press finds the
        publication claimed and sends nothing; each result also carries a dedupe key."""
        self._office(me)
        season = await self._current()
        now = self.clock.now()
        repo = self.uow.selection
        if not await repo.claim_publication(season.season.id, me.person_id, now):
            return PublishOutcome(False, 0, 0, ())
        found, _, _, decisions = await self._state(season)
        for application, _ in found:
            if application.id not in decisions:
                await repo.decide(application.id, Decision.WAITLISTED, None, me.person_id, now)
                await self.uow.audit.record(
                    now, me.person_id, "selection.decide", "application", application.id,
                    decision=Decision.WAITLISTED.value, at_publication=True,
                )  # fmt: skip
        decisions = await repo.decisions(a.id for a, _ in found)
        mentor_people = {
            pid: await self.uow.people.get(pid) for pid in set(season.mentors.values())
        }
        teams: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
        sent = 0
        for application, person in found:
            decision = decisions[application.id]
            language = person.language
            if decision.decision is Decision.ACCEPTED and decision.idea_id in season.ideas:
                idea = season.ideas[decision.idea_id]
                mentor = mentor_people.get(season.mentors.get(idea.id, -1))
                mentor_name = (mentor.full_name if mentor else None) or idea.mentor_label or "—"
                text = self.texts.get(
                    "sel-result-accepted", language,
                    season=season.season.name, idea=idea.title, mentor=mentor_name,
                )  # fmt: skip
                students, tutors = teams[idea.id]
                (tutors if application.role is Role.TUTOR else students).append(person.id)
                result = ApplicationStatus.ACCEPTED
            elif decision.decision is Decision.ACCEPTED or decision.decision is Decision.WAITLISTED:
                text = self.texts.get("sel-result-waitlisted", language, season=season.season.name)
                result = ApplicationStatus.WAITLISTED
            else:
                text = self.texts.get("sel-result-rejected", language, season=season.season.name)
                result = ApplicationStatus.NOT_SELECTED
            # `/status` shows the result from now on.
            await self.uow.applications.transition(application.id, ACTIVE, result, now)
            if await self.notifier.send_text(
                person.tg_id, text, person_id=person.id, dedupe_key=f"result:{application.id}"
            ):
                sent += 1
        formed, without_mentor = 0, []
        for idea_id, (students, tutors) in teams.items():
            idea = season.ideas[idea_id]
            mentor_id = season.mentors.get(idea_id)
            if mentor_id is None:
                without_mentor.append(idea.title)
                continue
            await self.teams.form_team(
                idea.title[:200],
                season_id=season.season.id,
                source_key=f"idea:{idea_id}",
                mentor_id=mentor_id,
                tutor_ids=tutors,
                student_ids=students,
                actor_id=me.person_id,
                commit=False,
            )
            formed += 1
        await self.uow.audit.record(
            now, me.person_id, "selection.publish", "season", season.season.id,
            sent=sent, teams=formed,
        )  # fmt: skip
        await self.uow.commit()
        logger.info("season %s results published: %s sent", season.season.id, sent)
        return PublishOutcome(True, sent, formed, tuple(without_mentor))

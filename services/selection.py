"""Selection: reviewers' notices on submit, the application card with scores, comments and
recommendations, /review and the reviewer's queue, the office's ranking per idea, decisions,
"accept the top N" and the one-time publication of results (which forms the teams).

Who reviews: the mentors of the ideas an applicant ranked (the people who redeemed the idea's
mentor invitation and still hold the mentor role); tutor applications also the project office.

A reviewer's score counts only once they scored every criterion (a complete review): the
combined score of an application is the weighted mean over its complete reviews, the sum of
weight × score over their (reviewer, criterion) pairs divided by the sum of the weights, which
is the mean of each complete reviewer's weighted mean. A partial review is shown as such to its
reviewer (and in /review) and to the office, and is left out of the ranking and of "accept the
top N" until it is completed.

"Accept the top N per idea": undecided applications with a combined score are taken in order
of it (ties: earlier submission first); each gets the highest-ranked of their ideas that still
has a free place for their role (capacity minus those already accepted); who fits nowhere stays
undecided. So an applicant is accepted to at most one idea, and to their first choice whenever
their score keeps a place there for them.

Every press is re-checked here: the presser's role, that they review this application, its
state and whether it is decided. Scores are upserts, decisions inserts that lose to an existing
decision, publication a conditional update; every change is audited. Everything sent to staff
about an application (notices, cards, the re-sent self-presentation) carries the subject
`application:<id>`, and a decision takes the buttons off all of it in its own transaction.

Until results are published the office may undo a decision: the button carries the decision it
showed (value, idea and a stamp of its time), and only that exact row is deleted, so a double
tap or a stale button changes nothing. The application is then undecided again: the office may
decide anew and its reviewers may score it again (read-only follows the decision row alone).
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from services.actions import ReviewAction, ReviewVerb
from services.clock import Clock
from services.errors import Conflict, DomainError, InvalidInput, NotAllowed
from services.i18n import Texts, Translator
from services.notify import Button, Notifier
from services.people import Identity
from services.questionnaire import Step, StepKind, grade_range, steps_for
from services.review_card import (
    COMMENT_LIMIT,
    CardAnswer,
    CardView,
    CriterionLine,
    ReviewerNote,
    ReviewProgress,
    card_parts,
)
from services.seasons import SeasonConfig, load_config
from services.teams import TeamService
from services.text_fit import trim, visible_length
from storage.models import (
    Application,
    ApplicationStatus,
    Decision,
    Person,
    ProjectIdea,
    Recommendation,
    ReviewNote,
    Role,
    Season,
    SelectionCriterion,
    SelectionDecision,
)
from storage.repositories.selection import ACTIVE, IN_SELECTION
from storage.uow import UnitOfWork

__all__ = [
    "COMMENT_LIMIT",
    "CardView",
    "CriterionLine",
    "ReviewProgress",
    "SelectionService",
    "notify_reviewers",
]

logger = logging.getLogger(__name__)

PAGE_SIZE = 8
# Steps the card does not show as answers: the name heads the card; contacts, consents and the
# legal representative are not the reviewer's business; the self-presentation (shown from its
# media row) and the ideas (their own section) are drawn apart.
HIDDEN_STEPS = frozenset(
    {
        "role", "age_group", "consent", "rep_name", "rep_relation", "rep_phone", "rep_consent",
        "full_name",
        "phone", "email", "leader_id", "meo", "ideas", "presentation",
    }
)  # fmt: skip


class Decided(Conflict):
    key = "sel-decided"


def subject_of(application_id: int) -> str:
    """What every message to staff about the application is filed under (Notifier.retract)."""
    return f"application:{application_id}"


# ---------------------------------------------------------------------------------------------
# The arithmetic (pure)


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


def _by_reviewer(
    rows: Iterable[tuple[int, int, int, int]], weights: dict[int, float]
) -> dict[int, dict[int, dict[int, int]]]:
    """Application -> reviewer -> criterion -> score, for the criteria in use (`weights`)."""
    given: dict[int, dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for application_id, reviewer_id, criterion_id, score in rows:
        if criterion_id in weights:
            given[application_id][reviewer_id][criterion_id] = score
    return given


def _weighted(scores: dict[int, int], weights: dict[int, float]) -> tuple[float, float]:
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
    for application_id, reviewers in _by_reviewer(rows, weights).items():
        total = weight_sum = 0.0
        complete = incomplete = 0
        for scores in reviewers.values():
            if progress_of(scores, weights) is ReviewProgress.COMPLETE:
                complete += 1
                part, part_weight = _weighted(scores, weights)
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


# ---------------------------------------------------------------------------------------------
# What the handlers render (the card itself: services.review_card)


@dataclass(frozen=True)
class ReviewItem:
    application_id: int
    number: str
    role: Role | None
    progress: ReviewProgress  # this reviewer's


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
    dict[int, Combined],
    dict[int, SelectionDecision],
]


def _number(application: Application) -> str:
    return application.number or f"#{application.id}"


def _reviewer_notes(
    scores: dict[int, dict[int, int]], notes: list[ReviewNote], weights: dict[int, float]
) -> tuple[ReviewerNote, ...]:
    """Every reviewer's review of one application: how far they scored, their own weighted mean
    once complete, their recommendation and comment."""
    by_reviewer = {note.reviewer_id: note for note in notes}
    result = []
    for reviewer_id in sorted(set(scores) | set(by_reviewer)):
        given = scores.get(reviewer_id, {})
        progress = progress_of(given, weights)
        score = None
        if progress is ReviewProgress.COMPLETE:
            total, weight_sum = _weighted(given, weights)
            score = total / weight_sum if weight_sum > 0 else None
        note = by_reviewer.get(reviewer_id)
        result.append(
            ReviewerNote(
                progress,
                len(given),
                score,
                note.recommendation if note else None,
                note.comment if note else None,
            )
        )
    return tuple(result)


# ---------------------------------------------------------------------------------------------
# Notices on submit (called inside ApplicationService.submit's transaction)


async def notify_reviewers(
    uow: UnitOfWork, notifier: Notifier, texts: Texts, application: Application, number: str
) -> int:
    """Tell the application's reviewers it arrived; the notice's button opens its card. A mentor
    reads which of their ideas it ranked; the office, which reviews tutors, reads that it is a
    tutor's application."""
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
        mine = [f"«{ideas[i]}»" for i in idea_ids if i in ideas]
        if mine:
            text = texts.get(
                "sel-notice",
                language,
                number=number,
                role=texts.get(
                    f"sel-role-{application.role.value if application.role else 'none'}", language
                ),
                ideas=", ".join(mine),
            )
        else:  # the office, for a tutor's application
            text = texts.get("sel-notice-tutor", language, number=number)
        button = Button.doing(
            texts.get("sel-btn-open", language),
            ReviewAction(verb=ReviewVerb.OPEN_CARD, application=application.id),
        )
        if await notifier.send_text(
            person.tg_id,
            text,
            buttons=[[button]],
            person_id=person.id,
            dedupe_key=f"review-notice:{application.id}:{person.id}",
            subject=subject_of(application.id),
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

    def _my_ideas(self, me: Identity, season: _Season) -> list[int]:
        if not me.has_in_season(Role.MENTOR, season.season.id):
            return []
        return sorted(i for i, p in season.mentors.items() if p == me.person_id)

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

    async def open_card(
        self, me: Identity, application_id: int, *, for_office: bool = False
    ) -> CardView:
        """Send the card: the self-presentation first (named: whose it is), then the card."""
        view = await self.card(me, application_id, for_office=for_office)
        await self._send_card(me, view)
        await self.uow.commit()
        return view

    async def _send_card(self, me: Identity, view: CardView) -> None:
        t = self.texts.for_language(me.language)
        subject = subject_of(view.application_id)
        media = await self.uow.applications.media(view.application_id)
        whose = {"name": view.name or "—", "number": view.number}
        if media is not None and media.file_id and media.kind != "text":
            if media.kind == "video_note":
                # A video note cannot carry a caption: a line before it says whose it is.
                await self.notifier.send_text(
                    me.tg_id, t("sel-media-video-note", **whose),
                    person_id=me.person_id, subject=subject,
                )  # fmt: skip
                caption = None
            else:
                caption = t("sel-media-caption", **whose)
            await self.notifier.send_media(
                me.tg_id, media.kind, media.file_id,
                caption=caption, person_id=me.person_id, subject=subject,
            )  # fmt: skip
        for part in card_parts(view, t):
            await self.notifier.send_text(
                me.tg_id, part.text, buttons=part.buttons or None,
                person_id=me.person_id, subject=subject,
            )  # fmt: skip

    async def card(
        self, me: Identity, application_id: int, *, for_office: bool = False
    ) -> CardView:
        application, season = await self._application(application_id)
        ranked = (await self.uow.selection.ranked([application.id]))[application.id]
        reviewer = self._reviews(me, application, ranked, season)
        office = me.has(Role.OFFICE)
        if (for_office and not office) or (not reviewer and not office):
            raise NotAllowed()
        return await self._card(me, application, season, ranked, reviewer, for_office)

    async def _card(
        self,
        me: Identity,
        application: Application,
        season: _Season,
        ranked: list[int],
        reviewer: bool,
        for_office: bool,
    ) -> CardView:
        repo = self.uow.selection
        office = me.has(Role.OFFICE)
        rows = await repo.scores([application.id])
        weights = season.weights
        mine = {c: s for _, r, c, s in rows if r == me.person_id}
        combined = combined_scores(rows, weights).get(application.id, Combined(None, 0, 0))
        note = await repo.note(application.id, me.person_id)
        decision = await repo.decision(application.id)
        notes: tuple[ReviewerNote, ...] = ()
        if office:
            scores = _by_reviewer(rows, weights).get(application.id, {})
            notes = _reviewer_notes(scores, await repo.notes(application.id), weights)
        decided_idea = None
        if decision is not None and decision.idea_id is not None:
            idea = season.ideas.get(decision.idea_id)
            decided_idea = idea.title if idea else None
        published = False
        if office:
            publication = await repo.publication(season.season.id)
            published = publication is not None and publication.published_at is not None
        t = self.texts.for_language(me.language)
        name, answers = await self._answers(application, season.config, t)
        return CardView(
            application_id=application.id,
            number=_number(application),
            role=application.role,
            name=name,
            answers=answers,
            ranking=tuple((i, season.ideas[i].title if i in season.ideas else "—") for i in ranked),
            criteria=tuple(
                CriterionLine(c.id, c.title, c.weight, c.max_score, mine.get(c.id))
                for c in season.criteria
            ),
            combined=combined.score,
            reviewers=combined.reviewers,
            incomplete=combined.incomplete,
            my_comment=note.comment if note else None,
            my_recommendation=note.recommendation if note else None,
            decision=decision.decision if decision else None,
            decided_idea=decided_idea,
            decided_idea_id=decision.idea_id if decision else None,
            decision_stamp=decision_stamp(decision.decided_at) if decision else None,
            published=published,
            can_score=reviewer and decision is None and application.status in ACTIVE,
            office=office,
            for_office=for_office,
            notes=notes,
        )

    async def _answers(
        self, application: Application, config: SeasonConfig, t: Translator
    ) -> tuple[str | None, tuple[CardAnswer, ...]]:
        """The name, and the answers in the questionnaire's order: each question numbered and
        with its full text, every value whole."""
        answers = await self.uow.applications.answers(application.id)
        media = await self.uow.applications.media(application.id)
        shown = []
        question = 0
        for step in steps_for(config, application.role):
            if step.question is not None:
                question += 1
            value = answers.get(step.code)
            if step.code == "presentation" and media is not None:
                if media.kind == "text":
                    label = t("sel-card-presentation-text")
                    shown.append(CardAnswer(label, media.text or "—", block=True))
                else:  # sent just before the card
                    label = t("apply-label-presentation")
                    kind = t("sel-card-presentation", kind=media.kind)
                    shown.append(CardAnswer(label, kind, block=False))
                continue
            if step.code in HIDDEN_STEPS or value is None:
                continue
            if step.question is not None:
                label = f"{t('apply-label-question', n=question)}. {step.question.text}"
            else:
                label = t(f"apply-label-{step.code}")
            shown.append(
                CardAnswer(
                    label,
                    self._value(step, value, application, answers, config, t),
                    block=step.question is not None or step.code == "about",
                )
            )
        return answers.get("full_name"), tuple(shown)

    @staticmethod
    def _value(
        step: Step,
        value: str,
        application: Application,
        answers: dict[str, str | None],
        config: SeasonConfig,
        t: Translator,
    ) -> str:
        if step.code == "municipality":
            return config.municipality(int(value)) or "—"
        if step.code == "edu_type":
            return t(f"apply-choice-edu_type-{value}")
        if step.code == "birth_date":
            return date.fromisoformat(value).strftime("%d.%m.%Y")
        if step.code == "grade" and value.isdigit():
            kind, _, _ = grade_range(application.role, answers.get("edu_type"))
            return t("apply-grade-shown", kind=kind, n=int(value))
        if step.kind is StepKind.SCALE and value.isdigit():
            return t("apply-scale-shown", n=int(value))
        return value

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
        text = trim(text)
        if visible_length(text) < 2:
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

    # --- /review and the queue ----------------------------------------------------------------

    async def _queue(self, me: Identity, season: _Season, idea_id: int = 0) -> list[Application]:
        """The undecided applications `me` reviews (ranking one of their ideas, or `idea_id`;
        for the office also every tutor's), in submission order."""
        repo = self.uow.selection
        found = await repo.active_applications(season.season.id)
        ranked = await repo.ranked(a.id for a, _ in found)
        decided = await repo.decisions(a.id for a, _ in found)
        ideas = {idea_id} if idea_id else set(self._my_ideas(me, season))
        tutors = me.has(Role.OFFICE) and not idea_id
        return [
            a
            for a, _ in found
            if a.id not in decided
            and (ideas & set(ranked[a.id]) or (tutors and a.role is Role.TUTOR))
        ]

    async def _progress(
        self, me: Identity, season: _Season, applications: list[Application]
    ) -> dict[int, ReviewProgress]:
        """This reviewer's progress on each of `applications`."""
        scored: dict[int, set[int]] = defaultdict(set)
        for application_id, reviewer_id, criterion_id, _ in await self.uow.selection.scores(
            a.id for a in applications
        ):
            if reviewer_id == me.person_id:
                scored[application_id].add(criterion_id)
        weights = season.weights
        return {a.id: progress_of(scored[a.id], weights) for a in applications}

    async def pending(self, me: Identity, idea_id: int = 0, page: int = 0) -> ReviewList:
        """A reviewer's undecided applications, in pages, with how far they scored each."""
        season = await self._current()
        mine = self._my_ideas(me, season)
        if not mine and not me.has(Role.OFFICE):
            raise NotAllowed("sel-review-none")
        if idea_id and idea_id not in mine:
            raise NotAllowed()
        pending = await self._queue(me, season, idea_id)
        progress = await self._progress(me, season, pending)
        pages = max(1, -(-len(pending) // PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        chunk = pending[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        return ReviewList(
            tuple(ReviewItem(a.id, _number(a), a.role, progress[a.id]) for a in chunk),
            page,
            pages,
            idea_id,
            tuple((i, season.ideas[i].title) for i in mine if i in season.ideas),
        )

    async def next_card(self, me: Identity, after: int) -> CardView:
        """Send the card of the next application this reviewer has not fully scored: the first
        after `after` in submission order, else the first one skipped before it."""
        season = await self._current()
        queue = await self._queue(me, season)
        progress = await self._progress(me, season, queue)
        ids = [a.id for a in queue]
        position = ids.index(after) if after in ids else -1
        left = [
            (index > position, index)
            for index, a in enumerate(queue)
            if a.id != after and progress[a.id] is not ReviewProgress.COMPLETE
        ]
        if not left:
            raise DomainError("sel-queue-done")
        _, index = max(left, key=lambda item: (item[0], -item[1]))
        return await self.open_card(me, ids[index])

    # --- the office -----------------------------------------------------------------------------

    async def _state(self, season: _Season) -> _State:
        """Every application in the season's selection (published results included), its ranked
        ideas, combined score and decision."""
        repo = self.uow.selection
        found = await repo.active_applications(season.season.id, statuses=IN_SELECTION)
        ids = [a.id for a, _ in found]
        ranked = await repo.ranked(ids)
        scores = combined_scores(await repo.scores(ids), season.weights)
        decisions = await repo.decisions(ids)
        return found, ranked, scores, decisions

    async def _published(self, season: _Season) -> bool:
        publication = await self.uow.selection.publication(season.season.id)
        return publication is not None and publication.published_at is not None

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
                    _number(application),
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
        if await self._published(season):
            raise Conflict("sel-published")

    async def _hold_unpublished(self, season: _Season) -> None:
        """For a change: refuse once published, and hold the publication row until commit, so a
        concurrent publication waits for this change and then sees it."""
        if not await self.uow.selection.hold_unpublished(season.season.id):
            raise Conflict("sel-published")

    async def decide(
        self,
        me: Identity,
        application_id: int,
        decision: Decision,
        idea_id: int | None = None,
        *,
        shown: tuple[int, int] | None = None,
    ) -> CardView:
        """The office's decision on one application: recorded once, never over another. The
        buttons come off everything sent about it, except the card `shown` (chat id, message
        id) whose button took the decision: that one is redrawn with the decision on it."""
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
        await self.notifier.retract(subject_of(application.id), delete=False, keep=shown)
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

    async def _applied_top(self, season: _Season, digest: str) -> int | None:
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

    async def publish_preview(self, me: Identity) -> PublishPreview:
        self._office(me)
        season = await self._current()
        found, _, _, decisions = await self._state(season)
        counts = {d: 0 for d in Decision}
        for d in decisions.values():
            counts[d.decision] += 1
        return PublishPreview(
            counts[Decision.ACCEPTED],
            counts[Decision.WAITLISTED],
            counts[Decision.REJECTED],
            sum(1 for a, _ in found if a.id not in decisions),
            await self._published(season),
        )

    async def publish(self, me: Identity) -> PublishOutcome:
        """Send every applicant their one result and form the teams, once per season.

        Applicants still undecided are put on the waiting list. A second press finds the
        publication claimed and sends nothing; each result also carries a dedupe key. The
        buttons come off every card and notice still open."""
        self._office(me)
        season = await self._current()
        now = self.clock.now()
        repo = self.uow.selection
        if not await repo.claim_publication(season.season.id, me.person_id, now):
            return PublishOutcome(False, 0, 0, ())
        found, _, _, decisions = await self._state(season)
        found = [(a, p) for a, p in found if a.status in ACTIVE]
        for application, _ in found:
            if application.id not in decisions:
                await repo.decide(application.id, Decision.WAITLISTED, None, me.person_id, now)
                await self.uow.audit.record(
                    now, me.person_id, "selection.decide", "application", application.id,
                    decision=Decision.WAITLISTED.value, at_publication=True,
                )  # fmt: skip
            # Decided now, or earlier with the office's undo still on its card: no button
            # about it does anything any more.
            await self.notifier.retract(subject_of(application.id), delete=False)
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

"""A reviewer's use cases: scores, recommendations, comments, /review and the queue."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from services.domain import ApplicationStatus, Recommendation, Role
from services.errors import DomainError, InvalidInput, NotAllowed
from services.people import Identity
from services.selection.arithmetic import progress_of
from services.selection.base import LoadedSeason, number_of
from services.selection.card import COMMENT_LIMIT, CardView, ReviewProgress
from services.selection.card_builder import Cards
from services.text_fit import trim, visible_length
from storage.models import Application

PAGE_SIZE = 8


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


class Scoring(Cards):
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

    async def _queue(
        self, me: Identity, season: LoadedSeason, idea_id: int = 0
    ) -> list[Application]:
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
        self, me: Identity, season: LoadedSeason, applications: list[Application]
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
            tuple(ReviewItem(a.id, number_of(a), a.role, progress[a.id]) for a in chunk),
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

"""The office's decision on one application, and its undo before publication."""

from __future__ import annotations

import logging

from services.domain import ApplicationStatus, Decision, Role
from services.errors import Conflict, NotAllowed
from services.people import Identity
from services.selection.arithmetic import decision_stamp
from services.selection.base import Decided, LoadedSeason, subject_of
from services.selection.card import CardView
from services.selection.card_builder import Cards
from storage.repositories.selection import ACTIVE

logger = logging.getLogger(__name__)


class Decisions(Cards):
    async def _accepted(self, season: LoadedSeason, idea_id: int, role: Role) -> int:
        found, _, _, decisions = await self._state(season)
        roles = {a.id: a.role for a, _ in found}
        return sum(
            1
            for application_id, d in decisions.items()
            if d.decision is Decision.ACCEPTED
            and d.idea_id == idea_id
            and roles.get(application_id) is role
        )

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

"""The mentor's decision on a submitted passport: approve, or return with a comment; the
tutors are told privately and the team chat in a post."""

from __future__ import annotations

from services.actions import RoadmapAction, RoadmapVerb
from services.domain import ReviewStatus, TeamRole
from services.errors import Conflict, NotAllowed
from services.notify import Button
from services.people import Identity
from services.roadmap.base import checked_comment
from services.roadmap.passport import PassportUseCases
from services.roadmap.views import PassportView
from storage.models import ProjectPassport, Team


class PassportReview(PassportUseCases):
    """A mentor approves or returns the passport."""

    async def _reviewed_passport(
        self, me: Identity, passport_id: int
    ) -> tuple[ProjectPassport, Team]:
        passport = await self.uow.passports.get(passport_id, fresh=True)
        if passport is None:
            raise NotAllowed()
        team = await self._require(me, passport.team_id, TeamRole.MENTOR)
        return passport, team

    async def check_passport_review(self, me: Identity, passport_id: int) -> PassportView:
        passport, team = await self._reviewed_passport(me, passport_id)
        if passport.status is not ReviewStatus.SUBMITTED:
            raise Conflict("roadmap-already-decided")
        return self._passport_view(passport, team, TeamRole.MENTOR)

    async def approve_passport(self, me: Identity, passport_id: int) -> PassportView:
        return await self._decide_passport(me, passport_id, ReviewStatus.APPROVED, None)

    async def return_passport(self, me: Identity, passport_id: int, comment: str) -> PassportView:
        return await self._decide_passport(
            me, passport_id, ReviewStatus.RETURNED, checked_comment(comment)
        )

    async def _decide_passport(
        self, me: Identity, passport_id: int, to: ReviewStatus, comment: str | None
    ) -> PassportView:
        passport, team = await self._reviewed_passport(me, passport_id)
        now = self.clock.now()
        changed = await self.uow.passports.transition(
            passport_id, [ReviewStatus.SUBMITTED], to, now,
            decided_at=now, decided_by=me.person_id, return_comment=comment,
        )  # fmt: skip
        if not changed:
            raise Conflict("roadmap-already-decided")
        decided = await self.uow.passports.get(passport_id, fresh=True)
        assert decided is not None
        passport = decided
        await self.uow.audit.record(
            now, me.person_id, "passport.decide", "passport", passport_id, decision=to.value
        )
        key = f"passport-{to.value}"
        open_button = [
            [Button.doing("", RoadmapAction(verb=RoadmapVerb.OPEN_PASSPORT, item=team.id))]
        ]
        await self._to_tutors(team, f"{key}-notice", open_button, comment=comment or "")
        await self.chat.post(team, f"{key}-chat", comment=comment or "")
        await self.uow.commit()
        return self._passport_view(passport, team, TeamRole.MENTOR)

"""The mentor's decision on a submitted stage: approve, or return with a comment; the tutors
are told privately and the team chat in a post."""

from __future__ import annotations

from services.actions import RoadmapAction, RoadmapVerb
from services.domain import ReviewStatus, TeamRole
from services.errors import Conflict, NotAllowed
from services.notify import Button
from services.people import Identity
from services.roadmap.base import checked_comment
from services.roadmap.stages import StageUseCases
from services.roadmap.views import StageView
from storage.models import RoadmapStage, Team


class StageReview(StageUseCases):
    """A mentor approves or returns a stage."""

    async def _reviewed_stage(self, me: Identity, stage_id: int) -> tuple[RoadmapStage, Team]:
        stage = await self.uow.stages.get(stage_id, fresh=True)
        if stage is None:
            raise NotAllowed()
        team = await self._require(me, stage.team_id, TeamRole.MENTOR)
        return stage, team

    async def check_stage_review(self, me: Identity, stage_id: int) -> StageView:
        stage, _ = await self._reviewed_stage(me, stage_id)
        if stage.status is not ReviewStatus.SUBMITTED:
            raise Conflict("roadmap-already-decided")
        return await self.stage(me, stage_id)

    async def approve_stage(self, me: Identity, stage_id: int) -> StageView:
        return await self._decide_stage(me, stage_id, ReviewStatus.APPROVED, None)

    async def return_stage(self, me: Identity, stage_id: int, comment: str) -> StageView:
        return await self._decide_stage(
            me, stage_id, ReviewStatus.RETURNED, checked_comment(comment)
        )

    async def _decide_stage(
        self, me: Identity, stage_id: int, to: ReviewStatus, comment: str | None
    ) -> StageView:
        stage, team = await self._reviewed_stage(me, stage_id)
        now = self.clock.now()
        changed = await self.uow.stages.transition(
            stage_id, [ReviewStatus.SUBMITTED], to, now,
            decided_at=now, decided_by=me.person_id, return_comment=comment,
        )  # fmt: skip
        if not changed:
            raise Conflict("roadmap-already-decided")
        await self.uow.audit.record(
            now, me.person_id, "roadmap.decide", "stage", stage_id, decision=to.value
        )
        key = f"roadmap-{to.value}"
        open_button = [
            [Button.doing("", RoadmapAction(verb=RoadmapVerb.OPEN_STAGE, item=stage_id))]
        ]
        await self._to_tutors(
            team, f"{key}-notice", open_button,
            title=stage.title, comment=comment or "",
        )  # fmt: skip
        await self.chat.post(team, f"{key}-chat", title=stage.title, comment=comment or "")
        await self.uow.commit()
        return await self.stage(me, stage_id)

"""The roadmap's stages: a tutor adds one by its title, sets its due date and submits it
with a report to the team's mentors."""

from __future__ import annotations

from typing import Any

from services.actions import RoadmapVerb
from services.domain import Evidence, ReviewStatus, TeamRole
from services.due_dates import parse_due
from services.errors import Conflict, InvalidInput, NotAllowed, NotFound
from services.people import Identity
from services.roadmap.base import RoadmapBase
from services.roadmap.views import (
    EDITABLE,
    MAX_STAGES,
    REPORT_LIMIT,
    TITLE_LIMIT,
    RoadmapView,
    StageView,
)
from services.text_fit import trim, visible_length
from storage.models import RoadmapStage, Team


class StageUseCases(RoadmapBase):
    """Viewing the roadmap and a stage, adding stages, due dates, reports."""

    async def roadmap(self, me: Identity, team_id: int) -> RoadmapView:
        team, role = await self._role(me, team_id)
        policy = await self.reminders.policy_for(team.season_id)
        stages = [
            self._stage_view(stage, team, role, policy.format)
            for stage in await self.uow.stages.of_team(team_id)
        ]
        return RoadmapView(team.id, team.name, stages, can_add=role is TeamRole.TUTOR)

    async def stage(self, me: Identity, stage_id: int) -> StageView:
        stage = await self._stage(stage_id)
        team, role = await self._role(me, stage.team_id)
        policy = await self.reminders.policy_for(team.season_id)
        return self._stage_view(stage, team, role, policy.format)

    def _stage_view(self, stage: RoadmapStage, team: Team, role: TeamRole, fmt: Any) -> StageView:
        tutor = role is TeamRole.TUTOR
        return StageView(
            id=stage.id,
            team_id=team.id,
            team=team.name,
            position=stage.position,
            title=stage.title,
            due=fmt(stage.due_at) if stage.due_at else None,
            status=stage.status,
            report_kind=stage.report_kind,
            report_text=stage.report_text,
            return_comment=stage.return_comment,
            can_submit=tutor and stage.status in EDITABLE and stage.due_at is not None,
            can_set_due=tutor and stage.status in EDITABLE,
            can_review=role is TeamRole.MENTOR and stage.status is ReviewStatus.SUBMITTED,
        )

    async def _stage(self, stage_id: int) -> RoadmapStage:
        stage = await self.uow.stages.get(stage_id, fresh=True)
        if stage is None:
            raise NotFound("roadmap-stage-unknown")
        return stage

    async def check_add_stage(self, me: Identity, team_id: int) -> Team:
        team = await self._require(me, team_id, TeamRole.TUTOR)
        if len(await self.uow.stages.of_team(team_id)) >= MAX_STAGES:
            raise Conflict("roadmap-too-many", limit=str(MAX_STAGES))
        return team

    async def add_stage(self, me: Identity, team_id: int, title: str) -> StageView:
        """A tutor adds a stage by its title; the due date is the next answer."""
        team = await self.check_add_stage(me, team_id)
        title = trim(title)
        if visible_length(title) < 3:
            raise InvalidInput("roadmap-title-short")
        if len(title) > TITLE_LIMIT:
            raise InvalidInput("roadmap-title-long")
        now = self.clock.now()
        stage = await self.uow.stages.add(
            RoadmapStage(
                team_id=team.id,
                position=await self.uow.stages.next_position(team.id),
                title=title,
                status=ReviewStatus.DRAFT,
                created_by=me.person_id,
                created_at=now,
                updated_at=now,
            )
        )
        await self.uow.audit.record(now, me.person_id, "roadmap.add_stage", "stage", stage.id)
        await self.uow.commit()
        return await self.stage(me, stage.id)

    async def check_set_due(self, me: Identity, stage_id: int) -> StageView:
        view = await self.stage(me, stage_id)
        if not view.can_set_due:
            raise NotAllowed() if view.status in EDITABLE else Conflict("roadmap-stage-locked")
        return view

    async def set_stage_due(self, me: Identity, stage_id: int, text: str) -> StageView:
        """The due date as ДД.ММ.ГГГГ [ЧЧ:ММ] in the season's time zone."""
        stage = await self._stage(stage_id)
        team = await self._require(me, stage.team_id, TeamRole.TUTOR)
        policy = await self.reminders.policy_for(team.season_id)
        now = self.clock.now()
        due = parse_due(text, policy, now)
        if not await self.uow.stages.set_due(stage_id, due, EDITABLE, now):
            raise Conflict("roadmap-stage-locked")
        await self.uow.audit.record(now, me.person_id, "roadmap.set_due", "stage", stage_id)
        await self.uow.commit()
        return await self.stage(me, stage_id)

    async def check_submit_stage(self, me: Identity, stage_id: int) -> StageView:
        view = await self.stage(me, stage_id)
        if not view.can_submit:
            if view.status not in EDITABLE:
                raise Conflict("roadmap-stage-not-open")
            if view.due is None and view.can_set_due:
                raise InvalidInput("roadmap-stage-no-due")
            raise NotAllowed()
        return view

    async def submit_stage(self, me: Identity, stage_id: int, report: Evidence) -> StageView:
        stage = await self._stage(stage_id)
        team = await self._require(me, stage.team_id, TeamRole.TUTOR)
        if report.kind not in ("text", "link", "document", "photo"):
            raise InvalidInput("roadmap-report-unsupported")
        if report.kind in ("text", "link") and visible_length(report.text or "") < 3:
            raise InvalidInput("roadmap-report-short")
        if report.text is not None and len(report.text) > REPORT_LIMIT:
            raise InvalidInput("roadmap-report-long")
        if stage.due_at is None:
            raise InvalidInput("roadmap-stage-no-due")
        now = self.clock.now()
        changed = await self.uow.stages.transition(
            stage_id, EDITABLE, ReviewStatus.SUBMITTED, now,
            submitted_at=now, submitted_by=me.person_id, report_kind=report.kind,
            report_text=report.text, report_file_id=report.file_id,
        )  # fmt: skip
        if not changed:
            raise Conflict("roadmap-stage-not-open")
        stage = await self._stage(stage_id)
        await self.uow.audit.record(
            now, me.person_id, "roadmap.submit", "stage", stage_id, report=report.kind
        )
        if report.file_id is not None:
            for _, mentor in await self.uow.teams.members(team.id, TeamRole.MENTOR):
                await self.notifier.send_media(
                    mentor,
                    report.kind,
                    report.file_id,
                    caption=self.texts.get(
                        "roadmap-report-caption", mentor.language, title=stage.title
                    ),
                    person_id=mentor.id,
                    subject=f"stage:{stage_id}",
                )
        await self._to_mentors(
            team,
            "roadmap-submitted-notice",
            self._review_buttons(RoadmapVerb.APPROVE_STAGE, RoadmapVerb.ASK_STAGE_RETURN, stage_id),
            subject=f"stage:{stage_id}",
            title=stage.title,
            report=report.text or self.texts.get("roadmap-report-file"),
        )
        await self.uow.commit()
        return await self.stage(me, stage_id)

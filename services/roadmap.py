"""The project passport and the roadmap: a tutor fills and submits, the team's mentor approves
or returns with a comment; decisions go to the tutors privately and to the team chat.

Every action re-checks the actor's place in the team and the object's state; transitions are
conditional updates, so double taps and replayed callbacks change nothing; decisions are audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.actions import RoadmapAction, RoadmapVerb
from services.clock import Clock
from services.domain import PASSPORT_FIELDS, ReviewStatus, TeamRole
from services.errors import Conflict, InvalidInput, NotAllowed, NotFound
from services.i18n import Texts
from services.notify import Button, Keyboard, Notifier
from services.people import Identity
from services.plans import Evidence, parse_due
from services.reminders import ReminderService
from services.team_chat import ChatOutbox
from services.text_fit import trim, visible_length
from storage.models import ProjectPassport, RoadmapStage, Team
from storage.uow import UnitOfWork

EDITABLE = (ReviewStatus.DRAFT, ReviewStatus.RETURNED)
MAX_STAGES = 30
FIELD_LIMIT = 2000
COMMENT_LIMIT = 1000
TITLE_LIMIT = 200
REPORT_LIMIT = 3000


@dataclass(frozen=True)
class PassportView:
    id: int
    team_id: int
    team: str
    status: ReviewStatus
    fields: dict[str, str | None]
    return_comment: str | None
    can_edit: bool
    can_submit: bool
    can_review: bool


@dataclass(frozen=True)
class StageView:
    id: int
    team_id: int
    team: str
    position: int
    title: str
    due: str | None
    status: ReviewStatus
    report_kind: str | None
    report_text: str | None
    return_comment: str | None
    can_submit: bool
    can_set_due: bool
    can_review: bool


@dataclass(frozen=True)
class RoadmapView:
    team_id: int
    team: str
    stages: list[StageView]
    can_add: bool


class RoadmapService:
    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        notifier: Notifier,
        texts: Texts,
        reminders: ReminderService,
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.notifier = notifier
        self.texts = texts
        self.reminders = reminders
        self.chat = ChatOutbox(uow, clock, notifier, texts)

    async def teams(self, me: Identity) -> list[Team]:
        return [team for team, _ in await self.uow.teams.teams_of(me.person_id)]

    async def _role(self, me: Identity, team_id: int) -> tuple[Team, TeamRole]:
        team = await self.uow.teams.get(team_id)
        role = await self.uow.teams.role_in(team_id, me.person_id) if team else None
        if team is None or role is None:
            raise NotAllowed()
        return team, role

    async def _require(self, me: Identity, team_id: int, role: TeamRole) -> Team:
        team, actual = await self._role(me, team_id)
        if actual is not role:
            raise NotAllowed()
        return team

    # The passport.

    async def passport(self, me: Identity, team_id: int) -> PassportView:
        team, role = await self._role(me, team_id)
        passport = await self.uow.passports.of_team(team_id, fresh=True)
        if passport is None:
            passport = ProjectPassport(id=0, team_id=team_id, status=ReviewStatus.DRAFT)
        return self._passport_view(passport, team, role)

    def _passport_view(self, passport: ProjectPassport, team: Team, role: TeamRole) -> PassportView:
        fields = {name: getattr(passport, name) for name in PASSPORT_FIELDS}
        tutor = role is TeamRole.TUTOR
        editable = passport.status in EDITABLE
        return PassportView(
            id=passport.id,
            team_id=team.id,
            team=team.name,
            status=passport.status,
            fields=fields,
            return_comment=passport.return_comment,
            can_edit=tutor and editable,
            can_submit=tutor and editable and all(fields.values()),
            can_review=role is TeamRole.MENTOR and passport.status is ReviewStatus.SUBMITTED,
        )

    async def passport_begin(self, me: Identity, team_id: int) -> PassportView:
        """Before the first question: a tutor of the team, and the passport is editable."""
        team = await self._require(me, team_id, TeamRole.TUTOR)
        passport = await self.uow.passports.ensure(team_id, self.clock.now())
        await self.uow.commit()
        if passport.status not in EDITABLE:
            raise Conflict(f"passport-locked-{passport.status.value}")
        return self._passport_view(passport, team, TeamRole.TUTOR)

    async def passport_answer(
        self, me: Identity, team_id: int, field: str, text: str
    ) -> PassportView:
        """Save one answer at once (nothing is lost if the dialogue breaks off)."""
        if field not in PASSPORT_FIELDS:
            raise NotAllowed()
        team = await self._require(me, team_id, TeamRole.TUTOR)
        text = trim(text)
        if visible_length(text) < 3:
            raise InvalidInput("passport-answer-short")
        if len(text) > FIELD_LIMIT:
            raise InvalidInput("passport-answer-long", limit=str(FIELD_LIMIT))
        now = self.clock.now()
        passport = await self.uow.passports.ensure(team_id, now)
        if not await self.uow.passports.set_field(passport.id, field, text, EDITABLE, now):
            raise Conflict(f"passport-locked-{passport.status.value}")
        await self.uow.commit()
        saved = await self.uow.passports.of_team(team_id, fresh=True)
        assert saved is not None
        return self._passport_view(saved, team, TeamRole.TUTOR)

    async def passport_submit(self, me: Identity, team_id: int) -> PassportView:
        team = await self._require(me, team_id, TeamRole.TUTOR)
        passport = await self.uow.passports.of_team(team_id, fresh=True)
        if passport is None or not all(getattr(passport, f) for f in PASSPORT_FIELDS):
            raise InvalidInput("passport-incomplete")
        now = self.clock.now()
        changed = await self.uow.passports.transition(
            passport.id, EDITABLE, ReviewStatus.SUBMITTED, now,
            submitted_at=now, submitted_by=me.person_id,
        )  # fmt: skip
        if not changed:
            raise Conflict("passport-not-editable")
        passport = await self.uow.passports.get(passport.id, fresh=True)
        assert passport is not None
        await self.uow.audit.record(now, me.person_id, "passport.submit", "passport", passport.id)
        await self._to_mentors(
            team,
            "passport-submitted-notice",
            self._review_buttons(
                RoadmapVerb.APPROVE_PASSPORT, RoadmapVerb.ASK_PASSPORT_RETURN, passport.id
            ),
            **self._passport_args(passport),
        )
        await self.uow.commit()
        return self._passport_view(passport, team, TeamRole.TUTOR)

    def _passport_args(self, passport: ProjectPassport) -> dict[str, str]:
        return {name: getattr(passport, name) or "—" for name in PASSPORT_FIELDS}

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
            me, passport_id, ReviewStatus.RETURNED, _comment(comment)
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

    # The roadmap.

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
                    mentor.tg_id,
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
        return await self._decide_stage(me, stage_id, ReviewStatus.RETURNED, _comment(comment))

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

    # Messages.

    def _review_buttons(
        self, approve: RoadmapVerb, ask_return: RoadmapVerb, object_id: int
    ) -> Keyboard:
        # Texts are filled per recipient's language in _send.
        return [
            [
                Button.doing("roadmap-btn-approve", RoadmapAction(verb=approve, item=object_id)),
                Button.doing("roadmap-btn-return", RoadmapAction(verb=ask_return, item=object_id)),
            ]
        ]

    async def _to_mentors(
        self, team: Team, key: str, buttons: Keyboard, subject: str | None = None, **args: str
    ) -> None:
        await self._send(team, TeamRole.MENTOR, key, buttons, subject, **args)

    async def _to_tutors(self, team: Team, key: str, buttons: Keyboard, **args: str) -> None:
        await self._send(team, TeamRole.TUTOR, key, buttons, **args)

    async def _send(
        self,
        team: Team,
        role: TeamRole,
        key: str,
        buttons: Keyboard,
        subject: str | None = None,
        **args: str,
    ) -> None:
        for _, person in await self.uow.teams.members(team.id, role):
            lang = person.language
            labels = {
                "": self.texts.get("roadmap-btn-open", lang),
            }
            keyboard = [
                [
                    Button(
                        labels.get(b.text) or self.texts.get(b.text, lang),
                        b.action,
                        dict(b.args),
                    )
                    for b in row
                ]
                for row in buttons
            ]
            await self.notifier.send_text(
                person.tg_id,
                self.texts.get(key, lang, team=team.name, **args),
                buttons=keyboard,
                person_id=person.id,
                subject=subject,
            )


def _comment(comment: str) -> str:
    comment = trim(comment)
    if visible_length(comment) < 2:
        raise InvalidInput("roadmap-comment-short")
    if len(comment) > COMMENT_LIMIT:
        raise InvalidInput("roadmap-comment-long", limit=str(COMMENT_LIMIT))
    return comment

"""The passport: a tutor of the team fills it field by field (each answer saved at once) and
submits it to the team's mentors."""

from __future__ import annotations

from services.actions import RoadmapVerb
from services.domain import PASSPORT_FIELDS, ReviewStatus, TeamRole
from services.errors import Conflict, InvalidInput, NotAllowed
from services.people import Identity
from services.roadmap.base import RoadmapBase
from services.roadmap.views import EDITABLE, FIELD_LIMIT, PassportView
from services.text_fit import trim, visible_length
from storage.models import ProjectPassport, Team


class PassportUseCases(RoadmapBase):
    """Viewing, filling and submitting the passport."""

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

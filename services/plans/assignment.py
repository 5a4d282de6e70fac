"""The /assign dialogue of a team's tutor or the office: target, kind, title, due date, link,
description, confirmation. Every answer is saved in the person's draft (`assign_drafts`); the
messenger's state is only a cursor. A pick or a confirmation the draft is not waiting for is
refused as stale (`DraftStale`), so an old button creates nothing.

Its steps are defined once on the wizard engine (services/wizard.py), as the add-slot wizard's
are: order, whether Skip is allowed, and how a typed answer is checked and what it stores in the
draft. The dialogue builds on creation alone (`assign` and the rights it checks).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.domain import Role, TaskKind, TeamRole
from services.due_dates import parse_due
from services.errors import Conflict, InvalidInput, NotAllowed
from services.people import Identity, display_name
from services.plans.creation import TaskCreation
from services.reminders import ReminderPolicy
from services.text_fit import trim, visible_length
from services.wizard import Wizard
from storage.models import Team

MAX_TARGET_TEAMS = 20
TITLE_LIMIT = 200
LINK_LIMIT = 500
DESCRIPTION_LIMIT = 2000
_URL = re.compile(r"^https?://\S+\.\S+$", re.IGNORECASE)


@dataclass(frozen=True)
class AssignFacts:
    """What a typed answer is checked against: the season's reminder policy (its zone and
    quiet hours) and now."""

    policy: ReminderPolicy
    now: datetime


# A typed answer checked, as the draft fields it sets.
Parser = Callable[[str, AssignFacts], dict[str, Any]]


@dataclass(frozen=True)
class AssignStepDef:
    code: str
    optional: bool = False
    typed: Parser | None = None  # None: answered with a button (target, kind, confirm)


def _title(text: str, facts: AssignFacts) -> dict[str, Any]:
    if visible_length(text) < 3:
        raise InvalidInput("plan-title-short")
    if len(text) > TITLE_LIMIT:
        raise InvalidInput("plan-title-long")
    return {"title": text}


def _due(text: str, facts: AssignFacts) -> dict[str, Any]:
    due = parse_due(text, facts.policy, facts.now)
    return {"due_at": due.isoformat(), "due": facts.policy.format(due)}


def _link(text: str, facts: AssignFacts) -> dict[str, Any]:
    if len(text) > LINK_LIMIT or not _URL.match(text):
        raise InvalidInput("plan-link-invalid")
    return {"link": text}


def _description(text: str, facts: AssignFacts) -> dict[str, Any]:
    if not visible_length(text):
        raise InvalidInput("plan-desc-empty")
    if len(text) > DESCRIPTION_LIMIT:
        raise InvalidInput("plan-desc-long")
    return {"desc": text}


ASSIGN_WIZARD = Wizard(
    (
        AssignStepDef("target"),
        AssignStepDef("kind"),
        AssignStepDef("title", typed=_title),
        AssignStepDef("due", typed=_due),
        AssignStepDef("link", optional=True, typed=_link),
        AssignStepDef("desc", optional=True, typed=_description),
        AssignStepDef("confirm"),
    )
)
ASSIGN_STEPS = tuple(step.code for step in ASSIGN_WIZARD.steps)
OPTIONAL_ASSIGN_STEPS = tuple(step.code for step in ASSIGN_WIZARD.steps if step.optional)


class DraftStale(Conflict):
    key = "plan-assign-stale"


@dataclass(frozen=True)
class AssignTarget:
    kind: str  # "team" or "student"
    id: int
    label: str


@dataclass(frozen=True)
class AssignStep:
    step: str
    targets: list[AssignTarget]
    data: dict[str, Any]


class AssignWizard(TaskCreation):
    """The assign_* steps over the draft; `assign_confirm` creates the task(s)."""

    async def assign_begin(self, me: Identity) -> AssignStep:
        teams = await self._assignable_teams(me)
        if not teams:
            raise NotAllowed("plan-assign-no-teams" if me.has(Role.TUTOR) else None)
        await self.uow.assign_drafts.save(me.person_id, "target", {}, self.clock.now())
        await self.uow.commit()
        return AssignStep("target", await self._targets(me, teams), {})

    async def assign_current(self, me: Identity) -> AssignStep:
        draft = await self.uow.assign_drafts.get(me.person_id)
        if draft is None:
            raise DraftStale()
        targets = (
            await self._targets(me, await self._assignable_teams(me))
            if draft.step == "target"
            else []
        )
        return AssignStep(draft.step, targets, dict(draft.data))

    async def assign_target(self, me: Identity, kind: str, target_id: int) -> AssignStep:
        data = await self._draft(me, "target")
        if kind == "team":
            team = await self._assignable_team(me, target_id)
            label = team.name
        elif kind == "student":
            team = await self._team_of_student(me, target_id)
            person = await self.uow.people.get(target_id)
            label = display_name(person, self.texts, me.language) if person else "—"
        else:
            raise NotAllowed()
        data.update(target=kind, target_id=target_id, season_id=team.season_id, label=label)
        return await self._advance(me, "kind", data)

    async def assign_kind(self, me: Identity, kind: str) -> AssignStep:
        data = await self._draft(me, "kind")
        try:
            data["kind"] = TaskKind(kind).value
        except ValueError:
            raise NotAllowed() from None
        return await self._advance(me, "title", data)

    async def assign_text(self, me: Identity, text: str) -> AssignStep:
        draft = await self.uow.assign_drafts.get(me.person_id)
        if draft is None:
            raise DraftStale()
        definition = ASSIGN_WIZARD.step(draft.step)
        following = ASSIGN_WIZARD.following(draft.step)
        if definition.typed is None or following is None:
            raise InvalidInput(f"plan-assign-expect-{draft.step}")
        data = dict(draft.data)
        policy = await self.reminders.policy_for(int(data["season_id"]))
        data.update(definition.typed(trim(text), AssignFacts(policy, self.clock.now())))
        return await self._advance(me, following.code, data)

    async def assign_skip(self, me: Identity) -> AssignStep:
        draft = await self.uow.assign_drafts.get(me.person_id)
        if draft is None or draft.step not in OPTIONAL_ASSIGN_STEPS:
            raise DraftStale()
        data = dict(draft.data)
        data.pop(draft.step, None)  # a skipped field is not in the draft (the task has none)
        following = ASSIGN_WIZARD.following(draft.step)
        assert following is not None  # the last step, confirm, is not optional
        return await self._advance(me, following.code, data)

    async def assign_back(self, me: Identity) -> AssignStep:
        draft = await self.uow.assign_drafts.get(me.person_id)
        if draft is None:
            raise DraftStale()
        back = ASSIGN_WIZARD.previous(draft.step)
        return await self._advance(
            me, back.code if back is not None else "target", dict(draft.data)
        )

    async def assign_cancel(self, me: Identity) -> None:
        await self.uow.assign_drafts.drop(me.person_id)
        await self.uow.commit()

    async def assign_confirm(self, me: Identity) -> tuple[int, str, str]:
        """Create the task(s) from the draft. A second tap finds no draft and creates nothing."""
        data = await self._draft(me, "confirm")
        target = {"team_id" if data["target"] == "team" else "student_id": int(data["target_id"])}
        await self.uow.assign_drafts.drop(me.person_id)
        tasks = await self.assign(
            me,
            kind=TaskKind(data["kind"]),
            title=str(data["title"]),
            due_at=datetime.fromisoformat(data["due_at"]),
            link=data.get("link"),
            description=data.get("desc"),
            **target,
        )
        return len(tasks), str(data["label"]), str(data["title"])

    async def _assignable_teams(self, me: Identity) -> list[Team]:
        if me.has(Role.OFFICE):
            season = await self.uow.seasons.current()
            return await self.uow.teams.in_season(season.id, MAX_TARGET_TEAMS) if season else []
        ids = [
            m.team_id
            for m in await self.uow.teams.memberships_of(me.person_id)
            if m.role is TeamRole.TUTOR
        ]
        teams = await self.uow.teams.by_ids(ids)
        return [teams[i] for i in ids if i in teams]

    async def _targets(self, me: Identity, teams: list[Team]) -> list[AssignTarget]:
        targets: list[AssignTarget] = []
        for team in teams:
            targets.append(AssignTarget("team", team.id, team.name))
            for _, person in await self.uow.teams.members(team.id, TeamRole.STUDENT):
                targets.append(
                    AssignTarget(
                        "student", person.id, display_name(person, self.texts, me.language)
                    )
                )
        return targets

    async def _draft(self, me: Identity, *steps: str) -> dict[str, Any]:
        draft = await self.uow.assign_drafts.get(me.person_id)
        if draft is None or draft.step not in steps:
            raise DraftStale()
        return dict(draft.data)

    async def _advance(self, me: Identity, step: str, data: dict[str, Any]) -> AssignStep:
        await self.uow.assign_drafts.save(me.person_id, step, data, self.clock.now())
        await self.uow.commit()
        return await self.assign_current(me)

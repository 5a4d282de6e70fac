"""The /assign dialogue of a team's tutor or the office: target, kind, title, due date, link,
description, confirmation. Every answer is saved in the person's draft (`assign_drafts`); the
messenger's state is only a cursor. A pick or a confirmation the draft is not waiting for is
refused as stale (`DraftStale`), so an old button creates nothing.

Self-contained on purpose: the steps, their validation and the draft handling live here, and
the dialogue builds on creation alone (`assign` and the rights it checks), so it can move onto
a generic wizard engine without touching the rest of the ИУП.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.domain import Role, TaskKind, TeamRole
from services.due_dates import parse_due
from services.errors import Conflict, InvalidInput, NotAllowed
from services.people import Identity, display_name
from services.plans.creation import TaskCreation
from services.text_fit import trim, visible_length
from storage.models import Team

ASSIGN_STEPS = ("target", "kind", "title", "due", "link", "desc", "confirm")
MAX_TARGET_TEAMS = 20
TITLE_LIMIT = 200
LINK_LIMIT = 500
DESCRIPTION_LIMIT = 2000
_URL = re.compile(r"^https?://\S+\.\S+$", re.IGNORECASE)


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
        data, text = dict(draft.data), trim(text)
        if draft.step == "title":
            if visible_length(text) < 3:
                raise InvalidInput("plan-title-short")
            if len(text) > TITLE_LIMIT:
                raise InvalidInput("plan-title-long")
            data["title"] = text
        elif draft.step == "due":
            policy = await self.reminders.policy_for(int(data["season_id"]))
            data["due_at"] = parse_due(text, policy, self.clock.now()).isoformat()
            data["due"] = policy.format(datetime.fromisoformat(data["due_at"]))
        elif draft.step == "link":
            if len(text) > LINK_LIMIT or not _URL.match(text):
                raise InvalidInput("plan-link-invalid")
            data["link"] = text
        elif draft.step == "desc":
            if not visible_length(text):
                raise InvalidInput("plan-desc-empty")
            if len(text) > DESCRIPTION_LIMIT:
                raise InvalidInput("plan-desc-long")
            data["desc"] = text
        else:
            raise InvalidInput(f"plan-assign-expect-{draft.step}")
        return await self._advance(me, ASSIGN_STEPS[ASSIGN_STEPS.index(draft.step) + 1], data)

    async def assign_skip(self, me: Identity) -> AssignStep:
        draft = await self.uow.assign_drafts.get(me.person_id)
        if draft is None or draft.step not in ("link", "desc"):
            raise DraftStale()
        data = dict(draft.data)
        data.pop(draft.step, None)
        return await self._advance(me, ASSIGN_STEPS[ASSIGN_STEPS.index(draft.step) + 1], data)

    async def assign_back(self, me: Identity) -> AssignStep:
        draft = await self.uow.assign_drafts.get(me.person_id)
        if draft is None:
            raise DraftStale()
        index = ASSIGN_STEPS.index(draft.step)
        step = ASSIGN_STEPS[max(index - 1, 0)]
        return await self._advance(me, step, dict(draft.data))

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

"""Giving a task: a team's tutor or the office assigns it to one student or to every student of
a team, in one transaction; each student is told and their reminders are planned."""

from __future__ import annotations

from datetime import datetime

from services.domain import Role, TaskKind, TaskStatus, TeamRole
from services.errors import DomainError, InvalidInput, NotAllowed, NotFound
from services.people import Identity
from services.plans.base import PlanBase
from storage.models import PlanTask, Team


class TaskCreation(PlanBase):
    """`assign` and the rights it checks: whose tasks the actor may give."""

    async def assign(
        self,
        me: Identity,
        *,
        kind: TaskKind,
        title: str,
        due_at: datetime | None,
        team_id: int | None = None,
        student_id: int | None = None,
        link: str | None = None,
        description: str | None = None,
    ) -> list[PlanTask]:
        """Give a task to one student or to every student of a team; one transaction."""
        targets = await self._students_to_assign(me, team_id, student_id)
        now = self.clock.now()
        if due_at is not None and due_at <= now:
            raise InvalidInput("plan-due-past")
        tasks = []
        for sid, team in targets:
            task = await self.uow.tasks.add(
                PlanTask(
                    season_id=team.season_id,
                    student_id=sid,
                    team_id=team.id,
                    kind=kind,
                    title=title,
                    description=description,
                    link=link,
                    due_at=due_at,
                    status=TaskStatus.ASSIGNED,
                    assigned_by=me.person_id,
                    created_at=now,
                    updated_at=now,
                )
            )
            await self.reminders.plan_for(task)
            await self.uow.audit.record(
                now, me.person_id, "plan.assign", "plan_task", task.id, student_id=sid
            )
            policy = await self.reminders.policy_for(task.season_id)
            await self._notify_student(
                task,
                "plan-assigned-notice",
                buttons=True,
                due=policy.format(due_at) if due_at else "—",
            )
            tasks.append(task)
        await self.uow.commit()
        return tasks

    async def _students_to_assign(
        self, me: Identity, team_id: int | None, student_id: int | None
    ) -> list[tuple[int, Team]]:
        """Exactly one of a team (all its students) or a student, each with the team the task
        is given in; refused unless the actor may assign there."""
        if (team_id is None) == (student_id is None):
            raise InvalidInput()
        if team_id is not None:
            team = await self._assignable_team(me, team_id)
            students = [p.id for _, p in await self.uow.teams.members(team.id, TeamRole.STUDENT)]
            if not students:
                raise DomainError("plan-team-empty")
            return [(s, team) for s in students]
        assert student_id is not None
        return [(student_id, await self._team_of_student(me, student_id))]

    async def _assignable_team(self, me: Identity, team_id: int) -> Team:
        team = await self.uow.teams.get(team_id)
        if team is None:
            raise NotFound()
        if me.has(Role.OFFICE) or await self.uow.teams.role_in(team_id, me.person_id) is (
            TeamRole.TUTOR
        ):
            return team
        raise NotAllowed()

    async def _team_of_student(self, me: Identity, student_id: int) -> Team:
        for membership in await self.uow.teams.memberships_of(student_id):
            if membership.role is not TeamRole.STUDENT:
                continue
            try:
                return await self._assignable_team(me, membership.team_id)
            except NotAllowed:
                continue
        raise NotAllowed()

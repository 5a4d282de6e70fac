"""Reading the ИУП: /plan (a student's own plan, or the tasks of the teams a tutor, mentor or
the office looks after) and one task's card."""

from __future__ import annotations

from services.domain import Role, TeamRole
from services.people import Identity
from services.plans.base import PlanBase
from services.plans.views import PlanView, TaskView, group_by_status


class PlanReading(PlanBase):
    """The plan and the card of a task."""

    async def plan_of(self, me: Identity) -> PlanView:
        """A student's own plan; for tutors, mentors and the office, their teams' tasks."""
        memberships = await self.uow.teams.memberships_of(me.person_id)
        staff_teams = [m.team_id for m in memberships if m.role is not TeamRole.STUDENT]
        own = await self.uow.tasks.of_student(me.person_id)
        if own or not (staff_teams or me.has(Role.OFFICE)):
            student = await self.uow.people.get(me.person_id)
            assert student is not None
            booked = await self.uow.bookings.booked_tasks(t.id for t in own)
            views = [await self._view(t, me, student=student, booked=booked) for t in own]
            return PlanView(False, group_by_status(views))
        if me.has(Role.OFFICE) and not staff_teams:
            season = await self.uow.seasons.current()
            teams = await self.uow.teams.in_season(season.id) if season else []
            staff_teams = [team.id for team in teams]
        rows = await self.uow.tasks.of_teams(staff_teams)
        booked = await self.uow.bookings.booked_tasks(t.id for t, _ in rows)
        views = [await self._view(t, me, student=p, booked=booked) for t, p in rows]
        return PlanView(True, group_by_status(views))

    async def task(self, me: Identity, task_id: int) -> TaskView:
        task = await self._task(task_id)
        await self._access(me, task)
        return await self._view(task, me)

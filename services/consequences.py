"""Every consequence one feature's action has in another, declared in one place.

    application submitted   → selection: its reviewers are told
    results published       → teams: a team formed per idea with a mentor;
                              survey: the start survey to everyone accepted
    booking confirmed       → ИУП: a mandatory task for the student (its id kept by the booking)
    booking cancelled       → ИУП: that task removed
    attendance marked       → ИУП: that task done, if the student attended
    person forgotten        → teams: their memberships end, the team told without a name

One way only: the features call the `Consequences` port (services/events.py) and never import
each other; this module alone imports them. Each consequence is one call into the feature that
owns it, in the caller's transaction; nothing here commits.
"""

from __future__ import annotations

from collections.abc import Callable

from services.events import (
    ApplicationSubmitted,
    AttendanceMarked,
    BookingCancelled,
    BookingConfirmed,
    PersonForgotten,
    ResultsPublished,
)
from services.plans import PlanService
from services.selection import SelectionService
from services.survey import SurveyService
from services.teams import TeamService


class FeatureConsequences:
    """The `Consequences` of services/events.py. The features are reached through providers
    (services/container.py's properties), so a feature is only built when a consequence needs
    it and the services that call this one can be built first."""

    def __init__(
        self,
        selection: Callable[[], SelectionService],
        teams: Callable[[], TeamService],
        plans: Callable[[], PlanService],
        survey: Callable[[], SurveyService],
    ) -> None:
        self._selection = selection
        self._teams = teams
        self._plans = plans
        self._survey = survey

    async def application_submitted(self, event: ApplicationSubmitted) -> None:
        await self._selection().notify_reviewers(event)

    async def results_published(self, event: ResultsPublished) -> None:
        for team in event.teams:
            await self._teams().form_team(
                team.name,
                season_id=event.season_id,
                source_key=team.source_key,
                mentor_id=team.mentor_id,
                tutor_ids=list(team.tutor_ids),
                student_ids=list(team.student_ids),
                actor_id=event.actor_id,
                commit=False,
            )
        await self._survey().invite_accepted(event.season_id, event.accepted)

    async def booking_confirmed(self, event: BookingConfirmed) -> int:
        task = await self._plans().add_programme_task(
            season_id=event.season_id,
            student_id=event.student_id,
            kind=event.kind,
            title=event.title,
            due_at=event.starts_at,
            description=event.description,
            actor_id=event.actor_id,
            source=event.source,
        )
        return task.id

    async def booking_cancelled(self, event: BookingCancelled) -> None:
        await self._plans().remove_programme_task(event.task_id, event.actor_id, event.source)

    async def attendance_marked(self, event: AttendanceMarked) -> None:
        if event.attended:
            await self._plans().complete_programme_task(event.task_id, event.actor_id, event.source)

    async def person_forgotten(self, event: PersonForgotten) -> None:
        await self._teams().forget_member(event.person_id)

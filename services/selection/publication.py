"""Publishing the results once per season: every applicant told (a minor at the end of the
season's quiet hours when the office publishes late, an adult at once), the teams formed, the
accepted invited to the start survey."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from services.domain import ApplicationStatus, Decision, Role
from services.events import AcceptedTeam, ResultsPublished
from services.people import Identity
from services.reminders.base import season_minors, season_policy
from services.selection.base import LoadedSeason, SelectionBase, subject_of
from storage.models import Application, Person
from storage.repositories.selection import ACTIVE

logger = logging.getLogger(__name__)

# Idea id -> (student ids, tutor ids) accepted to it: the teams publication forms.
Teams = dict[int, tuple[list[int], list[int]]]


@dataclass(frozen=True)
class PublishPreview:
    accepted: int
    waitlisted: int
    rejected: int
    undecided: int
    published: bool


@dataclass(frozen=True)
class PublishOutcome:
    first_time: bool
    sent: int
    teams: int
    without_mentor: tuple[str, ...]
    waiting: int = 0  # of those sent, minors' held until the end of quiet hours


class Publication(SelectionBase):
    async def publish_preview(self, me: Identity) -> PublishPreview:
        self._office(me)
        season = await self._current()
        found, _, _, decisions = await self._state(season)
        counts = {d: 0 for d in Decision}
        for d in decisions.values():
            counts[d.decision] += 1
        return PublishPreview(
            counts[Decision.ACCEPTED],
            counts[Decision.WAITLISTED],
            counts[Decision.REJECTED],
            sum(1 for a, _ in found if a.id not in decisions),
            await self._published(season),
        )

    async def publish(self, me: Identity) -> PublishOutcome:
        """Send every applicant their one result and form the teams, once per season.

        Applicants still undecided are put on the waiting list. A second press finds the
        publication claimed and sends nothing; each result also carries a dedupe key. The
        buttons come off every card and notice still open."""
        self._office(me)
        season = await self._current()
        now = self.clock.now()
        if not await self.uow.selection.claim_publication(season.season.id, me.person_id, now):
            return PublishOutcome(False, 0, 0, ())
        found = await self._waitlist_undecided(me, season, now)
        sent, waiting, teams = await self._send_results(season, found, now)
        accepted = tuple(p for students, tutors in teams.values() for p in (*students, *tutors))
        formed, without_mentor = await self._form_teams(me, season, teams, accepted)
        await self.uow.audit.record(
            now, me.person_id, "selection.publish", "season", season.season.id,
            sent=sent, teams=formed,
        )  # fmt: skip
        await self.uow.commit()
        logger.info("season %s results published: %s sent", season.season.id, sent)
        return PublishOutcome(True, sent, formed, tuple(without_mentor), waiting)

    async def _waitlist_undecided(
        self, me: Identity, season: LoadedSeason, now: datetime
    ) -> list[tuple[Application, Person]]:
        """The applications still in the running, each now decided (the undecided waitlisted),
        with every button about them taken off."""
        found, _, _, decisions = await self._state(season)
        found = [(a, p) for a, p in found if a.status in ACTIVE]
        for application, _ in found:
            if application.id not in decisions:
                await self.uow.selection.decide(
                    application.id, Decision.WAITLISTED, None, me.person_id, now
                )
                await self.uow.audit.record(
                    now, me.person_id, "selection.decide", "application", application.id,
                    decision=Decision.WAITLISTED.value, at_publication=True,
                )  # fmt: skip
            # Decided now, or earlier with the office's undo still on its card: no button
            # about it does anything any more.
            await self.notifier.retract(subject_of(application.id), delete=False)
        return found

    async def _send_results(
        self, season: LoadedSeason, found: list[tuple[Application, Person]], now: datetime
    ) -> tuple[int, int, Teams]:
        """Tell every applicant their result and move the application to it; returns how many
        were sent, how many of them wait for the end of quiet hours (minors') and who joins
        which idea's team."""
        decisions = await self.uow.selection.decisions(a.id for a, _ in found)
        mentor_people = {
            pid: await self.uow.people.get(pid) for pid in set(season.mentors.values())
        }
        teams: Teams = defaultdict(lambda: ([], []))
        minors = await season_minors(self.uow, season.season.id)
        morning = (await season_policy(self.uow, season.season.id)).outside_quiet_hours(now)
        sent = waiting = 0
        for application, person in found:
            decision = decisions[application.id]
            language = person.language
            if decision.decision is Decision.ACCEPTED and decision.idea_id in season.ideas:
                idea = season.ideas[decision.idea_id]
                mentor = mentor_people.get(season.mentors.get(idea.id, -1))
                mentor_name = (mentor.full_name if mentor else None) or idea.mentor_label or "—"
                text = self.texts.get(
                    "sel-result-accepted", language,
                    season=season.season.name, idea=idea.title, mentor=mentor_name,
                )  # fmt: skip
                students, tutors = teams[idea.id]
                (tutors if application.role is Role.TUTOR else students).append(person.id)
                result = ApplicationStatus.ACCEPTED
            elif decision.decision is Decision.ACCEPTED or decision.decision is Decision.WAITLISTED:
                text = self.texts.get("sel-result-waitlisted", language, season=season.season.name)
                result = ApplicationStatus.WAITLISTED
            else:
                text = self.texts.get("sel-result-rejected", language, season=season.season.name)
                result = ApplicationStatus.NOT_SELECTED
            # `/status` shows the result from now on.
            await self.uow.applications.transition(application.id, ACTIVE, result, now)
            at = morning if person.id in minors else now
            if await self.notifier.send_text(
                person, text, person_id=person.id, dedupe_key=f"result:{application.id}",
                not_before=at,
            ):  # fmt: skip
                sent += 1
                waiting += at > now
        return sent, waiting, teams

    async def _form_teams(
        self, me: Identity, season: LoadedSeason, teams: Teams, accepted: tuple[int, ...]
    ) -> tuple[int, list[str]]:
        """Form a team per idea with accepted applicants and invite all of them to the start
        survey (consequences: the teams and survey features do it); an idea without a mentor
        gets no team and is named back to the office."""
        formed: list[AcceptedTeam] = []
        without_mentor: list[str] = []
        for idea_id, (students, tutors) in teams.items():
            idea = season.ideas[idea_id]
            mentor_id = season.mentors.get(idea_id)
            if mentor_id is None:
                without_mentor.append(idea.title)
                continue
            formed.append(
                AcceptedTeam(
                    idea.title[:200],
                    source_key=f"idea:{idea_id}",
                    mentor_id=mentor_id,
                    tutor_ids=tuple(tutors),
                    student_ids=tuple(students),
                )
            )
        await self.consequences.results_published(
            ResultsPublished(season.season.id, me.person_id, tuple(formed), accepted)
        )
        return len(formed), without_mentor

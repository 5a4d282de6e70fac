"""Notices on submit (a consequence of ApplicationService.submit, in its transaction)."""

from __future__ import annotations

from collections import defaultdict

from services.actions import ReviewAction, ReviewVerb
from services.domain import Role
from services.events import ApplicationSubmitted
from services.notify import Button
from services.selection.base import SelectionBase, subject_of
from storage.models import Person, ProjectIdea


class Notices(SelectionBase):
    async def notify_reviewers(self, submitted: ApplicationSubmitted) -> int:
        """Tell the application's reviewers it arrived; the notice's button opens its card. A
        mentor reads which of their ideas it ranked; the office, which reviews tutors, reads
        that it is a tutor's application."""
        reviewer_ideas, office = await self._reviewers_of(submitted)
        ideas = {
            i.id: i.title
            for i in await self.uow.season_config.all_of(ProjectIdea, submitted.season_id)
        }
        people = {p.id: p for p in office}
        number, texts = submitted.number, self.texts
        sent = 0
        for person_id, idea_ids in reviewer_ideas.items():
            found = people.get(person_id) or await self.uow.people.get(person_id)
            if found is None or person_id == submitted.applicant_id:
                continue
            person = found
            language = person.language
            mine = [f"«{ideas[i]}»" for i in idea_ids if i in ideas]
            if mine:
                role = submitted.role.value if submitted.role else "none"
                text = texts.get(
                    "sel-notice",
                    language,
                    number=number,
                    role=texts.get(f"sel-role-{role}", language),
                    ideas=", ".join(mine),
                )
            else:  # the office, for a tutor's application
                text = texts.get("sel-notice-tutor", language, number=number)
            button = Button.doing(
                texts.get("sel-btn-open", language),
                ReviewAction(verb=ReviewVerb.OPEN_CARD, application=submitted.application_id),
            )
            if await self.notifier.send_text(
                person,
                text,
                buttons=[[button]],
                person_id=person.id,
                dedupe_key=f"review-notice:{submitted.application_id}:{person.id}",
                subject=subject_of(submitted.application_id),
            ):
                sent += 1
        return sent

    async def _reviewers_of(
        self, submitted: ApplicationSubmitted
    ) -> tuple[dict[int, list[int]], list[Person]]:
        """Each reviewer with the ideas of theirs the application ranked (none for the office,
        which reviews a tutor's application), and the office's people when it does."""
        mentors = await self.uow.selection.idea_mentors(submitted.season_id)
        ranked = (await self.uow.selection.ranked([submitted.application_id]))[
            submitted.application_id
        ]
        reviewer_ideas: dict[int, list[int]] = defaultdict(list)
        for idea_id in ranked:
            if idea_id in mentors:
                reviewer_ideas[mentors[idea_id]].append(idea_id)
        office: list[Person] = []
        if submitted.role is Role.TUTOR:
            office = await self.uow.selection.office_people()
            for person in office:
                reviewer_ideas.setdefault(person.id, [])
        return reviewer_ideas, office

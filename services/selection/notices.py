"""Notices on submit (called inside ApplicationService.submit's transaction)."""

from __future__ import annotations

from collections import defaultdict

from services.actions import ReviewAction, ReviewVerb
from services.domain import Role
from services.i18n import Texts
from services.notify import Button, Notifier
from services.selection.base import subject_of
from storage.models import Application, Person, ProjectIdea
from storage.uow import UnitOfWork


async def notify_reviewers(
    uow: UnitOfWork, notifier: Notifier, texts: Texts, application: Application, number: str
) -> int:
    """Tell the application's reviewers it arrived; the notice's button opens its card. A mentor
    reads which of their ideas it ranked; the office, which reviews tutors, reads that it is a
    tutor's application."""
    mentors = await uow.selection.idea_mentors(application.season_id)
    ranked = (await uow.selection.ranked([application.id]))[application.id]
    reviewer_ideas: dict[int, list[int]] = defaultdict(list)
    for idea_id in ranked:
        if idea_id in mentors:
            reviewer_ideas[mentors[idea_id]].append(idea_id)
    office: list[Person] = []
    if application.role is Role.TUTOR:
        office = await uow.selection.office_people()
        for person in office:
            reviewer_ideas.setdefault(person.id, [])
    ideas = {
        i.id: i.title for i in await uow.season_config.all_of(ProjectIdea, application.season_id)
    }
    people = {p.id: p for p in office}
    sent = 0
    for person_id, idea_ids in reviewer_ideas.items():
        found = people.get(person_id) or await uow.people.get(person_id)
        if found is None or person_id == application.person_id:
            continue
        person = found
        language = person.language
        mine = [f"«{ideas[i]}»" for i in idea_ids if i in ideas]
        if mine:
            text = texts.get(
                "sel-notice",
                language,
                number=number,
                role=texts.get(
                    f"sel-role-{application.role.value if application.role else 'none'}", language
                ),
                ideas=", ".join(mine),
            )
        else:  # the office, for a tutor's application
            text = texts.get("sel-notice-tutor", language, number=number)
        button = Button.doing(
            texts.get("sel-btn-open", language),
            ReviewAction(verb=ReviewVerb.OPEN_CARD, application=application.id),
        )
        if await notifier.send_text(
            person,
            text,
            buttons=[[button]],
            person_id=person.id,
            dedupe_key=f"review-notice:{application.id}:{person.id}",
            subject=subject_of(application.id),
        ):
            sent += 1
    return sent

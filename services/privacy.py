"""Erasure: what withdrawing consent removes of a person's data, and what it keeps and why.

Called inside the consent-withdrawal use case (`ApplicationService.withdraw_consent`), in its one
transaction: everything below happens, or nothing does.

Erased (each table through its repository):
- the questionnaire: answers, the self-presentation (file_id and text), idea choices;
- the name and username on the person's row;
- reviewers' scores, comments and recommendations on their applications;
- their individual plan (tasks with evidence, descriptions and return comments) and every
  reminder addressed to them; drafts they were writing (/assign, /slots);
- the text and file of roadmap reports they submitted; their team invite links and their
  consent to show their username; the labels of invitations they used;
- the details of audit entries by them or about their objects; the one-time codes they asked
  for to link their messengers;
- the photos of their parent's signed paper consent forms (`paper_consents`, any status);
- their certificates (a code then verifies as not found) and talent-reserve nominations;
- the access audit's rows about them (who on the staff opened their card, media or an export):
  the record exists to tell them who saw their data, and kept it would keep that they applied
  and were reviewed. Rows where they were the staff member are other people's records and stay;
- the content of every message to them (in any of their chats, on any messenger) or about them:
  messages about them that reached staff
  are deleted from those chats (or, too old for Telegram to delete, replaced by a notice), those
  not sent yet are never sent, and every such outbox row keeps only the fact of delivery.

Kept, as proof of what was agreed and to recognise the person: the consent records (who gave
consent — the applicant, or a representative with name and relation — for whom, when, which
text version, when withdrawn), the messenger accounts (Telegram and MAX ids; `people.tg_id`)
and interface language, the application's number,
status and times without content, and the facts of delivery (chat, kind, status, times).

What the bot sent about a person carries a subject naming the object it is about:
`application:<id>`, `task:<id>`, `booking:<id>`, `stage:<id>`; erasure retracts every one of the
person's objects. The conversation state (FSM) is the messenger's: the handler clears it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.domain import Address
from services.i18n import Texts
from services.notify import Notifier
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Erasure:
    """What was erased, in counts (for the audit log: no personal data)."""

    applications: int
    retracted: int
    messages: int
    tasks: int


def application_subject(application_id: int) -> str:
    """The subject of everything sent to staff about an application."""
    return f"application:{application_id}"


async def erase_person(
    uow: UnitOfWork, notifier: Notifier, texts: Texts, person_id: int, now: datetime
) -> Erasure:
    """Erase the person's data everywhere it can be (see the module's docstring). Does not
    commit: the caller's use case does, once."""
    applications = [a.id for a in await uow.applications.all_of_person(person_id)]
    tasks = await uow.tasks.ids_of_student(person_id)
    bookings = await uow.bookings.ids_of_student(person_id)
    stages = await uow.stages.erase_reports_by(person_id)
    subjects = [
        *(application_subject(i) for i in applications),
        *(f"task:{i}" for i in tasks),
        *(f"booking:{i}" for i in bookings),
        *(f"stage:{i}" for i in stages),
    ]
    # Retract before scrubbing: a retraction is queued per message that was sent (by its chat
    # and message id), so the staff's chats lose the messages while the rows lose the content.
    placeholder = texts.get("privacy-erased-placeholder")
    retracted = 0
    for subject in subjects:
        retracted += await notifier.retract(subject, delete=True, placeholder=placeholder)
    chats = [Address(a.messenger, a.chat_id) for a in await uow.accounts.accounts_of(person_id)]
    messages = await uow.outbox.erase_content(person_id, chats, subjects)

    for application_id in applications:
        await uow.applications.erase_personal_data(application_id)
    await uow.selection.erase_reviews(applications)
    await uow.applications.erase_consent_details(person_id)
    await uow.people.set_profile(person_id, None, None, now)
    await uow.tasks.erase_of_student(person_id)
    await uow.reminders.erase_for_person(person_id)
    await uow.assign_drafts.drop(person_id)
    await uow.slot_drafts.drop(person_id)
    await uow.teams.erase_member_contact(person_id)
    await uow.invitations.erase_labels_used_by(person_id)
    await uow.accounts.drop_link_codes(person_id)
    await uow.access_audit.erase_about(person_id)
    await uow.parent_links.drop_unused_of_person(person_id)
    await uow.paper_consents.erase_of_person(person_id)
    await uow.survey.erase_of_person(person_id)
    await uow.certificates.erase_of_person(person_id)
    await uow.reserve.erase_of_person(person_id)
    await uow.season_events.erase_of_person(person_id)
    await uow.defence.erase_comments_of(person_id)
    await uow.audit.erase_details(
        person_id,
        {
            "person": [person_id],
            "application": applications,
            "plan_task": tasks,
            "booking": bookings,
        },
    )
    return Erasure(len(applications), retracted, messages, len(tasks))

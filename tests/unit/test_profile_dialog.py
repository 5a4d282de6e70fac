"""/profile through the messenger with no aiogram (tests/recording_messenger.py): the student's
own profile and its PDF sent as a document through the outbox; the mentor opening a student's
profile from the roster; a student refused another's profile."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import select

from dialogs import profile, team
from services.clock import FixedClock
from services.file_payload import file_bytes
from services.i18n import Texts
from storage.models import OutgoingMessage
from storage.uow import UnitOfWorkFactory
from tests.bookings_world import NOW
from tests.plans_world import MENTOR, STUDENT, STUDENT2
from tests.profile_world import NAME, ORGANISATION, STAGE, TASKS_DONE, build_profile_world
from tests.recording_messenger import RecordingMessenger

t = Texts().for_language("ru")


async def test_the_student_sees_their_profile_and_gets_the_pdf(
    uow_factory: UnitOfWorkFactory,
) -> None:
    clock = FixedClock(NOW)
    await build_profile_world(uow_factory, clock)
    m = RecordingMessenger([profile.DIALOG], uow_factory, clock)
    await m.command(STUDENT, "profile")
    screen = m.chat(STUDENT).last
    assert screen.text.startswith(t("profile-title", name=NAME))
    assert STAGE in screen.text and TASKS_DONE[0] in screen.text and ORGANISATION in screen.text

    await m.press(STUDENT, t("profile-btn-pdf"))
    assert m.chat(STUDENT).notices[-1] == (t("profile-pdf-queued"), False)
    async with uow_factory() as uow:
        [row] = await uow.session.scalars(
            select(OutgoingMessage).where(OutgoingMessage.kind == "file")
        )
    reader = PdfReader(io.BytesIO(file_bytes(row.payload)))
    assert NAME in reader.pages[0].extract_text()
    assert await m.deliver() == 1
    assert m.chat(STUDENT).last.text == t("profile-pdf-caption", name=NAME)


async def test_the_mentor_opens_a_students_profile_from_the_roster(
    uow_factory: UnitOfWorkFactory,
) -> None:
    clock = FixedClock(NOW)
    await build_profile_world(uow_factory, clock)
    m = RecordingMessenger([team.DIALOG, profile.DIALOG], uow_factory, clock)
    await m.command(MENTOR, "team")
    await m.press(MENTOR, t("profile-btn-members"))
    assert m.chat(MENTOR).last.text == t("profile-members-title")
    await m.press(MENTOR, NAME)
    assert m.chat(MENTOR).last.text.startswith(t("profile-title", name=NAME))

    await m.command(STUDENT2, "team")  # a student's roster has no such button
    labels = [button.text for row in m.chat(STUDENT2).last.rows for button in row]
    assert t("profile-btn-members") not in labels
    student = await m_person(uow_factory, STUDENT)
    await m.command(STUDENT2, "profile", str(student))
    assert m.chat(STUDENT2).last.text == t("error-not-allowed")
    await m.command(STUDENT2, "profile", "Анна")
    assert m.chat(STUDENT2).last.text == t("profile-usage")


async def m_person(uow_factory: UnitOfWorkFactory, tg_id: int) -> int:
    async with uow_factory() as uow:
        person = await uow.people.by_tg_id(tg_id)
        assert person is not None
        return person.id

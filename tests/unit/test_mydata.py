"""The person's rights: the access audit (a mentor opening a card leaves rows; the office exports
them as CSV) and /mydata (a JSON and an HTML file with every value the person entered, the
reviewers' scores and comments, their tasks and bookings, and who opened their card), driven
through the recording messenger; and the schema check: a table referring to people without a
/mydata section fails."""

from __future__ import annotations

import csv
import html
import io
import json
from datetime import timedelta
from typing import Any

from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table, select

from dialogs import apply, mydata, parent, start
from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.domain import AccessKind, BookingStatus, SlotKind, TaskKind, TaskStatus
from services.file_payload import file_bytes, file_content
from services.i18n import Texts
from services.mydata import SECTIONS, missing_sections
from services.notify import OutboxNotifier
from storage.models import (
    Answer,
    ApplicationScore,
    Base,
    Booking,
    OutgoingMessage,
    PlanTask,
    ReviewNote,
    SelectionCriterion,
    Site,
    Slot,
)
from storage.repositories.access_audit import referring_tables
from storage.uow import UnitOfWorkFactory
from tests.applicants import ABOUT, EXPERIENCE, WHY
from tests.recording_messenger import RecordingMessenger
from tests.selection_world import MENTOR_A, OFFICE, World, build_world, identity
from tests.unit.test_recording_messenger import (
    ME,
    _about_and_ideas,
    _personal_steps,
    _through_consent,
)

t = Texts().for_language("ru")
COMMENT = "Сильная мотивация <b>и</b> опыт"
TASK_TITLE = "Подготовить доклад о торфяниках"
SITE = "АО «Томский завод»"
MESSAGE = "Напоминание: доклад в пятницу"
# Typed in the flow, stored as typed: each must be in the copy.
TYPED = (
    "Иванова Елена Сергеевна", "Иванов Пётр Алексеевич", "МАОУ СОШ № 32 г. Томска",
    "petr.ivanov", ABOUT, ABOUT + " Ещё я веду блог о науке.", WHY, EXPERIENCE,
)  # fmt: skip


async def _applied(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> tuple[World, int]:
    world = await build_world(uow_factory, clock)
    m = RecordingMessenger([start.DIALOG, apply.DIALOG, parent.DIALOG], uow_factory, clock)
    await _through_consent(m)
    await _personal_steps(m)
    await _about_and_ideas(m)
    await m.press(ME, t("apply-btn-submit"))
    async with uow_factory() as uow:
        person = await uow.people.by_tg_id(ME)
        assert person is not None
        (application,) = await uow.applications.all_of_person(person.id)
    return world, application.id


async def _mentor_opens_the_card(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, app: int
) -> None:
    async with uow_factory() as uow:
        mentor = await identity(uow, MENTOR_A)
        await Services(uow, clock, Texts(), ServiceConfig()).selection.open_card(mentor, app)


async def test_a_mentor_opening_a_card_is_audited_and_the_office_exports_it(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    world, app = await _applied(uow_factory, clock)
    async with uow_factory() as uow:  # a self-presentation file, re-sent with the card
        await uow.applications.save_media(app, clock.now(), kind="video", file_id="VID", text=None)
        await uow.commit()
    await _mentor_opens_the_card(uow_factory, clock, app)
    async with uow_factory() as uow:
        student = await uow.people.by_tg_id(ME)
        assert student is not None
        rows = await uow.access_audit.about(student.id)
    assert [(r.staff_id, r.kind, r.application_id) for r in rows] == [
        (world.people[MENTOR_A], AccessKind.CARD, app),
        (world.people[MENTOR_A], AccessKind.MEDIA, app),
    ]
    assert all(r.at == clock.now() for r in rows)

    m = RecordingMessenger([mydata.DIALOG, mydata.AUDIT], uow_factory, clock)
    await m.command(MENTOR_A, "audit")  # not the office: refused
    assert m.chat(MENTOR_A).last.text == t("error-not-allowed")
    await m.command(OFFICE, "audit")
    (file,) = await _files_to(uow_factory, OFFICE)
    assert file["filename"] == "access_audit.csv"
    table = list(csv.reader(io.StringIO(file["content"])))
    assert table[0][:4] == ["id", "at_utc", "staff_id", "kind"]
    assert [row[2:] for row in table[1:]] == [
        [str(world.people[MENTOR_A]), "card", str(student.id), str(app)],
        [str(world.people[MENTOR_A]), "media", str(student.id), str(app)],
    ]


async def _files_to(uow_factory: UnitOfWorkFactory, tg_id: int) -> list[dict[str, Any]]:
    """The files sent to the person, but the QR code of their parent's link."""
    async with uow_factory() as uow:
        rows = await uow.session.scalars(
            select(OutgoingMessage)
            .where(OutgoingMessage.chat_id == tg_id, OutgoingMessage.kind == "file")
            .order_by(OutgoingMessage.id)
        )
        return [row.payload for row in rows if row.payload.get("filename") != "parent-link.png"]


async def _reviewed_tasked_and_booked(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, world: World, app: int
) -> None:
    now = clock.now()
    mentor = world.people[MENTOR_A]
    async with uow_factory() as uow:
        student = await uow.people.by_tg_id(ME)
        assert student is not None
        criterion = await uow.session.scalar(select(SelectionCriterion).limit(1))
        assert criterion is not None
        site = Site(
            season_id=world.season_id, code="mydata", organisation=SITE, address="ул. Ленина",
            direction="Промышленность", created_at=now, updated_at=now,
        )  # fmt: skip
        task = PlanTask(
            season_id=world.season_id, student_id=student.id, kind=TaskKind.OTHER,
            title=TASK_TITLE, status=TaskStatus.ASSIGNED, due_at=now + timedelta(days=3),
            created_at=now, updated_at=now,
        )  # fmt: skip
        uow.session.add_all([
            ApplicationScore(application_id=app, reviewer_id=mentor, criterion_id=criterion.id,
                             score=4, updated_at=now),
            ReviewNote(application_id=app, reviewer_id=mentor, comment=COMMENT, updated_at=now),
            site, task,
        ])  # fmt: skip
        await uow.session.flush()
        slot = Slot(
            site_id=site.id, kind=SlotKind.INTERNSHIP, starts_at=now + timedelta(days=5),
            ends_at=now + timedelta(days=5, hours=4), capacity=2, seats_taken=1,
            directions=[], created_at=now, updated_at=now,
        )  # fmt: skip
        uow.session.add(slot)
        await uow.session.flush()
        uow.session.add(
            Booking(slot_id=slot.id, student_id=student.id, status=BookingStatus.CONFIRMED,
                    created_at=now, updated_at=now, task_id=task.id)
        )  # fmt: skip
        # A message to them that names only their chat (as a command's answer does).
        await OutboxNotifier(uow.outbox, clock).send_text(student, MESSAGE)
        await uow.commit()


async def test_mydata_holds_every_value_entered_scores_comments_tasks_bookings_and_the_audit(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    world, app = await _applied(uow_factory, clock)
    await _reviewed_tasked_and_booked(uow_factory, clock, world, app)
    await _mentor_opens_the_card(uow_factory, clock, app)
    m = RecordingMessenger([mydata.DIALOG], uow_factory, clock)
    await m.command(ME, "mydata")
    assert m.chat(ME).last.text == t("mydata-sent")

    as_json, as_html = await _files_to(uow_factory, ME)
    assert (as_json["filename"], as_html["filename"]) == ("mydata.json", "mydata.html")
    document = json.loads(as_json["content"])
    sections = document["sections"]
    page = as_html["content"]
    async with uow_factory() as uow:
        answers = list(
            await uow.session.scalars(select(Answer).where(Answer.application_id == app))
        )
    stored = {row["step"]: row["value"] for row in sections["application_answers"]}
    assert len(answers) > 15
    for answer in answers:  # field by field, in both files
        assert stored[answer.step] == answer.value, answer.step
        if answer.value:
            assert html.escape(answer.value) in page, answer.step
    for value in TYPED:
        assert value in as_json["content"] and html.escape(value) in page
    assert [s["score"] for s in sections["application_scores"]] == [4]
    assert [n["comment"] for n in sections["review_notes"]] == [COMMENT]
    assert html.escape(COMMENT) in page and COMMENT not in page  # escaped, not markup
    assert [task["title"] for task in sections["plan_tasks"]] == [TASK_TITLE]
    assert [b["status"] for b in sections["bookings"]] == ["confirmed"]
    assert [a["kind"] for a in sections["access_audit"]] == ["card"]  # no file: card only
    assert sections["access_audit"][0]["staff_id"] == world.people[MENTOR_A]
    assert sections["applications"][0]["status"] == "submitted"
    assert any(c["kind"] for c in sections["consents"])
    assert sections["people"][0]["full_name"] == "Иванов Пётр Алексеевич"
    sent = [row["payload"].get("text") for row in sections["outgoing_messages"]]
    assert MESSAGE in sent and t("parent-consent-child-told") in sent
    for title in SECTIONS.values():
        assert html.escape(t(title)) in page

    await m.command(ME, "mydata")  # the first copy is named in the second, not nested
    again = await _files_to(uow_factory, ME)
    second = json.loads(again[2]["content"])["sections"]["outgoing_messages"]
    assert all("content" not in row["payload"] for row in second)


def test_every_table_referring_to_people_has_a_mydata_section() -> None:
    tables = referring_tables()
    assert missing_sections(tables) == set()
    assert set(SECTIONS) - set(tables) == set(), "these tables no longer refer to people"


def test_a_new_table_referring_to_people_without_a_section_fails() -> None:
    metadata = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(metadata)
    Table(
        "hobbies", metadata,
        Column("id", Integer, primary_key=True),
        Column("person_id", ForeignKey("people.id")),
    )  # fmt: skip
    Table(
        "application_notes", metadata,
        Column("id", Integer, primary_key=True),
        Column("application_id", ForeignKey("applications.id")),
    )  # fmt: skip
    assert missing_sections(referring_tables(metadata)) == {"hobbies", "application_notes"}


def test_a_file_in_the_outbox_is_binary_safe_and_keeps_utf8_text_readable() -> None:
    binary = bytes(range(256))
    assert file_bytes(file_content(binary)) == binary
    text = "Пётр <ё> 🙂".encode()
    payload = file_content(text)
    assert payload["content"] == "Пётр <ё> 🙂"
    assert file_bytes(payload) == text

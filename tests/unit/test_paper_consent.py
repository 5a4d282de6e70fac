"""A parent's consent on a signed paper form (services/applications/paper.py,
dialogs/paper_consent.py) through the messenger with no aiogram (tests/recording_messenger.py).

The child's `/parent_paper` (or the waiting screen's button) sends the form as a PDF and waits
for a photo of the signed form: a text or a PDF is refused with the way out, a photo (or a
picture sent as a file) waits for the project office, and a second photo replaces it. Every
office member is told; `/parents_waiting` lists the minors without a parent's consent; opening
a form sends its photo (audited) with «Принять» / «Отклонить». Approval records the
representative's consent naming the form (`parent_consent_in` holds) and tells the child;
refusal tells the child, who can send a new photo. A second press, or a press by a student, is
refused; /forget erases the forms and /mydata lists them.
"""

from __future__ import annotations

from sqlalchemy import select

from dialogs import paper_consent, start
from services.actions import PaperAction, PaperVerb
from services.applications.paper import PAPER_FILENAME
from services.applications.parents import parent_consent_in
from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.domain import AccessKind, ConsentKind, PaperStatus
from services.file_payload import file_bytes
from services.i18n import Texts
from services.questionnaire import Input
from storage.models import AccessRecord, Consent, OutgoingMessage, PaperConsent
from storage.uow import UnitOfWorkFactory
from tests.databases import ON_BOTH_DATABASES
from tests.example_season import import_example
from tests.recording_messenger import RecordingMessenger

t = Texts().for_language("ru")
CHILD, OFFICE, OTHER_OFFICE, STUDENT = 81, 82, 83, 84
CONFIG = ServiceConfig(office_admin_ids=frozenset({OFFICE, OTHER_OFFICE}))
PHOTO = Input("photo", file_id="photo-of-form-1", file_unique_id="u1", mime_type="image/jpeg")


async def _world(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> tuple[RecordingMessenger, int]:
    """The example season, two office members, and a child (under 14) with a draft application."""
    await import_example(uow_factory, clock)
    m = RecordingMessenger([start.DIALOG, paper_consent.DIALOG], uow_factory, clock, CONFIG)
    for office in (OFFICE, OTHER_OFFICE):
        await m.command(office, "start")  # the office role from settings, on first contact
    async with uow_factory() as uow:
        services = Services(uow, clock, Texts(), CONFIG)
        me = await services.people.identify(CHILD, "ru")
        await services.applications.open(me)
        season = await uow.seasons.current()
        assert season is not None
        application = await uow.applications.of_person(me.person_id, season.id)
        assert application is not None
        await uow.applications.save_answer(application.id, "age_group", "child", clock.now())
        await uow.commit()
    return m, application.id


async def _papers(uow_factory: UnitOfWorkFactory) -> list[PaperConsent]:
    async with uow_factory() as uow:
        return list(await uow.session.scalars(select(PaperConsent).order_by(PaperConsent.id)))


async def _representative(uow_factory: UnitOfWorkFactory) -> Consent | None:
    async with uow_factory() as uow:
        return await uow.session.scalar(
            select(Consent).where(Consent.kind == ConsentKind.REPRESENTATIVE)
        )


async def _send_photo(m: RecordingMessenger, given: Input = PHOTO) -> None:
    await m.command(CHILD, "parent_paper")
    await m.send(CHILD, given)


@ON_BOTH_DATABASES  # the repository's statements (UPDATE … RETURNING) on PG
async def test_the_child_sends_a_photo_and_the_office_approves_it(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    m, app = await _world(uow_factory, clock)
    child = m.chat(CHILD)
    await m.command(CHILD, "parent_paper")
    assert child.last.text == t("paper-explain")
    async with uow_factory() as uow:
        [form] = await uow.session.scalars(select(OutgoingMessage).where(
            OutgoingMessage.kind == "file"))  # fmt: skip
    assert form.payload["filename"] == PAPER_FILENAME
    assert file_bytes(form.payload).startswith(b"%PDF")
    await m.deliver()
    assert child.last.text == t("paper-form-caption")

    await m.type(CHILD, "вот бланк")  # not a photo: refused, still waiting for one
    assert child.last.text == t("paper-not-a-photo") and "/cancel" in child.last.text
    await m.send(CHILD, Input("document", file_id="scan.pdf", mime_type="application/pdf"))
    assert child.last.text == t("paper-not-a-photo")
    assert await _papers(uow_factory) == []
    await m.send(CHILD, PHOTO)
    assert child.last.text == t("paper-sent")
    assert m.cursors[CHILD].state is None
    [paper] = await _papers(uow_factory)
    assert (paper.application_id, paper.file_id, paper.status) == (
        app, "photo-of-form-1", PaperStatus.WAITING,
    )  # fmt: skip

    await m.deliver()  # every office member is told, with a button to open the form
    for office in (OFFICE, OTHER_OFFICE):
        assert m.chat(office).last.text == t("paper-office-notice", number=f"#{app}")
    await m.command(OFFICE, "parents_waiting")
    listing = m.chat(OFFICE).last
    assert listing.text.startswith(t("parents-waiting-title", count=1))
    assert f"#{app}" in listing.text and "есть бланк на проверке" in listing.text
    await m.press(OFFICE, f"{t('paper-btn-open')} #{app}")
    await m.deliver()
    office = m.chat(OFFICE)
    assert office.messages[-2].screen.text == t("paper-photo-caption", number=f"#{app}")
    assert office.last.text == t("paper-review", number=f"#{app}", status=t("paper-status-waiting"))
    async with uow_factory() as uow:
        [opened] = await uow.session.scalars(select(AccessRecord))
        [photo] = await uow.session.scalars(select(OutgoingMessage).where(
            OutgoingMessage.kind == "media"))  # fmt: skip
    assert (opened.kind, opened.application_id) == (AccessKind.PAPER, app)
    assert photo.payload["file_id"] == "photo-of-form-1"

    assert not parent_consent_in(await _representative(uow_factory))
    await m.press(OFFICE, t("paper-btn-approve"))
    assert office.last.text == t("paper-approved-office", number=f"#{app}")
    consent = await _representative(uow_factory)
    assert consent is not None and parent_consent_in(consent)
    assert (consent.paper_consent_id, consent.given_at, consent.text_version) == (
        paper.id, clock.now(), "2026.1",
    )  # fmt: skip
    [paper] = await _papers(uow_factory)
    assert paper.status is PaperStatus.APPROVED and paper.decided_at == clock.now()
    await m.deliver()
    assert child.last.text == t("paper-child-approved")

    await m.press_again(OFFICE)  # a double tap decides nothing twice
    assert office.notices[-1] == (t("paper-already-decided"), True)
    await m.press(OTHER_OFFICE, t("paper-btn-open"))  # the other member, late
    await m.deliver()
    assert m.chat(OTHER_OFFICE).last.text == t(
        "paper-review", number=f"#{app}", status=t("paper-status-approved")
    )
    assert m.chat(OTHER_OFFICE).last.rows == []
    await m.command(OFFICE, "parents_waiting")
    assert office.last.text == t("parents-waiting-none")


@ON_BOTH_DATABASES  # the repository's statements (UPDATE … RETURNING) on PG
async def test_a_new_photo_replaces_the_waiting_one_and_a_refusal_lets_the_child_try_again(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    m, app = await _world(uow_factory, clock)
    await m.press_forged(CHILD, PaperAction(verb=PaperVerb.START))  # the waiting screen's button
    assert m.chat(CHILD).last.text == t("paper-explain")
    await m.send(CHILD, PHOTO)
    picture = Input("document", file_id="photo-of-form-2", mime_type="image/png")
    await _send_photo(m, picture)
    assert m.chat(CHILD).last.text == t("paper-replaced")
    [paper] = await _papers(uow_factory)
    assert (paper.file_id, paper.file_kind) == ("photo-of-form-2", "document")

    await m.command(OFFICE, "parents_waiting")
    await m.press(OFFICE, f"{t('paper-btn-open')} #{app}")
    await m.deliver()
    await m.press(OFFICE, t("paper-btn-refuse"))
    assert m.chat(OFFICE).last.text == t("paper-refused-office", number=f"#{app}")
    [paper] = await _papers(uow_factory)
    assert paper.status is PaperStatus.REFUSED
    assert not parent_consent_in(await _representative(uow_factory))
    await m.deliver()
    assert m.chat(CHILD).last.text == t("paper-child-refused")

    await _send_photo(m)  # a new photo after a refusal waits again
    assert m.chat(CHILD).last.text == t("paper-sent")
    assert [p.status for p in await _papers(uow_factory)] == [
        PaperStatus.REFUSED, PaperStatus.WAITING,
    ]  # fmt: skip


async def test_a_student_pressing_the_office_buttons_is_refused(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    m, _ = await _world(uow_factory, clock)
    await _send_photo(m)
    [paper] = await _papers(uow_factory)
    for verb in (PaperVerb.OPEN, PaperVerb.APPROVE, PaperVerb.REFUSE):
        for who in (STUDENT, CHILD):
            await m.press_forged(who, PaperAction(verb=verb, item=paper.id))
            assert m.chat(who).notices[-1] == (t("paper-office-only"), True)
    await m.command(STUDENT, "parents_waiting")
    assert m.chat(STUDENT).last.text == t("paper-office-only")
    [paper] = await _papers(uow_factory)
    assert paper.status is PaperStatus.WAITING
    assert await _representative(uow_factory) is None
    async with uow_factory() as uow:
        assert list(await uow.session.scalars(select(AccessRecord))) == []
        media = await uow.session.scalars(select(OutgoingMessage).where(
            OutgoingMessage.kind == "media"))  # fmt: skip
        assert list(media) == []


@ON_BOTH_DATABASES  # the repository's statements (UPDATE … RETURNING) on PG
async def test_forget_erases_the_forms_and_mydata_lists_them(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    m, app = await _world(uow_factory, clock)
    await _send_photo(m)
    async with uow_factory() as uow:
        services = Services(uow, clock, Texts(), CONFIG)
        me = await services.people.identify(CHILD, "ru")
        copy = await services.mydata.collect(me.person_id)
    [row] = copy.sections["paper_consents"]
    assert (row["file_id"], row["status"], row["application_id"]) == (
        "photo-of-form-1", "waiting", app,
    )  # fmt: skip
    async with uow_factory() as uow:
        services = Services(uow, clock, Texts(), CONFIG)
        me = await services.people.identify(CHILD, "ru")
        await services.applications.forget(me)
    assert await _papers(uow_factory) == []

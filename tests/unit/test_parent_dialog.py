"""The parent's screens through the messenger with no aiogram (tests/recording_messenger.py):
the child's link opened by `/start pc_<code>` from the parent's own account shows for whom and
for what, asks for the parent's own phone by the contact key, their name and relation, and
records the consent with their account; the child is told. The child's own account and a
reused link are refused; `/parent_withdraw` withdraws. The child's `/parent_link` gives the
link, its QR code through the outbox and a button for a new one."""

from __future__ import annotations

from sqlalchemy import select

from dialogs import apply, parent, start
from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.domain import ApplicationStatus, ConsentKind, Messenger
from services.file_payload import file_bytes
from services.i18n import Texts
from storage.models import Application, Consent, OutgoingMessage
from storage.uow import UnitOfWorkFactory
from tests.example_season import import_example
from tests.recording_messenger import RecordingMessenger

t = Texts().for_language("ru")
CHILD, PARENT = 71, 72


async def _link(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> str:
    await import_example(uow_factory, clock)
    async with uow_factory() as uow:
        services = Services(uow, clock, Texts(), ServiceConfig())
        me = await services.people.identify(CHILD, "ru")
        await services.applications.open(me)
    async with uow_factory() as uow:
        services = Services(uow, clock, Texts(), ServiceConfig())
        me = await services.people.identify(CHILD, "ru")
        return (await services.applications.parent_link(me)).start_argument


async def _consent(uow_factory: UnitOfWorkFactory) -> Consent | None:
    async with uow_factory() as uow:
        return await uow.session.scalar(select(Consent))


async def test_the_parent_consents_from_their_own_account(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    link = await _link(uow_factory, clock)
    m = RecordingMessenger([start.DIALOG, parent.DIALOG], uow_factory, clock)
    chat = m.chat(PARENT)
    await m.command(PARENT, "start", link)
    request = chat.messages[-2].screen.text
    assert request.startswith(t("parent-request", child="", programme="", version="", text="")[:40])
    assert "2026.1" in request
    assert chat.last.text == t("parent-ask-phone")
    assert chat.keys == [[t("parent-btn-share-phone")]]

    await m.type(PARENT, "+7 913 100-20-30")  # typed, not shared: asked again
    assert chat.last.text == t("parent-share-own-phone")
    await m.share_contact(PARENT, "79131002030")
    assert chat.last.text == t("parent-ask-name") and chat.keys is None
    await m.type(PARENT, "Иванова Елена Сергеевна")
    assert chat.last.text == t("parent-ask-relation")
    await m.press(PARENT, t("apply-choice-rep_relation-mother"))
    assert chat.last.text == t(
        "parent-confirm", name="Иванова Елена Сергеевна",
        relation=t("apply-choice-rep_relation-mother"), phone="+79131002030",
    )  # fmt: skip
    assert await _consent(uow_factory) is None  # nothing before the press
    await m.press(PARENT, t("parent-btn-confirm"))
    assert chat.last.text == t("parent-consent-done")

    consent = await _consent(uow_factory)
    assert consent is not None and consent.kind is ConsentKind.REPRESENTATIVE
    assert (consent.parent_messenger, consent.parent_user_id) == (Messenger.TELEGRAM, PARENT)
    assert (consent.representative_name, consent.representative_relation) == (
        "Иванова Елена Сергеевна", "mother",
    )  # fmt: skip
    await m.deliver()
    assert m.chat(CHILD).last.text == t("parent-consent-child-told")

    # The link is spent: opening it again is refused.
    await m.command(PARENT + 1, "start", link)
    assert m.chat(PARENT + 1).last.text == t("parent-link-invalid")

    await m.command(PARENT, "parent_withdraw")
    await m.press(PARENT, t("parent-btn-withdraw"))
    assert chat.last.text == t("parent-withdrawn", count=1)
    async with uow_factory() as uow:
        application = await uow.session.scalar(select(Application))
    assert application is not None and application.status is ApplicationStatus.WITHDRAWN


async def test_the_childs_own_account_is_refused(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    link = await _link(uow_factory, clock)
    m = RecordingMessenger([start.DIALOG, parent.DIALOG], uow_factory, clock)
    await m.command(CHILD, "start", link)
    assert m.chat(CHILD).last.text == t("parent-link-own-account")
    assert m.cursors[CHILD].state is None


async def test_the_child_gets_the_link_with_its_qr_code_and_can_resend_it(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await import_example(uow_factory, clock)
    m = RecordingMessenger([start.DIALOG, apply.DIALOG, parent.DIALOG], uow_factory, clock)
    await m.command(CHILD, "start")
    await m.press(CHILD, t("apply-btn-apply"))
    await m.command(CHILD, "parent_link")
    chat = m.chat(CHILD)
    first = chat.last.text
    assert "Ждём согласия родителя" in first and "https://messenger.test/bot?start=pc_" in first
    assert [[b.text for b in row] for row in chat.last.rows] == [[t("parent-btn-resend")]]
    async with uow_factory() as uow:
        [qr] = await uow.session.scalars(select(OutgoingMessage).where(
            OutgoingMessage.kind == "file"))  # fmt: skip
    picture = file_bytes(qr.payload)
    assert picture.startswith(b"\x89PNG") and qr.payload["caption"] == t("parent-link-qr")
    await m.deliver()
    assert chat.last.text == t("parent-link-qr")

    await m.press(CHILD, t("parent-btn-resend"))
    second = chat.last.text
    assert second != first and "https://messenger.test/bot?start=pc_" in second
    old = first.split("start=")[1].split()[0]
    await m.command(PARENT, "start", old)  # the replaced link no longer works
    assert m.chat(PARENT).last.text == t("parent-link-invalid")
    new = second.split("start=")[1].split()[0]
    await m.command(PARENT, "start", new)
    assert m.chat(PARENT).last.text == t("parent-ask-phone")

"""A parent's consent on paper through the real Dispatcher: a Telegram photo (and a picture sent
as a file) reaches the dialog waiting for the signed form, a PDF document does not; the office
is told, opens the form (the photo is sent by its file_id), approves, and the child's
representative consent then names the form."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram.types import Chat, Document, Message, PhotoSize, Update
from sqlalchemy import select

from services.actions import PaperAction, PaperVerb, encode
from services.applications.parents import parent_consent_in
from services.clock import FixedClock
from services.domain import ConsentKind, PaperStatus
from storage.models import Consent, PaperConsent
from tests.applicants import start_application
from tests.databases import ON_BOTH_DATABASES
from tests.dispatcher.harness import Harness, build_harness, user
from tests.example_season import import_example
from tests.texts import said

CHILD, OFFICE = 31, 777
_ids = iter(range(30_000_000, 40_000_000))


@pytest.fixture
async def harness(db_url: str, clock: FixedClock, bot_token: str) -> AsyncIterator[Harness]:
    harness = build_harness(db_url, clock, bot_token, office_admin_ids=str(OFFICE),
                            throttle_rate_per_second=10_000)  # fmt: skip
    await import_example(harness.app.uow_factory, clock)
    yield harness
    await harness.app.engine.dispose()


def _message(uid: int, **content: Any) -> Update:
    return Update(
        update_id=next(_ids),
        message=Message(
            message_id=next(_ids), date=datetime.now(UTC), chat=Chat(id=uid, type="private"),
            from_user=user(uid), **content,
        ),
    )  # fmt: skip


async def _papers(harness: Harness) -> list[PaperConsent]:
    async with harness.app.uow_factory() as uow:
        return list(await uow.session.scalars(select(PaperConsent).order_by(PaperConsent.id)))


@ON_BOTH_DATABASES
async def test_a_telegram_photo_of_the_form_reaches_the_office_and_is_approved(
    harness: Harness,
) -> None:
    await harness.send(OFFICE, "/start")  # the office role from settings
    # Under 14, on the parent's step: the parent has no messenger.
    app = await start_application(harness, CHILD, parent=False)
    await harness.send(CHILD, "/parent_paper")
    assert harness.session.texts_to(CHILD)[-1] == said("paper-explain")
    await harness.deliver()
    [form] = [d for d in harness.session.of("SendDocument") if int(d.chat_id) == CHILD]
    assert form.caption == said("paper-form-caption")

    pdf = Document(file_id="D", file_unique_id="d", mime_type="application/pdf")
    await harness.feed(_message(CHILD, document=pdf))
    assert harness.session.texts_to(CHILD)[-1] == said("paper-not-a-photo")
    picture = Document(file_id="PIC", file_unique_id="pic", mime_type="image/jpeg")
    await harness.feed(_message(CHILD, document=picture))
    assert harness.session.texts_to(CHILD)[-1] == said("paper-sent")
    await harness.send(CHILD, "/parent_paper")
    photo = [PhotoSize(file_id="FORM-PHOTO", file_unique_id="fp", width=800, height=1100)]
    await harness.feed(_message(CHILD, photo=photo, caption="бланк"))
    assert harness.session.texts_to(CHILD)[-1] == said("paper-replaced")
    [paper] = await _papers(harness)
    assert (paper.file_id, paper.file_kind, paper.status) == (
        "FORM-PHOTO", "photo", PaperStatus.WAITING,
    )  # fmt: skip

    await harness.deliver()
    assert said("paper-office-notice", number=f"#{app}") in harness.session.texts_to(OFFICE)
    await harness.send(OFFICE, "/parents_waiting")
    assert "есть бланк на проверке" in harness.session.texts_to(OFFICE)[-1]
    await harness.press(OFFICE, encode(PaperAction(verb=PaperVerb.OPEN, item=paper.id)))
    await harness.deliver()
    [shown] = [p for p in harness.session.of("SendPhoto") if int(p.chat_id) == OFFICE]
    assert shown.photo == "FORM-PHOTO"
    await harness.press(CHILD, encode(PaperAction(verb=PaperVerb.APPROVE, item=paper.id)))
    assert harness.session.alerts()[-1] == said("paper-office-only")
    await harness.press(OFFICE, encode(PaperAction(verb=PaperVerb.APPROVE, item=paper.id)))
    async with harness.app.uow_factory() as uow:
        consent = await uow.session.scalar(
            select(Consent).where(Consent.kind == ConsentKind.REPRESENTATIVE)
        )
    assert consent is not None and parent_consent_in(consent)
    assert consent.paper_consent_id == paper.id
    await harness.deliver()
    assert harness.session.texts_to(CHILD)[-1] == said("paper-child-approved")
    await harness.send(CHILD, "/apply")  # past the parent's step now
    assert said("apply-progress", n=4, total=19) in harness.session.texts_to(CHILD)[-1]
    await harness.press(OFFICE, encode(PaperAction(verb=PaperVerb.REFUSE, item=paper.id)))
    assert harness.session.alerts()[-1] == said("paper-already-decided")

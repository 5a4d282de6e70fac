"""/profile on Telegram, through the real Dispatcher and the outbox sender: the student presses
«portfolio» and receives a PDF document (bytes intact through the outbox's JSON payload) that
pypdf opens, with their name in Cyrillic, their tasks and their internship."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import UTC

import pytest
from pypdf import PdfReader

from services.actions import ProfileAction, ProfileVerb, decode
from services.clock import FixedClock
from services.i18n import Texts
from tests.bookings_world import NOW, BookingWorld
from tests.dispatcher.harness import Harness, build_harness
from tests.plans_world import STUDENT
from tests.profile_world import NAME, ORGANISATION, TASKS_DONE, build_profile_world

t = Texts().for_language("ru")


@pytest.fixture
async def harness(db_url: str, clock: FixedClock, bot_token: str) -> AsyncIterator[Harness]:
    harness = build_harness(db_url, clock, bot_token, throttle_rate_per_second=1000)
    yield harness
    await harness.app.engine.dispose()


@pytest.fixture
async def world(harness: Harness, clock: FixedClock) -> BookingWorld:
    clock.moment = NOW.astimezone(UTC)
    return await build_profile_world(harness.app.uow_factory, clock)


async def test_profile_sends_the_portfolio_as_a_pdf_document(
    harness: Harness, world: BookingWorld
) -> None:
    await harness.send(STUDENT, "/profile")
    [shown] = [m for m in harness.session.of("SendMessage") if int(m.chat_id) == STUDENT]
    assert shown.text.startswith(t("profile-title", name=NAME))
    [[button]] = shown.reply_markup.inline_keyboard
    action = decode(button.callback_data)
    assert isinstance(action, ProfileAction) and action.verb is ProfileVerb.SEND_PDF

    await harness.press(STUDENT, button.callback_data)
    assert await harness.deliver() == 1
    [document] = harness.session.of("SendDocument")
    assert int(document.chat_id) == STUDENT
    assert document.caption == t("profile-pdf-caption", name=NAME)
    assert document.document.filename == "portfolio.pdf"
    reader = PdfReader(io.BytesIO(document.document.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert NAME in text and ORGANISATION in text
    assert all(title in text for title in TASKS_DONE)

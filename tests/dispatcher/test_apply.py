"""The application flow through the real Dispatcher: /apply to submitted, bad inputs, Back,
Skip, Edit from the review, resume after the FSM is lost, /status, withdrawal, /privacy."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from services.clock import FixedClock
from storage.models import Answer, ApplicationStatus, Consent, ConsentKind, IdeaPreference, Person
from tests.applicants import (
    cd,
    fill_after_consent,
    fill_to_review,
    import_example,
    start_application,
)
from tests.dispatcher.harness import Harness, build_harness


@pytest.fixture
async def harness(db_url: str, clock: FixedClock, bot_token: str) -> AsyncIterator[Harness]:
    harness = build_harness(db_url, clock, bot_token, throttle_rate_per_second=10_000)
    await import_example(harness.app.uow_factory, clock)
    yield harness
    await harness.app.engine.dispose()


async def test_student_fills_reviews_and_submits(harness: Harness) -> None:
    app = await fill_to_review(harness, 10)
    texts = harness.session.texts_to(10)
    for text in texts:
        print("-----\n" + text)
    assert "Проверьте заявку перед отправкой" in texts[-1]
    await harness.press(10, cd("sb", app))
    assert "Заявка отправлена! Её номер — TOMSK-2026-00001" in harness.session.texts_to(10)[-1]

"""/mydata through the real Dispatcher: an applicant asks for their data and gets two documents
(JSON and HTML) by the outbox, with their answers in them, UTF-8 intact; /audit is the office's."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from services.clock import FixedClock
from tests.applicants import fill_to_review
from tests.dispatcher.harness import Harness, build_harness
from tests.example_season import import_example
from tests.texts import said

STUDENT = 9401


@pytest.fixture
async def harness(db_url: str, clock: FixedClock, bot_token: str) -> AsyncIterator[Harness]:
    harness = build_harness(db_url, clock, bot_token, throttle_rate_per_second=10_000)
    await import_example(harness.app.uow_factory, clock)
    yield harness
    await harness.app.engine.dispose()


async def test_mydata_sends_two_documents(harness: Harness) -> None:
    app = await fill_to_review(harness, STUDENT)
    await harness.send(STUDENT, "/mydata")
    assert harness.session.texts_to(STUDENT)[-1] == said("mydata-sent")
    await harness.deliver()
    documents = [m for m in harness.session.of("SendDocument") if m.chat_id == STUDENT]
    assert [d.document.filename for d in documents] == ["mydata.json", "mydata.html"]
    as_json, as_html = (d.document.data.decode("utf-8") for d in documents)
    sections = json.loads(as_json)["sections"]
    assert [a["id"] for a in sections["applications"]] == [app]
    assert "Иванов Пётр Алексеевич" in as_json and "Иванов Пётр Алексеевич" in as_html
    assert as_html.startswith("<!DOCTYPE html>")


async def test_audit_is_refused_to_an_applicant(harness: Harness) -> None:
    await harness.send(STUDENT, "/audit")
    assert harness.session.texts_to(STUDENT)[-1] == said("error-not-allowed")
    await harness.deliver()
    assert harness.session.of("SendDocument") == []

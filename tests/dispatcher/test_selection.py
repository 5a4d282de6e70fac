"""Selection through the real Dispatcher: submitting tells the mentors of the ranked ideas, a
mentor opens the card from the notice and scores by its buttons; a student replaying the
mentor's button is refused and nothing changes; the office sees the score and decides; the
office undoes a decision by the card's button (a second press and a student's replay change
nothing)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from handlers.office_selection import OfficeCD
from handlers.review import ReviewCD
from services.clock import FixedClock
from storage.models import (
    Application,
    ApplicationScore,
    ApplicationStatus,
    Decision,
    SelectionCriterion,
    SelectionDecision,
)
from tests.applicants import cd, fill_to_review
from tests.dispatcher.harness import Harness, build_harness
from tests.selection_world import (
    MENTOR_A,
    MENTOR_B,
    MENTOR_C,
    OFFICE,
    add_applicant,
    build_world,
)

STUDENT = 9101
NOT_ALLOWED = "Недостаточно прав для этого действия."


@pytest.fixture
async def harness(db_url: str, clock: FixedClock, bot_token: str) -> AsyncIterator[Harness]:
    harness = build_harness(db_url, clock, bot_token, throttle_rate_per_second=10_000)
    yield harness
    await harness.app.engine.dispose()


def _callbacks(harness: Harness, chat_id: int) -> list[str]:
    found = []
    for message in harness.session.of("SendMessage"):
        if int(message.chat_id) == chat_id and message.reply_markup is not None:
            for row in message.reply_markup.inline_keyboard:
                found += [b.callback_data for b in row if b.callback_data]
    return found


async def test_submit_notifies_mentors_who_score_from_the_card_and_a_forgery_is_refused(
    harness: Harness, clock: FixedClock
) -> None:
    factory = harness.app.uow_factory
    await build_world(factory, clock)
    app = await fill_to_review(harness, STUDENT)  # ranks space-sat, then peat-monitor
    await harness.press(STUDENT, cd("sb", app))
    await harness.deliver()
    opened = ReviewCD(act="o", app=app).pack()
    for mentor in (MENTOR_A, MENTOR_B):
        assert any("Новая заявка" in text for text in harness.session.texts_to(mentor))
        assert opened in _callbacks(harness, mentor)
    assert harness.session.texts_to(MENTOR_C) == []  # river-clean was not ranked

    await harness.press(MENTOR_A, opened)
    card = harness.session.texts_to(MENTOR_A)[-1]
    assert "Заявка TOMSK-2026-00001" in card and "Ваши оценки (0–5)" in card
    assert "Выбранные идеи (по приоритету):\n1. Школьный наноспутник" in card
    async with factory() as uow:
        criteria = {c.code: c.id for c in await uow.session.scalars(select(SelectionCriterion))}
    score = ReviewCD(act="s", app=app, c=criteria["motivation"], v=4).pack()
    assert score in _callbacks(harness, MENTOR_A)
    await harness.press(MENTOR_A, score)
    await harness.press(MENTOR_A, score)  # a double tap
    edited = harness.session.of("EditMessageText")[-1]
    assert "Мотивация к участию (вес 0.4): 4" in edited.text
    assert "Итоговый балл: 4.00 (оценщиков: 1)" in edited.text

    # The student replays the mentor's button with another value; another mentor tries too.
    forged = ReviewCD(act="s", app=app, c=criteria["motivation"], v=5).pack()
    await harness.press(STUDENT, forged)
    await harness.press(MENTOR_C, forged)
    assert harness.session.alerts()[-2:] == [NOT_ALLOWED, NOT_ALLOWED]
    async with factory() as uow:
        scores = [(s.criterion_id, s.score) for s in await uow.session.scalars(
            select(ApplicationScore))]  # fmt: skip
        application = await uow.session.get(Application, app)
    assert scores == [(criteria["motivation"], 4)]
    assert application is not None and application.status is ApplicationStatus.IN_REVIEW

    # The office sees the score, and a student cannot decide.
    await harness.send(OFFICE, "/selection")
    await harness.press(OFFICE, OfficeCD(act="id", i=await _idea(harness, "space-sat")).pack())
    assert (
        "TOMSK-2026-00001 — 4.00 (оценщиков: 1, выбор № 1)" in harness.session.texts_to(OFFICE)[-1]
    )
    decide = OfficeCD(act="d", app=app, v=2).pack()
    await harness.press(STUDENT, decide)
    assert harness.session.alerts()[-1] == NOT_ALLOWED
    await harness.press(OFFICE, decide)
    async with factory() as uow:
        decisions = list(await uow.session.scalars(select(SelectionDecision)))
    assert [(d.application_id, d.decision.value) for d in decisions] == [(app, "rejected")]
    await harness.press(MENTOR_A, score)
    assert harness.session.alerts()[-1] == "Решение уже принято."


async def _idea(harness: Harness, code: str) -> int:
    from tests.applicants import idea_ids

    [found] = await idea_ids(harness, code)
    return found


async def test_the_office_undoes_a_decision_from_the_card_once(
    harness: Harness, clock: FixedClock
) -> None:
    factory = harness.app.uow_factory
    world = await build_world(factory, clock)
    app = await add_applicant(factory, clock, world, STUDENT, ["peat-monitor"], media=False)
    peat = world.ideas["peat-monitor"]
    await harness.press(OFFICE, OfficeCD(act="d", app=app, v=0, i=peat).pack())
    decided = harness.session.of("EditMessageText")[-1]
    assert "Решение принято: принят(а) в «" in decided.text
    undo = [
        b.callback_data
        for row in decided.reply_markup.inline_keyboard
        for b in row
        if b.text == "↩️ Отменить решение"
    ]
    assert len(undo) == 1 and OfficeCD.unpack(undo[0]).i == peat

    await harness.press(STUDENT, undo[0])  # someone else's button, replayed
    assert harness.session.alerts()[-1] == NOT_ALLOWED
    async with factory() as uow:
        assert (await uow.selection.decision(app)) is not None

    await harness.press(OFFICE, undo[0])
    answered = harness.session.of("AnswerCallbackQuery")[-1]
    assert answered.text.startswith("Решение отменено")
    card = harness.session.of("EditMessageText")[-1]
    assert "Решение принято" not in card.text
    buttons = [b.text for row in card.reply_markup.inline_keyboard for b in row]
    assert "✖️ Отказать" in buttons and "↩️ Отменить решение" not in buttons
    async with factory() as uow:
        assert (await uow.selection.decision(app)) is None
        audit = [e.action for e in await uow.audit.for_object("application", app)]
    assert audit == ["selection.decide", "selection.undo"]

    await harness.press(OFFICE, undo[0])  # the double tap
    assert harness.session.alerts()[-1].startswith("Это решение уже отменено")
    await harness.press(OFFICE, OfficeCD(act="d", app=app, v=2).pack())  # decided anew
    async with factory() as uow:
        decision = await uow.selection.decision(app)
    assert decision is not None and decision.decision is Decision.REJECTED

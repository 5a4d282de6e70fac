"""The office works late, the 14-year-old sleeps: real Telegram updates through the real
Dispatcher and the real sender, the clock fixed at 23:00 in the season's zone (Asia/Tomsk).

«Опубликовать» on /defence, confirmed (the office reads that one minor's result waits for the
morning) and the confirmation tapped twice: the adult students and the mentor (one message about
each of his two teams) get their results at once, the second tap sends nothing; the
14-year-old's result stays in the outbox through the night and arrives once at 09:00 local.
/certificates the same night: the adults' PDFs at once, the 14-year-old's at 09:00."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.actions import DefenceAction, DefenceVerb, encode
from services.clock import FixedClock
from tests.defence_world import MENTOR, OFFICE, TEAM_ONE, TEAM_TWO, build_defence_world
from tests.dispatcher.harness import Harness
from tests.texts import said

NIGHT = datetime(2026, 9, 1, 16, 0, tzinfo=UTC)  # 23:00 in Tomsk
MORNING = datetime(2026, 9, 2, 2, 0, tzinfo=UTC)  # 09:00 in Tomsk: the end of quiet hours
TEEN = TEAM_ONE[0]
ADULTS = (TEAM_ONE[1], *TEAM_TWO)
RESULT = "Результаты защиты: команда"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NIGHT)


def _results(harness: Harness, chat_id: int) -> list[str]:
    return [text for text in harness.session.texts_to(chat_id) if RESULT in text]


def _pdfs(harness: Harness, chat_id: int) -> int:
    return sum(1 for m in harness.session.of("SendDocument") if int(m.chat_id) == chat_id)


async def test_defence_results_published_at_23_reach_the_minor_at_nine(
    harness: Harness, clock: FixedClock
) -> None:
    await build_defence_world(harness.app.uow_factory, clock, ages={TEEN: "teen"})
    await harness.send(OFFICE, "/defence")
    await harness.press(OFFICE, encode(DefenceAction(verb=DefenceVerb.PUBLISH)))
    asked = harness.session.texts_to(OFFICE)[-1]
    assert said("df-publish-confirm-waiting", waiting=1) in asked
    publish = encode(DefenceAction(verb=DefenceVerb.PUBLISH, value=1))
    await harness.press(OFFICE, publish)
    await harness.press(OFFICE, publish)  # the double tap
    told = harness.session.of("EditMessageText")[-1].text  # the confirmation, redrawn
    assert said("df-published", sent=6) in told
    assert said("df-published-waiting", waiting=1) in told
    assert said("df-publish-again") in harness.session.alerts()
    await harness.deliver()

    for tg_id in ADULTS:
        assert len(_results(harness, tg_id)) == 1, tg_id
    mentor = _results(harness, MENTOR)
    assert len(mentor) == 2 and "«Альфа»" in " ".join(mentor) and "«Бета»" in " ".join(mentor)
    assert _results(harness, TEEN) == []

    clock.advance(MORNING - NIGHT - timedelta(minutes=1))  # 08:59: still night
    await harness.deliver()
    assert _results(harness, TEEN) == []
    clock.advance(timedelta(minutes=1))
    await harness.deliver()
    assert len(_results(harness, TEEN)) == 1
    for tg_id in ADULTS:
        assert len(_results(harness, tg_id)) == 1, tg_id


async def test_certificates_issued_at_23_reach_the_minor_at_nine(
    harness: Harness, clock: FixedClock
) -> None:
    await build_defence_world(harness.app.uow_factory, clock, ages={TEEN: "child"})
    await harness.send(OFFICE, "/certificates")
    told = harness.session.texts_to(OFFICE)[-1]
    assert said("cert-issued", issued=4, already=0) in told
    assert said("cert-issued-waiting", waiting=1) in told
    await harness.deliver()
    assert [_pdfs(harness, tg_id) for tg_id in ADULTS] == [1, 1, 1]
    assert _pdfs(harness, TEEN) == 0

    clock.advance(MORNING - NIGHT)
    await harness.deliver()
    assert _pdfs(harness, TEEN) == 1
    assert [_pdfs(harness, tg_id) for tg_id in ADULTS] == [1, 1, 1]

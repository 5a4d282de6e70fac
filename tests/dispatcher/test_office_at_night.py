"""The office works late, the 14-year-old sleeps: real Telegram updates through the real
Dispatcher and the real sender, the clock fixed at 23:00 in the season's zone (Asia/Tomsk).

«Опубликовать» on /defence, confirmed (the office reads that one minor's result waits for the
morning) and the confirmation tapped twice: the adult students and the mentor (one message about
each of his two teams) get their results at once, the second tap sends nothing; the
14-year-old's result stays in the outbox through the night and arrives once at 09:00 local.
/certificates the same night: the adults' PDFs at once, the 14-year-old's at 09:00. The
selection's results published that night: the adult applicant gets the result and, after it,
the start survey's invitation at once; the 14-year-old gets the result, the news of their team
and the invitation at 09:00, in that order, and nothing at night."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.actions import DefenceAction, DefenceVerb, OfficeAction, OfficeVerb, encode
from services.clock import FixedClock
from tests.defence_world import MENTOR, OFFICE, TEAM_ONE, TEAM_TWO, build_defence_world
from tests.dispatcher.harness import Harness
from tests.selection_world import add_applicant, build_world
from tests.texts import said

NIGHT = datetime(2026, 9, 1, 16, 0, tzinfo=UTC)  # 23:00 in Tomsk
MORNING = datetime(2026, 9, 2, 2, 0, tzinfo=UTC)  # 09:00 in Tomsk: the end of quiet hours
TEEN = TEAM_ONE[0]
ADULTS = (TEAM_ONE[1], *TEAM_TWO)
RESULT = "Результаты защиты: команда"
OFFICE_SELECTION = 7009  # the office of tests/selection_world.py


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


async def test_selection_results_and_the_start_survey_published_at_23_reach_the_minor_at_nine(
    harness: Harness, clock: FixedClock
) -> None:
    factory = harness.app.uow_factory
    world = await build_world(factory, clock)
    kid, grown = 9401, 9402
    apps = {
        tg_id: await add_applicant(factory, clock, world, tg_id, ["peat-monitor"], media=False,
                                   answers={"age_group": age})
        for tg_id, age in ((kid, "teen"), (grown, "adult"))
    }  # fmt: skip
    peat = world.ideas["peat-monitor"]
    for app in apps.values():
        decide = OfficeAction(verb=OfficeVerb.DECIDE, application=app, decision=0, idea=peat)
        await harness.press(OFFICE_SELECTION, encode(decide))
    await harness.press(OFFICE_SELECTION, encode(OfficeAction(verb=OfficeVerb.PUBLISH)))
    done = harness.session.texts_to(OFFICE_SELECTION)[-1]
    assert said("sel-publish-waiting", waiting=1) in done, done
    invite = said("survey-invite", wave="start")
    await harness.deliver()
    told = harness.session.texts_to(grown)
    assert [n for n, text in enumerate(told) if "вы приняты" in text] == [0]
    assert told.count(invite) == 1 and told.index(invite) > 0
    assert harness.session.texts_to(kid) == []

    clock.advance(MORNING - NIGHT)
    await harness.deliver()
    told = harness.session.texts_to(kid)
    joined = said("team-you-joined", team="Мониторинг торфяных пожаров с дронов")
    assert len(told) == 3 and "вы приняты" in told[0], told
    assert told[1:] == [joined, invite]

"""Selection end to end: the bot process against the Bot API emulator. A mentor opens an
application from /review and scores it by the card's buttons; the office sees the combined
score; a student replaying the mentor's button is refused and nothing changes; the office
accepts the top N (an idea with one place takes one) and publishes, twice: every applicant
gets exactly one result message, and each accepted one, right after it, exactly one invitation
to the start survey (issue 15: at acceptance). The applicants give no age group, so nothing
waits for the end of quiet hours whatever the hour the test runs at."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from services.clock import FixedClock
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_async
from storage.models import ApplicationScore, SelectionDecision, Team
from storage.uow import UnitOfWorkFactory
from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.conftest import StartBot
from tests.e2e.test_teams import Chats, _callback
from tests.selection_world import MENTOR_A, MENTOR_B, OFFICE, add_applicant, build_world
from tests.texts import said

NOT_ALLOWED = "Недостаточно прав для этого действия."
FIRST, SECOND, THIRD = 8101, 8102, 8103
RESULT_MARKS = ("вы приняты", "в листе ожидания", "попасть не удалось")


async def _rows(url: str, statement: Any) -> list[Any]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return list((await connection.execute(statement)).all())
    finally:
        await engine.dispose()


async def _seed(url: str) -> dict[int, int]:
    await upgrade_async(url)
    engine = create_engine(url)
    try:
        factory = UnitOfWorkFactory(create_session_factory(engine))
        clock = FixedClock(datetime.now(UTC))
        world = await build_world(factory, clock, capacity={"peat-monitor": 1})
        return {
            FIRST: await add_applicant(factory, clock, world, FIRST, ["peat-monitor"], media=False),
            SECOND: await add_applicant(
                factory, clock, world, SECOND, ["peat-monitor"], media=False
            ),
            THIRD: await add_applicant(factory, clock, world, THIRD, ["space-sat"], media=False),
        }
    finally:
        await engine.dispose()


async def _score_card(emulator: BotApiEmulator, user: int, card: dict[str, Any], v: int) -> None:
    """Press the value `v` («К1: v», «К2: v», …) in every criterion row; the card redraws itself
    in place."""
    for n, row in enumerate(card["reply_markup"]["inline_keyboard"][:3], start=1):
        button = next(b for b in row if b["text"] == f"К{n}: {v}")
        emulator.press_button(user, card["message_id"], button["callback_data"])
        await emulator.wait_for(
            lambda b=button, n=n: any(
                x.get("text") == f"•К{n}: {v}•" and x["callback_data"] == b["callback_data"]
                for r in (emulator.message(user, card["message_id"]) or {})["reply_markup"][
                    "inline_keyboard"
                ]
                for x in r
            ),
            15,
        )


async def test_score_refuse_forgery_accept_top_and_publish_once(
    emulator: BotApiEmulator, start_bot: StartBot, bot_env: dict[str, str]
) -> None:
    url = bot_env["DATABASE_URL"]
    apps = await _seed(url)
    for user_id in (MENTOR_A, MENTOR_B, OFFICE, FIRST, SECOND, THIRD):
        emulator.user(user_id)
    chats = Chats(emulator)
    await start_bot(THROTTLE_RATE_PER_SECOND=1000)

    listing = await chats.say(MENTOR_A, "/review", "Заявки на проверку")
    assert f"▫️ T-{apps[FIRST]:05d}" in listing["text"]
    card = await chats.press(MENTOR_A, listing, f"sel:2:o:{apps[FIRST]}:", "Ваши оценки (0–5)")
    await _score_card(emulator, MENTOR_A, card, 5)
    card = emulator.message(MENTOR_A, card["message_id"]) or {}
    assert said("sel-card-combined", score="5.00", reviewers=1) in card["text"]
    listing = await chats.say(MENTOR_A, "/review", "Заявки на проверку")
    assert f"✅ T-{apps[FIRST]:05d}" in listing["text"]
    second = await chats.press(MENTOR_A, listing, f"sel:2:o:{apps[SECOND]}:", "Ваши оценки")
    await _score_card(emulator, MENTOR_A, second, 3)
    listing = await chats.say(MENTOR_B, "/review", "Заявки на проверку")
    third = await chats.press(MENTOR_B, listing, f"sel:2:o:{apps[THIRD]}:", "Ваши оценки")
    await _score_card(emulator, MENTOR_B, third, 4)

    # A student replays the mentor's "0" for the first application: refused, nothing changes.
    zero = next(
        b["callback_data"]
        for b in card["reply_markup"]["inline_keyboard"][0]
        if b["text"] == "К1: 0"
    )
    await chats.say(SECOND, "/start", "")
    forged_at = len(emulator.calls("answerCallbackQuery"))
    emulator.press_button(SECOND, emulator.messages_to(SECOND)[-1]["message_id"], zero, check=False)
    answer = await emulator.wait_for(lambda: emulator.calls("answerCallbackQuery")[forged_at:], 15)
    assert answer[0].params.get("text") == NOT_ALLOWED and answer[0].params.get("show_alert")
    scores = await _rows(
        url,
        select(ApplicationScore.score).where(ApplicationScore.application_id == apps[FIRST]),
    )
    assert sorted(s for (s,) in scores) == [5, 5, 5]

    # The office sees the combined scores per idea, ranked.
    overview = await chats.say(OFFICE, "/selection", "Отбор: заявок 3, без решения 3")
    idea = await chats.press(OFFICE, overview, "ofs:2:id:", "места — обучающиеся 1")
    ranking = idea["text"]
    assert f"1. T-{apps[FIRST]:05d} — 5.00 (оценщиков: 1, выбор № 1)" in ranking
    assert f"2. T-{apps[SECOND]:05d} — 3.00" in ranking

    # Accept the top N: peat-monitor has one place.
    preview = await chats.press(OFFICE, overview, "ofs:2:tp:", "Будут приняты (2)")
    assert f"T-{apps[SECOND]:05d}" not in preview["text"]
    await chats.press(OFFICE, preview, "ofs:2:ty:", "Принято заявок: 2")
    decided = dict(
        await _rows(url, select(SelectionDecision.application_id, SelectionDecision.decision))
    )
    assert decided == {apps[FIRST]: "accepted", apps[THIRD]: "accepted"}

    # Publish, and press the confirmation twice.
    confirm = await chats.press(OFFICE, overview, "ofs:2:pp:", "Опубликовать результаты?")
    assert "Без решения: 1" in confirm["text"]
    await chats.press(
        OFFICE, confirm, "ofs:2:py", "Результаты опубликованы: отправлено сообщений — 3"
    )
    again_at = len(emulator.calls("answerCallbackQuery"))
    emulator.press_button(OFFICE, confirm["message_id"], _callback(confirm, "ofs:2:py"))
    again = await emulator.wait_for(lambda: emulator.calls("answerCallbackQuery")[again_at:], 15)
    assert said("sel-publish-again") in str(again[0].params.get("text"))
    for user_id, mark in ((FIRST, "вы приняты"), (SECOND, "в листе ожидания"),
                          (THIRD, "вы приняты")):  # fmt: skip
        await emulator.wait_for_message(user_id, mark, since=0, timeout=15)
    for user_id in (FIRST, SECOND, THIRD):
        results = [
            m for m in emulator.messages_to(user_id)
            if any(mark in (m.get("text") or "") for mark in RESULT_MARKS)
        ]  # fmt: skip
        assert len(results) == 1, (user_id, results)
    invite = said("survey-invite", wave="start").splitlines()[0]
    for user_id in (FIRST, THIRD):
        await emulator.wait_for_message(user_id, invite, since=0, timeout=15)
    for user_id, count in ((FIRST, 1), (SECOND, 0), (THIRD, 1)):
        texts = [m.get("text") or "" for m in emulator.messages_to(user_id)]
        invites = [n for n, text in enumerate(texts) if invite in text]
        assert len(invites) == count, (user_id, texts)
        assert all(n > next(i for i, x in enumerate(texts) if "вы приняты" in x) for n in invites)
    accepted = [m for m in emulator.messages_to(FIRST) if "вы приняты" in (m.get("text") or "")]
    assert "Наставник 7001" in accepted[0]["text"]
    teams = await _rows(url, select(Team.source_key))
    assert len(teams) == 2

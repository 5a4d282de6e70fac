"""The public defence end to end: the bot process against the Bot API emulator. Three jurors
of session A score two teams by the card's buttons on their phones; a student's forged score
press and session B's juror's forged press for a session-A team are refused and change nothing;
the office sees the ranking, asks to publish, reads what will go out and confirms — and taps
the confirmation again, and «Опубликовать» again: each team member gets exactly one result
message, the mentor of both teams one about each.

The students are adults (their applications' age group), so their results go at once whatever
the hour the test runs at; one student of Бета is 14: their result waits in the outbox for the
end of the season's quiet hours when published at night — checked against the season's policy,
and by day it must arrive."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import func, select

from services.clock import FixedClock
from services.defence import SCALE
from services.reminders import ReminderPolicy
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_async
from storage.models import DefenceCriterion, DefenceScore, DefenceSession, OutgoingMessage
from storage.uow import UnitOfWorkFactory
from tests.defence_world import (
    JUROR_B,
    JURORS_A,
    MENTOR,
    OFFICE,
    SETUP,
    TEAM_ONE,
    TEAM_TWO,
    DefenceWorld,
    build_defence_world,
    now_utc,
)
from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.conftest import StartBot, run_cli
from tests.e2e.test_teams import Chats, _callback

NOT_ALLOWED = "Недостаточно прав для этого действия."
RESULT = "Результаты защиты: команда"
TEEN = TEAM_TWO[1]


async def _rows(url: str, statement: Any) -> list[Any]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return list((await connection.execute(statement)).all())
    finally:
        await engine.dispose()


async def _seed(env: dict[str, str], folder: Path) -> DefenceWorld:
    """The season and the teams, then the defence set up as the office does: the season file's
    `defence:` section loaded by `python -m bot defence import`."""
    url = env["DATABASE_URL"]
    await upgrade_async(url)
    engine = create_engine(url)
    try:
        factory = UnitOfWorkFactory(create_session_factory(engine))
        world = await build_defence_world(
            factory, FixedClock(now_utc()), setup=False, ages={TEEN: "teen"}
        )
    finally:
        await engine.dispose()
    path = folder / "defence.yaml"
    path.write_text(yaml.safe_dump({"defence": SETUP}, allow_unicode=True), encoding="utf-8")
    code, out, err = await run_cli(env, "defence", "import", str(path))
    assert code == 0, err
    assert "defence: 2 sessions, 2 new slots" in out
    return world


async def due_as_the_night_allows(url: str, *where: Any) -> bool:
    """The one outbox row `where` picks, queued for a minor: due at once when queued by day
    (True), else at the end of the quiet hours it was queued in, in the season's zone (False)."""
    [row] = await _rows(url, select(OutgoingMessage).where(*where))
    queued, due = row.created_at.replace(tzinfo=UTC), row.not_before.replace(tzinfo=UTC)
    quiet = ReminderPolicy(ZoneInfo("Asia/Tomsk"))
    if not quiet.in_quiet_hours(queued):
        assert due <= queued
        return True
    assert due == quiet.outside_quiet_hours(queued) and due > datetime.now(UTC)
    return False


async def _score_card(emulator: BotApiEmulator, user: int, card: dict[str, Any], v: int) -> None:
    """Press `v` («К1: v», «К2: v», …) in every criterion row; the card redraws in place."""
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


async def _forge(emulator: BotApiEmulator, chats: Chats, user: int, payload: str) -> None:
    """`user` presses a button with `payload` under their last message: refused with an alert."""
    if not emulator.messages_to(user):
        await chats.say(user, "/start", "")
    at = len(emulator.calls("answerCallbackQuery"))
    emulator.press_button(user, emulator.messages_to(user)[-1]["message_id"], payload, check=False)
    answer = await emulator.wait_for(lambda: emulator.calls("answerCallbackQuery")[at:], 15)
    assert answer[0].params.get("text") == NOT_ALLOWED and answer[0].params.get("show_alert")


async def test_jury_scores_forgeries_refused_publish_once(
    emulator: BotApiEmulator, start_bot: StartBot, bot_env: dict[str, str], tmp_path: Path
) -> None:
    url = bot_env["DATABASE_URL"]
    world = await _seed(bot_env, tmp_path)
    people = (OFFICE, MENTOR, JUROR_B, *JURORS_A, *TEAM_ONE, *TEAM_TWO)
    for user_id in people:
        emulator.user(user_id)
    chats = Chats(emulator)
    await start_bot(THROTTLE_RATE_PER_SECOND=1000)

    # Three jurors score both teams: Альфа higher than Бета.
    values = {JURORS_A[0]: (5, 3), JURORS_A[1]: (4, 2), JURORS_A[2]: (5, 3)}
    for juror, (alpha, beta) in values.items():
        home = await chats.say(juror, "/jury", "Команды вашей сессии защиты")
        assert "«Альфа»" in home["text"] and "«Бета»" in home["text"]
        for code, name, value in (("alpha", "Альфа", alpha), ("beta", "Бета", beta)):
            card = await _open(chats, juror, home, world.teams[code], name)
            await _score_card(emulator, juror, card, value)
    scores = await _rows(url, select(func.count()).select_from(DefenceScore))
    assert scores[0][0] == 3 * 2 * 3

    # Forgeries: a student, and session B's juror, replay a juror's press for a session-A team.
    session_a, session_b = (
        sid for (sid,) in await _rows(url, select(DefenceSession.id).order_by(DefenceSession.code))
    )
    criterion = (await _rows(url, select(DefenceCriterion.id).order_by(DefenceCriterion.id)))[0][0]
    team = world.teams["alpha"]
    await _forge(emulator, chats, TEAM_ONE[0], f"df:1:s:{session_a}:{team}:{criterion}:1")
    await _forge(emulator, chats, JUROR_B, f"df:1:s:{session_a}:{team}:{criterion}:1")
    await _forge(emulator, chats, JUROR_B, f"df:1:s:{session_b}:{team}:{criterion}:1")
    b_home = await chats.say(JUROR_B, "/jury", "Команды вашей сессии защиты")
    assert "Альфа" not in b_home["text"] and "Бета" not in b_home["text"]
    after = await _rows(url, select(DefenceScore.value).where(DefenceScore.value == 1))
    assert (
        after == []
        and (await _rows(url, select(func.count()).select_from(DefenceScore)))[0][0] == 18
    )

    # The office: the ranking, closing session A (later presses refused), publishing twice.
    overview = await chats.say(OFFICE, "/defence", "Защита проектов")
    assert "1. «Альфа» — 4.67" in overview["text"], overview["text"]
    assert "2. «Бета» — 2.67" in overview["text"]
    assert "Сессия A: 20.05 14:00" in overview["text"]  # 10:00 Moscow, in the season's zone (UTC+7)
    emulator.press_button(OFFICE, overview["message_id"], f"df:1:x:{session_a}:0:0:0")
    await emulator.wait_for(
        lambda: (
            "Актовый зал — закрыта"
            in (emulator.message(OFFICE, overview["message_id"]) or {}).get("text", "")
        ),
        15,
    )
    closed = emulator.message(OFFICE, overview["message_id"]) or {}
    assert f"df:1:x:{session_a}:" not in str(closed["reply_markup"])
    last_card = emulator.messages_to(JURORS_A[0])[-1]
    at = len(emulator.calls("answerCallbackQuery"))
    emulator.press_button(
        JURORS_A[0], last_card["message_id"], _callback(last_card, "df:1:s:"), check=False
    )
    late = await emulator.wait_for(lambda: emulator.calls("answerCallbackQuery")[at:], 15)
    assert "Сессия закрыта" in str(late[0].params.get("text"))

    confirm = await chats.press(OFFICE, closed, "df:1:p:", "Опубликовать результаты защиты?")
    assert "Сообщений участникам и наставникам: 6" in confirm["text"]
    yes = _callback(confirm, "df:1:p:0:0:0:1")
    emulator.press_button(OFFICE, confirm["message_id"], yes)

    def published() -> dict[str, Any] | None:
        shown = emulator.message(OFFICE, confirm["message_id"]) or {}
        return shown if "опубликованы" in shown.get("text", "") else None

    told = await emulator.wait_for(published, 15)
    # «Да, опубликовать» tapped again, and the overview's «Опубликовать»: both refused.
    publish_again = _callback(closed, "df:1:p:")
    for message_id, payload in (
        (confirm["message_id"], yes),
        (closed["message_id"], publish_again),
    ):
        again_at = len(emulator.calls("answerCallbackQuery"))
        emulator.press_button(OFFICE, message_id, payload, check=False)
        again = await emulator.wait_for(
            lambda at=again_at: emulator.calls("answerCallbackQuery")[at:], 15
        )
        assert "уже опубликованы" in str(again[0].params.get("text"))
    teen = world.people[TEEN]
    by_day = await due_as_the_night_allows(
        url, OutgoingMessage.person_id == teen, OutgoingMessage.dedupe_key.like("defence:%")
    )
    assert ("Несовершеннолетних среди получателей: 1" in told["text"]) is not by_day
    expected = [(u, "«Альфа» — 1 место") for u in TEAM_ONE] + [(TEAM_TWO[0], "«Бета» — 2 место")]
    expected += [(MENTOR, "«Альфа» — 1 место"), (MENTOR, "«Бета» — 2 место")]
    expected += [(TEEN, "«Бета» — 2 место")] if by_day else []
    for user_id, mark in expected:
        await emulator.wait_for_message(user_id, mark, since=0, timeout=15)
    counts = [(u, 1) for u in TEAM_ONE] + [(TEAM_TWO[0], 1), (TEEN, int(by_day)), (MENTOR, 2)]
    for user_id, count in counts:
        results = [m for m in emulator.messages_to(user_id) if RESULT in (m.get("text") or "")]
        assert len(results) == count, (user_id, results)
    assert SCALE == (1, 2, 3, 4, 5)


async def _open(
    chats: Chats, juror: int, home: dict[str, Any], team_id: int, name: str
) -> dict[str, Any]:
    for row in home["reply_markup"]["inline_keyboard"]:
        for button in row:
            if button["callback_data"].endswith(f":{team_id}:0:0"):
                return await chats.press(juror, home, button["callback_data"], f"Команда «{name}»")
    raise AssertionError("no card button for the team")

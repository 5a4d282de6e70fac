"""The start and end surveys end to end: the bot process against the Bot API emulator. A dozen
accepted students (eight in Томск, four in Северск) get the start wave the office sends with
/survey_send, answer it by pressing buttons, then the end wave; the office's /survey_shift gives
a text where Томск's shift is shown and Северск (four respondents) is hidden, a PNG chart that
matplotlib decodes, and an XLSX whose Северск cells are «—»."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

from matplotlib import image
from openpyxl import load_workbook

from services.clock import FixedClock
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_async
from storage.uow import UnitOfWorkFactory
from tests.e2e.botapi_emulator import BotApiEmulator, UploadedFile
from tests.e2e.conftest import StartBot
from tests.e2e.test_teams import Chats
from tests.selection_world import OFFICE
from tests.survey_world import STUDENTS, TOMSK, build_survey_world
from tests.texts import said

PNG = b"\x89PNG\r\n\x1a\n"
QUESTIONS = ("study", "work", "future")


async def _seed(url: str) -> None:
    await upgrade_async(url)
    engine = create_engine(url)
    try:
        factory = UnitOfWorkFactory(create_session_factory(engine))
        await build_survey_world(factory, FixedClock(datetime(2026, 9, 1, 5, tzinfo=UTC)))
    finally:
        await engine.dispose()


async def _edited(emu: BotApiEmulator, user: int, message_id: int, contains: str) -> Any:
    def now() -> dict[str, Any] | None:
        current = emu.message(user, message_id)
        return current if current and contains in current.get("text", "") else None

    return await emu.wait_for(now, 15, f"message edited to contain {contains!r}")


async def _answer(emu: BotApiEmulator, user: int, wave: str, scale: int) -> None:
    """Open the wave's invitation, press «Начать», then one button per question."""
    invite = await emu.wait_for_message(user, "Зачем", since=0, timeout=15)
    emu.press_button(user, invite["message_id"], f"sv:1:go:{wave}::")
    await _edited(emu, user, invite["message_id"], said("survey-q-study"))
    for n, question in enumerate(QUESTIONS):
        emu.press_button(user, invite["message_id"], f"sv:1:an:{wave}:{question}:{scale}")
        following = QUESTIONS[n + 1] if n + 1 < len(QUESTIONS) else "prof"
        await _edited(emu, user, invite["message_id"], said(f"survey-q-{following}"))
    emu.press_button(user, invite["message_id"], f"sv:1:an:{wave}:prof:it")
    await _edited(emu, user, invite["message_id"], said("survey-done"))


async def test_a_dozen_students_answer_both_waves_and_the_office_sees_the_shift(
    emulator: BotApiEmulator, start_bot: StartBot, bot_env: dict[str, str]
) -> None:
    await _seed(bot_env["DATABASE_URL"])
    for user_id in (OFFICE, *STUDENTS):
        emulator.user(user_id)
    chats = Chats(emulator)
    await start_bot(THROTTLE_RATE_PER_SECOND=1000)

    sent = await chats.say(OFFICE, "/survey_send start", said("survey-sent", count="12"))
    assert said("survey-sent", count="12") in sent["text"]
    for user in STUDENTS:
        await _answer(emulator, user, "start", 2)
    marks = {user: len(emulator.messages_to(user)) for user in STUDENTS}
    await chats.say(OFFICE, "/survey_send end", said("survey-sent", count="12"))
    for user in STUDENTS:
        invite = await emulator.wait_for_message(user, "Зачем", since=marks[user], timeout=15)
        emulator.press_button(user, invite["message_id"], "sv:1:go:end::")
        await _edited(emulator, user, invite["message_id"], said("survey-q-study"))
        scale = 4 if user in TOMSK else 3  # Томск: +2 on each scale; Северск: +1 (hidden)
        for n, question in enumerate(QUESTIONS):
            emulator.press_button(user, invite["message_id"], f"sv:1:an:end:{question}:{scale}")
            following = QUESTIONS[n + 1] if n + 1 < len(QUESTIONS) else "prof"
            await _edited(emulator, user, invite["message_id"], said(f"survey-q-{following}"))
        emulator.press_button(user, invite["message_id"], "sv:1:an:end:prof:")  # skipped
        await _edited(emulator, user, invite["message_id"], said("survey-done"))

    emulator.clear_calls()
    reply = await chats.say(OFFICE, "/survey_shift", said("survey-kind-municipality"))
    text = reply["text"]
    values = said("survey-shift-values", study="+2", work="+2", future="+2", count="8")
    assert said("survey-shift-line", name="Томск", values=values) in text
    assert said("survey-shift-hidden", name="Северск") in text
    assert "(ответили: 4)" not in text
    # The idea and the role hold all twelve: shown, each +1,67 (eight at +2, four at +1).
    twelve = said("survey-shift-values", study="+1,67", work="+1,67", future="+1,67", count="12")
    assert said("survey-shift-line", name=said("survey-role-student"), values=twelve) in text

    documents = await emulator.wait_for(
        lambda: calls if len(calls := emulator.calls("sendDocument")) >= 2 else None, timeout=30
    )
    uploads = {c.params["document"].filename: c.params["document"] for c in documents}
    chart = uploads["survey_shift.png"]
    assert isinstance(chart, UploadedFile) and chart.data.startswith(PNG)
    assert image.imread(io.BytesIO(chart.data), format="png").shape[0] >= 600
    sheet = load_workbook(io.BytesIO(uploads["survey_shift.xlsx"].data)).active
    assert sheet is not None
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Томск"][2:] == (8, 2, 2, 2)
    assert rows["Северск"][2:] == ("—", "—", "—", "—")

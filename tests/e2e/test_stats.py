"""/stats end to end: the bot process against the Bot API emulator. The scenario seeds a season
(tests/stats_world.py: six applications over three local days, a consent, a score, a decision,
a team with stages, tasks, a reminder and a booking); the office sends /stats and gets the
numbers the scenario created, then three PNG documents that matplotlib decodes; an applicant
sending /stats is refused and gets no chart."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from matplotlib import image

from services.clock import FixedClock
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_async
from storage.uow import UnitOfWorkFactory
from tests.e2e.botapi_emulator import BotApiEmulator, UploadedFile
from tests.e2e.conftest import StartBot
from tests.e2e.test_teams import Chats
from tests.selection_world import OFFICE
from tests.stats_world import build_stats_world
from tests.texts import said

APPLICANT = 9103
PNG = b"\x89PNG\r\n\x1a\n"


async def _seed(url: str) -> None:
    await upgrade_async(url)
    engine = create_engine(url)
    try:
        factory = UnitOfWorkFactory(create_session_factory(engine))
        await build_stats_world(factory, FixedClock(datetime(2026, 9, 1, tzinfo=UTC)))
    finally:
        await engine.dispose()


def _n(value: int) -> str:
    return str(value)  # below a thousand: no thousands separator


async def test_the_office_gets_matching_numbers_and_png_charts(
    emulator: BotApiEmulator, start_bot: StartBot, bot_env: dict[str, str]
) -> None:
    await _seed(bot_env["DATABASE_URL"])
    for user_id in (OFFICE, APPLICANT):
        emulator.user(user_id)
    chats = Chats(emulator)
    await start_bot(THROTTLE_RATE_PER_SECOND=1000)

    refused = await chats.say(APPLICANT, "/stats", said("stats-not-allowed"))
    assert refused["text"] == said("stats-not-allowed")

    message = await chats.say(OFFICE, "/stats", said("stats-funnel-title"))
    text = message["text"]
    for key, count, share in (
        ("stats-funnel-started", 6, ""),
        ("stats-funnel-consented", 2, said("stats-share", percent="33")),
        ("stats-funnel-submitted", 5, said("stats-share", percent="83")),
        ("stats-funnel-reviewed", 1, said("stats-share", percent="17")),
        ("stats-funnel-accepted", 1, said("stats-share", percent="17")),
    ):
        line = said("stats-funnel-line", name=said(key), count=_n(count), share=share)
        assert line in text, line
    assert said("stats-roles", students="4", tutors="1") in text
    for day, started, submitted in (("01.09", 2, 2), ("02.09", 2, 2), ("03.09", 2, 1)):
        assert said("stats-day-line", day=day, started=started, submitted=submitted) in text
    for place, count in (("Северск", 2), ("Томск", 2), ("Кедровый", 1)):
        assert said("stats-count-line", name=place, count=count) in text
    assert said("stats-team-line", name="Торф", approved="1", stages="2") in text
    assert "всего 3, выполнено 1" in text
    assert said("stats-reminders", count="1") in text
    assert [row[0]["callback_data"][:5] for row in message["reply_markup"]["inline_keyboard"]] == [
        "st:1:"
    ]

    documents = await emulator.wait_for(
        lambda: calls if len(calls := emulator.calls("sendDocument")) >= 3 else None, timeout=30
    )
    assert len(documents) == 3
    for call in documents:
        assert int(call.params["chat_id"]) == OFFICE
        upload = call.params["document"]
        assert isinstance(upload, UploadedFile) and upload.filename.endswith(".png")
        assert upload.data.startswith(PNG)
        pixels = image.imread(io.BytesIO(upload.data), format="png")
        assert pixels.shape[0] >= 300 and pixels.shape[1] >= 600

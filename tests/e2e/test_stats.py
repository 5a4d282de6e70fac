"""/stats end to end: the bot process against the Bot API emulator. The scenario seeds a season
(tests/stats_world.py: six applications over three local days, a consent, a score, a decision,
a team with stages, tasks, a reminder and a booking); the office sends /stats and gets the
numbers the scenario created, then three PNG documents that matplotlib decodes; an applicant
sending /stats is refused. The same on MAX: an office member known only there gets the numbers
and the three PNG files."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from matplotlib import image

from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.domain import Messenger, Role
from services.i18n import Texts
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_async
from storage.uow import UnitOfWorkFactory
from tests.e2e.botapi_emulator import BotApiEmulator, UploadedFile
from tests.e2e.conftest import StartBot, StartMax
from tests.e2e.max_emulator import MaxApiEmulator
from tests.e2e.test_teams import Chats
from tests.selection_world import OFFICE
from tests.stats_world import build_stats_world
from tests.texts import said

APPLICANT = 9103
MAX_OFFICE = 9501
PNG = b"\x89PNG\r\n\x1a\n"


async def _seed(url: str, max_office_dialog: int | None = None) -> None:
    """The stats world; with `max_office_dialog`, one more office member known only on MAX."""
    await upgrade_async(url)
    engine = create_engine(url)
    try:
        factory = UnitOfWorkFactory(create_session_factory(engine))
        clock = FixedClock(datetime(2026, 9, 1, tzinfo=UTC))
        await build_stats_world(factory, clock)
        if max_office_dialog is not None:
            async with factory() as uow:
                me = await Services(uow, clock, Texts(), ServiceConfig()).people.identify(
                    MAX_OFFICE, "ru", messenger=Messenger.MAX, chat_id=max_office_dialog
                )
                await uow.people.grant(me.person_id, Role.OFFICE, None, clock.now())
                await uow.commit()
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


async def test_the_office_on_max_gets_the_numbers_and_png_charts(
    max_emulator: MaxApiEmulator, start_max_bot: StartMax, max_env: dict[str, str]
) -> None:
    max_emulator.user(MAX_OFFICE, "Проектный офис")
    await _seed(max_env["DATABASE_URL"], max_emulator.dialog_id(MAX_OFFICE))
    await start_max_bot()

    max_emulator.send_text(MAX_OFFICE, "/stats")
    line = said("stats-funnel-line", name=said("stats-funnel-submitted"), count="5",
                share=said("stats-share", percent="83"))  # fmt: skip
    await max_emulator.wait_for(
        lambda: any(
            line in (m["body"].get("text") or "") for m in max_emulator.messages_to(MAX_OFFICE)
        ),
        15,
    )
    files = await max_emulator.wait_for(
        lambda: found if len(found := max_emulator.files_to(MAX_OFFICE)) >= 3 else None, 30
    )
    assert sorted(f.filename for f in files) == [
        "stats_days.png",
        "stats_funnel.png",
        "stats_places.png",
    ]
    for upload in files:
        assert upload.data.startswith(PNG)
        assert image.imread(io.BytesIO(upload.data), format="png").shape[0] >= 300

"""The bot on MAX end to end: the bot process started as a deployer starts it with only
`MAX_BOT_TOKEN` (and `MAX_API_BASE` pointing at the MAX emulator), and the same scenario code
that drives it on Telegram (tests/e2e/chats.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from services.actions import ApplyAction, ApplyVerb, encode
from services.clock import SystemClock
from services.season_import import SeasonImportService
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_async
from storage.uow import UnitOfWorkFactory
from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.chats import Applicant, MaxChat, PersonChat, TelegramChat
from tests.e2e.conftest import StartBot, StartMax
from tests.e2e.max_emulator import MaxApiEmulator
from tests.example_season import EXAMPLE
from tests.texts import said

ZONE = ZoneInfo("Asia/Tomsk")
FAST = {"THROTTLE_RATE_PER_SECOND": "1000"}


def born(years: int) -> str:
    """A birth date that makes the applicant `years` old today in the season's zone."""
    today = datetime.now(ZONE).date()
    birthday = date(today.year - years, today.month, 1) - timedelta(days=1)
    if birthday.replace(year=birthday.year + years) > today:
        birthday -= timedelta(days=31)
    return birthday.strftime("%d.%m.%Y")


async def import_season(database_url: str, tmp_path: Path) -> None:
    """The example season with its window around today, imported in-process."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    today = datetime.now(ZONE).date()
    data["season"]["applications_open"] = (today - timedelta(days=10)).isoformat()
    data["season"]["applications_close"] = (today + timedelta(days=30)).isoformat()
    await upgrade_async(database_url)
    engine = create_engine(database_url)
    try:
        async with UnitOfWorkFactory(create_session_factory(engine))() as uow:
            await SeasonImportService(uow, SystemClock()).import_text(
                yaml.safe_dump(data, allow_unicode=True)
            )
    finally:
        await engine.dispose()


async def a_thirteen_year_old_with_a_parents_consent_submits(chat: PersonChat) -> None:
    """One scenario, two messengers: the flows are the same, so is the code driving them."""
    kid = Applicant(chat)
    await kid.through_parents_consent()
    done = await kid.fill_and_submit(born(13))
    assert "TOMSK-2026-00001" in done
    await kid.say("/status", "TOMSK-2026-00001")


async def test_on_max_a_thirteen_year_old_with_a_parents_consent_submits(
    max_emulator: MaxApiEmulator, start_max_bot: StartMax, max_env: dict[str, str], tmp_path: Path
) -> None:
    await import_season(max_env["DATABASE_URL"], tmp_path)
    await start_max_bot()
    await a_thirteen_year_old_with_a_parents_consent_submits(MaxChat(max_emulator, 901))


async def test_on_telegram_the_same_scenario_code_submits(
    emulator: BotApiEmulator, start_bot: StartBot, bot_env: dict[str, str], tmp_path: Path
) -> None:
    await import_season(bot_env["DATABASE_URL"], tmp_path)
    await start_bot(**FAST)
    await a_thirteen_year_old_with_a_parents_consent_submits(TelegramChat(emulator, 901))


async def test_a_forged_or_malformed_max_payload_is_refused_and_never_logged(
    max_emulator: MaxApiEmulator, start_max_bot: StartMax, max_env: dict[str, str], tmp_path: Path
) -> None:
    await import_season(max_env["DATABASE_URL"], tmp_path)
    log = await start_max_bot()
    chat = MaxChat(max_emulator, 902)
    kid = Applicant(chat)
    await kid.say("/start", "Кадры будущего для регионов")
    max_emulator.press_forged(902, "ap:2:zz:0:::0:0")  # a verb no feature has
    max_emulator.press_forged(902, "garbage")
    # Well-formed, but someone else's application: the service re-checks and refuses.
    max_emulator.press_forged(902, encode(ApplyAction(verb=ApplyVerb.SUBMIT, application=4242)))
    answers = await max_emulator.wait_for(
        lambda: len(max_emulator.notifications_to(902)) >= 3 and max_emulator.notifications_to(902)
    )
    assert answers == [said("fallback-button-malformed")] * 2 + [said("error-not-allowed")]
    assert "garbage" not in log.read_text()  # the payload never reaches the log

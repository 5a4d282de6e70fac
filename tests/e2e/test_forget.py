"""/forget end to end, and what the logs hold: the bot process (`python -m bot run`) on Telegram
against the Bot API emulator, at LOG_LEVEL=DEBUG.

A 13-year-old fills the whole application with values of their own, each carrying a marker no
other text has (names, phones, e-mail, school, free answers), submits it, then asks to be
forgotten and confirms. Then: not one of those values is in any line the bot wrote to its log,
and none is in any text or JSON column of any table (tests/erasure_scan.py) — except the
parent's name, which the consent record keeps by law as who gave the consent (services/privacy.py).
This bot keeps its conversation state in memory here (no REDIS_URL), so there is no Redis to scan.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from storage.db import create_engine
from tests.applicants import ABOUT, EXPERIENCE, WHY
from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.chats import Applicant, TelegramChat
from tests.e2e.conftest import StartBot
from tests.e2e.test_apply import FAST, _born
from tests.e2e.test_max import import_season
from tests.erasure_scan import table_hits

CHILD = "Маркеров Зульфикар Ёлкинович"
PARENT = "Маркерова Ольга Зульфикаровна"
PARENT_PHONE, PARENT_PHONE_STORED = "+7 913 731-77-31", "+79137317731"
PHONE, PHONE_STORED = "+7 913 987-65-41", "+79139876541"
EMAIL = "zulfikar.mrk7731@example.org"
SCHOOL = "МАОУ Гимназия Маркер-7731 г. Томска"
ABOUT_ME = f"{ABOUT} Мой знак — маркер-о-себе-7731."
PRESENTATION = f"{ABOUT} Ещё я веду блог «Маркер-блог-7731»."
WHY_ME = f"{WHY} Маркер-зачем-7731."
EXPERIENCE_ME = f"{EXPERIENCE} Маркер-опыт-7731."


async def _apply(kid: Applicant, born: str) -> None:
    await kid.say("/start", "Кадры будущего для регионов")
    await kid.press("📝 Подать заявку", "Шаг 1 из 20")
    await kid.press("обучающийся", "Шаг 2 из 20")
    await kid.press("младше 14", "Шаг 3 из 19")
    await kid.parent_confirms(name=PARENT, phone=PARENT_PHONE_STORED.removeprefix("+"))
    await kid.press("✅ Родитель подтвердил", "Шаг 4 из 19")
    await kid.say(born, "Шаг 5 из 19")
    await kid.say(CHILD, "Шаг 6 из 19")
    await kid.say("Том", "Выберите ваш муниципалитет из найденного")
    await kid.press("Томск", "Шаг 7 из 19")
    await kid.press("школа", "Шаг 8 из 19")
    await kid.say(SCHOOL, "Шаг 9 из 19")
    await kid.say("7", "Шаг 10 из 19")
    await kid.say(PHONE, "Шаг 11 из 19")
    await kid.say(EMAIL, "Шаг 12 из 19")
    await kid.press("Пропустить", "Шаг 13 из 19")
    await kid.press("Пропустить", "Шаг 14 из 19")
    await kid.say(ABOUT_ME, "Шаг 15 из 19")
    await kid.say(PRESENTATION, "Шаг 16 из 19")
    await kid.say(WHY_ME, "Шаг 17 из 19")
    await kid.say(EXPERIENCE_ME, "Шаг 18 из 19")
    await kid.press("4", "Шаг 19 из 19")
    await kid.press_in_place("▫️ Мониторинг торфяных", "✅ 1 Мониторинг торфяных")
    await kid.press("Готово", "Проверьте заявку перед отправкой")
    await kid.press("📨 Отправить заявку", "Заявка отправлена!")


async def test_forget_leaves_no_value_in_the_log_or_any_table(
    emulator: BotApiEmulator, start_bot: StartBot, bot_env: dict[str, str], tmp_path: Path
) -> None:
    await import_season(bot_env["DATABASE_URL"], tmp_path)
    bot = await start_bot(**FAST, LOG_LEVEL="DEBUG")
    kid = Applicant(TelegramChat(emulator, 811, first_name="Зульфикар"))
    born = _born(13)
    await _apply(kid, born)

    assert await _hits(bot_env["DATABASE_URL"], {CHILD, EMAIL}) != []  # the scan sees them

    ask = await kid.say("/forget", "Удалить всё, что бот знает о вас?")
    assert "записи о согласиях" in ask
    done = await kid.press("Да, удалить всё", "Готово")
    assert "согласие законного представителя, редакция" in done
    assert PARENT not in done and PARENT_PHONE not in done
    await asyncio.sleep(1.0)  # what the erasure queued (deletions) goes out
    assert await bot.stop() == 0

    values = {
        CHILD, PARENT, PARENT_PHONE, PARENT_PHONE_STORED, PHONE, PHONE_STORED, EMAIL,
        SCHOOL, "Маркер-7731", "маркер-о-себе-7731", "Маркер-блог-7731", "Маркер-зачем-7731",
        "Маркер-опыт-7731", born,
    }  # fmt: skip
    lines = bot.log().splitlines()
    assert any(" DEBUG bot" in line for line in lines)  # the level took
    assert [(v, line) for line in lines for v in values if v in line] == []

    assert await _hits(bot_env["DATABASE_URL"], values - {PARENT}) == []


async def _hits(database_url: str, values: set[str]) -> list[tuple[str, str, str]]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return await table_hits(connection, values)
    finally:
        await engine.dispose()

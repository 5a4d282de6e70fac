"""/mydata, then /forget, end to end, and what the logs hold: the bot process (`python -m bot
run`) on Telegram against the Bot API emulator, at LOG_LEVEL=DEBUG, with its conversation state
in Redis.

A 13-year-old fills the whole application with values of their own, each carrying a marker no
other text has (names, phones, e-mail, school, free answers), after their parent confirmed from
a second account, and submits it. `/mydata` sends a JSON and an HTML file holding every one of
those values, field by field. Then they ask to be forgotten and confirm, and: not one value is
in any line the bot wrote to its log, in any key or value in Redis, or in any text or JSON
column of any table (tests/erasure_scan.py) — except the parent's name, which the consent
record keeps by law as who gave the consent (services/privacy.py).
"""

from __future__ import annotations

import asyncio
import html
import json
from datetime import datetime
from pathlib import Path

from redis.asyncio import Redis

from storage.db import create_engine
from tests.applicants import ABOUT, EXPERIENCE, WHY
from tests.conftest import REDIS_URL
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


async def test_mydata_holds_every_value_then_forget_leaves_none_in_tables_redis_or_the_log(
    emulator: BotApiEmulator, start_bot: StartBot, bot_env: dict[str, str], tmp_path: Path
) -> None:
    await import_season(bot_env["DATABASE_URL"], tmp_path)
    bot = await start_bot(**FAST, LOG_LEVEL="DEBUG", REDIS_URL=REDIS_URL)
    kid = Applicant(TelegramChat(emulator, 811, first_name="Зульфикар"))
    born = _born(13)
    await _apply(kid, born)

    assert await _hits(bot_env["DATABASE_URL"], {CHILD, EMAIL}) != []  # the scan sees them
    await _mydata_holds_every_value(emulator, kid, born)

    # The conversation state is in Redis (the child's cursor, on the review again), and the scan
    # would see a value there: checked with a key of the test's own.
    await kid.say("/apply", "TOMSK-2026-00001")
    assert [key for key, _ in await _redis_hits({":811:811"})] != []
    redis = Redis.from_url(REDIS_URL)
    await redis.set("test-forget-sentinel", "Маркер-7731", ex=60)
    assert ("test-forget-sentinel", "Маркер-7731") in await _redis_hits({"Маркер-7731"})
    await redis.delete("test-forget-sentinel")
    await redis.aclose()

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
    assert await _redis_hits(values | {_iso(born)}) == []
    assert await _hits(bot_env["DATABASE_URL"], values - {PARENT}) == []


def _iso(born: str) -> str:
    return datetime.strptime(born, "%d.%m.%Y").date().isoformat()


async def _mydata_holds_every_value(emulator: BotApiEmulator, kid: Applicant, born: str) -> None:
    """Both files reach the chat as documents, and every value typed is in them, field by
    field: each answer under its step, the name, the parent's details on the consent."""
    sent = len(emulator.calls("sendDocument"))
    await kid.say("/mydata", "Готовим файл со всеми вашими данными")
    calls = await emulator.wait_for(
        lambda: emulator.calls("sendDocument")[sent:] if
        len(emulator.calls("sendDocument")[sent:]) >= 2 else None
    )  # fmt: skip
    files = {f.filename: f.data for call in calls for f in call.files.values()}
    document = json.loads(files["mydata.json"])
    page = files["mydata.html"].decode()
    sections = document["sections"]
    answers = {row["step"]: row["value"] for row in sections["application_answers"]}
    expected = {
        "full_name": CHILD, "birth_date": _iso(born), "institution": SCHOOL,
        "phone": PHONE_STORED, "email": EMAIL, "about": ABOUT_ME, "q-why": WHY_ME,
        "q-experience": EXPERIENCE_ME,
    }  # fmt: skip
    for step, value in expected.items():
        assert answers.get(step) == value, step
        assert html.escape(value) in page, step
    [media] = sections["presentation_media"]
    assert media["text"] == PRESENTATION
    assert sections["people"][0]["full_name"] == CHILD
    [consent] = sections["consents"]
    assert (consent["representative_name"], consent["representative_phone"]) == (
        PARENT, PARENT_PHONE_STORED,
    )  # fmt: skip


async def _redis_hits(values: set[str]) -> list[tuple[str, str]]:
    """(key, value) for every value found in any key or value in Redis: the markers are this
    test's own, so other tests' keys cannot match."""
    redis = Redis.from_url(REDIS_URL)
    hits: list[tuple[str, str]] = []
    try:
        async for key in redis.scan_iter(count=1000):
            kind = (await redis.type(key)).decode()
            stored = [await redis.get(key)] if kind == "string" else []
            if kind == "hash":
                stored = [v for pair in (await redis.hgetall(key)).items() for v in pair]
            for text in [key, *stored]:
                decoded = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
                hits += [(key.decode(), v) for v in values if v in decoded]
    finally:
        await redis.aclose()
    return hits


async def _hits(database_url: str, values: set[str]) -> list[tuple[str, str, str]]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return await table_hits(connection, values)
    finally:
        await engine.dispose()

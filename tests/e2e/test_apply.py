"""Applications end to end: the bot process (`python -m bot run`) against the Bot API emulator,
with the season loaded by `python -m bot season import`.

A 13-year-old with a parent's consent goes from /start to submitted, editing one answer from
the review; a 12-year-old student is refused with the range named at the birth date and a
19-year-old at the age group, both with the way forward (change the role, start over); the
process is killed (SIGKILL) mid-questionnaire and the applicant's next typed answer resumes at
the right step with every answer intact; a second /apply opens the same application."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from sqlalchemy import select

from services.clock import SystemClock
from services.domain import ApplicationStatus, ConsentKind
from services.season_import import SeasonImportService
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_async
from storage.models import Answer, Application, Consent, Invitation, Season
from storage.uow import UnitOfWorkFactory
from tests.applicants import ABOUT, EXPERIENCE, WHY
from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.conftest import StartBot
from tests.e2e.launcher import run_cli
from tests.example_season import EXAMPLE
from tests.parents import PARENT_ID_OFFSET
from tests.texts import said

ZONE = ZoneInfo("Asia/Tomsk")
FAST = {"THROTTLE_RATE_PER_SECOND": 1000}


def _season_file(tmp_path: Path) -> Path:
    """The example season with its window around today."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    today = datetime.now(ZONE).date()
    data["season"]["applications_open"] = (today - timedelta(days=10)).isoformat()
    data["season"]["applications_close"] = (today + timedelta(days=30)).isoformat()
    path = tmp_path / "season.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
async def season_by_cli(bot_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """The season imported as the office does it: `python -m bot season import FILE`."""
    path = _season_file(tmp_path)
    code, out, err = await run_cli(bot_env, "season", "import", str(path))
    assert code == 0, err
    assert "season tomsk-2026 created" in out
    return bot_env


@pytest.fixture
async def season(bot_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """The same season imported in-process (quicker; the CLI has its own test above)."""
    url = bot_env["DATABASE_URL"]
    await upgrade_async(url)
    engine = create_engine(url)
    try:
        async with UnitOfWorkFactory(create_session_factory(engine))() as uow:
            text = _season_file(tmp_path).read_text(encoding="utf-8")
            await SeasonImportService(uow, SystemClock()).import_text(text)
    finally:
        await engine.dispose()
    return bot_env


def _born(years: int) -> str:
    """A birth date that makes the applicant `years` old today in the season's zone."""
    today = datetime.now(ZONE).date()
    born = date(today.year - years, today.month, 1) - timedelta(days=1)
    if born.replace(year=born.year + years) > today:  # not yet `years`: make it a month older
        born = born - timedelta(days=31)
    return born.strftime("%d.%m.%Y")


class Applicant:
    def __init__(self, emulator: BotApiEmulator, uid: int) -> None:
        self.emulator, self.uid = emulator, uid
        emulator.user(uid, first_name="Петя")

    def _count(self) -> int:
        return len(self.emulator.messages_to(self.uid))

    async def say(self, text: str, expect: str | None = None, **fields: Any) -> dict[str, Any]:
        since = self._count()
        if fields:
            self.emulator.send_message(self.uid, **fields)
        else:
            self.emulator.send_text(self.uid, text)
        return await self.emulator.wait_for_message(self.uid, contains=expect, since=since)

    def _button(self, prefix: str) -> tuple[int, str]:
        for message in reversed(self.emulator.messages_to(self.uid)):
            markup = message.get("reply_markup") or {}
            for row in markup.get("inline_keyboard", []):
                for button in row:
                    if button["text"].startswith(prefix):
                        return message["message_id"], button["callback_data"]
        raise AssertionError(f"no button {prefix!r} in chat {self.uid}")

    async def press(self, prefix: str, expect: str | None = None) -> dict[str, Any]:
        message_id, data = self._button(prefix)
        since = self._count()
        self.emulator.press_button(self.uid, message_id, data)
        return await self.emulator.wait_for_message(self.uid, contains=expect, since=since)

    async def press_in_place(self, prefix: str, expect: str) -> None:
        """A button that redraws its own message (the idea list)."""
        message_id, data = self._button(prefix)
        self.emulator.press_button(self.uid, message_id, data)
        await self.emulator.wait_for(
            lambda: expect in (self.emulator.message(self.uid, message_id) or {}).get("text", "")
        )

    async def through_consents(self, age_group: str = "младше 14") -> None:
        """Role, age group, then the consents that group needs: under 14 only the parent's,
        from 14 the applicant's own first. The parent confirms from their own account."""
        await self.say("/start", "Кадры будущего для регионов")
        await self.press("📝 Подать заявку", "Шаг 1 из 20")
        await self.press("обучающийся", "Шаг 2 из 20")
        if age_group == "младше 14":
            parent_step, total = 3, 19  # the parent's step is step 3 of 19
            await self.press(age_group, f"Шаг {parent_step} из {total}")
        else:
            parent_step, total = 4, 20  # the own consent is step 3, the parent's step 4
            await self.press(age_group, "Шаг 3 из 20")
            await self.press("✅ Согласен(на)", f"Шаг {parent_step} из {total}")
        await self.parent_confirms()
        await self.press("✅ Родитель подтвердил", f"Шаг {parent_step + 1} из {total}")

    async def parent_confirms(self, name: str = "Петрова Ольга Ивановна") -> Applicant:
        """The child's link, opened and confirmed by the parent from their own account."""
        shown = await self.press("🔗 Ссылка для родителя", "Ждём согласия родителя")
        found = re.search(r"pc_[\w-]+", shown["text"])
        assert found is not None, shown["text"]
        parent = Applicant(self.emulator, self.uid + PARENT_ID_OFFSET)
        await parent.say(f"/start {found.group(0)}", "поделитесь своим номером")
        phone = {"phone_number": "79131112233", "user_id": parent.uid}
        await parent.say("", "Введите ваши фамилию", contact=phone)
        await parent.say(name, "Кем вы приходитесь")
        await parent.press_in_place("мать", "Проверьте и подтвердите")
        await parent.press("Даю согласие", "Согласие записано")
        return parent


async def _rows(database_url: str, statement: Any) -> list[Any]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return list((await connection.execute(statement)).all())
    finally:
        await engine.dispose()


async def test_thirteen_year_old_with_parents_consent_applies_and_edits_from_review(
    emulator: BotApiEmulator, start_bot: StartBot, season_by_cli: dict[str, str]
) -> None:
    season = season_by_cli
    await start_bot(**FAST)
    kid = Applicant(emulator, 801)
    await kid.through_consents()
    await kid.say(_born(13), "Шаг 5 из 19")
    await kid.say("Петров Пётр Петрович", "Шаг 6 из 19")
    await kid.say("Том", "Выберите ваш муниципалитет из найденного")
    await kid.press("Томск", "Шаг 7 из 19")
    await kid.press("школа", "Шаг 8 из 19")
    await kid.say("МАОУ СОШ № 32 г. Томска", "Шаг 9 из 19")
    await kid.say("7", "Шаг 10 из 19")
    await kid.say("+7 913 555-44-33", "Шаг 11 из 19")
    await kid.press("Пропустить", "Шаг 12 из 19")
    await kid.press("Пропустить", "Шаг 13 из 19")
    await kid.press("Пропустить", "Шаг 14 из 19")
    await kid.say(ABOUT, "Шаг 15 из 19")
    await kid.say("", "Шаг 16 из 19", photo={})
    await kid.say(WHY, "Шаг 17 из 19")
    await kid.say(EXPERIENCE, "Шаг 18 из 19")
    await kid.press("4", "Шаг 19 из 19")
    await kid.press_in_place("▫️ Мониторинг торфяных", "✅ 1 Мониторинг торфяных")
    await kid.press_in_place("▫️ Двор, в котором", "✅ 2 Двор, в котором")
    review = await kid.press("Готово", "Проверьте заявку перед отправкой")
    assert "Самопрезентация: фото" in review["text"]

    await kid.press("✏️ Класс / курс", "Сейчас указано: 7 класс")
    review = await kid.say("8", "Проверьте заявку перед отправкой")
    assert "Класс / курс: 8 класс" in review["text"]
    done = await kid.press("📨 Отправить заявку", "Заявка отправлена!")
    number = done["text"].split("Её номер — ", 1)[1].split(".", 1)[0]
    assert number == "TOMSK-2026-00001"
    again = await kid.say("/apply", "Заявка № TOMSK-2026-00001 отправлена")
    assert "✏️" in str(again.get("reply_markup"))  # still editable: the window is open

    url = season["DATABASE_URL"]
    [application] = await _rows(url, select(Application))
    answers = dict(await _rows(url, select(Answer.step, Answer.value)))
    consents = {row.kind: row for row in await _rows(url, select(Consent))}
    assert application.status == ApplicationStatus.SUBMITTED
    assert answers["grade"] == "8" and answers["full_name"] == "Петров Пётр Петрович"
    assert answers["phone"] == "+79135554433" and answers["presentation"] == "photo"
    # Under 14: only the parent's consent is asked (the child's own would not be valid).
    assert ConsentKind.APPLICANT not in consents
    assert consents[ConsentKind.REPRESENTATIVE].valid
    assert consents[ConsentKind.REPRESENTATIVE].representative_name == "Петрова Ольга Ивановна"


def _buttons(message: dict[str, Any]) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button["text"] for row in rows for button in row]


async def test_twelve_and_nineteen_year_old_students_are_refused_with_the_way_forward(
    emulator: BotApiEmulator, start_bot: StartBot, season: dict[str, str]
) -> None:
    await start_bot(**FAST)
    twelve = Applicant(emulator, 802)
    await twelve.through_consents()
    refusal = await twelve.say(_born(12), "К сожалению")
    assert "обучающиеся участвуют в программе в возрасте от 13 до 17 лет" in refusal["text"]
    assert (
        "а вам 12" in refusal["text"] and said("apply-progress", n=4, total=19) in refusal["text"]
    )
    assert {
        said("apply-btn-back"),
        said("apply-btn-change-role"),
        said("apply-btn-restart"),
    } <= set(_buttons(refusal))
    await twelve.press("🔄 Начать заново", "Начать заявку заново?")
    await twelve.press("Да, начать заново", "Шаг 1 из 20")

    # Nineteen: refused at the age group, before giving any consent or data.
    nineteen = Applicant(emulator, 803)
    await nineteen.say("/start", "Кадры будущего для регионов")
    await nineteen.press("📝 Подать заявку", "Шаг 1 из 20")
    await nineteen.press("обучающийся", "Шаг 2 из 20")
    refusal = await nineteen.press("18 лет и старше", "К сожалению")
    assert "от 13 до 17 лет" in refusal["text"]  # the age range is the point here
    assert said("apply-btn-change-role") in _buttons(refusal)
    await nineteen.press("Изменить роль", "Шаг 1 из 20")
    await nineteen.press("тьютор", "Шаг 2 из 17")
    await nineteen.press("✅ Согласен(на)", "Шаг 3 из 17")
    await nineteen.say(_born(19), "Шаг 4 из 17")

    url = season["DATABASE_URL"]
    answers = await _rows(url, select(Answer.step))
    assert "birth_date" in {step for (step,) in answers}  # the tutor's
    # The tutor's own consent, and the twelve-year-old's parent's, which starting over keeps:
    # the parent gave it from their own account and withdraws it from there.
    kinds = await _rows(url, select(Consent.kind).order_by(Consent.kind))
    assert sorted(kind for (kind,) in kinds) == [ConsentKind.APPLICANT, ConsentKind.REPRESENTATIVE]


async def test_killed_mid_questionnaire_resumes_at_the_right_step_with_answers_intact(
    emulator: BotApiEmulator, start_bot: StartBot, season: dict[str, str]
) -> None:
    bot = await start_bot(**FAST)
    kid = Applicant(emulator, 804)
    await kid.through_consents("от 14 до 17")
    await kid.say(_born(15), "Шаг 6 из 20")
    await kid.say("Сидоров Иван Андреевич", "Шаг 7 из 20")
    await kid.say("Северск", "Шаг 8 из 20")
    await kid.press("колледж", "Шаг 9 из 20")
    await bot.kill()

    # The in-memory cursor died with the process: the next typed answer is taken all the same.
    await start_bot(**FAST)
    await kid.say("Северский промышленный колледж", "Шаг 10 из 20")
    again = await kid.say("/apply", "Шаг 10 из 20")  # a second /apply: the same application
    assert "На каком вы курсе" in again["text"]

    url = season["DATABASE_URL"]
    applications = await _rows(url, select(Application.id))
    answers = dict(await _rows(url, select(Answer.step, Answer.value)))
    assert len(applications) == 1
    assert answers == {
        "role": "student",
        "age_group": "teen",
        "consent": "2026.1",  # the parent's consent is their record, not an answer
        "birth_date": datetime.strptime(_born(15), "%d.%m.%Y").date().isoformat(),
        "full_name": "Сидоров Иван Андреевич",
        "municipality": answers["municipality"],
        "edu_type": "college",
        "institution": "Северский промышленный колледж",
    }
    assert answers["municipality"] == "2"  # Северск, the second in the season's list


async def test_season_import_cli_lists_errors_and_reimports_without_duplicates(
    emulator: BotApiEmulator, bot_env: dict[str, str], tmp_path: Path
) -> None:
    broken = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    broken["ideas"][3]["capacity"]["students"] = "six"
    broken["season"]["timezone"] = "Mars/Olympus"
    bad = tmp_path / "broken.yaml"
    bad.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    code, _, err = await run_cli(bot_env, "season", "import", str(bad))
    problems = [line.strip() for line in err.splitlines() if line.startswith("  ")]
    assert code == 1 and "has 2 problem(s); nothing was changed" in err
    assert problems == [
        "season.timezone: неизвестный часовой пояс IANA «Mars/Olympus»",
        "ideas[3].capacity.students: ожидается целое число",
    ]
    url = bot_env["DATABASE_URL"]
    assert (
        await _rows(url, select(Season.id)) == [] and await _rows(url, select(Invitation.id)) == []
    )

    runs = [await run_cli(bot_env, "season", "import", str(EXAMPLE)) for _ in range(2)]
    assert [code for code, _, _ in runs] == [0, 0]
    assert "season tomsk-2026 created (revision 1)" in runs[0][1]
    assert "season tomsk-2026 updated (revision 2)" in runs[1][1]
    links = [[line for line in out.splitlines() if "start=inv_" in line] for _, out, _ in runs]
    assert len(links[0]) == 12 and links[0] == links[1]  # one mentor link per idea, kept
    assert links[0][0].startswith("  peat-monitor: https://t.me/kadry_test_bot?start=inv_")

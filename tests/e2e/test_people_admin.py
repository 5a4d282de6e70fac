"""The office steers the season from the bot, end to end on Telegram: the bot process against
the Bot API emulator, files downloaded through getFile and the emulator's file server.

The office sends a broken season file as a document: the answer lists every problem with its
path, and not one row of the database changed. A corrected file gets a summary of what will
change, nothing is written until «Применить», then it is. A student pressing the office's
buttons (a new link, apply a file, cancel) is refused each time and nothing changes."""

from __future__ import annotations

from typing import Any

import yaml
from sqlalchemy import select

from services.actions import PeopleAdminAction, PeopleAdminVerb, encode
from services.config_upload import stamp_of
from storage.models import Base, Invitation, Municipality
from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.conftest import StartBot
from tests.e2e.test_apply import FAST, Applicant, _rows, season  # noqa: F401  (a fixture)
from tests.example_season import EXAMPLE
from tests.unit.test_people_admin_dialog import BOOKKEEPING, BROKEN_SEASON

OFFICE, STUDENT = 901, 902
NOT_ALLOWED = "Недостаточно прав"


async def _everything(url: str) -> dict[str, list[Any]]:
    return {
        table.name: await _rows(url, select(table))
        for table in Base.metadata.sorted_tables
        if table.name not in BOOKKEEPING
    }


async def _send_document(office: Applicant, name: str, data: bytes, expect: str) -> dict[str, Any]:
    return await office.say("", expect, document={"file_name": name, "data": data,
                                                  "mime_type": "application/x-yaml"})  # fmt: skip


def _good_season() -> str:
    """The example season with one municipality more (the window as the fixture has it)."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["municipalities"].append("Посёлок Новый")
    return yaml.safe_dump(data, allow_unicode=True)


async def test_a_broken_season_file_lists_its_errors_and_changes_nothing_a_good_one_applies(
    emulator: BotApiEmulator,
    start_bot: StartBot,
    season: dict[str, str],  # noqa: F811
) -> None:
    url = season["DATABASE_URL"]
    await start_bot(**FAST, OFFICE_ADMIN_IDS=OFFICE)
    office = Applicant(emulator, OFFICE)
    await office.say("/upload", "Пришлите файл сезона")
    before = await _everything(url)

    broken = await _send_document(office, "season.yaml", BROKEN_SEASON.encode(), "ошибок")
    text = broken["text"]
    assert text.startswith("В файле сезона ошибок: 3.")
    for path in ("season.applications_close:", "ideas[0].code:", "ideas[0].capacity.students:"):
        assert path in text, text
    assert "Ничего не изменено" in text
    assert emulator.calls("getFile")
    assert await _everything(url) == before

    good = _good_season()
    summary = await _send_document(office, "season.yml", good.encode(), "проверен")
    assert "Будет обновлён набор tomsk-2026" in summary["text"]
    assert "Муниципалитеты: добавится 1, изменится 0, уберётся 0" in summary["text"]
    assert await _everything(url) == before  # nothing until the press

    # A student's forged presses of the office's buttons: each refused, nothing written.
    student = Applicant(emulator, STUDENT)
    reply = await student.say("/start", "Кадры будущего для регионов")
    forged = [
        PeopleAdminAction(verb=PeopleAdminVerb.INVITE, role="office"),
        PeopleAdminAction(verb=PeopleAdminVerb.APPLY_FILE, stamp=stamp_of(good)),
        PeopleAdminAction(verb=PeopleAdminVerb.CANCEL_FILE),
    ]
    for action in forged:
        answered = len(emulator.calls("answerCallbackQuery"))
        emulator.press_button(STUDENT, reply["message_id"], encode(action), check=False)
        alerts = await emulator.wait_for(
            lambda answered=answered: emulator.calls("answerCallbackQuery")[answered:] or None
        )
        assert NOT_ALLOWED in alerts[-1].params.get("text", "")
    assert await _rows(url, select(Invitation.id).where(Invitation.role == "office")) == []
    assert (
        await _rows(url, select(Municipality.id).where(Municipality.name == "Посёлок Новый")) == []
    )

    message_id, data = office._button("Применить")
    emulator.press_button(OFFICE, message_id, data)
    await emulator.wait_for(
        lambda: (
            "Файл сезона применён" in (emulator.message(OFFICE, message_id) or {}).get("text", "")
        )
    )
    assert await _rows(url, select(Municipality.id).where(Municipality.name == "Посёлок Новый"))

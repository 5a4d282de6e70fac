"""Exports end to end: the bot process against the Bot API emulator. An applicant's answer
starts with `=1+1`; the office sends `/export applications` and the document it receives opens
with openpyxl, one row per application, that answer a text cell; the office's /export button
works; a student pressing the office's button (its callback data forged) is refused and gets
no file. On MAX, the office's button brings the same file."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

from openpyxl import load_workbook

from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.domain import Messenger, Role
from services.i18n import Texts
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_async
from storage.uow import UnitOfWorkFactory
from tests.e2e.botapi_emulator import BotApiEmulator, RecordedCall
from tests.e2e.conftest import StartBot, StartMax
from tests.e2e.max_emulator import MaxApiEmulator
from tests.e2e.test_teams import Chats, _callback
from tests.selection_world import OFFICE, add_applicant, build_world
from tests.texts import said

FIRST, SECOND, THIRD = 8401, 8402, 8403


async def _seed(url: str) -> list[int]:
    await upgrade_async(url)
    engine = create_engine(url)
    try:
        factory = UnitOfWorkFactory(create_session_factory(engine))
        clock = FixedClock(datetime.now(UTC))
        world = await build_world(factory, clock)
        return [
            await add_applicant(factory, clock, world, FIRST, ["peat-monitor"], media=False,
                                answers={"about": "=1+1"}),
            await add_applicant(factory, clock, world, SECOND, ["space-sat"], media=False),
            await add_applicant(factory, clock, world, THIRD, ["space-sat"], media=False),
        ]  # fmt: skip
    finally:
        await engine.dispose()


def _documents(emulator: BotApiEmulator, chat_id: int) -> list[RecordedCall]:
    return [
        call
        for call in emulator.calls("sendDocument")
        if str(call.params.get("chat_id")) == str(chat_id)
    ]


async def _document(emulator: BotApiEmulator, count: int) -> bytes:
    found = await emulator.wait_for(lambda: _documents(emulator, OFFICE)[count - 1 :], 30)
    [upload] = list(found[0].files.values())
    assert upload.filename.startswith("applications-") and upload.filename.endswith(".xlsx")
    return upload.data


def _check_workbook(data: bytes, apps: list[int]) -> None:
    sheet = load_workbook(io.BytesIO(data))["Заявки"]
    rows: list[Any] = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    assert [row[0].value for row in rows[1:]] == [f"T-{app:05d}" for app in apps]
    about = rows[1][header.index("О себе")]
    assert (about.value, about.data_type) == ("=1+1", "s")
    assert all(cell.data_type != "f" for row in rows for cell in row)


async def test_export_applications_and_a_student_refused(
    emulator: BotApiEmulator, start_bot: StartBot, bot_env: dict[str, str]
) -> None:
    apps = await _seed(bot_env["DATABASE_URL"])
    for user_id in (OFFICE, FIRST, SECOND, THIRD):
        emulator.user(user_id)
    chats = Chats(emulator)
    await start_bot(THROTTLE_RATE_PER_SECOND=1000)

    await chats.say(OFFICE, "/export applications", said("export-sent"))
    _check_workbook(await _document(emulator, 1), apps)

    menu = await chats.say(OFFICE, "/export", "Что выгрузить?")
    button = _callback(menu, "ex:1:a:")
    emulator.press_button(OFFICE, menu["message_id"], button)
    _check_workbook(await _document(emulator, 2), apps)

    # A student presses the office's button (the same callback data, forged): refused.
    await chats.say(SECOND, "/start", "")
    forged_at = len(emulator.calls("answerCallbackQuery"))
    emulator.press_button(
        SECOND, emulator.messages_to(SECOND)[-1]["message_id"], button, check=False
    )
    answer = await emulator.wait_for(lambda: emulator.calls("answerCallbackQuery")[forged_at:], 15)
    assert answer[0].params.get("text") == said("export-not-allowed")
    assert answer[0].params.get("show_alert")
    refused = await chats.say(FIRST, "/export applications", said("export-not-allowed"))
    assert refused["text"] == said("export-not-allowed")
    assert _documents(emulator, SECOND) == [] and _documents(emulator, FIRST) == []
    assert len(_documents(emulator, OFFICE)) == 2


MAX_OFFICE = 9109


async def _seed_max_office(url: str, dialog: int) -> list[int]:
    """The applications of `_seed`, and an office member known on MAX only."""
    apps = await _seed(url)
    engine = create_engine(url)
    try:
        factory = UnitOfWorkFactory(create_session_factory(engine))
        clock = FixedClock(datetime.now(UTC))
        async with factory() as uow:
            services = Services(uow, clock, Texts(), ServiceConfig())
            me = await services.people.identify(
                MAX_OFFICE, "ru", messenger=Messenger.MAX, chat_id=dialog
            )
            await uow.people.grant(me.person_id, Role.OFFICE, None, clock.now())
            await uow.commit()
        return apps
    finally:
        await engine.dispose()


async def test_export_on_max_by_the_button(
    max_emulator: MaxApiEmulator, start_max_bot: StartMax, max_env: dict[str, str]
) -> None:
    max_emulator.user(MAX_OFFICE, "Офис")
    apps = await _seed_max_office(max_env["DATABASE_URL"], max_emulator.dialog_id(MAX_OFFICE))
    await start_max_bot()

    max_emulator.send_text(MAX_OFFICE, "/export")
    await max_emulator.wait_for(
        lambda: [
            m for m in max_emulator.messages_to(MAX_OFFICE)
            if "Что выгрузить?" in (m["body"].get("text") or "")
        ],
        15,
    )  # fmt: skip
    max_emulator.press_button(MAX_OFFICE, said("export-btn-applications"))
    [upload] = await max_emulator.wait_for(lambda: max_emulator.files_to(MAX_OFFICE), 30)
    assert upload.filename.startswith("applications-") and upload.filename.endswith(".xlsx")
    _check_workbook(upload.data, apps)

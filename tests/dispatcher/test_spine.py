"""The bot's spine through the real Dispatcher: /start, invitations, /help, /cancel, fallback,
errors, dedupe, throttling, the command menu."""

from __future__ import annotations

import asyncio

import pytest
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import StorageKey

from bot.middlewares import ThrottlingMiddleware
from services.container import ServiceConfig, Services
from services.domain import OutboxStatus, Role
from services.i18n import Texts
from storage.db import create_engine
from tests.databases import ON_BOTH_DATABASES
from tests.dispatcher.harness import Harness
from tests.texts import opening, said


async def _invite(harness: Harness, role: Role) -> str:
    async with harness.app.uow_factory() as uow:
        services = Services(uow, harness.app.sender.clock, Texts(), ServiceConfig())
        [payload] = await services.invitations.create(role)
    return payload


async def test_start_greets_a_newcomer(harness: Harness) -> None:
    await harness.send(10, "/start")
    [text] = harness.session.texts_to(10)
    assert said("start-welcome") in text


@ON_BOTH_DATABASES  # reaches statements only this test runs on PG
async def test_invitation_link_grants_role_once_and_updates_menu(harness: Harness) -> None:
    payload = await _invite(harness, Role.OFFICE)
    await harness.send(10, f"/start {payload}")
    await harness.send(11, f"/start {payload}")
    await harness.send(11, "/start inv_nonsense")
    assert harness.session.texts_to(10) == [
        said("invite-granted", role="сотрудник регионального проектного офиса")
    ]
    used, unknown = harness.session.texts_to(11)
    assert said("invite-used") in used and said("invite-unknown") in unknown

    # The menu update went through the outbox and the sender, scoped to that chat.
    assert await harness.deliver() == 1
    [menu] = harness.session.of("SetMyCommands")
    assert menu.scope.type == "chat" and menu.scope.chat_id == 10
    assert [c.command for c in menu.commands][:3] == ["start", "help", "cancel"]
    async with harness.app.uow_factory() as uow:
        assert await uow.outbox.counts() == {OutboxStatus.SENT: 1}

    await harness.send(10, "/help")
    assert said("help-office") in harness.session.texts_to(10)[-1]


@ON_BOTH_DATABASES  # reaches statements only this test runs on PG
async def test_office_admin_from_settings_is_recognised(harness: Harness) -> None:
    await harness.send(777, "/start")
    [text] = harness.session.texts_to(777)
    assert opening("start-welcome-back") in text and "проектного офиса" in text


async def test_cancel_clears_state_and_says_so(harness: Harness) -> None:
    await harness.send(10, "/cancel")
    key = StorageKey(bot_id=harness.app.bot.id, chat_id=10, user_id=10)
    context = FSMContext(storage=harness.app.dp.storage, key=key)
    await context.set_state("some:step")
    await harness.send(10, "/cancel")
    assert harness.session.texts_to(10) == [
        said("cancel-nothing"),
        said("cancel-done"),
    ]
    assert await context.get_state() is None


async def test_unknown_text_and_forged_button_get_clear_answers(harness: Harness) -> None:
    await harness.send(10, "привет")
    await harness.press(10, "stage:approve:1")
    assert harness.session.texts_to(10) == [said("fallback-unknown")]
    assert harness.session.alerts() == [said("fallback-button-malformed")]


@ON_BOTH_DATABASES  # reaches statements only this test runs on PG
async def test_unexpected_error_becomes_an_apology_and_a_log_without_personal_data(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    payload = await _invite(harness, Role.MENTOR)
    # The database goes away under the bot: the user hears an apology, the log names the update.
    harness.app.uow_factory.sessions.configure(
        bind=create_engine("postgresql://nobody@127.0.0.1:1/none")
    )
    await harness.send(12, f"/start {payload}", update_id=777_123)
    assert harness.session.texts_to(12) == [said("error-unexpected")]
    # An outage, not a bug: one line naming the dependency (tests/dispatcher/test_limits.py).
    assert "update 777123 failed: database unavailable (ConnectionRefusedError)" in caplog.text
    assert payload not in caplog.text and "User12" not in caplog.text


async def test_one_flooding_user_does_not_hold_up_another(harness: Harness) -> None:
    # Time stands still for the bucket, so how fast this machine runs the flood does not matter.
    [throttling] = [
        m for m in harness.app.dp.update.outer_middleware if isinstance(m, ThrottlingMiddleware)
    ]
    throttling.monotonic = lambda: 1000.0
    flood = [harness.send(20, "привет") for _ in range(50)]
    await asyncio.gather(*flood, harness.send(21, "/start"))
    answers_20 = harness.session.texts_to(20)
    # The burst is answered, the rest dropped with a single notice.
    assert answers_20.count(said("throttled")) == 1
    assert len(answers_20) == 11  # the burst of 10, and the notice
    assert len(harness.session.texts_to(21)) == 1

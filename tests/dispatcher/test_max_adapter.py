"""The bot on MAX: the real maxapi Dispatcher, polling the MAX emulator (tests/e2e/max_emulator.py)
in this process, over the MAX adapter (max_adapter/) and the real dialogs and services on SQLite.
A 13-year-old opens the bot, applies, passes the parent's consent and every step, and submits;
a forged and a malformed button press are refused; every reply goes to the dialog's own chat id,
which on MAX is not the user's id."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from maxapi import Bot

from dialogs.registry import DIALOGS
from max_adapter.chat import MAX_TEXT_LIMIT
from max_adapter.cursor import MemoryCursors
from max_adapter.dispatch import MaxAdapter, build_dispatcher
from services.actions import ApplyAction, ApplyVerb, encode
from services.clock import FixedClock
from services.container import ServiceConfig
from services.domain import ApplicationStatus, Messenger
from services.i18n import Texts
from storage.uow import UnitOfWorkFactory
from tests.applicants import ABOUT, EXPERIENCE, WHY
from tests.e2e.max_emulator import MaxApiEmulator
from tests.example_season import import_example

t = Texts().for_language("ru")
ME = 4242  # the MAX user; their dialog with the bot has another id
STEPS = 19  # the example season's questionnaire for a student under 14
PARENT = 4243  # the parent's own MAX account


@dataclass
class MaxBot:
    emu: MaxApiEmulator
    cursors: MemoryCursors
    adapter: MaxAdapter

    async def settled(self) -> None:
        """Every injected update handled: the Dispatcher confirmed it with its next poll."""
        await self.emu.wait_for(lambda: not self.emu.pending_updates())

    async def type(self, text: str) -> None:
        self.emu.send_text(ME, text)
        await self.settled()

    async def press(self, text: str) -> None:
        self.emu.press_button(ME, text)
        await self.settled()

    @property
    def last(self) -> str:
        return self.emu.texts_to(ME)[-1]

    def on_step(self, n: int, prompt: str | None = None) -> None:
        assert t("apply-progress", n=n, total=STEPS) in self.last, self.last
        if prompt is not None:
            assert t(prompt) in self.last, self.last


@pytest.fixture
async def max_bot(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> AsyncIterator[MaxBot]:
    await import_example(uow_factory, clock)
    cursors = MemoryCursors()
    adapter = MaxAdapter(DIALOGS, uow_factory, clock, Texts(), ServiceConfig(), cursors)
    dp = build_dispatcher(adapter)
    async with MaxApiEmulator(default_poll_timeout=0.2) as emu:
        emu.user(ME, first_name="Пётр", username="petr")
        emu.user(PARENT, first_name="Елена")
        bot = Bot(token=emu.token)
        bot.set_api_url(emu.base_url)
        bot.after_input_media_delay = 0  # maxapi's 2 s pause after an upload: none here
        polling = asyncio.create_task(dp.start_polling(bot))
        try:
            yield MaxBot(emu, cursors, adapter)
        finally:
            await dp.stop_polling()
            await asyncio.gather(polling, return_exceptions=True)
            await bot.close_session()


async def _through_consent(m: MaxBot) -> None:
    """Under 14 the parent's step holds until the parent, from their own MAX account, opens
    the child's link (typed as `/start pc_…`, as MAX shows it) and confirms."""
    m.emu.bot_started(ME)
    await m.settled()
    assert m.emu.texts_to(ME), "the bot answered the start"
    await m.type("/apply")
    assert t("apply-progress", n=1, total=20) in m.last
    await m.press(t("apply-choice-role-student"))
    await m.press(t("apply-choice-age_group-child", under=14))
    m.on_step(3)
    await m.press(t("apply-btn-parent-link"))
    found = re.search(r"(pc_[\w-]+)", m.emu.texts_to(ME)[-1])
    assert found is not None, m.emu.texts_to(ME)[-1]
    for done in (
        lambda: m.emu.send_text(PARENT, f"/start {found.group(1)}"),
        lambda: m.emu.share_contact(PARENT, "+79131002030"),
        lambda: m.emu.send_text(PARENT, "Иванова Елена Сергеевна"),
        lambda: m.emu.press_button(PARENT, t("apply-choice-rep_relation-mother")),
        lambda: m.emu.press_button(PARENT, t("parent-btn-confirm")),
    ):
        done()
        await m.settled()
    assert m.emu.texts_to(PARENT)[-1] == t("parent-consent-done")
    await m.press(t("apply-btn-parent-check"))


async def _personal_steps(m: MaxBot) -> None:
    m.on_step(4)
    await m.type("31.02.2013")  # no such day: refused, the step asked again
    m.on_step(4)
    await m.type("15.01.2013")
    m.on_step(5, "apply-step-full_name")
    await m.type("Иванов Пётр Алексеевич")
    m.on_step(6, "apply-step-municipality")
    await m.type("Том")
    await m.press("Томск")
    m.on_step(7, "apply-step-edu_type")
    await m.press(t("apply-choice-edu_type-school"))
    await m.type("МАОУ СОШ № 32 г. Томска")
    await m.type("7")
    m.on_step(10, "apply-step-phone")
    keys = [b for row in m.emu.last_keyboard(ME) or [] for b in row]
    share = {"type": "request_contact", "text": t("apply-btn-share-contact")}
    assert any(b.items() >= share.items() for b in keys), keys
    m.emu.share_contact(ME, "+79135554433")
    await m.settled()
    m.on_step(11, "apply-step-email")
    await m.type("Petr@Example.RU")
    await m.press(t("apply-btn-skip"))  # Leader-ID is optional
    m.on_step(13, "apply-step-meo")
    await m.type("petr.ivanov")


async def _about_and_ideas(m: MaxBot) -> None:
    await m.type(ABOUT)
    await m.type(ABOUT + " Ещё я веду блог о науке.")
    await m.type(WHY)
    await m.type(EXPERIENCE)
    m.on_step(18)
    await m.press("4")
    m.on_step(19)
    shown = len(m.emu.messages_to(ME))
    await m.press("▫️ Мониторинг торфяных пожаров с дронов")
    await m.press(t("apply-btn-next"))
    await m.press("▫️ Умный школьный автобус")
    assert len(m.emu.messages_to(ME)) == shown  # picking and paging redraw the list in place
    await m.press(t("apply-btn-done"))


async def test_a_13_year_old_applies_on_max(
    max_bot: MaxBot, uow_factory: UnitOfWorkFactory
) -> None:
    m, emu = max_bot, max_bot.emu
    await _through_consent(m)
    await _personal_steps(m)
    await _about_and_ideas(m)
    assert m.last.startswith(t("apply-review-title", status="draft", number=""))
    await m.press(t("apply-btn-submit"))
    submitted = t("apply-submitted", number="TOMSK-2026-00001", closes="—")
    assert m.last.split("\n")[0] == submitted.split("\n")[0]
    submit_buttons = [
        b
        for message in emu.messages_to(ME)
        for row in emu.keyboard(message["body"]["mid"]) or []
        for b in row
        if b["text"] == t("apply-btn-submit")
    ]
    assert not submit_buttons  # the pressed review lost its buttons

    # Every answer went to the person's dialog chat, whose id is not the user's: the child's to
    # theirs, the parent's to the parent's.
    dialog = emu.dialog_id(ME)
    assert dialog != ME
    sends = emu.calls("POST /messages")
    assert sends and {c.query.get("chat_id") for c in sends} == {
        str(dialog), str(emu.dialog_id(PARENT)),
    }  # fmt: skip
    async with uow_factory() as uow:
        account = await uow.people.lookup(ME, Messenger.MAX)
        assert account is not None and account.chat_id == dialog
        (application,) = await uow.applications.all_of_person(account.id)
        assert application.status is ApplicationStatus.SUBMITTED
    assert m.cursors.cursors[(dialog, ME)].state is None


async def test_forged_and_malformed_presses_are_refused(
    max_bot: MaxBot, caplog: pytest.LogCaptureFixture
) -> None:
    m, emu = max_bot, max_bot.emu
    await m.type("/apply")
    before = emu.texts_to(ME)

    malformed = "apl:1:zz:" + "x" * 20
    with caplog.at_level(logging.INFO, logger="max_adapter.dispatch"):
        emu.press_forged(ME, malformed)
        await m.settled()
    assert emu.notifications_to(ME)[-1] == t("fallback-button-malformed")
    assert malformed not in caplog.text and "refused a malformed" in caplog.text

    # Well-formed, but for an application that is not theirs: the service refuses it.
    emu.press_forged(ME, encode(ApplyAction(verb=ApplyVerb.SUBMIT, application=999)))
    await m.settled()
    assert emu.notifications_to(ME)[1:] == [t("error-not-allowed")]
    assert emu.texts_to(ME) == before  # nothing drawn, nothing changed

    await m.type("/nosuchcommand")  # inside the questionnaire, its dialog answers it
    assert t("apply-progress", n=1, total=20) in m.last
    await m.type("/cancel")
    await m.type("/nosuchcommand")
    assert m.last == t("fallback-unknown")


async def test_a_lost_cursor_resumes_the_draft(max_bot: MaxBot) -> None:
    m = max_bot
    await m.type("/apply")
    await m.press(t("apply-choice-role-student"))
    await m.press(t("apply-choice-age_group-child", under=14))
    m.on_step(3)
    m.cursors.cursors.clear()  # a restart on the in-memory store
    await m.type("Иванов Пётр")  # taken as the answer to the step the draft is at: refused there
    m.on_step(3)
    assert m.last.startswith(t("apply-parent-waiting"))


def _unavailable() -> Any:
    raise ConnectionRefusedError("database down")


async def test_an_outage_is_one_warning_and_the_short_apology(
    max_bot: MaxBot, caplog: pytest.LogCaptureFixture
) -> None:
    m = max_bot
    m.adapter.uow_factory = _unavailable  # type: ignore[assignment]
    with caplog.at_level(logging.WARNING, logger="max_adapter.dispatch"):
        await m.type("/apply")
    assert m.last == t("error-unexpected")
    [line] = [r for r in caplog.records if r.name == "max_adapter.dispatch"]
    assert line.levelno == logging.WARNING and "database unavailable" in line.getMessage()
    assert not line.exc_info


async def test_a_long_text_is_split_under_max_limit(max_bot: MaxBot) -> None:
    from dialogs.screen import Screen
    from max_adapter.chat import MaxChat

    emu = max_bot.emu
    bot = Bot(token=emu.token)
    bot.set_api_url(emu.base_url)
    try:
        chat = MaxChat(bot, emu.dialog_id(ME))
        await chat.show(Screen("слово " * 1500))
    finally:
        await bot.close_session()
    parts = emu.texts_to(ME)
    assert len(parts) == 3 and all(len(part) <= MAX_TEXT_LIMIT for part in parts)


async def test_forget_on_max_asks_then_erases_and_clears_the_cursor(
    max_bot: MaxBot, uow_factory: UnitOfWorkFactory
) -> None:
    m, emu = max_bot, max_bot.emu
    await _through_consent(m)
    m.on_step(4)
    await m.type("/forget")  # typed on a questionnaire step: /forget's, not the step's
    assert m.last == t("forget-ask")
    await m.press(t("forget-btn-confirm"))
    assert m.last.split("\n")[0] == t("forget-done", list="").split("\n")[0]
    assert "Иванова Елена Сергеевна" not in m.last
    assert m.cursors.cursors[(emu.dialog_id(ME), ME)].state is None
    async with uow_factory() as uow:
        account = await uow.people.lookup(ME, Messenger.MAX)
        assert account is not None
        (application,) = await uow.applications.all_of_person(account.id)
        assert application.status is ApplicationStatus.WITHDRAWN

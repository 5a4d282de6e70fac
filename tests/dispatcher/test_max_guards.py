"""MAX updates pass the same guards as Telegram's (services/guards.py through
max_adapter/guard.py): the real maxapi Dispatcher, concurrent as in production, polling the MAX
emulator in this process. A redelivered update's effect happens once (the screen is shown again);
one user's flood is dropped before any database work while another user is answered."""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from maxapi import Bot
from sqlalchemy import func, select

from dialogs.registry import DIALOGS
from max_adapter.cursor import MemoryCursors
from max_adapter.dispatch import MaxAdapter, build_dispatcher
from max_adapter.guard import MaxGuards
from services.clock import FixedClock
from services.container import ServiceConfig
from services.guards import TokenBucket, UpdateDedupe, UpdateSlots
from services.i18n import Texts
from storage.models import Application, ProcessedUpdate
from storage.uow import UnitOfWorkFactory
from tests.e2e.max_emulator import MaxApiEmulator
from tests.example_season import import_example

t = Texts().for_language("ru")
FLOODER, OTHER = 4242, 4343


@dataclass
class Guarded:
    emu: MaxApiEmulator
    uow_factory: UnitOfWorkFactory
    # What the adapter reported of each update: its type and outcome.
    observed: list[tuple[str, str]]

    async def answers(self, user_id: int, count: int) -> list[str]:
        """Wait for `count` texts to the user, then a little longer: no more may come."""
        await self.emu.wait_for(lambda: len(self.emu.texts_to(user_id)) >= count)
        await asyncio.sleep(0.3)
        return self.emu.texts_to(user_id)

    async def count(self, table: type[ProcessedUpdate | Application]) -> int:
        async with self.uow_factory() as uow:
            return int(await uow.session.scalar(select(func.count()).select_from(table)) or 0)


@pytest.fixture
async def guarded(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> AsyncIterator[Guarded]:
    texts = Texts()
    await import_example(uow_factory, clock)
    # Time stands still for the bucket: how fast this machine runs the flood does not matter.
    guards = MaxGuards(
        TokenBucket(rate_per_second=5.0, burst=10, monotonic=lambda: 1000.0),
        UpdateSlots(limit=2, timeout=5.0),
        UpdateDedupe(clock),
        texts,
    )
    observed: list[tuple[str, str]] = []
    adapter = MaxAdapter(
        DIALOGS, uow_factory, clock, texts, ServiceConfig(), MemoryCursors(), guards,
        observe=lambda kind, outcome, seconds: observed.append((kind, outcome)),
    )  # fmt: skip
    dp = build_dispatcher(adapter, concurrent=True)
    async with MaxApiEmulator(default_poll_timeout=0.2) as emu:
        emu.user(FLOODER, first_name="Пётр")
        emu.user(OTHER, first_name="Анна")
        bot = Bot(token=emu.token)
        bot.set_api_url(emu.base_url)
        polling = asyncio.create_task(dp.start_polling(bot))
        try:
            yield Guarded(emu, uow_factory, observed)
        finally:
            await dp.stop_polling()
            await asyncio.gather(polling, return_exceptions=True)
            await bot.close_session()


async def test_a_redelivered_max_update_changes_nothing_and_shows_the_screen_again(
    guarded: Guarded, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="max_adapter.dispatch")
    emu = guarded.emu
    started = emu.bot_started(FLOODER)
    first = await guarded.answers(FLOODER, 1)
    emu.send_text(FLOODER, "/apply")
    await guarded.answers(FLOODER, len(first) + 1)
    press = emu.press_button(FLOODER, t("apply-choice-role-student"))  # the role: committed
    shown = await guarded.answers(FLOODER, len(first) + 2)
    assert await guarded.count(ProcessedUpdate) == 2  # /apply opened the draft, then the press
    # MAX sends both again, unchanged (a crash before the marker moved on, a webhook retry).
    emu.inject_update(copy.deepcopy(started))
    emu.inject_update(copy.deepcopy(press))
    answers = await guarded.answers(FLOODER, len(shown) + 2)
    # The start wrote nothing: answered again. The press committed: its commit now rolled back,
    # the screen where the applicant stands (the age group) is shown again.
    assert sorted(answers[-2:]) == sorted([first[-1], shown[-1]])
    assert caplog.text.count("max update cb handled before") == 1
    assert await guarded.count(ProcessedUpdate) == 2 and await guarded.count(Application) == 1


async def test_a_flood_from_one_max_user_is_dropped_before_the_database(guarded: Guarded) -> None:
    emu = guarded.emu
    for n in range(30):
        emu.send_text(FLOODER, f"привет {n}")
    emu.send_text(OTHER, "привет")
    answers = await guarded.answers(FLOODER, 11)
    # The burst is answered, the rest dropped with a single notice.
    assert len(answers) == 11 and answers.count(t("throttled")) == 1
    assert answers.count(t("fallback-unknown")) == 10
    assert await guarded.answers(OTHER, 1) == [t("fallback-unknown")]
    # Only the admitted updates reached the database; the rest were refused at the bucket.
    flooded = [outcome for kind, outcome in guarded.observed if kind == "message_created"]
    assert flooded.count("ok") == 10 + 1 and flooded.count("refused") == 20  # 1: the other

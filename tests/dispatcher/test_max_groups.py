"""A team's chat as a MAX group, end to end in this process: the real maxapi Dispatcher polling
the MAX emulator over the MAX adapter (max_adapter/groups.py), and the outbox sender over
MaxTransport. The tutor types /bind CODE in the group where the bot is admin; the bot adds the
student who is on MAX to the group itself (POST members), posts its welcome there, tells the
student only on Telegram where the chat is; one not on the team cannot bind; the mentor's
/announce reaches the group; a member leaving the team is removed from it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from maxapi import Bot
from sqlalchemy import select

from bot.max_transport import MaxTransport, max_limiter
from bot.sender import Sender
from dialogs.registry import DIALOGS
from max_adapter.cursor import MemoryCursors
from max_adapter.dispatch import MaxAdapter, build_dispatcher
from services.clock import FixedClock
from services.container import ServiceConfig
from services.domain import Messenger
from services.i18n import Texts
from storage.models import Account, OutgoingMessage
from storage.uow import UnitOfWorkFactory
from tests.e2e.max_emulator import MaxApiEmulator
from tests.plans_world import MENTOR, STUDENT, STUDENT2, TUTOR, build_world, services
from tests.texts import said

GROUP = -70_001
ON_MAX = {MENTOR: 8201, TUTOR: 8202, STUDENT: 8301}  # Telegram id -> MAX user id
STRANGER = 8999  # a MAX user the bot does not know


@dataclass
class Groups:
    emu: MaxApiEmulator
    sender: Sender
    uow_factory: UnitOfWorkFactory
    clock: FixedClock

    async def type(self, user_id: int, text: str) -> None:
        self.emu.send_message(user_id, text, chat_id=GROUP)
        await self.emu.wait_for(lambda: not self.emu.pending_updates())

    def group_texts(self) -> list[str]:
        return [m["body"].get("text") or "" for m in self.emu.messages_in(GROUP)]


async def _link_max_accounts(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, emu: MaxApiEmulator
) -> None:
    """The mentor, the tutor and one student also use the bot on MAX (their accounts linked)."""
    async with uow_factory() as uow:
        for tg_id, max_id in ON_MAX.items():
            person = await uow.people.by_tg_id(tg_id)
            assert person is not None
            emu.user(max_id, first_name=f"Участник {max_id}")
            now = clock.now()
            uow.session.add(
                Account(
                    person_id=person.id,
                    messenger=Messenger.MAX,
                    user_id=max_id,
                    chat_id=emu.dialog_id(max_id),
                    created_at=now,
                    last_seen_at=now,
                )
            )
        await uow.commit()


@pytest.fixture
async def groups(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> AsyncIterator[Groups]:
    await build_world(uow_factory, clock, chat_id=None)
    texts = Texts()
    adapter = MaxAdapter(DIALOGS, uow_factory, clock, texts, ServiceConfig(), MemoryCursors())
    dp = build_dispatcher(adapter)
    async with MaxApiEmulator(default_poll_timeout=0.2) as emu:
        await _link_max_accounts(uow_factory, clock, emu)
        emu.user(STRANGER, first_name="Чужой")
        # The tutor made the group and added the bot as admin (with adding members allowed).
        emu.group(GROUP, "Альфа MAX", members=(ON_MAX[TUTOR], STRANGER), owner_id=ON_MAX[TUTOR])
        bot = Bot(token=emu.token)
        bot.set_api_url(emu.base_url)
        sender = Sender(
            MaxTransport(bot, rate_limit_pause=0.05),
            uow_factory,
            clock,
            texts,
            max_limiter(),
            messenger=Messenger.MAX,
        )
        polling = asyncio.create_task(dp.start_polling(bot))
        try:
            yield Groups(emu, sender, uow_factory, clock)
        finally:
            await dp.stop_polling()
            await asyncio.gather(polling, return_exceptions=True)
            await bot.close_session()


async def test_binding_a_max_group_adds_the_members_and_posts_there(groups: Groups) -> None:
    emu = groups.emu
    await groups.type(STRANGER, "/bind alpha")  # not the team's staff, not even known
    assert groups.group_texts() == [said("team-bind-not-staff")]

    await groups.type(ON_MAX[TUTOR], "/bind alpha")
    assert not emu.is_member(GROUP, ON_MAX[STUDENT])  # queued, not sent yet
    await groups.sender.deliver_due()
    assert emu.is_member(GROUP, ON_MAX[STUDENT])
    assert emu.is_member(GROUP, ON_MAX[MENTOR])
    assert groups.group_texts()[-1] == said("team-chat-bound-max", team="Альфа")
    async with groups.uow_factory() as uow:  # the student only on Telegram: told on Telegram
        rows = list(await uow.session.scalars(select(OutgoingMessage)))
    elsewhere = said("team-chat-elsewhere", team="Альфа", messenger="MAX")
    told = [r for r in rows if r.kind == "text" and r.payload["text"] == elsewhere]
    assert [(r.messenger, r.chat_id) for r in told] == [(Messenger.TELEGRAM, STUDENT2)]

    await groups.type(ON_MAX[MENTOR], "/announce Встреча в 18:00")
    await groups.sender.deliver_due()
    expected = said("team-announcement", team="Альфа", text="Встреча в 18:00")
    assert groups.group_texts()[-1] == expected

    async with groups.uow_factory() as uow:
        await services(uow, groups.clock).teams.remove_member("alpha", STUDENT)
    await groups.sender.deliver_due()
    assert not emu.is_member(GROUP, ON_MAX[STUDENT])

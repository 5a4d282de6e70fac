"""A team's chat as a MAX group: the same binding rules as a Telegram group, members on MAX
added by the bot (no invite links), one not on the group's messenger told where the chat is,
a member leaving the team removed, posts and digests addressed to the MAX group, and the
group's own updates (a member leaving it, the bot removed) keyed by MAX ids."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete, select

from services.clock import FixedClock
from services.domain import ChatState, Messenger, TeamRole
from services.errors import Conflict, DomainError, NotAllowed
from services.team_chat import BotRights
from storage.models import Account, OutgoingMessage
from storage.uow import UnitOfWorkFactory
from tests.plans_world import MENTOR, STUDENT, STUDENT2, TUTOR, World, build_world, services
from tests.texts import said

MAX_GROUP = -7001
FULL = BotRights(True, True, True)
ON_MAX = {MENTOR: 9201, TUTOR: 9202, STUDENT: 9301}  # Telegram id -> MAX user id


@pytest.fixture
async def world(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> World:
    world = await build_world(uow_factory, clock, chat_id=None)
    async with uow_factory() as uow:  # linked accounts: these people are on both messengers
        for tg_id, max_id in ON_MAX.items():
            person = await uow.people.by_tg_id(tg_id)
            assert person is not None
            uow.session.add(
                Account(
                    person_id=person.id,
                    messenger=Messenger.MAX,
                    user_id=max_id,
                    chat_id=max_id + 100_000,
                    created_at=clock.now(),
                    last_seen_at=clock.now(),
                )
            )
        await uow.commit()
    return world


async def outbox(world: World) -> list[OutgoingMessage]:
    async with world.uow_factory() as uow:
        return list(await uow.session.scalars(select(OutgoingMessage).order_by(OutgoingMessage.id)))


async def clear_outbox(world: World) -> None:
    async with world.uow_factory() as uow:
        await uow.session.execute(delete(OutgoingMessage))
        await uow.commit()


async def bind_max(world: World, tg_id: int, rights: BotRights = FULL, code: str = "alpha") -> Any:
    me = await world.me(tg_id)
    async with world.uow_factory() as uow:
        return await services(uow, world.clock).team_chat.bind(
            me, code, MAX_GROUP, "Альфа MAX", rights, messenger=Messenger.MAX
        )


async def test_binding_a_max_group_adds_members_on_max_and_tells_the_others(world: World) -> None:
    result = await bind_max(world, TUTOR)
    assert result.invited == 2  # the mentor and the student on MAX; STUDENT2 is not there
    rows = await outbox(world)
    added = [(r.messenger, r.chat_id, r.payload) for r in rows if r.kind == "chat_add"]
    assert sorted(added, key=lambda a: a[2]["user_id"]) == [
        (Messenger.MAX, MAX_GROUP, {"user_id": ON_MAX[MENTOR]}),
        (Messenger.MAX, MAX_GROUP, {"user_id": ON_MAX[STUDENT]}),
    ]
    assert not [r for r in rows if r.kind == "invite_link"]
    posts = [r for r in rows if r.kind == "text" and r.chat_id == MAX_GROUP]
    assert [(p.messenger, p.payload["text"]) for p in posts] == [
        (Messenger.MAX, said("team-chat-bound-max", team="Альфа"))
    ]
    elsewhere = said("team-chat-elsewhere", team="Альфа", messenger="MAX")
    told = [r for r in rows if r.kind == "text" and r.payload["text"] == elsewhere]
    assert [(r.messenger, r.chat_id) for r in told] == [(Messenger.TELEGRAM, STUDENT2)]
    async with world.uow_factory() as uow:
        team = await uow.teams.get(world.team_id)
        assert team is not None and team.chat_messenger == Messenger.MAX
        assert await uow.teams.by_chat(MAX_GROUP) is None  # not a Telegram chat of that id
        student = await uow.teams.member_by_account(world.team_id, Messenger.MAX, ON_MAX[STUDENT])
        assert student is not None and student[0].chat_state is ChatState.APPROVED


async def test_the_same_rules_as_on_telegram(world: World) -> None:
    with pytest.raises(NotAllowed):
        await bind_max(world, STUDENT)  # only the team's staff
    with pytest.raises(DomainError) as missing:
        await bind_max(world, TUTOR, BotRights(True, False, False))
    assert missing.value.key == "team-chat-rights"
    assert missing.value.args_for_text["missing"] == said("team-right-members-max")
    await bind_max(world, TUTOR)
    assert (await bind_max(world, MENTOR)).already
    async with world.uow_factory() as uow:
        await services(uow, world.clock).teams.add_member("beta", MENTOR, TeamRole.MENTOR)
    with pytest.raises(Conflict):
        await bind_max(world, MENTOR, code="beta")  # one team per group


async def test_leaving_the_team_or_the_group_on_max(world: World) -> None:
    await bind_max(world, TUTOR)
    async with world.uow_factory() as uow:
        chats = services(uow, world.clock).team_chat
        assert await chats.member_joined(MAX_GROUP, ON_MAX[MENTOR], Messenger.MAX)
        assert not await chats.member_joined(MAX_GROUP, ON_MAX[MENTOR])  # a Telegram id
        assert await chats.member_left(MAX_GROUP, ON_MAX[MENTOR], Messenger.MAX)
    await clear_outbox(world)
    async with world.uow_factory() as uow:
        await services(uow, world.clock).teams.remove_member("alpha", STUDENT)
    kicks = [
        (r.messenger, r.chat_id, r.payload) for r in await outbox(world) if r.kind == "chat_kick"
    ]
    assert kicks == [(Messenger.MAX, MAX_GROUP, {"user_id": ON_MAX[STUDENT]})]


async def test_announcements_and_the_bot_removed_from_the_max_group(world: World) -> None:
    await bind_max(world, TUTOR)
    await clear_outbox(world)
    me = await world.me(MENTOR)
    async with world.uow_factory() as uow:
        await services(uow, world.clock).team_chat.announce_in_chat(
            me, MAX_GROUP, "Встреча в 18:00", messenger=Messenger.MAX
        )
    [post] = await outbox(world)
    assert (post.messenger, post.chat_id) == (Messenger.MAX, MAX_GROUP)
    assert post.payload["text"] == said("team-announcement", team="Альфа", text="Встреча в 18:00")
    async with world.uow_factory() as uow:
        change = await services(uow, world.clock).team_chat.bot_status_changed(
            MAX_GROUP, FULL, None, at=world.clock.now(), messenger=Messenger.MAX
        )
    assert change.unbound


async def test_a_member_only_on_max_is_told_the_telegram_chat_is_elsewhere(world: World) -> None:
    async with world.uow_factory() as uow:
        person = await uow.people.ensure_account(
            Messenger.MAX, 9999, 19999, "ru", world.clock.now()
        )
        await uow.teams.add_member(world.team_id, person.id, TeamRole.STUDENT, world.clock.now())
        await uow.commit()
    me = await world.me(TUTOR)
    async with world.uow_factory() as uow:
        await services(uow, world.clock).team_chat.bind(me, "alpha", -500, "Альфа", FULL)
    elsewhere = said("team-chat-elsewhere", team="Альфа", messenger="Telegram")
    told = [r for r in await outbox(world) if r.kind == "text" and r.payload["text"] == elsewhere]
    assert [(r.messenger, r.chat_id) for r in told] == [(Messenger.MAX, 19999)]

"""Teams through the real Dispatcher: /bind in a group with and without the bot's rights, the
startgroup deep link, invite links made by the sender, join requests, /team, /passport with
Back and keep, forged and repeated decision callbacks, and a group migrating to a supergroup
(its service messages, and the sender told so by Telegram), and the bot itself losing its
rights in the group or being removed from it."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from aiogram.exceptions import TelegramMigrateToChat
from aiogram.methods import SendMessage
from aiogram.types import (
    Chat,
    ChatJoinRequest,
    ChatMemberAdministrator,
    ChatMemberBanned,
    ChatMemberLeft,
    ChatMemberMember,
    ChatMemberUpdated,
    Message,
    MessageEntity,
    Update,
    User,
)

from services.actions import RoadmapAction, RoadmapVerb, TeamAction, TeamVerb, encode
from services.clock import FixedClock
from services.plans import Evidence
from tests.databases import ON_BOTH_DATABASES
from tests.dispatcher.harness import Harness, build_harness, user
from tests.plans_world import (
    MENTOR,
    OUTSIDER,
    STUDENT,
    STUDENT2,
    TUTOR,
    World,
    build_world,
    local,
    services,
)
from tests.texts import said

MSK = "Europe/Moscow"
GROUP, SUPERGROUP = -4001, -1004001
NOT_ALLOWED = "Недостаточно прав для этого действия."
_ids = itertools.count(500_000)


@pytest.fixture
async def harness(db_url: str, clock: FixedClock, bot_token: str) -> AsyncIterator[Harness]:
    harness = build_harness(db_url, clock, bot_token, throttle_rate_per_second=1000)
    yield harness
    await harness.app.engine.dispose()


@pytest.fixture
async def world(harness: Harness, clock: FixedClock) -> World:
    clock.moment = local(MSK, 2026, 9, 1, 10, 0).astimezone(UTC)
    return await build_world(harness.app.uow_factory, clock, MSK, chat_id=None)


def group_chat(chat_id: int = GROUP) -> Chat:
    return Chat(id=chat_id, type="group" if chat_id > -1_000_000 else "supergroup", title="Альфа")


def group_message(user_id: int, text: str | None, chat_id: int = GROUP, **fields: object) -> Update:
    entities = None
    if text and text.startswith("/"):
        entities = [MessageEntity(type="bot_command", offset=0, length=len(text.split()[0]))]
    return Update(
        update_id=next(_ids),
        message=Message(
            message_id=next(_ids),
            date=datetime.now(UTC),
            chat=group_chat(chat_id),
            from_user=user(user_id),
            text=text,
            entities=entities,
            **fields,  # type: ignore[arg-type]
        ),
    )


def join_request(user_id: int, chat_id: int = GROUP) -> Update:
    return Update(
        update_id=next(_ids),
        chat_join_request=ChatJoinRequest(
            chat=group_chat(chat_id),
            from_user=user(user_id),
            user_chat_id=user_id,
            date=datetime.now(UTC),
        ),
    )


def left_chat(user_id: int, chat_id: int = GROUP) -> Update:
    return Update(
        update_id=next(_ids),
        chat_member=ChatMemberUpdated(
            chat=group_chat(chat_id),
            from_user=user(user_id),
            date=datetime.now(UTC),
            old_chat_member=ChatMemberMember(user=user(user_id)),
            new_chat_member=ChatMemberLeft(user=user(user_id)),
        ),
    )


def bot_admin(harness: Harness, **rights: bool) -> ChatMemberAdministrator:
    granted = {
        name: rights.get(name, True)
        for name, info in ChatMemberAdministrator.model_fields.items()
        if info.is_required() and name.startswith("can_")
    }
    return ChatMemberAdministrator(
        user=User(id=harness.app.bot.id, is_bot=True, first_name="Кадры"),
        is_anonymous=False,
        **granted,
    )


def bot_status(harness: Harness, old: object, new: object, by: int = MENTOR) -> Update:
    return Update(
        update_id=next(_ids),
        my_chat_member=ChatMemberUpdated(
            chat=group_chat(),
            from_user=user(by),
            date=datetime(2026, 9, 1, 8, 0, tzinfo=UTC),
            old_chat_member=old,  # type: ignore[arg-type]
            new_chat_member=new,  # type: ignore[arg-type]
        ),
    )


def texts_to(harness: Harness, chat_id: int) -> list[str]:
    return harness.session.texts_to(chat_id)


def buttons(harness: Harness, chat_id: int) -> list[str]:
    sent = [m for m in harness.session.of("SendMessage") if int(m.chat_id) == chat_id]
    markup = sent[-1].reply_markup
    return (
        [b.callback_data or b.url for row in markup.inline_keyboard for b in row] if markup else []
    )


async def team_chat_id(world: World) -> int | None:
    async with world.uow_factory() as uow:
        team = await uow.teams.get(world.team_id)
        assert team is not None
        return team.chat_id


async def test_bind_without_rights_says_what_is_missing_then_binds_and_sends_links(
    harness: Harness, world: World
) -> None:
    bot = User(id=harness.app.bot.id, is_bot=True, first_name="Кадры")
    harness.session.answers["GetChatMember"] = ChatMemberMember(user=bot)
    await harness.feed(group_message(TUTOR, "/bind alpha"))
    assert texts_to(harness, GROUP) == [
        said(
            "team-chat-rights",
            missing="бот не администратор группы, «Пригласительные ссылки» (приглашать "
            "участников), «Блокировка участников» (удалять участников)",
        )
    ]
    assert await team_chat_id(world) is None
    del harness.session.answers["GetChatMember"]
    await harness.feed(group_message(STUDENT, "/bind alpha"))
    assert texts_to(harness, GROUP)[-1] == said("team-bind-not-staff")
    await harness.feed(group_message(TUTOR, "/bind alpha"))
    assert await team_chat_id(world) == GROUP
    await harness.deliver()
    assert texts_to(harness, GROUP)[-1].startswith(said("team-chat-bound", team="Альфа"))
    links = harness.session.of("CreateChatInviteLink")
    assert [(int(m.chat_id), m.creates_join_request) for m in links] == [(GROUP, True)] * 3
    for member in (MENTOR, STUDENT, STUDENT2):
        assert texts_to(harness, member)[-1].startswith(said("team-invite", team="Альфа"))
        [url] = buttons(harness, member)
        assert url.startswith("https://t.me/+link")
    assert texts_to(harness, TUTOR) == []
    async with world.uow_factory() as uow:
        saved = {p.tg_id: m.invite_link for m, p in await uow.teams.members(world.team_id)}
    assert saved[STUDENT] == buttons(harness, STUDENT)[0] and saved[TUTOR] is None
    # Binding again only says so.
    await harness.feed(group_message(TUTOR, "/bind alpha"))
    assert texts_to(harness, GROUP)[-1] == said("team-chat-already", team="Альфа")


async def test_startgroup_deep_link_binds_and_join_requests_are_decided(
    harness: Harness, world: World
) -> None:
    await harness.feed(group_message(MENTOR, "/start bind_alpha"))
    assert await team_chat_id(world) == GROUP
    await harness.feed(join_request(STUDENT))
    await harness.feed(join_request(OUTSIDER))
    assert [int(m.user_id) for m in harness.session.of("ApproveChatJoinRequest")] == [STUDENT]
    assert [int(m.user_id) for m in harness.session.of("DeclineChatJoinRequest")] == [OUTSIDER]
    # A member leaving is noted and the staff are told.
    await harness.feed(left_chat(STUDENT))
    await harness.deliver()
    assert texts_to(harness, MENTOR)[-1] == said(
        "team-member-left-chat", name="Участник №3", team="Альфа"
    )
    assert texts_to(harness, TUTOR)[-1] == said(
        "team-member-left-chat", name="Участник №3", team="Альфа"
    )


async def test_team_roster_and_contact_toggle(harness: Harness, world: World) -> None:
    await harness.send(STUDENT, "/team")
    text = texts_to(harness, STUDENT)[-1]
    assert text.startswith("Команда «Альфа»\nКод команды: alpha\n\n• Наставник: Участник №1\n")
    assert "• Обучающийся: Участник №3 (вы)" in text and "/bind" not in text
    assert buttons(harness, STUDENT)[0] == encode(
        TeamAction(verb=TeamVerb.SHARE_CONTACT, team=world.team_id)
    )
    await harness.press(
        STUDENT, encode(TeamAction(verb=TeamVerb.SHARE_CONTACT, team=world.team_id))
    )  # no @username
    assert harness.session.alerts()[-1].startswith(said("team-share-no-username"))
    await harness.send(TUTOR, "/team")
    assert "/bind alpha" in texts_to(harness, TUTOR)[-1]
    assert "https://t.me/kadry_test_bot?startgroup=bind_alpha" in texts_to(harness, TUTOR)[-1]
    # A forged roster button for someone else's team.
    await harness.press(OUTSIDER, encode(TeamAction(verb=TeamVerb.OPEN_ROSTER, team=world.team_id)))
    assert harness.session.alerts()[-1] == NOT_ALLOWED


async def test_passport_dialogue_saves_each_answer_with_back_and_keep(
    harness: Harness, world: World
) -> None:
    await harness.send(TUTOR, "/passport")
    assert texts_to(harness, TUTOR)[-1].startswith(
        said("passport-title", team="Альфа", status="черновик")
    )
    await harness.press(
        TUTOR, encode(RoadmapAction(verb=RoadmapVerb.FILL_PASSPORT, item=world.team_id))
    )
    assert texts_to(harness, TUTOR)[-1].startswith(said("passport-ask-goal", step=1, total=4))
    await harness.send(TUTOR, "ok")
    assert texts_to(harness, TUTOR)[-1] == said("passport-answer-short")
    await harness.send(TUTOR, "Чистый воздух")
    assert texts_to(harness, TUTOR)[-1].startswith(said("passport-ask-tasks", step=2, total=4))
    await harness.press(
        TUTOR, encode(RoadmapAction(verb=RoadmapVerb.PREVIOUS_FIELD, item=world.team_id))
    )
    assert said("passport-current", value="Чистый воздух") in texts_to(harness, TUTOR)[-1]
    await harness.press(
        TUTOR, encode(RoadmapAction(verb=RoadmapVerb.KEEP_FIELD, item=world.team_id))
    )
    for answer in ("Датчики и карта", "Карта загрязнений", "10 датчиков"):
        await harness.send(TUTOR, answer)
    assert texts_to(harness, TUTOR)[-1].startswith(said("passport-filled"))
    assert buttons(harness, TUTOR) == [
        encode(RoadmapAction(verb=RoadmapVerb.FILL_PASSPORT, item=world.team_id)),
        encode(RoadmapAction(verb=RoadmapVerb.SUBMIT_PASSPORT, item=world.team_id)),
    ]
    await harness.press(
        TUTOR, encode(RoadmapAction(verb=RoadmapVerb.SUBMIT_PASSPORT, item=world.team_id))
    )
    await harness.press(
        TUTOR, encode(RoadmapAction(verb=RoadmapVerb.SUBMIT_PASSPORT, item=world.team_id))
    )  # a double tap
    assert harness.session.alerts() == [said("passport-not-editable")]
    await harness.deliver()
    assert len([t for t in texts_to(harness, MENTOR) if "на согласовании" in t]) == 1


@ON_BOTH_DATABASES  # reaches statements only this test runs on PG
async def test_forged_and_repeated_stage_decisions(harness: Harness, world: World) -> None:
    tutor = await world.me(TUTOR)
    async with world.uow_factory() as uow:
        roadmap = services(uow, world.clock).roadmap
        stage = await roadmap.add_stage(tutor, world.team_id, "Сбор данных")
        await roadmap.set_stage_due(tutor, stage.id, "15.10.2026")
        await roadmap.submit_stage(tutor, stage.id, Evidence("text", "Собрали 40 замеров"))
    approve = encode(RoadmapAction(verb=RoadmapVerb.APPROVE_STAGE, item=stage.id))
    await harness.press(STUDENT, approve)
    await harness.press(TUTOR, approve)
    assert harness.session.alerts() == [NOT_ALLOWED, NOT_ALLOWED]
    await harness.press(MENTOR, approve)
    await harness.press(MENTOR, approve)
    assert harness.session.alerts()[-1] == said("roadmap-already-decided")
    await harness.deliver()
    assert texts_to(harness, TUTOR)[-1] == said(
        "roadmap-approved-notice", title="Сбор данных", team="Альфа"
    )


@ON_BOTH_DATABASES  # reaches statements only this test runs on PG
async def test_migration_messages_and_the_senders_migrate_error_keep_the_binding(
    harness: Harness, world: World
) -> None:
    await harness.feed(group_message(MENTOR, "/bind alpha"))
    await harness.deliver()
    await harness.feed(group_message(MENTOR, None, migrate_to_chat_id=SUPERGROUP))
    await harness.feed(group_message(MENTOR, None, SUPERGROUP, migrate_from_chat_id=GROUP))
    assert await team_chat_id(world) == SUPERGROUP
    await harness.feed(group_message(MENTOR, "/announce Встреча в пятницу", SUPERGROUP))
    await harness.deliver()
    assert texts_to(harness, SUPERGROUP) == [said("team-announcement", text="Встреча в пятницу")]

    # The other way: the old id is still bound when a message goes out; Telegram says where.
    async with world.uow_factory() as uow:
        await services(uow, world.clock).teams.bind_chat("alpha", GROUP)
    await harness.send(MENTOR, "/announce")
    await harness.send(MENTOR, "Дедлайн этапа — завтра")
    assert texts_to(harness, MENTOR)[-1] == said("team-announce-sent", team="Альфа")
    harness.session.errors["SendMessage"] = TelegramMigrateToChat(
        method=SendMessage(chat_id=GROUP, text="x"),
        message="group chat was upgraded to a supergroup chat",
        migrate_to_chat_id=SUPERGROUP,
    )
    await harness.deliver()
    assert harness.session.errors == {}  # the first try went to the old id
    assert texts_to(harness, SUPERGROUP)[-1] == said(
        "team-announcement", text="Дедлайн этапа — завтра"
    )
    assert await team_chat_id(world) == SUPERGROUP


async def test_the_bot_demoted_in_or_removed_from_the_group(harness: Harness, world: World) -> None:
    assert "my_chat_member" in harness.app.dp.resolve_used_update_types()
    await harness.feed(group_message(TUTOR, "/bind alpha"))
    await harness.deliver()
    full, no_invite = bot_admin(harness), bot_admin(harness, can_invite_users=False)
    await harness.feed(bot_status(harness, full, no_invite))
    await harness.feed(bot_status(harness, full, no_invite))  # Telegram sends it again
    await harness.deliver()
    for staff in (MENTOR, TUTOR):
        [notice] = [t for t in texts_to(harness, staff) if "не хватает прав" in t]
        assert notice.startswith(
            said(
                "team-bot-rights-lost",
                team="Альфа",
                missing="«Пригласительные ссылки» (приглашать участников)",
            )
        )
    assert not any("не хватает прав" in t for t in texts_to(harness, STUDENT))
    assert await team_chat_id(world) == GROUP

    bot = User(id=harness.app.bot.id, is_bot=True, first_name="Кадры")
    kicked = ChatMemberBanned(user=bot, until_date=datetime(1970, 1, 1, tzinfo=UTC))
    await harness.feed(bot_status(harness, no_invite, kicked))
    await harness.feed(bot_status(harness, no_invite, kicked))
    await harness.deliver()
    assert await team_chat_id(world) is None
    for staff in (MENTOR, TUTOR):
        [notice] = [t for t in texts_to(harness, staff) if t.startswith("Бота удалили")]
        assert notice.endswith("отправьте в группе: /bind alpha")
    # Nothing was sent to the group the bot is no longer in.
    assert not any("Бота" in t for t in texts_to(harness, GROUP))
    # The bot added back without /bind: the group is not the team's any more.
    await harness.feed(bot_status(harness, ChatMemberLeft(user=bot), full))
    await harness.deliver()
    assert await team_chat_id(world) is None
    await harness.feed(group_message(MENTOR, "/bind alpha"))
    assert await team_chat_id(world) == GROUP

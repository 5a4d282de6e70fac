"""The team's Telegram group: /bind CODE (or the startgroup deep link), /announce there, join
requests, members coming and going, the bot itself removed or losing its rights, and the group
migrating to a supergroup."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import (
    ChatJoinRequest,
    ChatMemberAdministrator,
    ChatMemberBanned,
    ChatMemberLeft,
    ChatMemberMember,
    ChatMemberOwner,
    ChatMemberRestricted,
    ChatMemberUpdated,
    Message,
)

from handlers.filters import Inline
from services.container import Services
from services.errors import InvalidInput, NotAllowed
from services.i18n import Translator
from services.people import Identity
from services.team_chat import BIND_PREFIX, BotRights

PRESENT = {"member", "administrator", "creator"}
GONE = {"left", "kicked"}


ChatMember = (
    ChatMemberOwner
    | ChatMemberAdministrator
    | ChatMemberMember
    | ChatMemberRestricted
    | ChatMemberLeft
    | ChatMemberBanned
)
NO_RIGHTS = BotRights(False, False, False)


def rights_of(member: ChatMember) -> BotRights | None:
    """The bot's rights from its chat member record; None when it is not in the group."""
    if member.status in GONE:
        return None
    if isinstance(member, ChatMemberRestricted) and not member.is_member:
        return None
    if isinstance(member, ChatMemberOwner):
        return BotRights(True, True, True)
    if isinstance(member, ChatMemberAdministrator):
        return BotRights(True, member.can_invite_users, member.can_restrict_members)
    return NO_RIGHTS


async def bot_rights(bot: Bot, chat_id: int) -> BotRights:
    return rights_of(await bot.get_chat_member(chat_id, bot.id)) or NO_RIGHTS


async def bind(
    message: Message,
    command: CommandObject,
    services: Services,
    t: Translator,
    bot: Bot,
    me: Identity | None = None,
) -> None:
    if me is None:  # an anonymous admin: we cannot tell who it is
        raise NotAllowed("team-bind-anonymous")
    code = (command.args or "").strip()
    if not code:
        raise InvalidInput("team-bind-usage")
    rights = await bot_rights(bot, message.chat.id)
    result = await services.team_chat.bind(me, code, message.chat.id, message.chat.title, rights)
    if result.already:
        await message.answer(t("team-chat-already", team=result.team.name))
    # Otherwise the service queued the welcome to the group (within the group's rate limit).


async def announce(
    message: Message,
    command: CommandObject,
    services: Services,
    me: Identity | None = None,
) -> None:
    if me is None:
        raise NotAllowed()
    if not (command.args or "").strip():
        raise InvalidInput("team-announce-usage-group")
    await services.team_chat.announce_in_chat(me, message.chat.id, command.args or "")


async def join_request(request: ChatJoinRequest, services: Services) -> None:
    if await services.team_chat.join_request(request.chat.id, request.from_user.id):
        await request.approve()
    else:
        await request.decline()


async def member_changed(update: ChatMemberUpdated, services: Services, bot: Bot) -> None:
    user = update.new_chat_member.user
    if user.id == bot.id:
        return
    old, new = update.old_chat_member.status, update.new_chat_member.status
    if new in PRESENT and old not in PRESENT:
        await services.team_chat.member_joined(update.chat.id, user.id)
    elif new in GONE and old not in GONE:
        await services.team_chat.member_left(update.chat.id, user.id)


async def bot_changed(update: ChatMemberUpdated, services: Services) -> None:
    """The bot was removed from a group, or its rights there changed."""
    await services.team_chat.bot_status_changed(
        update.chat.id,
        rights_of(update.old_chat_member),
        rights_of(update.new_chat_member),
        at=update.date,
        by_tg_id=update.from_user.id,
    )


async def migrated_to(message: Message, services: Services) -> None:
    assert message.migrate_to_chat_id is not None
    await services.team_chat.migrate(message.chat.id, message.migrate_to_chat_id)


async def migrated_from(message: Message, services: Services) -> None:
    assert message.migrate_from_chat_id is not None
    await services.team_chat.migrate(message.migrate_from_chat_id, message.chat.id)


def create_router() -> Router:
    router = Router(name="team_chat")
    group = Inline(F.chat.type.in_({"group", "supergroup"}))
    router.message.register(migrated_to, Inline(F.migrate_to_chat_id), group)
    router.message.register(migrated_from, Inline(F.migrate_from_chat_id), group)
    router.message.register(bind, Command("bind"), group)
    router.message.register(
        bind, CommandStart(deep_link=True, magic=F.args.startswith(BIND_PREFIX)), group
    )
    router.message.register(announce, Command("announce"), group)
    router.chat_join_request.register(join_request)
    router.chat_member.register(member_changed)
    # Registering it makes the bot ask Telegram for my_chat_member updates (allowed_updates).
    router.my_chat_member.register(bot_changed, group)
    return router

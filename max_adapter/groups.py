"""A team's MAX group: /bind CODE and /announce typed there, the bot's own membership, members
added or leaving. What handlers/team_chat.py does for a Telegram group, over the same service
(services/team_chat.py) with the group named as a MAX chat.

MAX has no join requests and no personal invite links: the bot, as the group's admin with the
right to add and remove members, adds each member of the team who is on MAX itself (queued in
the outbox by the service). Only people the bot already knows on MAX can bind: an unknown
sender in a group is not registered from there (their dialog with the bot has another id).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from maxapi import Bot, Dispatcher
from maxapi.enums.chat_permission import ChatPermission
from maxapi.types import BotRemoved, MessageCreated, UserAdded, UserRemoved

from max_adapter.chat import MaxChat
from max_adapter.inputs import command_of, is_command
from services.clock import Clock
from services.container import ServiceConfig, Services
from services.domain import Messenger
from services.errors import InvalidInput, NotAllowed
from services.i18n import Texts, Translator
from services.people import Identity
from services.team_chat import BotRights
from storage.uow import UnitOfWorkFactory

Failed = Callable[[Exception, MaxChat, Translator], Awaitable[None]]
GROUP_COMMANDS = frozenset({"bind", "announce"})


async def bot_rights(bot: Bot, chat_id: int) -> BotRights:
    """The bot's membership in the group: adding and removing members is one MAX permission."""
    me = await bot.get_me_from_chat(chat_id)
    members = ChatPermission.ADD_REMOVE_MEMBERS in (me.permissions or [])
    return BotRights(bool(me.is_admin), members, members)


def _language(locale: str | None) -> str | None:
    return locale.replace("_", "-").split("-", 1)[0].lower() if locale else None


class MaxGroups:
    """The updates of MAX group chats, each one unit of work, errors answered in the group."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        texts: Texts,
        config: ServiceConfig,
        failed: Failed,
    ) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.texts = texts
        self.config = config
        self.failed = failed

    def register(self, dp: Dispatcher) -> None:
        dp.user_added.register(self.on_user_added)
        dp.user_removed.register(self.on_user_removed)
        dp.bot_removed.register(self.on_bot_removed)

    async def on_message(self, event: MessageCreated) -> None:
        """A command of the team chat typed in a group; anything else there is not the bot's."""
        message, bot = event.message, event.bot
        sender, chat_id = message.sender, message.recipient.chat_id
        text = (message.body.text if message.body is not None else None) or ""
        if sender is None or chat_id is None or bot is None or not is_command(text):
            return
        name, args = command_of(text)
        if name not in GROUP_COMMANDS:
            return
        chat = MaxChat(bot, chat_id)
        t = self.texts.for_language(_language(event.user_locale))
        try:
            async with self.uow_factory() as uow:
                services = Services(uow, self.clock, self.texts, self.config)
                me = await self._known(services, sender.user_id, event.user_locale)
                if name == "bind":
                    await self._bind(services, bot, me, chat, args, t)
                else:
                    await self._announce(services, me, chat_id, args)
        except Exception as error:
            await self.failed(error, chat, t)

    async def _known(self, services: Services, user_id: int, locale: str | None) -> Identity | None:
        """The person behind the MAX user, if the bot knows them (never registered here)."""
        if await services.uow.people.lookup(user_id, Messenger.MAX) is None:
            return None
        return await services.people.identify(user_id, _language(locale), Messenger.MAX)

    async def _bind(
        self,
        services: Services,
        bot: Bot,
        me: Identity | None,
        chat: MaxChat,
        code: str,
        t: Translator,
    ) -> None:
        if me is None:
            raise NotAllowed("team-bind-not-staff")
        if not code:
            raise InvalidInput("team-bind-usage")
        rights = await bot_rights(bot, chat.chat_id)
        title = (await bot.get_chat_by_id(chat.chat_id)).title
        result = await services.team_chat.bind(
            me, code, chat.chat_id, title, rights, messenger=Messenger.MAX
        )
        if result.already:
            await chat.notice(t("team-chat-already", team=result.team.name))

    @staticmethod
    async def _announce(services: Services, me: Identity | None, chat_id: int, text: str) -> None:
        if me is None:
            raise NotAllowed()
        if not text:
            raise InvalidInput("team-announce-usage-group")
        await services.team_chat.announce_in_chat(me, chat_id, text, messenger=Messenger.MAX)

    async def on_user_added(self, event: UserAdded) -> None:
        if event.is_channel or event.user.is_bot:
            return
        async with self.uow_factory() as uow:
            services = Services(uow, self.clock, self.texts, self.config)
            await services.team_chat.member_joined(event.chat_id, event.user.user_id, Messenger.MAX)

    async def on_user_removed(self, event: UserRemoved) -> None:
        if event.is_channel or event.user.is_bot:
            return
        async with self.uow_factory() as uow:
            services = Services(uow, self.clock, self.texts, self.config)
            await services.team_chat.member_left(event.chat_id, event.user.user_id, Messenger.MAX)

    async def on_bot_removed(self, event: BotRemoved) -> None:
        """The bot was removed from the group: a team bound to it loses its chat."""
        async with self.uow_factory() as uow:
            services = Services(uow, self.clock, self.texts, self.config)
            await services.team_chat.bot_status_changed(
                event.chat_id,
                None,
                None,
                at=self.clock.now(),
                messenger=Messenger.MAX,
            )

"""MAX's updates to the dialogs: the routing handlers/telegram.py leaves to aiogram's routers,
done here in the same order over the same `Dialog`s.

A message: a command goes to the first dialog that owns it, unless the person stands in a
state of an earlier dialog that takes commands (`commands_in_states`), as aiogram tries one
router after another; any other message goes to the dialog whose state the cursor is in; what
nobody takes gets the fallback (a lost questionnaire cursor resumed from the database, else
"fallback-unknown"). A press: the payload decoded by the one codec (services/actions.py) and
handed to the dialog owning its verb; a payload the codec refuses is refused as such (INFO log,
never the payload), a well-formed one nobody handles means a role the presser lacks.
"bot_started" (the person opens the bot, maybe through a deep link) is /start. A team's group
chat is max_adapter/groups.py's.

Each update is one unit of work and one `Services`; the person is identified by their MAX
account and the dialog chat's own id (not the user id: they differ on MAX). A domain error
becomes its text; a database or Redis outage the short apology and one WARNING line; any other
error is logged without the user's words, as handlers/errors.py does on Telegram.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass

from aiohttp import ClientError
from maxapi import Bot, Dispatcher
from maxapi.context import SimpleEventIsolation
from maxapi.enums.chat_type import ChatType
from maxapi.enums.update import UpdateType
from maxapi.exceptions.max import MaxApiError, MaxConnection
from maxapi.types import BotStarted, MessageCallback, MessageCreated
from maxapi.types.users import User

from dialogs.apply import resume_lost_cursor, show_again
from dialogs.screen import Dialog, Profile, Turn
from max_adapter.chat import MaxChat
from max_adapter.cursor import Cursors
from max_adapter.groups import MaxGroups
from max_adapter.guard import ADMITTED_KEY, GuardedUpdate, MaxGuards
from max_adapter.inputs import command_of, is_command, to_input
from services.actions import RefusedPayload, decode
from services.clock import Clock
from services.container import ServiceConfig, Services
from services.domain import Messenger
from services.errors import DomainError
from services.i18n import TextError, Texts, Translator
from services.questionnaire import Input
from storage.health import unavailable_dependency
from storage.uow import UnitOfWork, UnitOfWorkFactory, UpdateAlreadyHandled

logger = logging.getLogger(__name__)

# What `MaxAdapter.register` handles: a webhook subscription asks MAX for these alone.
HANDLED_UPDATE_TYPES = (
    UpdateType.MESSAGE_CREATED,
    UpdateType.MESSAGE_CALLBACK,
    UpdateType.BOT_STARTED,
)

Run = Callable[[Turn], Awaitable[None]]


@dataclass(frozen=True)
class Sender:
    """Who acts and where: the MAX user and their dialog chat with the bot."""

    user: User
    chat_id: int
    locale: str | None


def _language(locale: str | None) -> str | None:
    return locale.replace("_", "-").split("-", 1)[0].lower() if locale else None


def _profile(user: User) -> Profile:
    full_name = " ".join(part for part in (user.first_name, user.last_name) if part)
    return Profile(full_name, user.username)


class MaxAdapter:
    """The dialogs, in the order they are tried, on a maxapi Dispatcher."""

    def __init__(
        self,
        dialogs: Sequence[Dialog],
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        texts: Texts,
        config: ServiceConfig,
        cursors: Cursors,
        guards: MaxGuards | None = None,
        observe: Observe | None = None,
    ) -> None:
        self.dialogs = list(dialogs)
        self.uow_factory = uow_factory
        self.clock = clock
        self.texts = texts
        self.config = config
        self.cursors = cursors
        self.groups = MaxGroups(uow_factory, clock, texts, config, self._failed)
        self.guards = guards  # none in a test that drives the dialogs alone
        self.observe = observe

    def register(self, dp: Dispatcher) -> None:
        dp.message_created.register(self.on_message)
        dp.message_callback.register(self.on_callback)
        dp.bot_started.register(self.on_bot_started)
        self.groups.register(dp)

    # --- updates ------------------------------------------------------------------------------

    async def on_message(self, event: MessageCreated) -> None:
        message = event.message
        sender, chat_id = message.sender, message.recipient.chat_id
        if sender is None or sender.is_bot or chat_id is None or event.bot is None:
            return
        if message.recipient.chat_type == ChatType.CHAT:
            await self.groups.on_message(event)  # a team's group: /bind, /announce
            return
        if message.recipient.chat_type != ChatType.DIALOG:
            return  # every dialog is private-only
        given = to_input(message)
        chat = MaxChat(event.bot, chat_id, message=message)
        who = Sender(sender, chat_id, event.user_locale)
        await self._guarded(
            event, who, chat, lambda: self._turn(who, chat, lambda t: self._route_message(t, given))
        )

    async def on_bot_started(self, event: BotStarted) -> None:
        if event.bot is None:
            return
        who = Sender(event.user, event.chat_id, event.user_locale)
        chat = MaxChat(event.bot, event.chat_id)
        given = Input("command", text=f"/start {event.payload or ''}".strip())
        await self._guarded(
            event, who, chat, lambda: self._turn(who, chat, lambda t: self._route_message(t, given))
        )

    async def on_callback(self, event: MessageCallback) -> None:
        bot, user, message = event.bot, event.callback.user, event.message
        chat_id = message.recipient.chat_id if message is not None else None
        if bot is None or user.is_bot:
            return
        if message is not None and message.recipient.chat_type != ChatType.DIALOG:
            return  # no button the bot sends on MAX is in a group chat
        chat = MaxChat(bot, chat_id or 0, event)
        who = Sender(user, chat_id or 0, event.user_locale)
        await self._guarded(event, who, chat, lambda: self._press(event, who, chat))

    async def _press(self, event: MessageCallback, who: Sender, chat: MaxChat) -> None:
        texts = self.texts.for_language(_language(event.user_locale))
        try:
            action = decode(event.callback.payload or "")
        except RefusedPayload as malformed:
            # Not an error of ours, so no traceback; the reason never quotes the payload.
            logger.info("max callback: refused a malformed button press (%s)", malformed.reason)
            await chat.notice(texts("fallback-button-malformed"), alert=True)
            return
        handler = self._action_handler(action)
        if handler is None:
            await chat.notice(texts("error-not-allowed"), alert=True)
        elif event.message is None or event.message.recipient.chat_id is None:
            # The message is gone: nothing on it can be drawn any more.
            await chat.notice(texts("fallback-button"), alert=True)
        else:
            await self._turn(who, chat, lambda turn: handler(turn, action))

    async def _guarded(
        self,
        event: GuardedUpdate,
        who: Sender,
        chat: MaxChat,
        run: Callable[[], Awaitable[None]],
    ) -> None:
        """Each private update once through the gates; timed and counted by `observe`: ok,
        error (a turn or a gate failed) or refused (a duplicate the gates turned away)."""
        started, reached, failed = time.perf_counter(), [], _FAILURES.set([])

        async def admitted() -> None:
            reached.append(True)
            await run()

        try:
            if self.guards is None:
                await admitted()
            else:
                await self.guards.admit(event, who.user.user_id, chat, admitted)
        except Exception as error:  # the gate's wait ran out, or the dedupe's store is down
            await self._failed(error, chat, self.texts.for_language(_language(who.locale)))
        finally:
            outcome = "error" if _FAILURES.get() else "ok" if reached else "refused"
            _FAILURES.reset(failed)
            if self.observe is not None:
                self.observe(str(event.update_type.value), outcome, time.perf_counter() - started)

    # --- routing ------------------------------------------------------------------------------

    def _action_handler(self, action: object) -> Callable[[Turn, object], Awaitable[None]] | None:
        for dialog in self.dialogs:
            verb = getattr(action, "verb", None)  # every feature's action has its verb
            if isinstance(action, dialog.action) and verb in dialog.actions:
                handler: Callable[[Turn, object], Awaitable[None]] = dialog.actions[verb]
                return handler
        return None

    async def _route_message(self, turn: Turn, given: Input) -> None:
        """The first dialog that takes the message, in order, as aiogram tries its routers."""
        state = await turn.cursor.get_state()
        command = given.kind == "command" and given.text is not None and is_command(given.text)
        name, args = command_of(given.text or "") if command else ("", "")
        for dialog in self.dialogs:
            if command and name in dialog.commands:
                await dialog.commands[name](turn, args)
                return
            takes_it = not command or dialog.commands_in_states
            if state is not None and state in dialog.states and takes_it:
                await dialog.states[state](turn, given)
                return
        await self._fallback(turn, given, state)

    @staticmethod
    async def _fallback(turn: Turn, given: Input, state: str | None) -> None:
        # No cursor and not a command: the cursor may be lost (a restart on the in-memory
        # store, Redis losing its keys) while the database still holds an open draft.
        if state is None and given.kind != "command" and await resume_lost_cursor(turn, given):
            return
        await turn.chat.notice(turn.t("fallback-unknown"))

    # --- one unit of work per update ----------------------------------------------------------

    async def _turn(self, who: Sender, chat: MaxChat, run: Run) -> None:
        t = self.texts.for_language(_language(who.locale))
        try:
            async with self.uow_factory() as uow:
                services = Services(uow, self.clock, self.texts, self.config)
                me = await services.people.identify(
                    who.user.user_id,
                    _language(who.locale),
                    messenger=Messenger.MAX,
                    chat_id=who.chat_id,
                )
                t = self.texts.for_language(me.language)
                cursor = self.cursors.cursor(who.chat_id, who.user.user_id)
                turn = Turn(me, services, t, chat, cursor, _profile(who.user))
                key = ADMITTED_KEY.get()
                if key is None or self.guards is None:
                    await run(turn)
                elif not await self._once(uow, key, run, turn):
                    logger.info("max update %s handled before: not again", key.split(":")[0])
                    await show_again(turn)  # its effect is committed: the screen, no writes
        except Exception as error:
            await self._failed(error, chat, t)
            return
        await chat.notice()

    async def _once(self, uow: UnitOfWork, key: str, run: Run, turn: Turn) -> bool:
        """Run the turn; False when a delivery of this update already committed (the turn's
        own commit was then rolled back)."""
        assert self.guards is not None
        self.guards.dedupe.claim_max(uow, key)
        try:
            await run(turn)
        except UpdateAlreadyHandled:  # another process committed it first: rolled back
            return False
        return True

    @staticmethod
    async def _failed(error: Exception, chat: MaxChat, t: Translator) -> None:
        if (failures := _FAILURES.get()) is not None:
            failures.append(type(error).__name__)
        if isinstance(error, ClientError | MaxConnection | MaxApiError):
            # MAX itself refused or could not be reached: no answer would get through either.
            logger.warning("max update failed: MAX unavailable (%s)", type(error).__name__)
            return
        text = None
        if isinstance(error, DomainError):
            try:
                text = t(error.key, **error.args_for_text)
            except TextError as broken:  # a bug in its text: logged below like any other bug
                error = broken
        elif (dependency := unavailable_dependency(error)) is not None:
            logger.warning(
                "max update failed: %s unavailable (%s)", dependency, type(error).__name__
            )
            text = t("error-unexpected")
        if text is None:
            # Only the error's type and where it happened: its message may quote the user.
            logger.error(
                "max update failed: %s\n%s",
                type(error).__name__,
                "".join(traceback.format_tb(error.__traceback__)),
            )
            text = t("error-unexpected")
        await chat.notice(text, alert=True)


# The failures of the update being handled, for its outcome (None outside `_guarded`).
_FAILURES: ContextVar[list[str] | None] = ContextVar("max_update_failures", default=None)
# What `_guarded` reports of each update: its type, outcome and seconds taken.
Observe = Callable[[str, str, float], None]


def build_dispatcher(adapter: MaxAdapter, concurrent: bool = False) -> Dispatcher:
    """maxapi handles a polled batch one update after another unless `concurrent`: then each
    update is a task of its own (the marker moves on once the batch is spawned), one user's
    updates still in order (SimpleEventIsolation locks per chat and user), and the adapter's
    database gate bounds how many use the database at once, as on Telegram."""
    if concurrent:
        dp = Dispatcher(use_create_task=True, event_isolation=SimpleEventIsolation())
    else:
        dp = Dispatcher()
    adapter.register(dp)
    return dp


__all__ = ["HANDLED_UPDATE_TYPES", "Bot", "MaxAdapter", "build_dispatcher"]

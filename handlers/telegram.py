"""The Telegram adapter of the dialogs: one generic renderer, no feature's knowledge.

A message becomes a command or an `Input` (what the questionnaire reads: its kind, its text, a
file's id, size and type), a press becomes its typed action (decoded by the one codec in
handlers/callback_data.py), and a dialog's screens become sendMessage / editMessageText /
answerCallbackQuery calls. `router_for(dialog)` registers a dialog's commands, states and
actions on an aiogram Router; the middlewares (bot/middlewares.py) give every handler `me`,
`services`, `t` and the FSM (the cursor).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)

from dialogs.screen import (
    ActionHandler,
    CommandHandler,
    Dialog,
    MessageHandler,
    Profile,
    Screen,
    Turn,
)
from handlers.callback_data import Pressed
from handlers.filters import PRIVATE, Inline
from handlers.replies import Markup, redraw, send
from services.actions import Action, build, encode
from services.container import Services
from services.i18n import Translator
from services.notify import Button
from services.people import Identity
from services.questionnaire import Input

MEDIA_KINDS = ("video", "video_note", "voice", "document")


def to_input(message: Message) -> Input:
    """A message as a dialog sees it: its kind and, for files, id, size, type and caption."""
    if message.text is not None:
        is_command = bool(
            message.entities
            and any(e.type == "bot_command" and e.offset == 0 for e in message.entities)
        )
        return Input("command" if is_command else "text", text=message.text)
    if message.contact is not None:
        own = message.from_user is not None and message.contact.user_id == message.from_user.id
        return Input("contact", text=message.contact.phone_number, contact_is_own=own)
    if message.sticker is not None:
        return Input("sticker")
    if message.photo:
        photo = message.photo[-1]
        return Input(
            "photo",
            file_id=photo.file_id,
            file_unique_id=photo.file_unique_id,
            file_size=photo.file_size,
            mime_type="image/jpeg",
            caption=message.caption,
        )
    for kind in MEDIA_KINDS:
        media = getattr(message, kind)
        if media is not None:
            return Input(
                kind,
                file_id=media.file_id,
                file_unique_id=media.file_unique_id,
                file_size=media.file_size,
                mime_type=getattr(media, "mime_type", None),
                duration=getattr(media, "duration", None),
                caption=message.caption,
            )
    return Input("other")


# --- screens into Telegram calls ---------------------------------------------------------------


def inline_button(button: Button) -> InlineKeyboardButton:
    if button.url:
        return InlineKeyboardButton(text=button.text, url=button.url)
    assert button.action is not None
    return InlineKeyboardButton(
        text=button.text, callback_data=encode(build(button.action, button.args))
    )


def inline_keyboard(screen: Screen) -> InlineKeyboardMarkup | None:
    rows = screen.rows
    if not rows:
        return None
    return InlineKeyboardMarkup(inline_keyboard=[[inline_button(b) for b in row] for row in rows])


def markup_of(screen: Screen) -> Markup | None:
    """A screen's buttons; keys under the input field instead, when it has them (Telegram puts
    one keyboard on a message)."""
    if screen.keys is not None:
        keys = [
            [
                KeyboardButton(text=key.text, request_contact=key.share_contact or None)
                for key in row
            ]
            for row in screen.keys
        ]
        return ReplyKeyboardMarkup(keyboard=keys, resize_keyboard=True, one_time_keyboard=True)
    if screen.remove_keys:
        return ReplyKeyboardRemove()
    return inline_keyboard(screen)


class TelegramChat:
    """The chat of one message or one press (`query`), drawn on through the Bot API."""

    def __init__(self, bot: Bot, chat_id: int, query: CallbackQuery | None = None) -> None:
        self.bot = bot
        self.chat_id = chat_id
        self.query = query
        self.answered = False

    async def show(self, screen: Screen) -> None:
        await send(self.bot, self.chat_id, screen.text, markup_of(screen))

    async def redraw(self, screen: Screen) -> None:
        if self.query is None:
            await self.show(screen)
            return
        await redraw(self.query, screen.text, inline_keyboard(screen))

    async def close_buttons(self) -> None:
        if self.query is None or not isinstance(self.query.message, Message):
            return
        await self.notice()
        with contextlib.suppress(TelegramBadRequest):
            await self.query.message.edit_reply_markup(reply_markup=None)

    def pressed_message(self) -> tuple[int, int] | None:
        if self.query is None or self.query.message is None:
            return None
        return self.query.message.chat.id, self.query.message.message_id

    async def redraw_message(self, message_id: int, screen: Screen) -> None:
        with contextlib.suppress(TelegramBadRequest):
            await self.bot.edit_message_text(
                screen.text,
                chat_id=self.chat_id,
                message_id=message_id,
                reply_markup=inline_keyboard(screen),
            )

    async def notice(self, text: str | None = None, *, alert: bool = False) -> None:
        if self.query is None:
            if text:
                await self.bot.send_message(self.chat_id, text)
            return
        if not self.answered:  # Telegram takes one answer per press
            self.answered = True
            await self.query.answer(text, show_alert=alert)

    async def group_link(self, payload: str) -> str | None:
        username = (await self.bot.me()).username
        return f"https://t.me/{username}?startgroup={payload}" if username else None

    async def start_link(self, payload: str) -> str | None:
        username = (await self.bot.me()).username
        return f"https://t.me/{username}?start={payload}" if username else None

    async def download(self, file_id: str) -> bytes:
        """getFile, then the file from the Bot API's file server (20 MB at most there)."""
        buffer = await self.bot.download(file_id)
        assert buffer is not None  # no destination given: a BytesIO comes back
        return buffer.read()


def message_turn(
    message: Message, me: Identity, services: Services, state: FSMContext, t: Translator
) -> Turn:
    assert message.bot is not None
    chat = TelegramChat(message.bot, message.chat.id)
    sender = message.from_user
    profile = Profile(sender.full_name, sender.username) if sender is not None else None
    return Turn(me, services, t, chat, state, profile)


# --- a dialog as an aiogram Router -------------------------------------------------------------


def _on_command(handler: CommandHandler) -> Any:
    async def on_command(
        message: Message,
        command: CommandObject,
        me: Identity,
        services: Services,
        state: FSMContext,
        t: Translator,
    ) -> None:
        await handler(message_turn(message, me, services, state, t), command.args or "")

    on_command.__name__ = on_command.__qualname__ = handler.__name__
    return on_command


def _on_message(handler: MessageHandler) -> Any:
    async def on_message(
        message: Message, me: Identity, services: Services, state: FSMContext, t: Translator
    ) -> None:
        await handler(message_turn(message, me, services, state, t), to_input(message))

    on_message.__name__ = on_message.__qualname__ = handler.__name__
    return on_message


def _on_press(handler: ActionHandler) -> Any:
    async def on_press(
        query: CallbackQuery,
        action: Action,
        me: Identity,
        services: Services,
        state: FSMContext,
        t: Translator,
    ) -> None:
        if not isinstance(query.message, Message):
            # Too old for Telegram to hand over: nothing on it can be drawn any more.
            await query.answer(t("fallback-button"), show_alert=True)
            return
        assert query.bot is not None
        chat = TelegramChat(query.bot, query.message.chat.id, query)
        profile = Profile(query.from_user.full_name, query.from_user.username)
        await handler(Turn(me, services, t, chat, state, profile), action)
        await chat.notice()  # a press nothing else answered: stop the client's spinner

    on_press.__name__ = on_press.__qualname__ = handler.__name__
    return on_press


def router_for(dialog: Dialog) -> Router:
    """A dialog's commands, typed messages in its states and one handler per action verb."""
    router = Router(name=dialog.name)
    if dialog.private_only:
        router.message.filter(PRIVATE)
    for name, command in dialog.commands.items():
        router.message.register(_on_command(command), Command(name))
    not_a_command = [] if dialog.commands_in_states else [Inline(~F.text.startswith("/"))]
    for state, on_message in dialog.states.items():
        router.message.register(_on_message(on_message), StateFilter(state), *not_a_command)
    for verb, on_action in dialog.actions.items():
        router.callback_query.register(_on_press(on_action), Pressed(dialog.action, F.verb == verb))
    return router


# --- a redelivered update, already handled -------------------------------------------------------

Replay = Callable[[Update, dict[str, Any]], Awaitable[None]]


def replayer(again: Callable[[Turn], Awaitable[None]]) -> Replay:
    """What a redelivery of an update whose effect is already committed does instead of its
    handler (bot/middlewares.py `ServicesMiddleware`): `again` — the dialogs' choice of screen,
    which stores nothing — in the person's private chat; a press's spinner is stopped."""

    async def replay(event: Update, data: dict[str, Any]) -> None:
        me, state, query, message = data.get("me"), data.get("state"), event.callback_query, None
        if query is not None and isinstance(query.message, Message):
            message = query.message
        elif query is None:
            message = event.message
        if me is None or not isinstance(state, FSMContext) or message is None:
            return
        if message.chat.type != "private":
            return
        chat = TelegramChat(data["bot"], message.chat.id, query)
        await again(Turn(me, data["services"], data["t"], chat, state))
        with contextlib.suppress(TelegramBadRequest):  # a press too old to answer
            await chat.notice()

    return replay

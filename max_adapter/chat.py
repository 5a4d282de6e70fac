"""A dialog's screens drawn on MAX (the `Chat` of dialogs/screen.py over maxapi).

Buttons go as one inline keyboard attachment: an action's button carries the codec's payload
(services/actions.py), a URL's is a link button. MAX has no keyboard under the input field, so
a screen's keys join its inline keyboard: "share my number" is MAX's request-contact button and
any other key a message button that types its text. A text too long for one message (MAX takes
fewer than 4000 characters) goes as several, the buttons on the last part.

maxapi's `bot.edit_message` replaces every attachment with those it is given, so an edit hands
over the message's other attachments itself and only the keyboard changes. MAX's message ids
are strings, which the dialogs' `pressed_message` (an int, as the outbox records Telegram's)
cannot carry: it is None here, and a card is then not redrawn later (a comment still shows
when the card is next opened).
"""

from __future__ import annotations

from typing import Any

import aiohttp
from maxapi import Bot
from maxapi.enums.attachment import AttachmentType
from maxapi.types import (
    CallbackButton,
    LinkButton,
    Message,
    MessageButton,
    MessageCallback,
    RequestContactButton,
)
from maxapi.types.attachments.attachment import ButtonsPayload
from maxapi.types.attachments.buttons.attachment_button import AttachmentButton

from dialogs.screen import Screen
from services.actions import build, encode
from services.notify import Button
from services.text_fit import split_text

# MAX refuses a text of 4000 characters or more (maxapi checks `len(text) < 4000`).
MAX_TEXT_LIMIT = 3999
DOWNLOAD_TIMEOUT = aiohttp.ClientTimeout(total=30)


def max_button(button: Button) -> Any:
    if button.url:
        return LinkButton(text=button.text, url=button.url)
    assert button.action is not None
    return CallbackButton(text=button.text, payload=encode(build(button.action, button.args)))


def keyboard_of(screen: Screen) -> list[Any]:
    """The screen's buttons, then its keys, as the attachments of one message ([] for none)."""
    rows: list[list[Any]] = [[max_button(b) for b in row] for row in screen.rows]
    for keys in screen.keys or []:
        rows.append(
            [
                RequestContactButton(text=key.text)
                if key.share_contact
                else MessageButton(text=key.text)
                for key in keys
            ]
        )
    if not rows:
        return []
    keyboard = ButtonsPayload(buttons=rows)
    # maxapi declares a `bot` field the pydantic plugin counts as required; it defaults to None.
    return [AttachmentButton(type=AttachmentType.INLINE_KEYBOARD, payload=keyboard)]  # type: ignore[call-arg]


def _without_keyboard(attachments: list[Any] | None) -> list[Any]:
    return [a for a in attachments or [] if a.type != AttachmentType.INLINE_KEYBOARD]


class MaxChat:
    """The dialog chat of one message or one press (`callback`), drawn on through maxapi."""

    def __init__(
        self,
        bot: Bot,
        chat_id: int,
        callback: MessageCallback | None = None,
        message: Message | None = None,
    ) -> None:
        self.bot = bot
        self.chat_id = chat_id
        self.callback = callback
        self.message = message  # the message of this turn, whose files `download` fetches
        self.answered = False

    async def show(self, screen: Screen) -> None:
        await self._send_parts(split_text(screen.text, MAX_TEXT_LIMIT), keyboard_of(screen))

    async def _send_parts(self, parts: list[str], keyboard: list[Any]) -> None:
        for part in parts[:-1]:
            await self.bot.send_message(chat_id=self.chat_id, text=part)
        await self.bot.send_message(chat_id=self.chat_id, text=parts[-1], attachments=keyboard)

    async def redraw(self, screen: Screen) -> None:
        """The pressed message in place; a text too long for one message: the pressed message
        becomes its first part without buttons, the rest follows (as on Telegram)."""
        pressed = self._pressed()
        if pressed is None:
            await self.show(screen)
            return
        mid, attachments = pressed
        parts = split_text(screen.text, MAX_TEXT_LIMIT)
        kept = _without_keyboard(attachments)
        if len(parts) == 1:
            await self._edit(mid, screen.text, kept + keyboard_of(screen))
            return
        await self._edit(mid, parts[0], kept)
        await self._send_parts(parts[1:], keyboard_of(screen))

    async def close_buttons(self) -> None:
        pressed = self._pressed()
        if pressed is None or self.callback is None or self.callback.message is None:
            return
        await self.notice()
        body = self.callback.message.body
        mid, attachments = pressed
        text = body.text if body is not None else None
        await self._edit(mid, text, _without_keyboard(attachments))

    async def _edit(self, mid: str, text: str | None, attachments: list[Any]) -> None:
        await self.bot.edit_message(message_id=mid, text=text, attachments=attachments)

    def _pressed(self) -> tuple[str, list[Any] | None] | None:
        if self.callback is None or self.callback.message is None:
            return None
        body = self.callback.message.body
        return (body.mid, body.attachments) if body is not None else None

    def pressed_message(self) -> tuple[int, int] | None:
        return None  # MAX's message ids are strings (see the module's docstring)

    async def redraw_message(self, message_id: int, screen: Screen) -> None:
        return None  # never handed an id by `pressed_message`

    async def notice(self, text: str | None = None, *, alert: bool = False) -> None:
        """MAX answers a press with a notification only (no alert box), and refuses an answer
        with neither a notification nor a message: a press answered by nothing stays so."""
        if self.callback is None:
            if text:
                await self.bot.send_message(chat_id=self.chat_id, text=text)
            return
        if not self.answered and text:
            self.answered = True
            await self.bot.send_callback(
                callback_id=self.callback.callback.callback_id, notification=text
            )

    async def group_link(self, payload: str) -> str | None:
        return None  # MAX has no link that adds a bot to a group the person picks

    async def start_link(self, payload: str) -> str | None:
        return None  # no deep link to the bot confirmed for MAX: `/start payload` is typed

    async def download(self, file_id: str) -> bytes:
        """A file of this turn's message: MAX gives each attachment a URL to fetch it from
        (the `file_id` max_adapter/inputs.py made is its token, or that URL)."""
        url = self._file_url(file_id)
        if url is None:
            raise LookupError("no such file in this message")
        async with (
            aiohttp.ClientSession(timeout=DOWNLOAD_TIMEOUT) as session,
            session.get(url) as response,
        ):
            response.raise_for_status()
            return await response.read()

    def _file_url(self, file_id: str) -> str | None:
        body = self.message.body if self.message is not None else None
        for attachment in (body.attachments or []) if body is not None else []:
            payload = getattr(attachment, "payload", None)
            url = getattr(payload, "url", None)
            tokens = (getattr(attachment, "token", None), getattr(payload, "token", None), url)
            if file_id in tokens and isinstance(url, str):
                return url
        return None

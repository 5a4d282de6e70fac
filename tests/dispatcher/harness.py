"""Driving the real Dispatcher with real Update objects; Bot API calls are recorded, not sent."""

from __future__ import annotations

import itertools
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import (
    CallbackQuery,
    Chat,
    ChatInviteLink,
    ChatMemberAdministrator,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Update,
    User,
)

from bot.app import App, build_app
from bot.settings import Settings
from services.clock import FixedClock
from services.text_fit import CAPTION_LIMIT, MESSAGE_LIMIT

_update_ids = itertools.count(1)


@dataclass
class Call:
    method: TelegramMethod[Any]

    @property
    def name(self) -> str:
        return type(self.method).__name__


@dataclass
class RecordingSession(BaseSession):
    """A Bot session that records every request and answers it the way Telegram would."""

    calls: list[Call] = field(default_factory=list)
    errors: dict[str, Exception] = field(default_factory=dict)  # method name -> raise once
    # method name -> what its next calls do, in turn: None succeeds, an exception is raised
    outcomes: dict[str, list[Exception | None]] = field(default_factory=dict)
    # method name -> what Telegram answers (a value, or a function of the method)
    answers: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__()
        self._message_ids = itertools.count(1000)

    async def close(self) -> None:
        return None

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        self.calls.append(Call(method))
        error = self.errors.pop(type(method).__name__, None)
        if error is None and self.outcomes.get(type(method).__name__):
            error = self.outcomes[type(method).__name__].pop(0)
        if error is not None:
            raise error
        _refuse_too_long(method)
        return self._answer(bot, method)  # type: ignore[no-any-return]

    def _answer(self, bot: Bot, method: TelegramMethod[Any]) -> Any:
        name = type(method).__name__
        if name in self.answers:
            answer = self.answers[name]
            return answer(method) if callable(answer) else answer
        if name == "GetChatMember":  # the bot is an administrator with every right
            rights = {
                name: True
                for name, info in ChatMemberAdministrator.model_fields.items()
                if info.is_required() and name.startswith("can_")
            }
            rights.update(can_be_edited=False, can_promote_members=False)
            return ChatMemberAdministrator(
                user=User(id=bot.id, is_bot=True, first_name="Кадры"),
                is_anonymous=False,
                **rights,
            )
        if name == "CreateChatInviteLink":
            return ChatInviteLink(
                invite_link=f"https://t.me/+link{next(self._message_ids)}",
                creator=User(id=bot.id, is_bot=True, first_name="Кадры"),
                creates_join_request=bool(getattr(method, "creates_join_request", False)),
                is_primary=False,
                is_revoked=False,
                name=getattr(method, "name", None),
            )
        if name == "GetMe":
            return User(id=bot.id, is_bot=True, first_name="Кадры", username="kadry_test_bot")
        if name.startswith("Send") and hasattr(method, "chat_id"):
            chat_id = int(method.chat_id)
            markup = getattr(method, "reply_markup", None)
            return Message(
                message_id=next(self._message_ids),
                date=datetime.now(UTC),
                chat=Chat(id=chat_id, type="private" if chat_id > 0 else "group"),
                text=getattr(method, "text", None),
                caption=getattr(method, "caption", None),
                # Telegram echoes inline keyboards only; reply keyboards are not part of a Message.
                reply_markup=markup if isinstance(markup, InlineKeyboardMarkup) else None,
            )
        return True

    async def stream_content(self, *args: Any, **kwargs: Any) -> AsyncGenerator[bytes, None]:
        yield b""

    def of(self, name: str) -> list[Any]:
        return [call.method for call in self.calls if call.name == name]

    def texts_to(self, chat_id: int) -> list[str]:
        return [m.text for m in self.of("SendMessage") if int(m.chat_id) == chat_id]

    def alerts(self) -> list[str]:
        return [m.text for m in self.of("AnswerCallbackQuery") if m.show_alert]


def _refuse_too_long(method: TelegramMethod[Any]) -> None:
    """Telegram's answer to a text over 4096 characters or a caption over 1024."""
    text, caption = getattr(method, "text", None), getattr(method, "caption", None)
    if isinstance(text, str) and len(text) > MESSAGE_LIMIT:
        raise TelegramBadRequest(method=method, message="Bad Request: message is too long")
    if isinstance(caption, str) and len(caption) > CAPTION_LIMIT:
        raise TelegramBadRequest(method=method, message="Bad Request: message caption is too long")


def user(user_id: int, language: str = "ru") -> User:
    return User(id=user_id, is_bot=False, first_name=f"User{user_id}", language_code=language)


def message_update(user_id: int, text: str, update_id: int | None = None) -> Update:
    entities = None
    if text.startswith("/"):
        length = len(text.split(maxsplit=1)[0])
        entities = [MessageEntity(type="bot_command", offset=0, length=length)]
    return Update(
        update_id=update_id if update_id is not None else next(_update_ids),
        message=Message(
            message_id=next(_update_ids),
            date=datetime.now(UTC),
            chat=Chat(id=user_id, type="private"),
            from_user=user(user_id),
            text=text,
            entities=entities,
        ),
    )


def callback_update(user_id: int, data: str, message_id: int = 1) -> Update:
    return Update(
        update_id=next(_update_ids),
        callback_query=CallbackQuery(
            id=str(next(_update_ids)),
            from_user=user(user_id),
            chat_instance="ci",
            data=data,
            message=Message(
                message_id=message_id,
                date=datetime.now(UTC),
                chat=Chat(id=user_id, type="private"),
                text="…",
            ),
        ),
    )


class Harness:
    def __init__(self, app: App, session: RecordingSession) -> None:
        self.app = app
        self.session = session

    async def feed(self, update: Update) -> Any:
        return await self.app.dp.feed_update(self.app.bot, update)

    async def send(self, user_id: int, text: str, update_id: int | None = None) -> Any:
        return await self.feed(message_update(user_id, text, update_id))

    async def press(self, user_id: int, data: str) -> Any:
        return await self.feed(callback_update(user_id, data))

    async def deliver(self) -> int:
        """Run the sender over whatever the outbox holds now."""
        return await self.app.sender.deliver_due()


def build_harness(database_url: str, clock: FixedClock, token: str, **settings: Any) -> Harness:
    config = Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=token,
        database_url=database_url,
        send_chat_interval_seconds=0,
        **settings,
    )
    session = RecordingSession()
    app = build_app(config, clock=clock, bot=Bot(token, session=session))
    return Harness(app, session)

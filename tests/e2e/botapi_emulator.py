"""A fake Telegram Bot API server for end-to-end tests.

The bot under test (a real aiogram process or an in-process ``aiogram.Bot``) is pointed at
``BotApiEmulator.base_url`` with ``TelegramAPIServer.from_base(base_url)``. The emulator keeps
simulated users, chats, messages, files, invite links and chat members in memory, injects
updates (delivered by ``getUpdates`` long polling or POSTed to a webhook), records every request
and can simulate flood limits, blocked users and server failures.

Known simplifications (see also ``README`` notes in the method docstrings):
  * ``parse_mode=HTML`` is parsed into entities; Markdown/MarkdownV2 text is stored verbatim.
  * Webhook delivery, as Telegram's: up to ``max_connections`` requests at once, one chat's
    updates one after another (the next once the previous is answered, a failed one retried
    first); an update with no chat or user is delivered on its own.
  * Inline mode, payments, polls, stories, business and forum topics are not modelled;
    unknown methods are recorded and answered with ``true``.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import math
import mimetypes
import re
import secrets
import socket
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from html.parser import HTMLParser
from http import HTTPStatus
from types import TracebackType
from typing import Any, Self

from aiohttp import (
    BodyPartReader,
    ClientError,
    ClientResponse,
    ClientSession,
    ClientTimeout,
    MultipartReader,
    web,
)

JsonDict = dict[str, Any]
_log = logging.getLogger(__name__)

# Update types Telegram delivers only when explicitly listed in allowed_updates.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_SEND_METHODS = frozenset(
    {
        "sendMessage", "sendPhoto", "sendDocument", "sendVideo", "sendVoice", "sendVideoNote",
        "sendAudio", "sendAnimation", "sendSticker", "sendMediaGroup", "sendContact",
        "sendLocation", "sendPoll", "sendDice", "sendVenue", "copyMessage", "copyMessages",
        "forwardMessage", "forwardMessages",
    }
)  # fmt: skip
_EDIT_METHODS = frozenset(
    {"editMessageText", "editMessageCaption", "editMessageReplyMarkup", "editMessageMedia"}
)
DEFAULT_FLOOD_METHODS: tuple[str, ...] = tuple(sorted(_SEND_METHODS | _EDIT_METHODS))
_BLOCKABLE_METHODS = _SEND_METHODS | _EDIT_METHODS | {"sendChatAction"}
_MEDIA_METHODS = {
    "sendPhoto": "photo", "sendDocument": "document", "sendVideo": "video", "sendVoice": "voice",
    "sendVideoNote": "video_note", "sendAudio": "audio", "sendAnimation": "animation",
    "sendSticker": "sticker",
}  # fmt: skip
_MEDIA_DEFAULTS: dict[str, JsonDict] = {
    "document": {"file_name": "document.pdf", "mime_type": "application/pdf"},
    "video": {"width": 640, "height": 360, "duration": 5, "mime_type": "video/mp4"},
    "voice": {"duration": 3, "mime_type": "audio/ogg"},
    "video_note": {"length": 240, "duration": 5},
    "audio": {"duration": 30, "mime_type": "audio/mpeg", "file_name": "audio.mp3"},
    "animation": {"width": 320, "height": 240, "duration": 2, "mime_type": "video/mp4"},
    "sticker": {"type": "regular", "width": 512, "height": 512, "is_animated": False,
                "is_video": False, "emoji": "👍"},
    "photo": {},
}  # fmt: skip
_FILE_FOLDERS = {
    "photo": ("photos", ".jpg"), "document": ("documents", ""), "video": ("videos", ".mp4"),
    "voice": ("voice", ".oga"), "video_note": ("video_notes", ".mp4"), "audio": ("music", ".mp3"),
    "animation": ("animations", ".mp4"), "sticker": ("stickers", ".webp"),
}  # fmt: skip
_CONTENT_KEYS = (
    "text", "entities", "link_preview_options", "caption", "caption_entities", "photo",
    "document", "video", "voice", "video_note", "audio", "animation", "sticker", "contact",
    "location", "venue", "dice", "has_media_spoiler",
)  # fmt: skip
_STRING_FIELDS = frozenset(
    {
        "text", "caption", "url", "secret_token", "name", "title", "description", "query",
        "short_description", "callback_query_id", "invite_link", "inline_message_id",
        "parse_mode", "action", "emoji", "first_name", "last_name", "phone_number", "address",
        "file_id", "message_effect_id", "business_connection_id", "ip_address", "question",
        "explanation", "custom_emoji_id", "language_code", "payload", "currency",
        "start_parameter", "photo", "document", "video", "voice", "video_note", "audio",
        "animation", "sticker", "thumbnail", "result_id", "web_app_query_id", "performer",
    }
)  # fmt: skip
_INT_FIELDS = frozenset(
    {
        "chat_id", "from_chat_id", "message_id", "user_id", "offset", "limit", "timeout",
        "reply_to_message_id", "message_thread_id", "until_date", "expire_date", "member_limit",
        "cache_time", "max_connections", "duration", "width", "height", "length",
        "sender_chat_id", "subscription_period", "subscription_price",
    }
)  # fmt: skip
_FLOAT_FIELDS = frozenset({"latitude", "longitude", "horizontal_accuracy"})
_INT_RE = re.compile(r"-?\d+")
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_BUTTON_ACTIONS = (
    "callback_data", "url", "web_app", "login_url", "switch_inline_query", "callback_game",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "pay", "copy_text",
)  # fmt: skip
_ADMIN_RIGHTS = (
    "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
    "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories",
    "can_edit_stories", "can_delete_stories", "can_send_welcome_messages", "can_pin_messages",
)  # fmt: skip
_RESTRICTED_RIGHTS = (
    "can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos",
    "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_send_polls",
    "can_send_other_messages", "can_add_web_page_previews", "can_react_to_messages",
    "can_edit_tag", "can_change_info", "can_invite_users", "can_pin_messages",
    "can_manage_topics",
)  # fmt: skip
_HTML_TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "code": "code", "pre": "pre", "a": "text_link", "tg-spoiler": "spoiler", "span": "spoiler",
    "blockquote": "blockquote", "tg-emoji": "custom_emoji",
}  # fmt: skip
_TELEGRAM_SERVICE_USER: JsonDict = {"id": 777000, "is_bot": False, "first_name": "Telegram"}
_CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
_CONFLICT_OTHER_POLLER = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def _aiogram_method_names() -> set[str]:
    """Canonical method names known to aiogram (used only to canonicalize the spelling)."""
    try:
        import aiogram.methods as methods
    except ImportError:  # pragma: no cover - aiogram is always installed in this project
        return set()
    names = (getattr(getattr(methods, n, None), "__api_method__", None) for n in methods.__all__)
    return {name for name in names if isinstance(name, str)}


_AIOGRAM_METHODS = frozenset(_aiogram_method_names())


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _now() -> int:
    return int(time.time())


class ApiError(Exception):
    """An error answer of the Bot API: raised by method handlers, turned into JSON."""

    def __init__(self, status: int, description: str, parameters: JsonDict | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.parameters = status, description, parameters

    def body(self) -> JsonDict:
        body: JsonDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def _bad(description: str, **parameters: Any) -> ApiError:
    return ApiError(400, f"Bad Request: {description}", parameters or None)


def _req(params: JsonDict, key: str) -> Any:
    value = params.get(key)
    if value is None or value == "":
        raise _bad(f"{key} is empty")
    return value


@dataclass
class UploadedFile:
    """A multipart file part of a request (aiogram InputFile)."""

    field: str
    filename: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class RecordedCall:
    """One Bot API request as the emulator saw and answered it. Supports ``call["params"]``."""

    method: str
    params: JsonDict
    time: float
    status: int = 0
    response: JsonDict = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)
    raw_method: str = ""
    via: str = "http"  # "http" or "webhook_reply" (a method returned in a webhook response)
    error: str | None = None  # traceback when the emulator itself failed

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.response.get("ok") is True

    @property
    def result(self) -> Any:
        return self.response.get("result")

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    def describe(self) -> str:
        params = {
            k: (f"<file {v.filename}>" if isinstance(v, UploadedFile) else v)
            for k, v in self.params.items()
        }
        answer = "ok" if self.ok else self.response.get("description", "pending")
        return f"{self.method} {self.status} {answer} {json.dumps(params, ensure_ascii=False)}"


@dataclass
class FloodWindow:
    """A 429 window created by ``BotApiEmulator.flood``; ``rejected`` holds the refused calls."""

    start: float
    end: float
    methods: frozenset[str] | None
    chat_id: int | str | None
    rejected: list[RecordedCall] = field(default_factory=list)

    def contains(self, moment: float) -> bool:
        return self.start <= moment < self.end

    def matches(self, method: str, params: JsonDict) -> bool:
        chat_ok = self.chat_id is None or params.get("chat_id") == self.chat_id
        return chat_ok and _method_matches(self.methods, method)


@dataclass
class WebhookConfig:
    url: str
    secret_token: str | None
    max_connections: int = 40
    ip_address: str | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class WebhookDelivery:
    """One attempt to POST an update to the webhook, recorded when it starts (`status` None
    until the webhook answers)."""

    update_id: int
    time: float
    status: int | None
    error: str | None = None


@dataclass
class _FailRule:
    remaining: int
    status: int
    description: str
    methods: frozenset[str] | None


@dataclass(eq=False)
class _Pending:
    update: JsonDict
    forced: bool = False  # a re-sent update_id: delivered once even if already confirmed
    delivered: bool = False

    @property
    def update_id(self) -> int:
        return int(self.update["update_id"])


@dataclass
class _StoredFile:
    kind: str
    meta: JsonDict
    data: bytes
    file_path: str | None = None


def _method_set(methods: Iterable[str] | None) -> frozenset[str] | None:
    return None if methods is None else frozenset(m.lower() for m in methods)


def _method_matches(methods: frozenset[str] | None, method: str) -> bool:
    """``None`` means every method except getUpdates (so a polling bot keeps polling)."""
    return method != "getUpdates" if methods is None else method.lower() in methods


def _update_chat(update: JsonDict) -> object:
    """What Telegram serialises an update's delivery by: its chat (a message's, a callback's
    message's, a member change's), else its user; an update with neither is its own."""
    for key, value in update.items():
        if key == "update_id" or not isinstance(value, dict):
            continue
        message = value.get("message")
        chat = value.get("chat") or (message.get("chat") if isinstance(message, dict) else None)
        user = value.get("from") or value.get("user")
        for holder in (chat, user):
            if isinstance(holder, dict) and "id" in holder:
                return holder["id"]
    return ("update", update["update_id"])


class _Signal:
    """Wakes every coroutine waiting in ``wait``; safe to ``notify`` from sync code."""

    def __init__(self) -> None:
        self._futures: set[asyncio.Future[None]] = set()

    def notify(self) -> None:
        for future in self._futures:
            if not future.done():
                future.set_result(None)
        self._futures.clear()

    async def wait(self, seconds: float | None) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._futures.add(future)
        try:
            await asyncio.wait({future}, timeout=seconds)
        finally:
            self._futures.discard(future)
            if not future.done():
                future.cancel()


class _HtmlEntities(HTMLParser):
    """Telegram's HTML parse mode: strips supported tags into entities (UTF-16 offsets)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.position = 0
        self.stack: list[tuple[str, int, dict[str, str | None]]] = []
        self.entities: list[JsonDict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag not in _HTML_TAGS or (tag == "span" and attributes.get("class") != "tg-spoiler"):
            raise _bad(f'can\'t parse entities: Unsupported start tag "{tag}"')
        self.stack.append((tag, self.position, attributes))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1][0] != tag:
            expected = f'"</{self.stack[-1][0]}>"' if self.stack else "no end tag"
            raise _bad(f'can\'t parse entities: Unmatched end tag "{tag}", expected {expected}')
        _, start, attrs = self.stack.pop()
        if self.position == start:
            return
        entity: JsonDict = {
            "type": _HTML_TAGS[tag],
            "offset": start,
            "length": self.position - start,
        }
        css_class = attrs.get("class") or ""
        if tag == "a":
            entity["url"] = attrs.get("href") or ""
        elif tag == "code" and css_class.startswith("language-") and self.stack:
            if self.stack[-1][0] == "pre":  # <pre><code class="language-x"> is one pre entity
                self.stack[-1][2]["language"] = css_class.removeprefix("language-")
                return
        elif tag == "pre" and attrs.get("language"):
            entity["language"] = attrs["language"]
        elif tag == "blockquote" and "expandable" in attrs:
            entity["type"] = "expandable_blockquote"
        elif tag == "tg-emoji":
            entity["custom_emoji_id"] = attrs.get("emoji-id") or ""
        self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        self.position += _utf16_len(data)

    @classmethod
    def parse(cls, html: str) -> tuple[str, list[JsonDict]]:
        parser = cls()
        parser.feed(html)
        parser.close()
        if parser.stack:
            tag = parser.stack[-1][0]
            raise _bad(
                f"can't parse entities: Can't find end tag corresponding to start tag \"{tag}\""
            )
        entities = sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))
        return "".join(parser.parts), entities


class BotApiEmulator:
    """In-memory Telegram Bot API on 127.0.0.1 for tests running in the same event loop."""

    def __init__(
        self,
        token: str = "123456:TEST",
        bot_username: str = "kadry_test_bot",
        *,
        bot_first_name: str = "Kadry Test Bot",
        strict_chats: bool = True,
        webhook_retry_delays: tuple[float, ...] = (0.05, 0.1, 0.2, 0.5, 1.0),
        webhook_timeout: float = 10.0,
    ) -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.strict_chats = strict_chats  # unknown chat_id -> 400 "chat not found"
        self.webhook_retry_delays = webhook_retry_delays
        self.webhook_timeout = webhook_timeout
        self._bot_user: JsonDict = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.port = 0
        self._users: dict[int, JsonDict] = {}
        self._chats: dict[int, JsonDict] = {}
        self._chat_extra: dict[int, JsonDict] = {}  # getChat-only fields, e.g. member_count
        self._migrated: dict[int, int] = {}
        self._members: dict[tuple[int, int], JsonDict] = {}
        self._messages: dict[tuple[int, int], JsonDict] = {}
        self._bot_messages: dict[int, list[int]] = {}
        self._deleted: set[tuple[int, int]] = set()
        self._last_message_id: dict[int, int] = {}
        self._files: dict[str, _StoredFile] = {}
        self._file_paths: dict[str, _StoredFile] = {}
        self._invite_links: dict[str, JsonDict] = {}
        self._join_requests: dict[tuple[int, int], JsonDict] = {}
        self._callback_queries: dict[str, bool] = {}  # id -> answered
        self._commands: dict[tuple[str, str], list[JsonDict]] = {}
        self._menu_buttons: dict[int | None, JsonDict] = {}
        # updates and delivery
        self._last_update_id = 0
        self._pending: list[_Pending] = []
        self._allowed_updates: list[str] | None = None
        self._webhook: WebhookConfig | None = None
        self.webhook_deliveries: list[WebhookDelivery] = []
        self._poller: asyncio.Future[None] | None = None
        self._updates_signal = _Signal()
        self._calls_signal = _Signal()
        # recorder and faults
        self._calls: list[RecordedCall] = []
        self.flood_windows: list[FloodWindow] = []
        self._blocked: set[int | str] = set()
        self._fail_rules: list[_FailRule] = []
        self._latency = 0.0
        self._method_latency: dict[str, float] = {}
        # server
        self._runner: web.AppRunner | None = None
        self._client: ClientSession | None = None
        self._worker: asyncio.Task[None] | None = None
        self._deliveries: dict[asyncio.Task[None], object] = {}  # in flight -> its chat
        self._stopping = False
        self._counter = 0
        self._handlers: dict[str, Callable[[JsonDict], Any]] = {
            "getMe": lambda p: dict(self._bot_user),
            "logOut": lambda p: True,
            "close": lambda p: True,
            "sendMessage": self._send_message,
            "editMessageText": partial(self._edit, "text"),
            "editMessageCaption": partial(self._edit, "caption"),
            "editMessageReplyMarkup": partial(self._edit, None),
            "deleteMessage": self._delete_message,
            "deleteMessages": self._delete_messages,
            "answerCallbackQuery": self._answer_callback_query,
            "sendMediaGroup": self._send_media_group,
            "sendContact": self._send_contact,
            "sendLocation": self._send_location,
            "copyMessage": self._copy_message,
            "forwardMessage": self._forward_message,
            "sendChatAction": self._send_chat_action,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setChatMenuButton": self._set_menu_button,
            "getChatMenuButton": self._get_menu_button,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "getChatAdministrators": self._get_chat_administrators,
            "getChatMemberCount": self._get_chat_member_count,
            "createChatInviteLink": self._create_invite_link,
            "editChatInviteLink": self._edit_invite_link,
            "revokeChatInviteLink": self._revoke_invite_link,
            "approveChatJoinRequest": partial(self._resolve_join_request, True),
            "declineChatJoinRequest": partial(self._resolve_join_request, False),
            "banChatMember": self._ban_chat_member,
            "unbanChatMember": self._unban_chat_member,
            "leaveChat": self._leave_chat,
            "getFile": self._get_file,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
        }
        for method, kind in _MEDIA_METHODS.items():
            self._handlers[method] = partial(self._send_media, kind)
        names = _AIOGRAM_METHODS | set(self._handlers) | {"getUpdates"}
        self._canonical = {name.lower(): name for name in names}

    # ------------------------------------------------------------------ lifecycle

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def bot_user(self) -> JsonDict:
        return dict(self._bot_user)

    @property
    def webhook(self) -> WebhookConfig | None:
        return self._webhook

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(self._runner, sock).start()
        self.port = sock.getsockname()[1]
        self._client = ClientSession()
        self._worker = asyncio.create_task(self._webhook_worker())

    async def stop(self) -> None:
        self._stopping = True
        self._updates_signal.notify()
        tasks = [*self._deliveries, *([self._worker] if self._worker else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
        if self._client is not None:
            await self._client.close()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # ------------------------------------------------------------------ simulated world

    def user(
        self,
        user_id: int,
        first_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        last_name: str | None = None,
    ) -> JsonDict:
        """Create (or update the given fields of) a simulated user and their private chat."""
        user = self._users.setdefault(
            user_id,
            {"id": user_id, "is_bot": False, "first_name": f"User{user_id}", "language_code": "ru"},
        )
        given = {
            "first_name": first_name,
            "username": username,
            "language_code": language_code,
            "last_name": last_name,
        }
        user.update({k: v for k, v in given.items() if v is not None})
        chat = {"id": user_id, "type": "private", "first_name": user["first_name"]}
        chat.update({k: user[k] for k in ("last_name", "username") if k in user})
        self._chats[user_id] = chat
        return dict(user)

    def group(
        self,
        chat_id: int,
        title: str = "Test group",
        type: str = "group",
        *,
        username: str | None = None,
        bot_status: str = "administrator",
        can_invite_users: bool = True,
        member_count: int | None = None,
    ) -> JsonDict:
        """Create a group/supergroup/channel; the bot is an administrator there by default."""
        chat: JsonDict = {"id": chat_id, "type": type, "title": title}
        if username:
            chat["username"] = username
        self._chats[chat_id] = chat
        if member_count is not None:
            self._chat_extra.setdefault(chat_id, {})["member_count"] = member_count
        rights = {"can_invite_users": can_invite_users} if bot_status == "administrator" else {}
        self.set_member(chat_id, self.bot_id, bot_status, **rights)
        return dict(chat)

    def set_member(
        self, chat_id: int, user_id: int, status: str = "member", **fields: Any
    ) -> JsonDict:
        """Configure what getChatMember returns (status: creator, administrator, member, ...)."""
        member = self._member_dict(self._user_obj(user_id), status, **fields)
        self._members[(chat_id, user_id)] = member
        return copy.deepcopy(member)

    def set_bot_admin(self, chat_id: int, can_invite_users: bool = True, **rights: Any) -> JsonDict:
        return self.set_member(
            chat_id, self.bot_id, "administrator", can_invite_users=can_invite_users, **rights
        )

    def add_file(self, kind: str = "document", data: bytes | None = None, **meta: Any) -> JsonDict:
        """Register a file the bot may reference by file_id; returns its Telegram object."""
        return self._new_file(kind, data, **meta)

    def message(self, chat_id: int, message_id: int) -> JsonDict | None:
        stored = self._messages.get((chat_id, message_id))
        return copy.deepcopy(stored) if stored is not None else None

    def member(self, chat_id: int, user_id: int) -> JsonDict:
        return copy.deepcopy(self._member_obj(chat_id, user_id))

    def commands(self, scope: JsonDict | None = None, language_code: str = "") -> list[JsonDict]:
        return copy.deepcopy(self._commands.get((self._scope_key(scope), language_code), []))

    def invite_link(self, link: str) -> JsonDict | None:
        stored = self._invite_links.get(link)
        return self._public_link(stored) if stored is not None else None

    # ------------------------------------------------------------------ injecting updates

    def inject_update(self, update: JsonDict) -> JsonDict:
        """Queue a raw update. A missing update_id is assigned; an update_id that was already
        used is queued again as a duplicate (delivered once more even if already confirmed)."""
        update = copy.deepcopy(update)
        forced = False
        if "update_id" not in update:
            self._last_update_id += 1
            update["update_id"] = self._last_update_id
        elif int(update["update_id"]) <= self._last_update_id:
            forced = True
        else:
            self._last_update_id = int(update["update_id"])
        self._pending.append(_Pending(update, forced=forced))
        self._updates_signal.notify()
        self._calls_signal.notify()
        return copy.deepcopy(update)

    def send_text(self, user_id: int, text: str, chat_id: int | None = None) -> JsonDict:
        return self.send_message(user_id, chat_id, text=text)

    def send_message(self, user_id: int, chat_id: int | None = None, **fields: Any) -> JsonDict:
        """A user's message. Media fields may be minimal (``photo={}``, ``document={"file_name":
        "cv.pdf"}``); file ids and sizes are generated, the content too unless ``data`` gives it
        (``document={"file_name": "season.yaml", "data": b"..."}``).
        ``reply_to_message_id=N`` embeds N."""
        user = self._sim_user(user_id)
        chat = self._sim_chat(user_id if chat_id is None else chat_id)
        message: JsonDict = {
            "message_id": self._next_message_id(chat["id"]),
            "from": user,
            "chat": dict(chat),
            "date": _now(),
        }
        reply_to = fields.pop("reply_to_message_id", None)
        if reply_to is not None:
            replied = self._messages.get((chat["id"], int(reply_to)))
            if replied is None:
                raise LookupError(f"no message {reply_to} in chat {chat['id']} to reply to")
            message["reply_to_message"] = self._public(replied, nested=True)
        for key, value in fields.items():
            message[key] = self._user_media(key, value, user)
        text = message.get("text")
        if isinstance(text, str) and text.startswith("/") and "entities" not in message:
            command = text.split(maxsplit=1)[0]
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": _utf16_len(command)}
            ]
        self._messages[(chat["id"], message["message_id"])] = message
        return self.inject_update({"message": copy.deepcopy(message)})

    def press_button(
        self,
        user_id: int,
        message_id: int,
        callback_data: str,
        chat_id: int | None = None,
        *,
        check: bool = True,
    ) -> JsonDict:
        """A callback_query for the stored bot message; ``check`` asserts the button exists."""
        chat_id = user_id if chat_id is None else chat_id
        message = self._live_message(chat_id, message_id)
        if message is None:
            raise LookupError(f"no (undeleted) message {message_id} in chat {chat_id}")
        if check:
            markup = message.get("reply_markup") or {}
            data = [
                b.get("callback_data") for row in markup.get("inline_keyboard", []) for b in row
            ]
            if callback_data not in data:
                raise AssertionError(
                    f"message {message_id} has no button with callback_data {callback_data!r}; "
                    f"buttons: {data}"
                )
        query_id = f"{self.bot_id}{self._next_counter():08d}"
        self._callback_queries[query_id] = False
        query = {
            "id": query_id,
            "from": self._sim_user(user_id),
            "message": self._public(message),
            "chat_instance": str(abs(chat_id) * 7919),
            "data": callback_data,
        }
        return self.inject_update({"callback_query": query})

    def chat_join_request(
        self,
        user_id: int,
        chat_id: int,
        invite_link: str | JsonDict | None = None,
        bio: str | None = None,
    ) -> JsonDict:
        user, chat = self._sim_user(user_id), self._sim_chat(chat_id)
        request: JsonDict = {
            "chat": dict(chat),
            "from": user,
            "user_chat_id": user_id,
            "date": _now(),
        }
        if bio is not None:
            request["bio"] = bio
        if isinstance(invite_link, str):
            stored = self._invite_links.get(invite_link)
            if stored is None:  # a link the bot did not create: make up a minimal one
                stored = {"invite_link": invite_link, "creator": self.bot_user}
                stored.update(creates_join_request=True, is_primary=False, is_revoked=False)
            else:
                stored["pending_join_request_count"] = (
                    stored.get("pending_join_request_count", 0) + 1
                )
            request["invite_link"] = self._public_link(stored)
        elif invite_link is not None:
            request["invite_link"] = invite_link
        self._join_requests[(chat_id, user_id)] = request
        return self.inject_update({"chat_join_request": request})

    def my_chat_member(
        self,
        chat_id: int,
        new_status: str = "member",
        old_status: str = "left",
        from_user_id: int | None = None,
        **member_fields: Any,
    ) -> JsonDict:
        """The bot's own status changed (added, promoted, kicked, user blocked the bot...)."""
        chat = self._sim_chat(chat_id)
        if from_user_id is None and chat["type"] == "private":
            from_user_id = chat_id
        new = self.set_member(chat_id, self.bot_id, new_status, **member_fields)
        old = self._member_dict(self.bot_user, old_status)
        return self._member_update("my_chat_member", chat, old, new, from_user_id)

    def chat_member(
        self,
        chat_id: int,
        user_id: int,
        new_status: str = "member",
        old_status: str = "left",
        from_user_id: int | None = None,
        invite_link: JsonDict | None = None,
        via_join_request: bool | None = None,
        **member_fields: Any,
    ) -> JsonDict:
        """A member's status changed; delivered only if allowed_updates includes chat_member."""
        chat = self._sim_chat(chat_id)
        new = self.set_member(chat_id, user_id, new_status, **member_fields)
        old = self._member_dict(self._sim_user(user_id), old_status)
        extra: JsonDict = {"invite_link": invite_link, "via_join_request": via_join_request}
        return self._member_update("chat_member", chat, old, new, from_user_id, **extra)

    def migrate_group_to_supergroup(
        self, old_chat_id: int, new_chat_id: int, user_id: int | None = None
    ) -> list[JsonDict]:
        """Upgrade a group: service messages in both chats; sends to the old id then fail."""
        old_chat = self._sim_chat(old_chat_id)
        new_chat = {**old_chat, "id": new_chat_id, "type": "supergroup"}
        self._chats[new_chat_id] = new_chat
        for (chat_id, member_id), member in list(self._members.items()):
            if chat_id == old_chat_id:
                self._members[(new_chat_id, member_id)] = copy.deepcopy(member)
        self._migrated[old_chat_id] = new_chat_id
        sender = self._sim_user(user_id) if user_id is not None else dict(_TELEGRAM_SERVICE_USER)
        updates: list[JsonDict] = []
        for chat, key, value in (
            (old_chat, "migrate_to_chat_id", new_chat_id),
            (new_chat, "migrate_from_chat_id", old_chat_id),
        ):
            message: JsonDict = {
                "message_id": self._next_message_id(chat["id"]),
                "from": sender,
                "chat": dict(chat),
                "date": _now(),
                key: value,
            }
            self._messages[(chat["id"], message["message_id"])] = message
            updates.append(self.inject_update({"message": copy.deepcopy(message)}))
        return updates

    def pending_updates(self) -> list[JsonDict]:
        return [copy.deepcopy(p.update) for p in self._pending]

    async def post_to_webhook(
        self, update: JsonDict, secret: str | None = None, url: str | None = None
    ) -> int:
        """POST one raw update to the webhook (or ``url``) with an arbitrary secret header
        (``None`` = no header) outside the normal queue; returns the HTTP status."""
        target = url or (self._webhook.url if self._webhook else None)
        if target is None or self._client is None:
            raise RuntimeError("no webhook url (set one or pass url=) or emulator not started")
        body = dict(update)
        if "update_id" not in body:
            self._last_update_id += 1
            body["update_id"] = self._last_update_id
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        timeout = ClientTimeout(total=self.webhook_timeout)
        async with self._client.post(
            target, data=json.dumps(body), headers=headers, timeout=timeout
        ) as response:
            await response.read()
            return response.status

    # ------------------------------------------------------------------ recorder

    def calls(self, method: str | None = None) -> list[RecordedCall]:
        if method is None:
            return list(self._calls)
        wanted = method.lower()
        return [call for call in self._calls if call.method.lower() == wanted]

    def clear_calls(self) -> None:
        self._calls.clear()

    def messages_to(self, chat_id: int, include_deleted: bool = True) -> list[JsonDict]:
        """Messages the bot successfully sent to the chat, in order, in their current state
        (edits applied; ``reply_markup`` as sent, including reply keyboards)."""
        ids = self._bot_messages.get(chat_id, [])
        return [
            copy.deepcopy(self._messages[(chat_id, mid)])
            for mid in ids
            if include_deleted or (chat_id, mid) not in self._deleted
        ]

    def last_message(self, chat_id: int) -> JsonDict | None:
        messages = self.messages_to(chat_id)
        return messages[-1] if messages else None

    def successful_during(self, window: FloodWindow) -> list[RecordedCall]:
        """Calls matching the flood window that succeeded while it was active (should be [])."""
        return [
            c
            for c in self._calls
            if c.ok and window.contains(c.time) and window.matches(c.method, c.params)
        ]

    def dump_calls(self, limit: int = 25, include_get_updates: bool = False) -> str:
        calls = [c for c in self._calls if include_get_updates or c.method != "getUpdates"]
        return "\n".join(f"  {c.describe()}" for c in calls[-limit:]) or "  (no calls)"

    async def wait_for(
        self,
        predicate: Callable[[], Any],
        timeout: float = 10.0,
        message: str | None = None,
    ) -> Any:
        """Re-check ``predicate`` on every recorded call until truthy; returns its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                what = message or getattr(predicate, "__name__", "condition")
                raise AssertionError(
                    f"{what} not met within {timeout}s; recent calls:\n{self.dump_calls()}"
                )
            await self._calls_signal.wait(min(remaining, 0.05))

    async def wait_for_message(
        self,
        chat_id: int,
        contains: str | None = None,
        timeout: float = 10.0,
        since: int | None = None,
    ) -> JsonDict:
        """First bot message to the chat sent after this call (or after index ``since`` of
        ``messages_to(chat_id)``) whose text or caption contains ``contains``."""
        start = len(self._bot_messages.get(chat_id, [])) if since is None else since

        def find() -> JsonDict | None:
            for message in self.messages_to(chat_id)[start:]:
                text = message.get("text") or message.get("caption") or ""
                if contains is None or contains in text:
                    return message
            return None

        return dict(
            await self.wait_for(
                find, timeout, f"new message to chat {chat_id} containing {contains!r}"
            )
        )

    # ------------------------------------------------------------------ fault switches

    def flood(
        self,
        retry_after: int = 5,
        duration: float | None = None,
        methods: Iterable[str] | None = DEFAULT_FLOOD_METHODS,
        chat_id: int | str | None = None,
    ) -> FloodWindow:
        """From now on matching calls get 429 with retry_after = ceil(seconds left in window).
        ``methods=None`` means every method except getUpdates."""
        start = time.monotonic()
        window = FloodWindow(
            start,
            start + (retry_after if duration is None else duration),
            _method_set(methods),
            chat_id,
        )
        self.flood_windows.append(window)
        return window

    def block(self, chat_id: int | str, notify: bool = False) -> None:
        """Sends to the chat answer 403 blocked; ``notify`` also injects my_chat_member kicked."""
        self._blocked.add(chat_id)
        if notify and isinstance(chat_id, int):
            self.my_chat_member(chat_id, "kicked", "member")

    def unblock(self, chat_id: int | str) -> None:
        self._blocked.discard(chat_id)

    def fail_next(
        self, n: int = 1, status: int = 502, methods: Iterable[str] | None = None
    ) -> None:
        """The next ``n`` matching calls (None = any but getUpdates) answer ``status``."""
        description = HTTPStatus(status).phrase  # ValueError for a non-HTTP status
        self._fail_rules.append(_FailRule(n, status, description, _method_set(methods)))

    def set_latency(self, seconds: float, method: str | None = None) -> None:
        """Answer every call after ``seconds``; or only ``method``'s (e.g. "setWebhook"), that
        one recorded before the wait, so a test sees it in flight."""
        if method is None:
            self._latency = seconds
        else:
            self._method_latency[method] = seconds

    def reset_faults(self) -> None:
        now = time.monotonic()
        for window in self.flood_windows:
            window.end = min(window.end, now)
        self._blocked.clear()
        self._fail_rules.clear()
        self._latency = 0.0
        self._method_latency.clear()

    def _check_faults(self, call: RecordedCall) -> None:
        for rule in self._fail_rules:
            if rule.remaining > 0 and _method_matches(rule.methods, call.method):
                rule.remaining -= 1
                raise ApiError(rule.status, rule.description)
        if call.method in _BLOCKABLE_METHODS and call.params.get("chat_id") in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        for window in self.flood_windows:
            if window.contains(call.time) and window.matches(call.method, call.params):
                window.rejected.append(call)
                retry_after = max(1, math.ceil(window.end - call.time))
                raise ApiError(
                    429,
                    f"Too Many Requests: retry after {retry_after}",
                    {"retry_after": retry_after},
                )

    # ------------------------------------------------------------------ HTTP layer

    async def _handle_api(self, request: web.Request) -> web.Response:
        params, files = await self._read_request(request)
        call = await self._execute(
            request.match_info["method"], request.match_info["token"], params, files, "http"
        )
        return web.json_response(call.response, status=call.status)

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").body(), status=401)
        stored = self._file_paths.get(request.match_info["path"])
        if stored is None:
            return web.json_response(ApiError(404, "Not Found").body(), status=404)
        return web.Response(body=stored.data, content_type="application/octet-stream")

    @staticmethod
    async def _read_request(request: web.Request) -> tuple[JsonDict, dict[str, UploadedFile]]:
        raw: JsonDict = dict(request.query)
        files: dict[str, UploadedFile] = {}
        if request.content_type == "application/json" and request.can_read_body:
            body = await request.json()
            if isinstance(body, dict):
                raw.update(body)
        elif request.can_read_body:
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    files[key] = UploadedFile(
                        key, value.filename, value.content_type, value.file.read()
                    )
                else:
                    raw[key] = value
        return BotApiEmulator._decode_params(raw, files), files

    @staticmethod
    def _decode_params(raw: JsonDict, files: dict[str, UploadedFile]) -> JsonDict:
        """Form values are strings: parse JSON objects, booleans and integer ids; replace
        ``attach://name`` references with the uploaded files."""

        def decode(key: str, value: Any) -> Any:
            if not isinstance(value, str) or key in _STRING_FIELDS:
                return value
            text = value.strip()
            if key in _INT_FIELDS and _INT_RE.fullmatch(text):
                return int(text)
            if key in _FLOAT_FIELDS:
                try:
                    return float(text)
                except ValueError:
                    return value
            if text in ("true", "false"):
                return text == "true"
            if text[:1] in ("{", "["):
                try:
                    return json.loads(text)
                except ValueError:
                    return value
            return value

        used: set[str] = set()

        def attach(value: Any) -> Any:
            if isinstance(value, str) and value.startswith("attach://"):
                name = value.removeprefix("attach://")
                if name in files:
                    used.add(name)
                    return files[name]
            if isinstance(value, dict):
                return {k: attach(v) for k, v in value.items()}
            if isinstance(value, list):
                return [attach(v) for v in value]
            return value

        params = {key: attach(decode(key, value)) for key, value in raw.items()}
        for name, upload in files.items():
            if name not in used:
                params.setdefault(name, upload)
        return params

    async def _execute(
        self,
        raw_method: str,
        token: str,
        params: JsonDict,
        files: dict[str, UploadedFile],
        via: str,
    ) -> RecordedCall:
        method = self._canonical.get(raw_method.lower(), raw_method)
        if self._latency:
            await asyncio.sleep(self._latency)
        call = RecordedCall(
            method, params, time.monotonic(), files=files, raw_method=raw_method, via=via
        )
        self._calls.append(call)
        if delay := self._method_latency.get(method):
            await asyncio.sleep(delay)
        try:
            if token != self.token:
                raise ApiError(401, "Unauthorized")
            self._check_faults(call)
            result: Any
            if method == "getUpdates":
                result = await self._get_updates(params)
            else:
                handler = self._handlers.get(method)
                result = True if handler is None else handler(params)
            call.status, call.response = 200, {"ok": True, "result": result}
        except ApiError as exc:
            call.status, call.response = exc.status, exc.body()
        except asyncio.CancelledError:
            call.status, call.response = 499, {"ok": False, "description": "request cancelled"}
            raise
        except Exception as exc:  # an emulator bug: answer 500 and keep the traceback
            _log.exception("BotApiEmulator failed on %s", method)
            call.error = traceback.format_exc()
            call.status = 500
            call.response = ApiError(500, f"Internal Server Error: emulator: {exc!r}").body()
        finally:
            self._calls_signal.notify()
        return call

    # ------------------------------------------------------------------ updates delivery

    def _is_allowed(self, update: JsonDict) -> bool:
        kind = next((key for key in update if key != "update_id"), "")
        if not self._allowed_updates:
            return kind not in _OPT_IN_UPDATES
        return kind in self._allowed_updates

    def _confirm(self, offset: int) -> None:
        if offset < 0:
            self._pending = self._pending[offset:]
        elif offset > 0:
            self._pending = [
                p for p in self._pending if p.update_id >= offset or (p.forced and not p.delivered)
            ]

    def _take_batch(self, limit: int) -> list[JsonDict]:
        self._pending = [p for p in self._pending if self._is_allowed(p.update)]
        batch = self._pending[:limit]
        for pending in batch:
            pending.delivered = True
        return [copy.deepcopy(p.update) for p in batch]

    async def _get_updates(self, params: JsonDict) -> list[JsonDict]:
        if self._webhook is not None:
            raise ApiError(409, _CONFLICT_WEBHOOK)
        if params.get("allowed_updates") is not None:
            self._allowed_updates = list(params["allowed_updates"])
        self._confirm(int(params.get("offset") or 0))
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        deadline = time.monotonic() + max(float(params.get("timeout") or 0), 0.0)
        if self._poller is not None and not self._poller.done():
            self._poller.set_result(None)  # terminate the older long poll
            self._updates_signal.notify()
        me: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._poller = me
        try:
            while True:
                if me.done():
                    raise ApiError(409, _CONFLICT_OTHER_POLLER)
                if self._webhook is not None:
                    raise ApiError(409, _CONFLICT_WEBHOOK)
                batch = self._take_batch(limit)
                remaining = deadline - time.monotonic()
                if batch or remaining <= 0 or self._stopping:
                    return batch
                await self._updates_signal.wait(remaining)
        finally:
            if self._poller is me:
                self._poller = None

    async def _webhook_worker(self) -> None:
        """Starts deliveries whenever an update arrives or a delivery ends (both notify)."""
        while not self._stopping:
            config = self._webhook
            if config is not None:
                self._pending = [p for p in self._pending if self._is_allowed(p.update)]
                self._start_deliveries(config)
            await self._updates_signal.wait(None)

    def _start_deliveries(self, config: WebhookConfig) -> None:
        """Up to ``max_connections`` in flight; of each chat only its oldest pending update,
        and only when none of that chat's is in flight."""
        busy = set(self._deliveries.values())
        for pending in self._pending:
            if len(self._deliveries) >= config.max_connections:
                return
            chat = _update_chat(pending.update)
            if chat in busy:
                continue
            busy.add(chat)
            task = asyncio.create_task(self._deliver_until_taken(pending))
            self._deliveries[task] = chat
            task.add_done_callback(self._delivery_done)

    def _delivery_done(self, task: asyncio.Task[None]) -> None:
        self._deliveries.pop(task, None)
        self._updates_signal.notify()  # the chat's next update, or another chat's, may go

    async def _deliver_until_taken(self, pending: _Pending) -> None:
        """POST the update until the webhook takes it, with the retry delays between; given up
        when the webhook is removed (``getUpdates`` then gets it) or the update dropped."""
        attempt = 0
        while not self._stopping and pending in self._pending:
            config = self._webhook
            if config is None:
                return
            if await self._deliver(config, pending):
                if pending in self._pending:
                    self._pending.remove(pending)
                return
            delay = self.webhook_retry_delays[min(attempt, len(self.webhook_retry_delays) - 1)]
            attempt += 1
            await asyncio.sleep(delay)

    async def _deliver(self, config: WebhookConfig, pending: _Pending) -> bool:
        assert self._client is not None
        headers = {"Content-Type": "application/json"}
        if config.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = config.secret_token
        delivery = WebhookDelivery(pending.update_id, time.monotonic(), None)
        self.webhook_deliveries.append(delivery)
        try:
            async with self._client.post(
                config.url,
                data=json.dumps(pending.update),
                headers=headers,
                timeout=ClientTimeout(total=self.webhook_timeout),
            ) as response:
                delivery.status = response.status
                if 200 <= response.status < 300:
                    await self._run_webhook_reply(response)
                else:
                    delivery.error = f"Wrong response from the webhook: {response.status} " + (
                        response.reason or ""
                    )
        except (ClientError, TimeoutError, OSError) as exc:
            delivery.error = f"Connection failed: {type(exc).__name__}: {exc}"
        finally:
            self._calls_signal.notify()
        if delivery.error is not None:
            config.last_error_date, config.last_error_message = _now(), delivery.error
            return False
        return True

    async def _run_webhook_reply(self, response: ClientResponse) -> None:
        """Telegram executes a method returned in the webhook response body."""
        raw: JsonDict = {}
        files: dict[str, UploadedFile] = {}
        if response.content_type == "application/json":
            body = await response.json()
            raw = body if isinstance(body, dict) else {}
        elif response.content_type.startswith("multipart/"):
            reader = MultipartReader(response.headers, response.content)
            while (part := await reader.next()) is not None:
                if not isinstance(part, BodyPartReader):
                    continue
                name, data = part.name or "", await part.read(decode=True)
                if part.filename:
                    files[name] = UploadedFile(
                        name, part.filename, "application/octet-stream", data
                    )
                else:
                    raw[name] = data.decode()
        else:
            await response.read()
        method = raw.pop("method", None)
        if isinstance(method, str) and method:
            params = self._decode_params(raw, files)
            await self._execute(method, self.token, params, files, "webhook_reply")

    # ------------------------------------------------------------------ helpers: world

    def _next_counter(self) -> int:
        self._counter += 1
        return self._counter

    def _next_message_id(self, chat_id: int) -> int:
        self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
        return self._last_message_id[chat_id]

    def _sim_user(self, user_id: int) -> JsonDict:
        if user_id not in self._users:
            self.user(user_id)
        return dict(self._users[user_id])

    def _sim_chat(self, chat_id: int) -> JsonDict:
        if chat_id not in self._chats:
            if chat_id <= 0:
                raise LookupError(f"unknown chat {chat_id}: create it with emu.group() first")
            self.user(chat_id)
        return self._chats[chat_id]

    def _user_obj(self, user_id: int) -> JsonDict:
        return self.bot_user if user_id == self.bot_id else self._sim_user(user_id)

    @staticmethod
    def _member_dict(user: JsonDict, status: str, **fields: Any) -> JsonDict:
        member: JsonDict = {"status": status, "user": user}
        if status == "administrator":
            member.update({"can_be_edited": False, "is_anonymous": False})
            member.update({right: right != "can_promote_members" for right in _ADMIN_RIGHTS})
        elif status == "creator":
            member["is_anonymous"] = False
        elif status == "restricted":
            member.update({"is_member": True, "until_date": 0})
            member.update(dict.fromkeys(_RESTRICTED_RIGHTS, False))
        elif status == "kicked":
            member["until_date"] = 0
        member.update(fields)
        return member

    def _member_obj(self, chat_id: int, user_id: int) -> JsonDict:
        member = self._members.get((chat_id, user_id))
        return (
            member if member is not None else self._member_dict(self._user_obj(user_id), "member")
        )

    def _member_update(
        self,
        kind: str,
        chat: JsonDict,
        old: JsonDict,
        new: JsonDict,
        from_user_id: int | None,
        **extra: Any,
    ) -> JsonDict:
        sender = (
            self._sim_user(from_user_id)
            if from_user_id is not None
            else dict(_TELEGRAM_SERVICE_USER)
        )
        body: JsonDict = {
            "chat": dict(chat),
            "from": sender,
            "date": _now(),
            "old_chat_member": old,
            "new_chat_member": new,
        }
        body.update({k: v for k, v in extra.items() if v is not None})
        return self.inject_update({kind: body})

    def _user_media(self, key: str, value: Any, user: JsonDict) -> Any:
        if key == "photo":
            if isinstance(value, list):
                return [self._new_file("photo", None, **size) for size in value]
            return self._photo_sizes(None, **(value if isinstance(value, dict) else {}))
        if key in _MEDIA_DEFAULTS:
            meta = dict(value) if isinstance(value, dict) else {}
            data = meta.pop("data", None)  # the file's real content, served by getFile
            return self._new_file(key, data, **meta)
        if key == "contact" and isinstance(value, dict):
            contact = {"first_name": user["first_name"], "user_id": user["id"], **value}
            return {k: v for k, v in contact.items() if v is not None}
        return value

    def _new_file(self, kind: str, data: bytes | None, **meta: Any) -> JsonDict:
        file_id = meta.pop("file_id", None) or f"{kind[:2].upper()}AC{secrets.token_urlsafe(24)}"
        unique_id = meta.pop("file_unique_id", None) or f"AgAD{secrets.token_urlsafe(8)}"
        if data is None:
            size = int(meta.get("file_size") or 1024 + 37 * self._next_counter())
            data = (f"fake {kind} {file_id}\n".encode() * (size // 20 + 1))[: min(size, 1 << 20)]
        obj: JsonDict = {"file_id": file_id, "file_unique_id": unique_id, "file_size": len(data)}
        obj.update({**_MEDIA_DEFAULTS.get(kind, {}), **meta})
        self._files[file_id] = _StoredFile(kind, obj, data)
        return copy.deepcopy(obj)

    def _photo_sizes(self, data: bytes | None, **largest: Any) -> list[JsonDict]:
        small_data = (data or b"thumbnail")[:256]
        small = self._new_file("photo", small_data, width=90, height=68)
        return [small, self._new_file("photo", data, **{"width": 800, "height": 600, **largest})]

    def _live_message(self, chat_id: int, message_id: int) -> JsonDict | None:
        if (chat_id, message_id) in self._deleted:
            return None
        return self._messages.get((chat_id, message_id))

    @staticmethod
    def _public(message: JsonDict, nested: bool = False) -> JsonDict:
        """The Message as the Bot API returns it: only inline keyboards appear in it."""
        public = copy.deepcopy(message)
        if "inline_keyboard" not in (public.get("reply_markup") or {}):
            public.pop("reply_markup", None)
        if nested:
            public.pop("reply_to_message", None)
        return public

    def _resolve_chat_id(self, chat_id: Any) -> int:
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            for chat in self._chats.values():
                if chat.get("username", "").lower() == chat_id[1:].lower():
                    return int(chat["id"])
            raise _bad("chat not found")
        if isinstance(chat_id, str) and _INT_RE.fullmatch(chat_id):
            return int(chat_id)
        if not isinstance(chat_id, int) or isinstance(chat_id, bool):
            raise _bad("chat_id is empty" if chat_id in (None, "") else "chat not found")
        return chat_id

    def _chat(self, chat_id: Any) -> JsonDict:
        resolved = self._resolve_chat_id(chat_id)
        chat = self._chats.get(resolved)
        if chat is None:
            if self.strict_chats or resolved <= 0:
                raise _bad("chat not found")
            self.user(resolved)
            chat = self._chats[resolved]
        return chat

    def _chat_for_send(self, chat_id: Any) -> JsonDict:
        chat = self._chat(chat_id)
        if chat["id"] in self._migrated:
            raise _bad(
                "group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=self._migrated[chat["id"]],
            )
        status = self._member_obj(chat["id"], self.bot_id)["status"]
        if chat["type"] == "private" and status == "kicked":
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat["type"] != "private" and status in ("left", "kicked"):
            verb = "was kicked from" if status == "kicked" else "is not a member of"
            raise ApiError(403, f"Forbidden: bot {verb} the {chat['type']} chat")
        return chat

    def _require_rights(self, chat_id: int, right: str, action: str) -> None:
        member = self._member_obj(chat_id, self.bot_id)
        if member["status"] != "creator" and not (
            member["status"] == "administrator" and member.get(right)
        ):
            raise _bad(f"not enough rights to {action}")

    # ------------------------------------------------------------------ methods: messages

    @staticmethod
    def _formatted(params: JsonDict, key: str, entities_key: str, limit: int) -> JsonDict:
        text = params.get(key)
        if text is None or text == "":
            if key == "text":
                raise _bad("message text is empty")
            return {}
        text = str(text)
        entities = params.get(entities_key)
        if entities is None and str(params.get("parse_mode") or "").lower() == "html":
            text, entities = _HtmlEntities.parse(text)
        if key == "text" and not text.strip():
            raise _bad("message text is empty")
        if _utf16_len(text) > limit:
            raise _bad("message is too long" if key == "text" else "message caption is too long")
        return {key: text, entities_key: entities} if entities else {key: text}

    @staticmethod
    def _validate_markup(markup: Any) -> None:
        if not isinstance(markup, dict):
            raise _bad("can't parse reply keyboard markup JSON object")
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if not any(button.get(action) is not None for action in _BUTTON_ACTIONS):
                    raise _bad("text buttons are unallowed in the inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= 64:
                    raise _bad("BUTTON_DATA_INVALID")

    def _store_bot_message(self, params: JsonDict, content: JsonDict, **extra: Any) -> JsonDict:
        chat = self._chat_for_send(_req(params, "chat_id"))
        chat_id = chat["id"]
        reply = params.get("reply_parameters") or {}
        reply_to = reply.get("message_id") or params.get("reply_to_message_id")
        replied = self._live_message(chat_id, int(reply_to)) if reply_to else None
        if (
            reply_to
            and replied is None
            and not (
                reply.get("allow_sending_without_reply")
                or params.get("allow_sending_without_reply")
            )
        ):
            raise _bad("message to be replied not found")
        markup = params.get("reply_markup")
        if markup is not None:
            self._validate_markup(markup)
        message: JsonDict = {
            "message_id": self._next_message_id(chat_id),
            "from": self.bot_user,
            "chat": dict(chat),
            "date": _now(),
        }
        if params.get("message_thread_id"):
            message["message_thread_id"] = params["message_thread_id"]
        if replied is not None:
            message["reply_to_message"] = self._public(replied, nested=True)
        message.update(content)
        message.update(extra)
        if markup is not None:
            message["reply_markup"] = markup  # stored as sent; _public() hides non-inline ones
        if params.get("protect_content"):
            message["has_protected_content"] = True
        self._messages[(chat_id, message["message_id"])] = message
        self._bot_messages.setdefault(chat_id, []).append(message["message_id"])
        return message

    def _send_message(self, params: JsonDict) -> JsonDict:
        content = self._formatted(params, "text", "entities", 4096)
        if params.get("link_preview_options"):
            content["link_preview_options"] = params["link_preview_options"]
        return self._public(self._store_bot_message(params, content))

    def _media_object(self, kind: str, value: Any, params: JsonDict) -> Any:
        if isinstance(value, UploadedFile):
            meta: JsonDict = {}
            if kind in ("document", "audio", "animation", "video"):
                guessed = mimetypes.guess_type(value.filename)[0]
                meta = {"file_name": value.filename, "mime_type": guessed or value.content_type}
            for key in ("duration", "width", "height", "length", "performer", "title"):
                if params.get(key) is not None:
                    meta[key] = params[key]
            if kind == "photo":
                return self._photo_sizes(value.data)
            return self._new_file(kind, value.data, **meta)
        if isinstance(value, str) and value in self._files:
            stored = copy.deepcopy(self._files[value].meta)
            return [stored] if kind == "photo" else stored
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return self._photo_sizes(None) if kind == "photo" else self._new_file(kind, None)
        if value in (None, ""):
            raise _bad(f"there is no {kind} in the request")
        raise _bad("wrong file identifier/HTTP URL specified")

    def _send_media(self, kind: str, params: JsonDict) -> JsonDict:
        self._chat_for_send(_req(params, "chat_id"))
        content = {kind: self._media_object(kind, params.get(kind), params)}
        content.update(self._formatted(params, "caption", "caption_entities", 1024))
        if params.get("has_spoiler"):
            content["has_media_spoiler"] = True
        return self._public(self._store_bot_message(params, content))

    def _send_media_group(self, params: JsonDict) -> list[JsonDict]:
        self._chat_for_send(_req(params, "chat_id"))
        media = params.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise _bad("wrong number of media in the album: must be 2-10 items")
        group_id = str(10**17 + self._next_counter())
        messages = []
        for item in media:
            kind = item.get("type", "photo")
            content = {kind: self._media_object(kind, item.get("media"), item)}
            content.update(self._formatted(item, "caption", "caption_entities", 1024))
            stored = self._store_bot_message(params, content, media_group_id=group_id)
            messages.append(self._public(stored))
        return messages

    def _send_contact(self, params: JsonDict) -> JsonDict:
        contact = {
            k: params[k]
            for k in ("phone_number", "first_name", "last_name", "vcard")
            if params.get(k) is not None
        }
        return self._public(self._store_bot_message(params, {"contact": contact}))

    def _send_location(self, params: JsonDict) -> JsonDict:
        location = {"latitude": _req(params, "latitude"), "longitude": _req(params, "longitude")}
        return self._public(self._store_bot_message(params, {"location": location}))

    def _source_message(self, params: JsonDict, action: str) -> tuple[JsonDict, JsonDict]:
        """The stored message to copy/forward and a copy of its content fields."""
        source_chat = self._chat(_req(params, "from_chat_id"))
        source = self._live_message(source_chat["id"], int(_req(params, "message_id")))
        if source is None:
            raise _bad(f"message to {action} not found")
        content = {k: copy.deepcopy(source[k]) for k in _CONTENT_KEYS if k in source}
        if not content:
            raise _bad(f"message can't be {'copied' if action == 'copy' else 'forwarded'}")
        return source, content

    def _copy_message(self, params: JsonDict) -> JsonDict:
        _, content = self._source_message(params, "copy")
        if "caption" in params and "text" not in content:
            content.pop("caption_entities", None)
            content.update(self._formatted(params, "caption", "caption_entities", 1024))
        return {"message_id": self._store_bot_message(params, content)["message_id"]}

    def _forward_message(self, params: JsonDict) -> JsonDict:
        source, content = self._source_message(params, "forward")
        if source["chat"]["type"] == "channel":
            origin = {
                "type": "channel",
                "chat": source["chat"],
                "date": source["date"],
                "message_id": source["message_id"],
            }
        else:
            origin = {"type": "user", "sender_user": source["from"], "date": source["date"]}
        stored = self._store_bot_message(params, content, forward_origin=origin)
        return self._public(stored)

    def _edit(self, key: str | None, params: JsonDict) -> JsonDict | bool:
        if params.get("inline_message_id"):
            return True
        chat = self._chat(_req(params, "chat_id"))
        message = self._live_message(chat["id"], int(_req(params, "message_id")))
        if message is None:
            raise _bad("message to edit not found")
        if message.get("from", {}).get("id") != self.bot_id:
            raise _bad("message can't be edited")
        changes: JsonDict = {}
        if key == "text":
            if "text" not in message:
                raise _bad("there is no text in the message to edit")
            changes = {"entities": None, **self._formatted(params, "text", "entities", 4096)}
        elif key == "caption":
            if "text" in message:
                raise _bad("there is no caption in the message to edit")
            changes = {
                "caption": None,
                "caption_entities": None,
                **self._formatted(params, "caption", "caption_entities", 1024),
            }
        markup = params.get("reply_markup")
        if markup is not None:
            self._validate_markup(markup)
            if "inline_keyboard" not in markup:
                raise _bad("inline keyboard expected")
        current = message.get("reply_markup")
        if markup is not None or (current is not None and "inline_keyboard" in current):
            # omitting reply_markup removes an inline keyboard (a reply keyboard is kept)
            changes["reply_markup"] = markup
        if all(message.get(k) == v for k, v in changes.items()):
            raise _bad(_NOT_MODIFIED)
        for change_key, value in changes.items():
            if value is None:
                message.pop(change_key, None)
            else:
                message[change_key] = value
        message["edit_date"] = _now()
        return self._public(message)

    def _delete_message(self, params: JsonDict) -> bool:
        chat = self._chat(_req(params, "chat_id"))
        key = (chat["id"], int(_req(params, "message_id")))
        if self._live_message(*key) is None:
            raise _bad("message to delete not found")
        self._deleted.add(key)
        return True

    def _delete_messages(self, params: JsonDict) -> bool:
        chat = self._chat(_req(params, "chat_id"))
        for message_id in _req(params, "message_ids"):
            if self._live_message(chat["id"], int(message_id)) is not None:
                self._deleted.add((chat["id"], int(message_id)))
        return True

    def _answer_callback_query(self, params: JsonDict) -> bool:
        query_id = str(_req(params, "callback_query_id"))
        if self._callback_queries.get(query_id, True):
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        self._callback_queries[query_id] = True
        return True

    def _send_chat_action(self, params: JsonDict) -> bool:
        self._chat_for_send(_req(params, "chat_id"))
        _req(params, "action")
        return True

    # ------------------------------------------------------------------ methods: bot settings

    @staticmethod
    def _scope_key(scope: Any) -> str:
        scope = dict(scope) if isinstance(scope, dict) else {"type": "default"}
        if isinstance(scope.get("chat_id"), str) and _INT_RE.fullmatch(scope["chat_id"]):
            scope["chat_id"] = int(scope["chat_id"])
        return json.dumps(scope, sort_keys=True)

    def _set_my_commands(self, params: JsonDict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _bad("commands is empty")
        for command in commands:
            if not _COMMAND_RE.fullmatch(str(command.get("command", ""))):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        key = (self._scope_key(params.get("scope")), params.get("language_code") or "")
        self._commands[key] = copy.deepcopy(commands)
        return True

    def _get_my_commands(self, params: JsonDict) -> list[JsonDict]:
        return self.commands(params.get("scope"), params.get("language_code") or "")

    def _delete_my_commands(self, params: JsonDict) -> bool:
        key = (self._scope_key(params.get("scope")), params.get("language_code") or "")
        self._commands.pop(key, None)
        return True

    def _set_menu_button(self, params: JsonDict) -> bool:
        chat_id = params.get("chat_id")
        if chat_id is not None:
            chat_id = self._chat(chat_id)["id"]
        self._menu_buttons[chat_id] = params.get("menu_button") or {"type": "default"}
        return True

    def _get_menu_button(self, params: JsonDict) -> JsonDict:
        chat_id = params.get("chat_id")
        button = self._menu_buttons.get(chat_id) or self._menu_buttons.get(None)
        return copy.deepcopy(button or {"type": "default"})

    # ------------------------------------------------------------------ methods: chats

    def _get_chat(self, params: JsonDict) -> JsonDict:
        chat = self._chat(_req(params, "chat_id"))
        gifts = dict.fromkeys(
            (
                "unlimited_gifts",
                "limited_gifts",
                "unique_gifts",
                "premium_subscription",
                "gifts_from_channels",
            ),
            False,
        )
        full = {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": gifts,
        }
        full.update(
            {k: v for k, v in self._chat_extra.get(chat["id"], {}).items() if k != "member_count"}
        )
        return full

    def _get_chat_member(self, params: JsonDict) -> JsonDict:
        chat = self._chat(_req(params, "chat_id"))
        return copy.deepcopy(self._member_obj(chat["id"], int(_req(params, "user_id"))))

    def _get_chat_administrators(self, params: JsonDict) -> list[JsonDict]:
        chat = self._chat(_req(params, "chat_id"))
        if chat["type"] == "private":
            raise _bad("there are no administrators in the private chat")
        return [
            copy.deepcopy(m)
            for (cid, _), m in self._members.items()
            if cid == chat["id"] and m["status"] in ("creator", "administrator")
        ]

    def _get_chat_member_count(self, params: JsonDict) -> int:
        chat = self._chat(_req(params, "chat_id"))
        if chat["type"] == "private":
            return 2
        configured = self._chat_extra.get(chat["id"], {}).get("member_count")
        if configured is not None:
            return int(configured)
        present = ("creator", "administrator", "member")
        members = [m for (cid, _), m in self._members.items() if cid == chat["id"]]
        return sum(1 for m in members if m["status"] in present or m.get("is_member"))

    def _create_invite_link(self, params: JsonDict) -> JsonDict:
        chat = self._chat(_req(params, "chat_id"))
        self._require_rights(chat["id"], "can_invite_users", "manage chat invite link")
        if params.get("creates_join_request") and params.get("member_limit"):
            raise _bad("member limit can't be specified for links requiring administrator approval")
        link: JsonDict = {
            "invite_link": f"https://t.me/+{secrets.token_urlsafe(12)}",
            "creator": self.bot_user,
            "chat_id": chat["id"],
            "creates_join_request": bool(params.get("creates_join_request")),
            "is_primary": False,
            "is_revoked": False,
        }
        for key in ("name", "expire_date", "member_limit"):
            if params.get(key) is not None:
                link[key] = params[key]
        self._invite_links[link["invite_link"]] = link
        return self._public_link(link)

    @staticmethod
    def _public_link(link: JsonDict) -> JsonDict:
        return {k: copy.deepcopy(v) for k, v in link.items() if k != "chat_id"}

    def _stored_link(self, params: JsonDict) -> JsonDict:
        chat = self._chat(_req(params, "chat_id"))
        self._require_rights(chat["id"], "can_invite_users", "manage chat invite link")
        link = self._invite_links.get(str(_req(params, "invite_link")))
        if link is None or link["chat_id"] != chat["id"]:
            raise _bad("INVITE_HASH_EXPIRED")
        return link

    def _edit_invite_link(self, params: JsonDict) -> JsonDict:
        link = self._stored_link(params)
        for key in ("name", "expire_date", "member_limit", "creates_join_request"):
            if key in params:
                link[key] = params[key]
        return self._public_link(link)

    def _revoke_invite_link(self, params: JsonDict) -> JsonDict:
        link = self._stored_link(params)
        link["is_revoked"] = True
        return self._public_link(link)

    def _resolve_join_request(self, approve: bool, params: JsonDict) -> bool:
        chat = self._chat(_req(params, "chat_id"))
        user_id = int(_req(params, "user_id"))
        self._require_rights(chat["id"], "can_invite_users", "manage chat join requests")
        request = self._join_requests.pop((chat["id"], user_id), None)
        if request is None:
            raise _bad("HIDE_REQUESTER_MISSING")
        link = self._invite_links.get(request.get("invite_link", {}).get("invite_link", ""))
        if link is not None and link.get("pending_join_request_count"):
            link["pending_join_request_count"] -= 1
        if approve:
            self.set_member(chat["id"], user_id, "member")
        return True

    def _ban_chat_member(self, params: JsonDict) -> bool:
        chat = self._chat(_req(params, "chat_id"))
        user_id = int(_req(params, "user_id"))
        self._require_rights(chat["id"], "can_restrict_members", "restrict/unrestrict chat member")
        self.set_member(chat["id"], user_id, "kicked", until_date=params.get("until_date") or 0)
        return True

    def _unban_chat_member(self, params: JsonDict) -> bool:
        chat = self._chat(_req(params, "chat_id"))
        user_id = int(_req(params, "user_id"))
        self._require_rights(chat["id"], "can_restrict_members", "restrict/unrestrict chat member")
        banned = self._member_obj(chat["id"], user_id)["status"] == "kicked"
        if banned or not params.get("only_if_banned"):
            self.set_member(chat["id"], user_id, "left")
        return True

    def _leave_chat(self, params: JsonDict) -> bool:
        chat = self._chat(_req(params, "chat_id"))
        self.set_member(chat["id"], self.bot_id, "left")
        return True

    # ------------------------------------------------------------------ methods: files, webhook

    def _get_file(self, params: JsonDict) -> JsonDict:
        stored = self._files.get(str(_req(params, "file_id")))
        if stored is None:
            raise _bad("invalid file_id")
        if stored.meta.get("file_size", 0) > 20 * 1024 * 1024:
            raise _bad("file is too big")
        if stored.file_path is None:
            folder, ext = _FILE_FOLDERS.get(stored.kind, ("documents", ""))
            name = stored.meta.get("file_name")
            suffix = "." + name.rsplit(".", 1)[1] if isinstance(name, str) and "." in name else ext
            stored.file_path = f"{folder}/file_{self._next_counter()}{suffix}"
            self._file_paths[stored.file_path] = stored
        meta = stored.meta
        return {
            "file_id": meta["file_id"],
            "file_unique_id": meta["file_unique_id"],
            "file_size": meta["file_size"],
            "file_path": stored.file_path,
        }

    def _set_webhook(self, params: JsonDict) -> bool:
        url = str(params.get("url") or "")
        if not url:
            return self._delete_webhook(params)
        if not url.startswith(("http://", "https://")):
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_RE.fullmatch(str(secret)):
            raise _bad("secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self._pending.clear()
        if params.get("allowed_updates") is not None:
            self._allowed_updates = list(params["allowed_updates"])
        self._webhook = WebhookConfig(
            url,
            str(secret) if secret else None,
            int(params.get("max_connections") or 40),
            params.get("ip_address"),
        )
        self._updates_signal.notify()
        return True

    def _delete_webhook(self, params: JsonDict) -> bool:
        self._webhook = None
        if params.get("drop_pending_updates"):
            self._pending.clear()
        self._updates_signal.notify()
        return True

    def _get_webhook_info(self, params: JsonDict) -> JsonDict:
        config = self._webhook
        info: JsonDict = {
            "url": config.url if config else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        if config is not None:
            info["max_connections"] = config.max_connections
            optional = {
                "ip_address": config.ip_address,
                "last_error_date": config.last_error_date,
                "last_error_message": config.last_error_message,
                "allowed_updates": self._allowed_updates,
            }
            info.update({k: v for k, v in optional.items() if v is not None})
        return info

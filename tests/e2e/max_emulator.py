"""A fake MAX Bot API server (platform-api.max.ru) for end-to-end tests.

The bot under test is a real ``maxapi.Bot`` (1.2.3) pointed at ``MaxApiEmulator.base_url``
with ``bot.set_api_url(base_url)``. The emulator keeps simulated users, their dialogs, group
chats, members, messages, callbacks and uploaded files in memory; injects updates (delivered by
``GET /updates`` long polling or POSTed to a subscribed webhook); records every request; and
can answer 429, 5xx or "blocked by the user" on demand.

What maxapi 1.2.3 sends, confirmed in its source (``.venv/lib/python3.*/site-packages/maxapi``):
  * Auth: the raw token in ``Authorization`` (bot.py:205, session headers at bot.py:352); no
    query token. The emulator refuses anything else with 401 ``verify.token``, which maxapi
    turns into ``InvalidToken`` (connection/base.py:388-397).
  * ``GET /me`` (methods/get_me.py); ``GET /updates?marker&limit&timeout&types``
    (methods/get_updates.py; limit 1..1000, timeout 0..90 checked client-side). Its
    Dispatcher passes only ``marker`` (dispatcher.py:1895) and stores the answer's
    ``marker`` after the whole batch was handled (dispatcher.py:2000), so the server default
    timeout (30 s, ``default_poll_timeout`` here) applies.
  * ``POST /messages?chat_id=|user_id=`` (chat_id wins, methods/send_message.py:122-125) with
    ``{"attachments": [...], "text", "link", "notify", "format"}``; ``attachments`` is always
    present, ``[]`` when there are none. Answer ``{"message": Message}``.
  * ``PUT /messages?message_id=`` with the same body (methods/edit_message.py), answer
    ``{"success": true}``; ``DELETE /messages?message_id=``.
  * ``POST /answers?callback_id=`` with ``{"message"?: NewMessageBody, "notification"?: str}``
    (methods/send_callback.py). ``callback.answer(notification=...)`` without a message goes
    through ``MessageCallback.edit`` which re-sends the original attachments
    (types/updates/message_callback.py:117, 171), so the keyboard survives.
  * ``GET /chats/{chat_id}`` for every event that has a chat (utils/updates.py:69-96, 253-274),
    dialogs included: an incoming dialog message has ``recipient.chat_id`` = the dialog id and
    ``recipient.user_id`` = the bot; the user is ``sender`` (or ``callback.user``).
    Replies via ``message.answer()`` go to ``chat_id`` = the dialog id (types/message.py:386).
  * Members: ``GET/POST/DELETE /chats/{id}/members`` (``user_ids`` comma list, ``count``,
    ``marker``; POST ``{"user_ids": [...]}``; DELETE ``?user_id&block``),
    ``GET/DELETE /chats/{id}/members/me``, ``GET/POST /chats/{id}/members/admins``,
    ``DELETE /chats/{id}/members/admins/{user_id}``. ``bot.get_chat_member`` is
    ``GET members?user_ids=<id>`` (bot.py:1203-1228).
  * Uploads: ``POST /uploads?type=file|image|video|audio`` -> ``{"url", "token"?}``; then a
    multipart POST of field ``data`` to ``url`` through the bot's own session (so it also
    carries ``Authorization``); the token comes from the upload answer for file (``{"token"}``)
    and image (``{"photos": {id: {"token"}}}``), from ``/uploads`` for video/audio
    (utils/message.py:49-105). Then ``{"type": ..., "payload": {"token": ...}}`` in a send; a
    send answered 400 ``attachment.not.ready`` is retried (methods/send_message.py:185-207).
  * Webhooks: ``GET /subscriptions``, ``POST /subscriptions {"url", "update_types"?,
    "secret"?}``, ``DELETE /subscriptions?url=``; the secret comes back in the
    ``X-Max-Bot-Api-Secret`` header (webhook/base.py:36). ``start_polling`` first calls
    ``GET /subscriptions`` and only warns if a webhook is set (dispatcher.py:600, 753).

maxapi 1.2.3 quirks the adapter must live with (all confirmed in the source):
  * It retries only 502/503/504 (client/default.py:5; connection/base.py:399), 3 retries with
    1 s, 2 s, 4 s backoff; a 429 (or 500) raises ``MaxApiError`` at once inside the handler,
    and that reply is lost unless our own sender retries it.
  * ``bot.edit_message(text=...)`` always sends ``"attachments": []`` (methods/
    edit_message.py:111), which removes the keyboard; ``message.edit()`` copies the message's
    current attachments first (types/message.py:556, 601) and keeps it.
  * Uploading from a buffer appends the extension puremagic sniffs (connection/base.py:524,
    560 ``basename = f"{filename}{ext}"``): ``meeting.ics`` arrives as ``meeting.ics.ics``,
    an .xlsx as ``.xlsx.docx``; unrecognised bytes keep the name but go as ``file/*``.
    ``InputMedia(path)`` keeps the file's own name (connection/base.py:473). The emulator
    stores the name exactly as received (see ``files_to``).
  * After a send or edit with uploaded media it sleeps ``bot.after_input_media_delay``
    (send_message.py:168, edit_message.py:144; default 2.0 s, and ``Bot(
    after_input_media_delay=0)`` still gives 2.0 because of ``or 2.0`` at bot.py:172: set
    the attribute, or pass ``sleep_after_input_media=False``).
  * Message text must be < 4000 characters (checked client-side, send_message.py:72).

MAX's own answers used here: errors are ``{"code": ..., "message": ...}``; 429 is
``too.many.requests`` (MAX's FAQ gives 30 rps per bot and publishes no retry hint, so no
``Retry-After`` unless a test asks for one); a user who blocked the bot gives 403
``chat.denied`` / ``error.dialog.suspended``.

Test helpers: world ``user``/``dialog_id``/``group``/``set_member``; injection ``send_text``,
``send_message``, ``send_file``, ``send_photo``, ``share_contact``, ``press`` (only a button
the user sees), ``press_button`` (the same, by the button's text),
``press_forged``, ``bot_started``, ``bot_stopped``, ``bot_added``, ``user_added``,
``user_removed``, ``inject_update``; assertions ``calls("POST /messages")``, ``texts_to``,
``messages_to``, ``messages_in``, ``last_keyboard``, ``notifications_to``, ``files_to``,
``wait_for*``; faults ``rate_limit``, ``fail_next``, ``block``, ``attachment_not_ready``,
``set_latency``.

Simplifications: upload URLs need no ``Authorization`` (MAX's are pre-signed too);
``format`` (markdown/html) is recorded, the text is not parsed into markup;
webhook delivery is sequential; with a subscription active, updates go only to the webhook;
``types`` filtering consumes the filtered-out updates; button limits (30 rows, 7 per row,
210 in all) are checked, other limits are not; message_edited/message_removed events are
not generated for the bot's own actions; ``GET /chats`` and actions are minimal and pins are
not modelled (404, like any unknown path).
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

from aiohttp import ClientError, ClientSession, ClientTimeout, web

JsonDict = dict[str, Any]
Handler = Callable[[web.Request, JsonDict], Awaitable[Any]]

_UPLOAD_TYPES = ("image", "video", "audio", "file")
_MEDIA_TYPES = frozenset(_UPLOAD_TYPES)
_MAX_TEXT = 4000
_MAX_ROWS, _MAX_ROW_BUTTONS, _MAX_BUTTONS = 30, 7, 210
_BUTTON_TYPES = frozenset(
    {"callback", "link", "request_contact", "request_geo_location", "chat", "message",
     "open_app", "clipboard"}
)  # fmt: skip
_SECRET_HEADER = "X-Max-Bot-Api-Secret"
_UNFAULTABLE = frozenset({"GET /updates", "UPLOAD"})


def _now_ms() -> int:
    return int(time.time() * 1000)


class MaxError(Exception):
    """An error answer of the MAX API: ``{"code": ..., "message": ...}`` with an HTTP status."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}

    def body(self) -> JsonDict:
        return {"code": self.code, "message": self.message}


def _bad(message: str, code: str = "proto.payload") -> MaxError:
    return MaxError(400, code, message)


def _not_found(message: str) -> MaxError:
    return MaxError(404, "not.found", message)


@dataclass
class UploadedFile:
    """A file the bot uploaded to an upload URL; ``filename`` is exactly what maxapi sent."""

    token: str
    type: str
    filename: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class RecordedCall:
    """One request as the emulator saw and answered it. Supports ``call["query"]``."""

    endpoint: str  # "POST /messages", "GET /chats/{chat_id}", "UPLOAD", ...
    method: str
    path: str
    query: dict[str, str]
    body: Any
    time: float
    authorized: bool
    status: int = 0
    response: Any = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    def describe(self) -> str:
        body = json.dumps(self.body, ensure_ascii=False, default=str)[:300]
        return f"{self.endpoint} {self.status} {self.query} {body}"


@dataclass
class _FaultRule:
    endpoint: str | None  # None: every endpoint but GET /updates and uploads
    remaining: int
    error: MaxError


@dataclass
class _Callback:
    callback_id: str
    user_id: int
    mid: str | None
    payload: str | None
    answers: list[JsonDict] = field(default_factory=list)


@dataclass
class WebhookDelivery:
    """One attempt to POST an update to a subscribed URL."""

    url: str
    update_type: str
    time: float
    status: int | None
    error: str | None = None


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


def _int_param(query: dict[str, str], key: str, required: bool = False) -> int | None:
    raw = query.get(key)
    if raw is None or raw == "":
        if required:
            raise _bad(f"Missing required parameter: {key}")
        return None
    try:
        return int(raw)
    except ValueError:
        raise _bad(f"Invalid {key}: {raw!r}") from None


def _buttons_of(message: JsonDict) -> list[list[JsonDict]] | None:
    for attachment in message["body"].get("attachments") or []:
        if attachment.get("type") == "inline_keyboard":
            buttons: list[list[JsonDict]] = attachment["payload"]["buttons"]
            return buttons
    return None


def _validate_keyboard(payload: Any) -> JsonDict:
    rows = payload.get("buttons") if isinstance(payload, dict) else None
    if not isinstance(rows, list) or not rows or not all(isinstance(r, list) for r in rows):
        raise _bad("inline_keyboard: payload.buttons must be a list of rows")
    if len(rows) > _MAX_ROWS or sum(len(r) for r in rows) > _MAX_BUTTONS:
        raise _bad("inline_keyboard: too many buttons")
    clean_rows = []
    for row in rows:
        if not row or len(row) > _MAX_ROW_BUTTONS:
            raise _bad(f"inline_keyboard: a row must hold 1..{_MAX_ROW_BUTTONS} buttons")
        clean_rows.append([_validate_button(button) for button in row])
    return {"buttons": clean_rows}


def _validate_button(button: Any) -> JsonDict:
    if not isinstance(button, dict) or button.get("type") not in _BUTTON_TYPES:
        raise _bad(f"inline_keyboard: unknown button {button!r}")
    text = button.get("text")
    if not isinstance(text, str) or not text or len(text) > 128:
        raise _bad("inline_keyboard: button text must be 1..128 characters")
    if button["type"] == "callback":
        payload = button.get("payload")
        if not isinstance(payload, str) or not payload or len(payload.encode()) > 1024:
            raise _bad("inline_keyboard: callback payload must be 1..1024 bytes")
    if button["type"] == "link" and not str(button.get("url") or "").startswith(
        ("http://", "https://")
    ):
        raise _bad("inline_keyboard: link button needs an http(s) url")
    return {k: v for k, v in button.items() if v is not None}


class MaxApiEmulator:
    """In-memory MAX Bot API on 127.0.0.1 for tests running in the same event loop."""

    def __init__(
        self,
        token: str = "max-test-token",
        *,
        bot_id: int = 9_000_001,
        bot_username: str = "kadry_max_bot",
        bot_first_name: str = "Кадры будущего",
        default_poll_timeout: float = 30.0,
        webhook_retry_delays: tuple[float, ...] = (0.05, 0.1, 0.2, 0.5),
    ) -> None:
        self.token = token
        self.bot_id = bot_id
        self.default_poll_timeout = default_poll_timeout
        self.webhook_retry_delays = webhook_retry_delays
        self._bot_user: JsonDict = {
            "user_id": bot_id, "first_name": bot_first_name, "last_name": None,
            "username": bot_username, "is_bot": True, "last_activity_time": _now_ms(),
            "name": bot_first_name, "description": None, "avatar_url": None,
            "full_avatar_url": None, "commands": None,
        }  # fmt: skip
        self.port = 0
        self._users: dict[int, JsonDict] = {}
        self._dialogs: dict[int, int] = {}  # user_id -> dialog chat_id
        self._dialog_users: dict[int, int] = {}  # dialog chat_id -> user_id
        self._chats: dict[int, JsonDict] = {}
        self._members: dict[int, dict[int, JsonDict]] = {}  # group chat_id -> user_id -> member
        self._messages: dict[str, JsonDict] = {}  # mid -> Message, in creation order
        self._deleted: set[str] = set()
        self._callbacks: dict[str, _Callback] = {}
        self._uploads: dict[str, str] = {}  # upload id -> type
        self._upload_tokens: dict[str, str] = {}  # upload id -> pre-issued token (video/audio)
        self.files: dict[str, UploadedFile] = {}  # token -> file
        self._subscriptions: list[JsonDict] = []
        self.webhook_deliveries: list[WebhookDelivery] = []
        # updates
        self._updates: list[tuple[int, JsonDict]] = []
        self._update_counter = 0
        self._confirmed = 0
        self._webhook_queue: asyncio.Queue[JsonDict] = asyncio.Queue()
        self._updates_signal = _Signal()
        self._calls_signal = _Signal()
        # recorder and faults
        self._calls: list[RecordedCall] = []
        self._faults: list[_FaultRule] = []
        self._blocked: set[int] = set()
        self._not_ready = 0
        self._latency = 0.0
        self._endpoint_latency: dict[str, float] = {}
        # server
        self._runner: web.AppRunner | None = None
        self._client: ClientSession | None = None
        self._worker: asyncio.Task[None] | None = None
        self._counter = 0
        self._routes: list[tuple[str, re.Pattern[str], str, Handler]] = []
        self._register_routes()

    def _register_routes(self) -> None:
        table: list[tuple[str, str, Handler]] = [
            ("GET", "/me", self._get_me),
            ("PATCH", "/me", self._patch_me),
            ("GET", "/updates", self._get_updates),
            ("POST", "/messages", self._send_message),
            ("PUT", "/messages", self._edit_message),
            ("DELETE", "/messages", self._delete_message),
            ("GET", "/messages", self._get_messages),
            ("GET", "/messages/{mid}", self._get_message),
            ("POST", "/answers", self._answer_callback),
            ("GET", "/chats", self._get_chats),
            ("GET", "/chats/{chat_id}", self._get_chat),
            ("POST", "/chats/{chat_id}/actions", self._success),
            ("GET", "/chats/{chat_id}/members", self._get_members),
            ("POST", "/chats/{chat_id}/members", self._add_members),
            ("DELETE", "/chats/{chat_id}/members", self._remove_member),
            ("GET", "/chats/{chat_id}/members/me", self._get_my_membership),
            ("DELETE", "/chats/{chat_id}/members/me", self._leave_chat),
            ("GET", "/chats/{chat_id}/members/admins", self._get_admins),
            ("POST", "/chats/{chat_id}/members/admins", self._add_admins),
            ("DELETE", "/chats/{chat_id}/members/admins/{user_id}", self._remove_admin),
            ("POST", "/uploads", self._get_upload_url),
            ("GET", "/subscriptions", self._get_subscriptions),
            ("POST", "/subscriptions", self._subscribe),
            ("DELETE", "/subscriptions", self._unsubscribe),
        ]
        for method, template, handler in table:
            pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
            self._routes.append((method, re.compile(f"^{pattern}$"), template, handler))

    # ------------------------------------------------------------------ lifecycle

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def bot_user(self) -> JsonDict:
        return dict(self._bot_user)

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/upload/{upload_id}", self._handle_upload)
        app.router.add_get("/files/{token}", self._handle_download)
        app.router.add_route("*", "/{tail:.*}", self._handle_api)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(self._runner, sock).start()
        self.port = sock.getsockname()[1]
        self._client = ClientSession(timeout=ClientTimeout(total=10))
        self._worker = asyncio.create_task(self._webhook_worker())

    async def stop(self) -> None:
        self._updates_signal.notify()
        if self._worker is not None:
            self._worker.cancel()
            await asyncio.gather(self._worker, return_exceptions=True)
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

    # ------------------------------------------------------------------ world setup

    def user(
        self, user_id: int, first_name: str = "Анна", last_name: str | None = None, **extra: Any
    ) -> JsonDict:
        """Register (or update) a user and give them a dialog with the bot."""
        user = self._users.setdefault(user_id, {"user_id": user_id, "is_bot": False})
        user.update(first_name=first_name, last_name=last_name, **extra)
        user["name"] = " ".join(p for p in (first_name, last_name) if p)
        user.setdefault("username", None)
        user["last_activity_time"] = _now_ms()
        if user_id not in self._dialogs:
            dialog_id = 700_000_000 + self._next_counter()
            self._dialogs[user_id], self._dialog_users[dialog_id] = dialog_id, user_id
            self._chats[dialog_id] = self._new_chat(dialog_id, "dialog", None)
        return dict(user)

    def dialog_id(self, user_id: int) -> int:
        """The dialog's chat id (never equal to the user id, as on MAX)."""
        if user_id not in self._dialogs:
            self.user(user_id)
        return self._dialogs[user_id]

    def group(
        self,
        chat_id: int,
        title: str = "Команда",
        members: tuple[int, ...] = (),
        *,
        owner_id: int | None = None,
        bot_admin: bool = True,
    ) -> JsonDict:
        """A group chat ("chat" type) with the bot in it (as admin unless told otherwise)."""
        chat = self._new_chat(chat_id, "chat", title)
        chat["owner_id"] = owner_id
        chat["link"] = f"https://max.ru/join/{secrets.token_urlsafe(12)}"
        self._chats[chat_id] = chat
        self._members[chat_id] = {}
        self.set_member(chat_id, self.bot_id, is_admin=bot_admin)
        for user_id in members:
            self.set_member(chat_id, user_id, is_owner=user_id == owner_id)
        return dict(chat)

    def set_member(
        self, chat_id: int, user_id: int, *, is_admin: bool = False, is_owner: bool = False
    ) -> None:
        if user_id != self.bot_id and user_id not in self._users:
            self.user(user_id)
        self._members.setdefault(chat_id, {})[user_id] = {
            "is_owner": is_owner, "is_admin": is_admin or is_owner, "join_time": _now_ms(),
            "last_access_time": _now_ms(), "alias": None,
            "permissions": ["read_all_messages", "add_remove_members", "add_admins",
                            "change_chat_info", "pin_message", "write"]
            if is_admin or is_owner else None,
        }  # fmt: skip
        self._chats[chat_id]["participants_count"] = len(self._members[chat_id])

    def is_member(self, chat_id: int, user_id: int) -> bool:
        return user_id in self._members.get(chat_id, {})

    def chat(self, chat_id: int) -> JsonDict:
        return self._chat_json(self._chat_or_404(chat_id))

    # ------------------------------------------------------------------ injecting updates

    def inject_update(self, update: JsonDict) -> JsonDict:
        """Queue a raw update for long polling, or for the webhook when one is subscribed."""
        update.setdefault("timestamp", _now_ms())
        if self._subscriptions:
            self._webhook_queue.put_nowait(update)
        else:
            self._update_counter += 1
            self._updates.append((self._update_counter, update))
            self._updates_signal.notify()
        return update

    def send_text(self, user_id: int, text: str, chat_id: int | None = None) -> JsonDict:
        """The user writes ``text`` to the bot (in the dialog, or in group ``chat_id``)."""
        return self.send_message(user_id, text=text, chat_id=chat_id)

    def send_message(
        self,
        user_id: int,
        text: str | None = None,
        attachments: list[JsonDict] | None = None,
        chat_id: int | None = None,
    ) -> JsonDict:
        """A ``message_created`` from the user; returns the injected Message."""
        sender = self._users.get(user_id) or self.user(user_id)
        if chat_id is None:
            recipient = {"chat_id": self.dialog_id(user_id), "chat_type": "dialog",
                         "user_id": self.bot_id}  # fmt: skip
        else:
            recipient = {"chat_id": chat_id, "chat_type": "chat", "user_id": None}
        message = self._store_message(dict(sender), recipient, text, attachments or [])
        self.inject_update(
            {"update_type": "message_created", "message": message, "user_locale": "ru"}
        )
        return message

    def send_file(
        self, user_id: int, filename: str, data: bytes, text: str | None = None
    ) -> JsonDict:
        """The user sends a document (a ``file`` attachment the bot can download)."""
        token = self._store_file("file", filename, "application/octet-stream", data)
        return self.send_message(user_id, text, [self._media_attachment("file", token)])

    def send_photo(
        self, user_id: int, data: bytes = b"\xff\xd8\xff", text: str | None = None
    ) -> JsonDict:
        """The user sends a photo (an ``image`` attachment)."""
        token = self._store_file("image", "photo.jpg", "image/jpeg", data)
        return self.send_message(user_id, text, [self._media_attachment("image", token)])

    def press(self, user_id: int, payload: str, mid: str | None = None) -> JsonDict:
        """The user presses the callback button carrying ``payload``.

        Looks in message ``mid`` or else in the newest bot message in the user's dialog whose
        keyboard has that button; raises ``AssertionError`` when there is none (a user
        cannot press a button they do not see). Returns the injected update.
        """
        message = self._message_with_button(user_id, payload, mid)
        callback_id = f"cb.{secrets.token_hex(8)}"
        user = self._users[user_id]
        self._callbacks[callback_id] = _Callback(
            callback_id, user_id, message["body"]["mid"], payload
        )
        return self.inject_update(
            {
                "update_type": "message_callback",
                "callback": {"timestamp": _now_ms(), "callback_id": callback_id,
                             "payload": payload, "user": dict(user)},
                "message": json.loads(json.dumps(message)),
                "user_locale": "ru",
            }
        )  # fmt: skip

    def press_button(self, user_id: int, text: str) -> JsonDict:
        """The user presses the newest callback button labelled ``text`` in their dialog."""
        for message in reversed(self.messages_to(user_id)):
            for row in _buttons_of(message) or []:
                for button in row:
                    if button.get("type") == "callback" and button.get("text") == text:
                        return self.press(user_id, button["payload"], message["body"]["mid"])
        raise AssertionError(
            f"user {user_id} sees no button {text!r}; last keyboard: {self.last_keyboard(user_id)}"
        )

    def share_contact(self, user_id: int, phone: str) -> JsonDict:
        """The user presses a request-contact button: their own contact, as a vCard."""
        user = self._users.get(user_id) or self.user(user_id)
        lines = ("BEGIN:VCARD", "VERSION:3.0", f"FN:{user['name']}", f"TEL;TYPE=cell:{phone}")
        vcard = "\r\n".join((*lines, "END:VCARD"))
        contact = {"type": "contact", "payload": {"vcf_info": vcard, "max_info": dict(user)}}
        return self.send_message(user_id, attachments=[contact])

    def press_forged(self, user_id: int, payload: str) -> JsonDict:
        """A callback with a payload no button carries (a tampered client)."""
        last = self.last_message(user_id)
        callback_id = f"cb.{secrets.token_hex(8)}"
        mid = last["body"]["mid"] if last else None
        self._callbacks[callback_id] = _Callback(callback_id, user_id, mid, payload)
        update: JsonDict = {
            "update_type": "message_callback",
            "callback": {"timestamp": _now_ms(), "callback_id": callback_id,
                         "payload": payload, "user": dict(self._users[user_id])},
            "user_locale": "ru",
        }  # fmt: skip
        if last is not None:
            update["message"] = json.loads(json.dumps(last))
        return self.inject_update(update)

    def bot_started(self, user_id: int, payload: str | None = None) -> JsonDict:
        """The user opens the bot (the "Start" button, optionally through a deep link)."""
        user = self._users.get(user_id) or self.user(user_id)
        return self.inject_update(
            {"update_type": "bot_started", "chat_id": self.dialog_id(user_id),
             "user": dict(user), "payload": payload, "user_locale": "ru"}
        )  # fmt: skip

    def bot_stopped(self, user_id: int) -> JsonDict:
        """The user blocks the bot: later sends to them get 403 ``chat.denied``."""
        self._blocked.add(user_id)
        return self.inject_update(
            {"update_type": "bot_stopped", "chat_id": self.dialog_id(user_id),
             "user": dict(self._users[user_id]), "user_locale": "ru"}
        )  # fmt: skip

    def bot_added(self, chat_id: int, by_user: int, title: str = "Новый чат") -> JsonDict:
        """Someone adds the bot to a chat (created here if unknown; the bot is not admin yet)."""
        if chat_id not in self._chats:
            self.group(chat_id, title, members=(by_user,), owner_id=by_user, bot_admin=False)
        self.set_member(chat_id, self.bot_id, is_admin=False)
        return self.inject_update(
            {"update_type": "bot_added", "chat_id": chat_id,
             "user": dict(self._users[by_user]), "is_channel": False}
        )  # fmt: skip

    def user_added(self, chat_id: int, user_id: int, inviter_id: int | None = None) -> JsonDict:
        """``inviter_id`` None means the user joined by the chat's link."""
        self.set_member(chat_id, user_id)
        return self.inject_update(
            {"update_type": "user_added", "chat_id": chat_id, "user": dict(self._users[user_id]),
             "inviter_id": inviter_id, "is_channel": False}
        )  # fmt: skip

    def user_removed(self, chat_id: int, user_id: int, admin_id: int | None = None) -> JsonDict:
        self._members.get(chat_id, {}).pop(user_id, None)
        return self.inject_update(
            {"update_type": "user_removed", "chat_id": chat_id,
             "user": dict(self._users[user_id]), "admin_id": admin_id, "is_channel": False}
        )  # fmt: skip

    def pending_updates(self) -> list[JsonDict]:
        return [update for number, update in self._updates if number > self._confirmed]

    # ------------------------------------------------------------------ assertions

    def calls(self, endpoint: str | None = None) -> list[RecordedCall]:
        """Recorded requests, e.g. ``calls("POST /messages")``; ``GET /updates`` included."""
        return [c for c in self._calls if endpoint is None or c.endpoint == endpoint]

    def clear_calls(self) -> None:
        self._calls.clear()

    def message(self, mid: str) -> JsonDict | None:
        return self._messages.get(mid)

    def messages_to(self, user_id: int, include_deleted: bool = False) -> list[JsonDict]:
        """The bot's messages in the user's dialog, as they are now (after edits)."""
        dialog = self._dialogs.get(user_id)
        return [
            m
            for mid, m in self._messages.items()
            if m["recipient"]["chat_id"] == dialog
            and m["sender"]["user_id"] == self.bot_id
            and (include_deleted or mid not in self._deleted)
        ]

    def messages_in(self, chat_id: int) -> list[JsonDict]:
        return [
            m
            for mid, m in self._messages.items()
            if m["recipient"]["chat_id"] == chat_id
            and m["sender"]["user_id"] == self.bot_id
            and mid not in self._deleted
        ]

    def texts_to(self, user_id: int) -> list[str]:
        return [m["body"].get("text") or "" for m in self.messages_to(user_id)]

    def last_message(self, user_id: int) -> JsonDict | None:
        messages = self.messages_to(user_id)
        return messages[-1] if messages else None

    def last_keyboard(self, user_id: int) -> list[list[JsonDict]] | None:
        """The keyboard of the bot's latest message to the user (None if it has none)."""
        last = self.last_message(user_id)
        return None if last is None else _buttons_of(last)

    def keyboard(self, mid: str) -> list[list[JsonDict]] | None:
        return _buttons_of(self._messages[mid])

    def notifications_to(self, user_id: int) -> list[str]:
        """Texts of ``POST /answers`` notifications for the user's callbacks."""
        return [
            answer["notification"]
            for cb in self._callbacks.values()
            if cb.user_id == user_id
            for answer in cb.answers
            if answer.get("notification")
        ]

    def callback_answers(self, callback_id: str) -> list[JsonDict]:
        return list(self._callbacks[callback_id].answers)

    def files_to(self, user_id: int) -> list[UploadedFile]:
        """Uploaded files the bot attached to messages in the user's dialog."""
        found = []
        for message in self.messages_to(user_id):
            for attachment in message["body"].get("attachments") or []:
                token = (attachment.get("payload") or {}).get("token")
                if attachment.get("type") in _MEDIA_TYPES and token in self.files:
                    found.append(self.files[token])
        return found

    def dump_calls(self, limit: int = 25) -> str:
        calls = [c for c in self._calls if c.endpoint != "GET /updates"][-limit:]
        return "\n".join(call.describe() for call in calls)

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Wait until ``predicate()`` is truthy (re-checked after every request)."""
        deadline = time.monotonic() + timeout
        while not (result := predicate()):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"timed out; last calls:\n{self.dump_calls()}")
            await self._calls_signal.wait(min(remaining, 0.1))
        return result

    async def wait_for_calls(
        self, endpoint: str, count: int = 1, timeout: float = 5.0
    ) -> list[RecordedCall]:
        """Wait until ``count`` calls of ``endpoint`` were answered; return the answered ones."""

        def answered() -> list[RecordedCall]:
            return [c for c in self.calls(endpoint) if c.status]

        await self.wait_for(lambda: len(answered()) >= count, timeout)
        return answered()

    async def wait_for_message(
        self, user_id: int, count: int = 1, timeout: float = 5.0
    ) -> JsonDict:
        """Wait until the user has at least ``count`` bot messages; return the newest."""
        await self.wait_for(lambda: len(self.messages_to(user_id)) >= count, timeout)
        return self.messages_to(user_id)[-1]

    # ------------------------------------------------------------------ faults

    def rate_limit(
        self,
        endpoint: str | None = "POST /messages",
        times: int = 1,
        retry_after: int | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``endpoint`` with 429 ``too.many.requests``.

        MAX publishes no retry hint; ``retry_after`` adds a ``Retry-After`` header anyway,
        for testing a sender that honours one.
        """
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
        error = MaxError(429, "too.many.requests", "Too many requests", headers)
        self._faults.append(_FaultRule(endpoint, times, error))

    def fail_next(
        self, endpoint: str | None = "POST /messages", times: int = 1, status: int = 503
    ) -> None:
        """Answer the next ``times`` calls with ``status`` (maxapi retries 502/503/504 only)."""
        error = MaxError(status, "internal.error", f"Service error {status}")
        self._faults.append(_FaultRule(endpoint, times, error))

    def block(self, user_id: int) -> None:
        """The user blocked the bot; sends and edits in their dialog get 403."""
        self._blocked.add(user_id)

    def unblock(self, user_id: int) -> None:
        self._blocked.discard(user_id)

    def attachment_not_ready(self, times: int = 1) -> None:
        """The next ``times`` sends with uploaded media get 400 ``attachment.not.ready``."""
        self._not_ready = times

    def set_latency(self, seconds: float, endpoint: str | None = None) -> None:
        """Answer every call (or only ``endpoint``'s, e.g. ``"POST /subscriptions"``) after
        ``seconds``; the call is recorded at once, so a test sees it in flight."""
        if endpoint is None:
            self._latency = seconds
        else:
            self._endpoint_latency[endpoint] = seconds

    def reset_faults(self) -> None:
        self._faults.clear()
        self._blocked.clear()
        self._not_ready = 0
        self._latency = 0.0
        self._endpoint_latency.clear()

    def _check_faults(self, endpoint: str) -> None:
        for rule in self._faults:
            if rule.remaining <= 0:
                continue
            if rule.endpoint == endpoint or (
                rule.endpoint is None and endpoint not in _UNFAULTABLE
            ):
                rule.remaining -= 1
                raise rule.error

    # ------------------------------------------------------------------ HTTP plumbing

    def _record(
        self, endpoint: str, request: web.Request, body: Any, authorized: bool
    ) -> RecordedCall:
        call = RecordedCall(
            endpoint=endpoint, method=request.method, path=request.path,
            query=dict(request.query), body=body, time=time.monotonic(), authorized=authorized,
        )  # fmt: skip
        self._calls.append(call)
        return call

    def _answer(self, call: RecordedCall, status: int, body: Any, **headers: str) -> web.Response:
        call.status, call.response = status, body
        self._calls_signal.notify()
        return web.json_response(body, status=status, headers=headers or None)

    def _route(self, method: str, path: str) -> tuple[str, Handler | None, dict[str, str]]:
        for route_method, pattern, template, handler in self._routes:
            match = pattern.match(path)
            if match and route_method == method:
                return f"{method} {template}", handler, match.groupdict()
        return f"{method} {path}", None, {}

    async def _handle_api(self, request: web.Request) -> web.Response:
        endpoint, handler, args = self._route(request.method, request.path.rstrip("/") or "/")
        body: Any = None
        if request.can_read_body:
            raw = await request.read()
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode(errors="replace")
        authorized = request.headers.get("Authorization") == self.token
        call = self._record(endpoint, request, body, authorized)
        latency = self._endpoint_latency.get(endpoint, self._latency)
        if latency:
            await asyncio.sleep(latency)
        try:
            if not authorized:
                raise MaxError(401, "verify.token", "Invalid access_token")
            if handler is None:
                raise _not_found(f"Path {request.path} is not recognized")
            self._check_faults(endpoint)
            if body is not None and not isinstance(body, dict):
                raise _bad("Request body must be a JSON object")
            result = await handler(request, {"args": args, "body": body or {}})
        except MaxError as error:
            return self._answer(call, error.status, error.body(), **error.headers)
        return self._answer(call, 200, result)

    async def _handle_upload(self, request: web.Request) -> web.Response:
        call = self._record("UPLOAD", request, None, True)
        upload_id = request.match_info["upload_id"]
        upload_type = self._uploads.get(upload_id)
        if upload_type is None:
            return self._answer(call, 404, {"code": "not.found", "message": "Upload expired"})
        reader = await request.multipart()
        part = await reader.next()
        while part is not None and getattr(part, "name", None) != "data":
            part = await reader.next()
        if part is None or not hasattr(part, "read"):
            return self._answer(call, 400, {"code": "proto.payload", "message": "No data part"})
        data = await part.read(decode=False)  # type: ignore[union-attr]
        filename = part.filename or "file"  # type: ignore[union-attr]
        content_type = part.headers.get("Content-Type", "application/octet-stream")
        token = self._upload_tokens.get(upload_id) or f"tok.{upload_type}.{secrets.token_hex(8)}"
        self.files[token] = UploadedFile(token, upload_type, filename, content_type, bytes(data))
        call.body = {"filename": filename, "content_type": content_type, "size": len(data)}
        if upload_type == "file":
            return self._answer(call, 200, {"token": token, "fileId": self._next_counter()})
        if upload_type == "image":
            return self._answer(
                call, 200, {"photos": {str(self._next_counter()): {"token": token}}}
            )
        return self._answer(call, 200, {"id": self._next_counter()})  # video/audio

    async def _handle_download(self, request: web.Request) -> web.StreamResponse:
        stored = self.files.get(request.match_info["token"])
        if stored is None:
            raise web.HTTPNotFound()
        return web.Response(
            body=stored.data, content_type=stored.content_type.split(";")[0],
            headers={"Content-Disposition": f'attachment; filename="{stored.filename}"'},
        )  # fmt: skip

    # ------------------------------------------------------------------ model helpers

    def _next_counter(self) -> int:
        self._counter += 1
        return self._counter

    def _new_chat(self, chat_id: int, chat_type: str, title: str | None) -> JsonDict:
        return {
            "chat_id": chat_id, "type": chat_type, "status": "active", "title": title,
            "icon": None, "last_event_time": _now_ms(),
            "participants_count": 2 if chat_type == "dialog" else 1, "owner_id": None,
            "participants": None, "is_public": False, "link": None, "description": None,
            "messages_count": None, "pinned_message": None,
        }  # fmt: skip

    def _chat_or_404(self, chat_id: int) -> JsonDict:
        chat = self._chats.get(chat_id)
        if chat is None:
            raise _not_found(f"Chat {chat_id} not found")
        return chat

    def _chat_json(self, chat: JsonDict) -> JsonDict:
        result = dict(chat)
        user_id = self._dialog_users.get(chat["chat_id"])
        if user_id is not None:
            result["dialog_with_user"] = dict(self._users[user_id])
        return result

    def _member_json(self, chat_id: int, user_id: int) -> JsonDict:
        user = self._bot_user if user_id == self.bot_id else self._users[user_id]
        return {**user, **self._members[chat_id][user_id]}

    def _store_file(self, kind: str, filename: str, content_type: str, data: bytes) -> str:
        token = f"tok.{kind}.{secrets.token_hex(8)}"
        self.files[token] = UploadedFile(token, kind, filename, content_type, data)
        return token

    def _media_attachment(self, kind: str, token: str) -> JsonDict:
        stored = self.files[token]
        url = f"{self.base_url}/files/{token}"
        if kind == "image":
            payload = {"photo_id": self._next_counter(), "token": token, "url": url}
            return {"type": "image", "payload": payload}
        attachment: JsonDict = {"type": kind, "payload": {"url": url, "token": token}}
        if kind == "file":
            attachment.update(filename=stored.filename, size=stored.size)
        return attachment

    def _store_message(
        self, sender: JsonDict, recipient: JsonDict, text: str | None, attachments: list[JsonDict]
    ) -> JsonDict:
        seq = self._next_counter()
        mid = f"mid.{seq:032x}"
        message: JsonDict = {
            "sender": sender, "recipient": recipient, "timestamp": _now_ms(), "link": None,
            "body": {"mid": mid, "seq": seq, "text": text, "attachments": attachments,
                     "markup": None},
            "stat": None, "url": None,
        }  # fmt: skip
        self._messages[mid] = message
        chat = self._chats.get(recipient["chat_id"])
        if chat is not None:
            chat["last_event_time"] = message["timestamp"]
        return message

    def _message_with_button(self, user_id: int, payload: str, mid: str | None) -> JsonDict:
        candidates = [self._messages[mid]] if mid else list(reversed(self.messages_to(user_id)))
        for message in candidates:
            for row in _buttons_of(message) or []:
                if any(b.get("type") == "callback" and b.get("payload") == payload for b in row):
                    return message
        raise AssertionError(
            f"user {user_id} sees no button with payload {payload!r}; "
            f"last keyboard: {self.last_keyboard(user_id)}"
        )

    # ------------------------------------------------------------------ endpoint: bot

    async def _get_me(self, request: web.Request, ctx: JsonDict) -> JsonDict:
        return dict(self._bot_user)

    async def _patch_me(self, request: web.Request, ctx: JsonDict) -> JsonDict:
        body = ctx["body"]
        for key in ("first_name", "last_name", "description", "commands"):
            if key in body:
                self._bot_user[key] = body[key]
        return dict(self._bot_user)

    async def _success(self, request: web.Request, ctx: JsonDict) -> JsonDict:
        self._chat_or_404(int(ctx["args"]["chat_id"]))
        return {"success": True}

    # ------------------------------------------------------------------ endpoint: updates

    async def _get_updates(self, request: web.Request, ctx: JsonDict) -> JsonDict:
        query = request.query
        marker = _int_param(dict(query), "marker")
        limit = _int_param(dict(query), "limit") or 100
        timeout = _int_param(dict(query), "timeout")
        if not 1 <= limit <= 1000 or (timeout is not None and not 0 <= timeout <= 90):
            raise _bad("limit must be 1..1000 and timeout 0..90")
        types = set(query["types"].split(",")) if query.get("types") else None
        if marker is not None:
            self._confirmed = max(self._confirmed, marker)
        wait = self.default_poll_timeout if timeout is None else float(timeout)
        deadline = time.monotonic() + wait
        while not self.pending_updates() and (remaining := deadline - time.monotonic()) > 0:
            await self._updates_signal.wait(remaining)
        batch = [(n, u) for n, u in self._updates if n > self._confirmed][:limit]
        new_marker = batch[-1][0] if batch else self._confirmed
        updates = [u for _, u in batch if types is None or u["update_type"] in types]
        return {"updates": updates, "marker": new_marker}

    # ------------------------------------------------------------------ endpoint: messages

    def _target_chat(self, query: dict[str, str]) -> tuple[JsonDict, JsonDict]:
        """Resolve ``chat_id`` (wins) or ``user_id`` into (chat, recipient) for a send."""
        chat_id, user_id = _int_param(query, "chat_id"), _int_param(query, "user_id")
        if chat_id is None and user_id is None:
            raise _bad("Either chat_id or user_id is required")
        if chat_id is None:
            if user_id not in self._users:
                raise _not_found(f"User {user_id} not found")
            chat_id = self.dialog_id(user_id)
        chat = self._chat_or_404(chat_id)
        dialog_user = self._dialog_users.get(chat_id)
        if dialog_user is not None:
            self._check_not_blocked(dialog_user)
            return chat, {"chat_id": chat_id, "chat_type": "dialog", "user_id": dialog_user}
        if not self.is_member(chat_id, self.bot_id):
            raise MaxError(403, "chat.denied", "Bot is not a member of the chat")
        return chat, {"chat_id": chat_id, "chat_type": "chat", "user_id": None}

    def _check_not_blocked(self, user_id: int) -> None:
        if user_id in self._blocked:
            raise MaxError(403, "chat.denied", "error.dialog.suspended")

    def _attachments(self, raw: Any) -> list[JsonDict]:
        if not isinstance(raw, list):
            raise _bad("attachments must be a list")
        result: list[JsonDict] = []
        uses_upload = False
        for attachment in raw:
            if not isinstance(attachment, dict) or "type" not in attachment:
                raise _bad(f"Invalid attachment {attachment!r}")
            kind, payload = attachment["type"], attachment.get("payload") or {}
            if kind == "inline_keyboard":
                if any(a["type"] == "inline_keyboard" for a in result):
                    raise _bad("Only one inline_keyboard per message")
                result.append({"type": kind, "payload": _validate_keyboard(payload)})
            elif kind in _MEDIA_TYPES and payload.get("token"):
                if payload["token"] not in self.files:
                    raise _bad(
                        f"Unknown attachment token {payload['token']!r}", "attachment.not.found"
                    )
                uses_upload = True
                result.append(self._media_attachment(kind, payload["token"]))
            else:
                result.append({k: v for k, v in attachment.items() if k != "bot"})
        if uses_upload and self._not_ready > 0:
            self._not_ready -= 1
            raise _bad("Key: errors.process.attachment.file.not.processed", "attachment.not.ready")
        return result

    def _message_body(self, body: JsonDict, old: JsonDict | None = None) -> tuple[Any, Any]:
        """(text, attachments) of a NewMessageBody; missing/null keeps the old value on edit."""
        text = body.get("text", old["text"] if old else None)
        if text is not None and (not isinstance(text, str) or len(text) > _MAX_TEXT):
            raise _bad(f"text must be a string of at most {_MAX_TEXT} characters")
        raw = body.get("attachments")
        attachments = (old or {}).get("attachments", []) if raw is None else self._attachments(raw)
        if not text and not attachments and old is None:
            raise _bad("Message must have text or attachments")
        return text, attachments

    async def _send_message(self, request: web.Request, ctx: JsonDict) -> JsonDict:
        _, recipient = self._target_chat(dict(request.query))
        text, attachments = self._message_body(ctx["body"])
        message = self._store_message(dict(self._bot_user), recipient, text, attachments)
        if isinstance(ctx["body"].get("link"), dict):
            link = ctx["body"]["link"]
            linked = self._messages.get(str(link.get("mid")))
            if linked is None:
                raise _bad(f"Linked message {link.get('mid')!r} not found")
            message["link"] = {"type": link.get("type"), "sender": linked["sender"],
                               "chat_id": linked["recipient"]["chat_id"],
                               "message": linked["body"]}  # fmt: skip
        return {"message": message}

    def _own_message(self, mid: str | None) -> JsonDict:
        if not mid or mid not in self._messages or mid in self._deleted:
            raise _not_found(f"Message {mid} not found")
        message = self._messages[mid]
        if message["sender"]["user_id"] != self.bot_id:
            raise MaxError(403, "access.denied", "Bot can edit only its own messages")
        user_id = self._dialog_users.get(message["recipient"]["chat_id"])
        if user_id is not None:
            self._check_not_blocked(user_id)
        return message

    def _apply_edit(self, message: JsonDict, body: JsonDict) -> None:
        text, attachments = self._message_body(body, old=message["body"])
        message["body"]["text"], message["body"]["attachments"] = text, attachments

    async def _edit_message(self, request: web.Request, ctx: JsonDict) -> JsonDict:
        message = self._own_message(request.query.get("message_id"))
        self._apply_edit(message, ctx["body"])
        return {"success": True}

    async def _delete_message(self, request: web.Request, ctx: JsonDict) -> JsonDict:
        message = self._own_message(request.query.get("message_id"))
        self._deleted.add(message["body"]["mid"])
        return {"success": True}

    async def _get_message(self, request: web.Request, ctx: JsonDict) -> JsonDict:
        mid = ctx["args"]["mid"]
        if mid not in self._messages or mid in self._deleted:
            raise _not_found(f"Message {mid} not found")
        return self._messages[mid]

    async def _get_messages(self, request: web.Request, ctx: JsonDict) -> JsonDict:
        query = dict(request.query)
        chat_id = _int_param(query, "chat_id")
        mids = set(query["message_ids"].split(",")) if query.get("message_ids") else None
        found = [
            m for mid, m in self._messages.items()
            if mid not in self._deleted and (mids is None or mid in mids)
            and (chat_id is None or m["recipient"]["chat_id"] == chat_id)
        ]  # fmt: skip
        return {"messages": found[-(_int_param(query, "count") or 50) :]}

    async def _answer_callback(self, request: web.Request, ctx: JsonDict) -> JsonDict:
        callback = self._callbacks.get(request.query.get("callback_id", ""))
        if callback is None:
            raise _not_found("Callback not found or expired")
        body = ctx["body"]
        if not body.get("message") and not body.get("notification"):
            raise _bad("Either message or notification is required")
        if body.get("message"):
            self._check_not_blocked(callback.user_id)
            if callback.mid is None or callback.mid in self._deleted:
                raise _not_found("Callback message not found")
            self._apply_edit(self._messages[callback.mid], body["message"])
        callback.answers.append(dict(body))
        return {"success": True}

    # ------------------------------------------------------------------ endpoint: chats

    async def _get_chats(self, request: web.Request, ctx: JsonDict) -> JsonDict:
        return {"chats": [self._chat_json(c) for c in self._chats.values()], "marker": None}

    async def _get_chat(self, request: web.Request, ctx: JsonDict) -> JsonDict:
        return self.chat(int(ctx["args"]["chat_id"]))

    def _group(self, ctx: JsonDict, need_admin: bool = False) -> int:
        chat_id = int(ctx["args"]["chat_id"])
        chat = self._chat_or_404(chat_id)
        if chat["type"] == "dialog":
            raise _bad("The method is not available for dialogs")
        if not self.is_member(chat_id, self.bot_id):
            raise MaxError(403, "chat.denied", "Bot is not a member of the chat")
        if need_admin and not self._members[chat_id][self.bot_id]["is_admin"]:
            raise MaxError(403, "chat.denied", "Bot is not an admin of the chat")
        return chat_id

    async def _get_members(self, request: web.Request, ctx: JsonDict) -> JsonDict:
        chat_id = self._group(ctx)
        query = dict(request.query)
        ids = list(self._members[chat_id])
        if query.get("user_ids"):
            wanted = [int(x) for x in query["user_ids"].split(",")]
            return {"members": [self._member_json(chat_id, u) for u in wanted if u in ids],
                    "marker": None}  # fmt: skip
        start = _int_param(query, "marker") or 0
        count = _int_param(query, "count") or 20
        page = ids[start : start + count]
        marker = start + count if start + count < len(ids) else None
        return {"members": [self._member_json(chat_id, u) for u in page], "marker": marker}

    async def _add_members(self, request: web.Request, ctx: JsonDict) -> JsonDict:
        chat_id = self._group(ctx, need_admin=True)
        user_ids = ctx["body"].get("user_ids")
        if not isinstance(user_ids, list) or not user_ids:
            raise _bad("user_ids is required")
        failed = [u for u in user_ids if u not in self._users or u in self._blocked]
        for user_id in user_ids:
            if user_id not in failed:
                self.set_member(chat_id, user_id)
        if failed:
            return {"success": False, "message": "Some users were not added",
                    "failed_user_ids": failed}  # fmt: skip
        return {"success": True}

    async def _remove_member(self, request: web.Request, ctx: JsonDict) -> JsonDict:
        chat_id = self._group(ctx, need_admin=True)
        user_id = _int_param(dict(request.query), "user_id", required=True)
        if not self.is_member(chat_id, user_id or 0):
            raise _not_found(f"User {user_id} is not a member")
        del self._members[chat_id][user_id or 0]
        return {"success": True}

    async def _get_my_membership(self, request: web.Request, ctx: JsonDict) -> JsonDict:
        return self._member_json(self._group(ctx), self.bot_id)

    async def _leave_chat(self, request: web.Request, ctx: JsonDict) -> JsonDict:
        chat_id = self._group(ctx)
        del self._members[chat_id][self.bot_id]
        self._chats[chat_id]["status"] = "left"
        return {"success": True}

    async def _get_admins(self, request: web.Request, ctx: JsonDict) -> JsonDict:
        chat_id = self._group(ctx)
        admins = [u for u, m in self._members[chat_id].items() if m["is_admin"]]
        return {"members": [self._member_json(chat_id, u) for u in admins], "marker": None}

    async def _add_admins(self, request: web.Request, ctx: JsonDict) -> JsonDict:
        chat_id = self._group(ctx, need_admin=True)
        for admin in ctx["body"].get("admins") or []:
            member = self._members[chat_id].get(int(admin["user_id"]))
            if member is None:
                raise _not_found(f"User {admin['user_id']} is not a member")
            member.update(is_admin=True, permissions=admin.get("permissions"),
                          alias=admin.get("alias"))  # fmt: skip
        return {"success": True}

    async def _remove_admin(self, request: web.Request, ctx: JsonDict) -> JsonDict:
        chat_id = self._group(ctx, need_admin=True)
        member = self._members[chat_id].get(int(ctx["args"]["user_id"]))
        if member is None:
            raise _not_found("User is not a member")
        member.update(is_admin=False, permissions=None)
        return {"success": True}

    # ------------------------------------------------------------------ endpoint: uploads

    async def _get_upload_url(self, request: web.Request, ctx: JsonDict) -> JsonDict:
        upload_type = request.query.get("type")
        if upload_type not in _UPLOAD_TYPES:
            raise _bad(f"type must be one of {', '.join(_UPLOAD_TYPES)}")
        upload_id = secrets.token_hex(8)
        self._uploads[upload_id] = upload_type
        result: JsonDict = {"url": f"{self.base_url}/upload/{upload_id}"}
        if upload_type in ("video", "audio"):  # MAX hands these tokens out before the upload
            token = self._upload_tokens[upload_id] = f"tok.{upload_type}.{secrets.token_hex(8)}"
            result["token"] = token
        return result

    # ------------------------------------------------------------------ endpoint: webhooks

    async def _get_subscriptions(self, request: web.Request, ctx: JsonDict) -> JsonDict:
        public = [{k: v for k, v in s.items() if k != "secret"} for s in self._subscriptions]
        return {"subscriptions": public}

    async def _subscribe(self, request: web.Request, ctx: JsonDict) -> JsonDict:
        body = ctx["body"]
        url = body.get("url")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise _bad("url must be an http(s) URL")
        secret = body.get("secret")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{5,256}", str(secret)):
            raise _bad("secret must be 5..256 characters of [A-Za-z0-9_-]")
        self._subscriptions = [s for s in self._subscriptions if s["url"] != url]
        self._subscriptions.append(
            {"url": url, "time": _now_ms(), "update_types": body.get("update_types"),
             "version": body.get("version"), "secret": secret}
        )  # fmt: skip
        for _, update in self._updates:  # undelivered polling updates move to the webhook
            self._webhook_queue.put_nowait(update)
        self._updates.clear()
        return {"success": True}

    async def _unsubscribe(self, request: web.Request, ctx: JsonDict) -> JsonDict:
        url = request.query.get("url")
        if not url:
            raise _bad("url is required")
        self._subscriptions = [s for s in self._subscriptions if s["url"] != url]
        return {"success": True}

    async def _webhook_worker(self) -> None:
        while True:
            update = await self._webhook_queue.get()
            for subscription in list(self._subscriptions):
                types = subscription.get("update_types")
                if not types or update["update_type"] in types:
                    await self._deliver(subscription, update)

    async def _deliver(self, subscription: JsonDict, update: JsonDict) -> None:
        assert self._client is not None
        headers = {_SECRET_HEADER: subscription["secret"]} if subscription.get("secret") else {}
        for delay in (*self.webhook_retry_delays, None):
            status: int | None = None
            error: str | None = None
            try:
                async with self._client.post(
                    subscription["url"], json=update, headers=headers
                ) as r:
                    status = r.status
            except (ClientError, TimeoutError) as exc:
                error = repr(exc)
            self.webhook_deliveries.append(
                WebhookDelivery(subscription["url"], update["update_type"], time.monotonic(),
                                status, error)
            )  # fmt: skip
            self._calls_signal.notify()
            if status == 200 or delay is None:
                return
            await asyncio.sleep(delay)

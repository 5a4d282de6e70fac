"""The Bot API emulator speaks the protocol a real aiogram client expects."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import pytest_asyncio
from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import SendMessage
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    CallbackQuery,
    ChatMemberAdministrator,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from tests.e2e.botapi_emulator import BotApiEmulator

pytestmark = pytest.mark.asyncio

USER = 42
GROUP = -1001234567890


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as emulator:
        emulator.user(USER, first_name="Анна", username="anna")
        yield emulator


def make_bot(emu: BotApiEmulator, token: str | None = None) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(emu.base_url))
    return Bot(token or emu.token, session=session)


@pytest_asyncio.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    bot = make_bot(emu)
    yield bot
    await bot.session.close()


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    buttons = [InlineKeyboardButton(text=text, callback_data=data) for text, data in pairs]
    return InlineKeyboardMarkup(inline_keyboard=[buttons])


@pytest_asyncio.fixture
async def receiver() -> AsyncIterator[dict[str, Any]]:
    """A tiny webhook endpoint on loopback that fails the first request with 500."""
    state: dict[str, Any] = {"requests": [], "fail_first": 1}

    async def handle(request: web.Request) -> web.Response:
        state["requests"].append((dict(request.headers), await request.json()))
        if state["fail_first"] > 0:
            state["fail_first"] -= 1
            return web.Response(status=500, text="boom")
        return web.json_response({})

    app = web.Application()
    app.router.add_post("/hook", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    state["url"] = f"http://127.0.0.1:{port}/hook"
    yield state
    await runner.cleanup()


async def test_get_me_returns_bot_identity(emu: BotApiEmulator, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username) == (123456, True, "kadry_test_bot")
    assert me.can_join_groups is True
    [call] = emu.calls("getme")
    assert (call.method, call.status, call.result["username"]) == ("getMe", 200, "kadry_test_bot")


async def test_send_edit_delete_round_trip(emu: BotApiEmulator, bot: Bot) -> None:
    sent = await bot.send_message(
        USER, "<b>Привет</b>, Анна &amp; co", parse_mode="HTML", reply_markup=keyboard(("Да", "y"))
    )
    assert sent.from_user is not None and sent.from_user.id == 123456
    assert (sent.message_id, sent.chat.id) == (1, USER)
    assert sent.text == "Привет, Анна & co"
    assert [(e.type, e.offset, e.length) for e in sent.entities or []] == [("bold", 0, 6)]
    call = emu.calls("sendMessage")[0]
    assert call.params["chat_id"] == USER
    assert call.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "Да", "callback_data": "y"}]]
    }
    second = await bot.send_message(USER, "second")
    assert second.message_id == 2

    edited = await bot.edit_message_text(
        "Изменено", chat_id=USER, message_id=1, reply_markup=keyboard(("Нет", "n"))
    )
    assert isinstance(edited, Message) and edited.text == "Изменено"
    stored = emu.messages_to(USER)[0]
    assert stored["text"] == "Изменено" and "entities" not in stored
    assert stored["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "n"
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            "Изменено", chat_id=USER, message_id=1, reply_markup=keyboard(("Нет", "n"))
        )
    await bot.edit_message_reply_markup(chat_id=USER, message_id=1)
    assert "reply_markup" not in emu.messages_to(USER)[0]

    assert await bot.delete_message(USER, 1) is True
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(USER, 1)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=USER, message_id=1)
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(999, "nobody")
    assert [m["text"] for m in emu.messages_to(USER, include_deleted=False)] == ["second"]
    assert (emu.last_message(USER) or {}).get("text") == "second"


async def test_html_errors_and_reply_keyboard_are_realistic(emu: BotApiEmulator, bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(USER, "<b>unclosed", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="Unsupported start tag"):
        await bot.send_message(USER, "<br> tag", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(USER, "x", reply_markup=keyboard(("long", "x" * 65)))
    assert emu.messages_to(USER) == []


async def test_press_button_and_answer_callback(emu: BotApiEmulator, bot: Bot) -> None:
    sent = await bot.send_message(USER, "Выберите", reply_markup=keyboard(("A", "a"), ("B", "b")))
    with pytest.raises(AssertionError, match="no button"):
        emu.press_button(USER, sent.message_id, "zzz")
    update = emu.press_button(USER, sent.message_id, "b")
    [received] = await bot.get_updates(timeout=1)
    assert received.update_id == update["update_id"]
    query = received.callback_query
    assert query is not None and query.data == "b" and query.from_user.first_name == "Анна"
    assert isinstance(query.message, Message) and query.message.message_id == sent.message_id
    assert query.message.text == "Выберите"
    assert await bot.answer_callback_query(query.id, text="ok") is True
    with pytest.raises(TelegramBadRequest, match="query ID is invalid"):
        await bot.answer_callback_query(query.id)
    assert emu.calls("answerCallbackQuery")[0].params["text"] == "ok"


async def test_get_updates_long_polls_and_confirms_by_offset(emu: BotApiEmulator, bot: Bot) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=5, allowed_updates=["message"]))
    await asyncio.sleep(0.2)
    assert not poll.done()
    injected = emu.send_text(USER, "/start ref_abc")
    updates = await asyncio.wait_for(poll, 2)
    assert time.monotonic() - started < 1.5
    [update] = updates
    assert update.update_id == injected["update_id"] == 1
    message = update.message
    assert message is not None and message.text == "/start ref_abc"
    assert [(e.type, e.offset, e.length) for e in message.entities or []] == [("bot_command", 0, 6)]
    # Not confirmed yet: returned again, immediately.
    assert [u.update_id for u in await bot.get_updates(timeout=5)] == [1]
    # Confirmed by offset: forgotten; an empty poll returns after its timeout.
    emu.send_text(USER, "hello")
    assert [u.update_id for u in await bot.get_updates(offset=2, timeout=5)] == [2]
    assert await bot.get_updates(offset=3, timeout=0) == []
    assert emu.pending_updates() == []
    # allowed_updates is respected: a callback query is not delivered to a message-only bot.
    emu.inject_update({"callback_query": {"id": "1", "from": emu.user(USER), "chat_instance": "1"}})
    assert await bot.get_updates(offset=3, timeout=0) == []


async def test_duplicate_update_id_is_delivered_again(emu: BotApiEmulator, bot: Bot) -> None:
    original = emu.send_text(USER, "once")
    [first] = await bot.get_updates(timeout=1)
    assert await bot.get_updates(offset=first.update_id + 1, timeout=0) == []
    emu.inject_update(original)  # same update_id: a duplicate delivery
    [again] = await bot.get_updates(offset=first.update_id + 1, timeout=1)
    assert again.message is not None and again.message.text == "once"
    assert again.update_id == first.update_id
    next_update = emu.send_text(USER, "next")
    assert next_update["update_id"] == first.update_id + 1


async def test_flood_window_reports_remaining_seconds(emu: BotApiEmulator, bot: Bot) -> None:
    window = emu.flood(retry_after=2, duration=1.3, chat_id=USER)
    with pytest.raises(TelegramRetryAfter) as first:
        await bot.send_message(USER, "one")
    assert first.value.retry_after == 2
    assert (await bot.get_me()).id == 123456  # other methods are not limited
    await asyncio.sleep(0.5)
    with pytest.raises(TelegramRetryAfter) as second:
        await bot.send_message(USER, "two")
    assert second.value.retry_after == 1
    assert "Too Many Requests: retry after 1" in second.value.message
    await asyncio.sleep(window.end - time.monotonic() + 0.02)
    sent = await bot.send_message(USER, "three")
    assert sent.text == "three"
    assert len(window.rejected) == 2
    assert emu.successful_during(window) == []
    assert emu.calls("sendMessage")[-1].time >= window.end
    assert [m["text"] for m in emu.messages_to(USER)] == ["three"]


async def test_block_and_fail_next(emu: BotApiEmulator, bot: Bot) -> None:
    emu.user(43)
    emu.block(USER)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(USER, "hi")
    assert (await bot.send_message(43, "hi")).chat.id == 43
    emu.fail_next(2, status=502, methods=["sendMessage"])
    for _ in range(2):
        with pytest.raises(TelegramServerError, match="Bad Gateway"):
            await bot.send_message(43, "retry")
    assert (await bot.send_message(43, "retry")).message_id == 2
    assert [c.status for c in emu.calls("sendMessage")] == [403, 200, 502, 502, 200]
    emu.reset_faults()
    assert (await bot.send_message(USER, "unblocked")).message_id == 1


async def test_wrong_token_is_unauthorized(emu: BotApiEmulator) -> None:
    bot = make_bot(emu, token="999:WRONG")
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await bot.get_me()
    finally:
        await bot.session.close()
    [call] = emu.calls("getMe")
    assert call.status == 401 and call.response["description"] == "Unauthorized"


async def test_webhook_delivery_with_secret_and_retry(
    emu: BotApiEmulator, bot: Bot, receiver: dict[str, Any]
) -> None:
    assert await bot.set_webhook(receiver["url"], secret_token="s3cret-Token_1") is True
    with pytest.raises(TelegramConflictError):
        await bot.get_updates(timeout=0)
    update = emu.send_text(USER, "via webhook")
    await emu.wait_for(lambda: len(receiver["requests"]) >= 2, timeout=3)
    (headers1, body1), (headers2, body2) = receiver["requests"][:2]
    assert body1 == body2 == update
    assert headers1["X-Telegram-Bot-Api-Secret-Token"] == "s3cret-Token_1"
    assert headers2["X-Telegram-Bot-Api-Secret-Token"] == "s3cret-Token_1"
    assert [d.status for d in emu.webhook_deliveries] == [500, 200]
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == (receiver["url"], 0)
    assert "500" in (info.last_error_message or "")
    assert await bot.delete_webhook() is True
    assert await bot.get_updates(timeout=0) == []


async def test_webhook_delivers_chats_in_parallel_each_chat_in_order_retries_first(
    emu: BotApiEmulator, bot: Bot
) -> None:
    """Up to max_connections requests at once; one chat's updates one after another, a failed
    delivery retried before the chat's next; each delivery recorded when it starts."""
    gates: dict[int, asyncio.Event] = {}
    started: list[tuple[int, str]] = []
    failed_once: set[int] = set()

    async def handle(request: web.Request) -> web.Response:
        update = await request.json()
        chat, text = update["message"]["chat"]["id"], update["message"]["text"]
        started.append((chat, text))
        await gates.setdefault(chat, asyncio.Event()).wait()
        if text == "a1" and chat not in failed_once:
            failed_once.add(chat)
            return web.Response(status=500, text="boom")
        return web.json_response({})

    app = web.Application()
    app.router.add_post("/hook", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
        assert await bot.set_webhook(url, max_connections=3) is True
        for chat, text in [(1, "a1"), (1, "a2"), (2, "b1"), (3, "c1"), (4, "d1"), (1, "a3")]:
            emu.send_text(chat, text)
        await emu.wait_for(lambda: len(started) >= 3, timeout=3)
        await asyncio.sleep(0.2)  # nothing more starts while three are in flight
        assert sorted(started) == [(1, "a1"), (2, "b1"), (3, "c1")]
        assert [d.status for d in emu.webhook_deliveries] == [None, None, None]
        # Chat 1 goes on: a1 fails and is retried before a2; once a2 is answered the free place
        # goes to the oldest update waiting, d1 (a3 of chat 1 came after it).
        gates[1].set()
        await emu.wait_for(lambda: (4, "d1") in started, timeout=3)
        await asyncio.sleep(0.2)
        assert [t for c, t in started if c == 1] == ["a1", "a1", "a2"]
        for gate in (2, 3, 4):
            gates[gate].set()
        await emu.wait_for(lambda: len(started) == 7, timeout=3)
        await emu.wait_for(
            lambda: all(d.status is not None for d in emu.webhook_deliveries), timeout=3
        )
        assert [t for c, t in started if c == 1] == ["a1", "a1", "a2", "a3"]
        assert sorted(d.status for d in emu.webhook_deliveries) == [200] * 6 + [500]
        assert (await bot.get_webhook_info()).pending_update_count == 0
    finally:
        for gate in gates.values():
            gate.set()
        await bot.delete_webhook()
        await runner.cleanup()


async def test_aiogram_webhook_handler_secret_and_reply_in_response(
    emu: BotApiEmulator, bot: Bot
) -> None:
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> SendMessage:
        return SendMessage(chat_id=message.chat.id, text=f"echo: {message.text}")

    app = web.Application()
    handler = SimpleRequestHandler(
        dispatcher, bot, secret_token="right", handle_in_background=False
    )
    handler.register(app, path="/tg")
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/tg"
    try:
        await bot.set_webhook(url, secret_token="right")
        raw = {"message": {"message_id": 1, "date": 0, "chat": {"id": USER, "type": "private"}}}
        assert await emu.post_to_webhook(raw, secret="wrong") == 401
        assert await emu.post_to_webhook(raw) == 401
        emu.send_text(USER, "привет")
        reply = await emu.wait_for_message(USER, contains="echo: привет", timeout=3)
        assert reply["from"]["id"] == 123456
        assert emu.calls("sendMessage")[0].via == "webhook_reply"
    finally:
        await runner.cleanup()


async def test_commands_are_stored_per_scope(emu: BotApiEmulator, bot: Bot) -> None:
    scope = BotCommandScopeChat(chat_id=USER)
    commands = [
        BotCommand(command="start", description="Начать"),
        BotCommand(command="help", description="Помощь"),
    ]
    assert await bot.set_my_commands(commands, scope=scope, language_code="ru") is True
    assert emu.calls("setMyCommands")[0].params["scope"] == {"type": "chat", "chat_id": USER}
    got = await bot.get_my_commands(scope=scope, language_code="ru")
    assert [(c.command, c.description) for c in got] == [("start", "Начать"), ("help", "Помощь")]
    assert await bot.get_my_commands() == []
    assert emu.commands({"type": "chat", "chat_id": USER}, "ru")[1]["command"] == "help"
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Bad Command", description="x")])
    assert await bot.delete_my_commands(scope=scope, language_code="ru") is True
    assert await bot.get_my_commands(scope=scope, language_code="ru") == []


async def test_invite_link_join_request_and_approval(emu: BotApiEmulator, bot: Bot) -> None:
    emu.group(GROUP, "Кадры будущего", type="supergroup")
    expire = datetime.now() + timedelta(days=1)
    link = await bot.create_chat_invite_link(
        GROUP, name="wave-1", expire_date=expire, creates_join_request=True
    )
    assert link.invite_link.startswith("https://t.me/+") and link.creator.id == 123456
    assert (link.name, link.creates_join_request, link.is_revoked) == ("wave-1", True, False)
    assert (
        link.expire_date is not None and abs(link.expire_date.timestamp() - expire.timestamp()) < 2
    )
    other = await bot.create_chat_invite_link(GROUP, member_limit=5)
    assert other.invite_link != link.invite_link and other.member_limit == 5

    emu.chat_join_request(USER, GROUP, invite_link=link.invite_link)
    [update] = await bot.get_updates(timeout=1)
    request = update.chat_join_request
    assert request is not None and request.from_user.id == USER
    assert request.invite_link is not None and request.invite_link.name == "wave-1"
    assert (await bot.get_chat_member(GROUP, USER)).status == "member"  # default
    emu.set_member(GROUP, USER, "left")
    assert (await bot.get_chat_member(GROUP, USER)).status == "left"
    assert await bot.approve_chat_join_request(GROUP, USER) is True
    assert (await bot.get_chat_member(GROUP, USER)).status == "member"
    with pytest.raises(TelegramBadRequest, match="HIDE_REQUESTER_MISSING"):
        await bot.approve_chat_join_request(GROUP, USER)
    [approve, _] = emu.calls("approveChatJoinRequest")
    assert approve.params == {"chat_id": GROUP, "user_id": USER} and approve.ok
    revoked = await bot.revoke_chat_invite_link(GROUP, other.invite_link)
    assert revoked.is_revoked is True

    emu.set_bot_admin(GROUP, can_invite_users=False)
    bot_member = await bot.get_chat_member(GROUP, 123456)
    assert isinstance(bot_member, ChatMemberAdministrator)
    assert bot_member.can_invite_users is False
    with pytest.raises(TelegramBadRequest, match="not enough rights"):
        await bot.create_chat_invite_link(GROUP)


async def test_send_document_and_download_files(emu: BotApiEmulator, bot: Bot) -> None:
    payload = "ФИО;балл\nАнна;95\n".encode()
    sent = await bot.send_document(
        USER, BufferedInputFile(payload, filename="report.csv"), caption="Отчёт"
    )
    assert sent.document is not None and sent.document.file_name == "report.csv"
    assert sent.document.file_size == len(payload) and sent.caption == "Отчёт"
    call = emu.calls("sendDocument")[0]
    upload = call.params["document"]
    assert (upload.filename, upload.data) == ("report.csv", payload)
    downloaded = await bot.download(sent.document.file_id)
    assert downloaded is not None and downloaded.read() == payload

    update = emu.send_message(USER, photo={}, caption="фото")
    [received] = await bot.get_updates(timeout=1)
    assert received.update_id == update["update_id"]
    assert received.message is not None
    photo = received.message.photo
    assert photo is not None and len(photo) == 2 and photo[-1].width == 800
    file = await bot.get_file(photo[-1].file_id)
    assert file.file_path is not None and file.file_path.startswith("photos/")
    data = await bot.download_file(file.file_path)
    assert data is not None and len(data.read()) == photo[-1].file_size


async def test_group_migration_and_membership_updates(emu: BotApiEmulator, bot: Bot) -> None:
    emu.group(-500, "Старая группа")
    old_update, new_update = emu.migrate_group_to_supergroup(-500, GROUP)
    assert old_update["message"]["migrate_to_chat_id"] == GROUP
    assert new_update["message"]["migrate_from_chat_id"] == -500
    with pytest.raises(TelegramMigrateToChat) as migrated:
        await bot.send_message(-500, "hi")
    assert migrated.value.migrate_to_chat_id == GROUP
    assert (await bot.send_message(GROUP, "hi")).chat.type == "supergroup"

    emu.my_chat_member(GROUP, "kicked", "administrator", from_user_id=USER)
    emu.chat_member(GROUP, 77, "member", "left")
    updates = await bot.get_updates(timeout=1, allowed_updates=["message", "my_chat_member"])
    assert [u.event_type for u in updates] == ["message", "message", "my_chat_member"]
    with pytest.raises(TelegramForbiddenError, match="kicked"):
        await bot.send_message(GROUP, "still there?")


async def test_opt_in_updates_wait_for_allowed_updates(emu: BotApiEmulator, bot: Bot) -> None:
    emu.group(GROUP, "Кадры", type="supergroup")
    emu.chat_member(GROUP, 78, "member", "left")
    await asyncio.sleep(0.05)  # queued before the bot asked for chat_member: must not be lost
    [update] = await bot.get_updates(timeout=1, allowed_updates=["chat_member"])
    member = update.chat_member
    assert member is not None and member.new_chat_member.user.id == 78
    assert member.new_chat_member.status == "member"


async def test_stop_ends_an_inflight_long_poll() -> None:
    emulator = BotApiEmulator()
    await emulator.start()
    bot = make_bot(emulator)
    try:
        poll = asyncio.create_task(bot.get_updates(timeout=30))
        await asyncio.sleep(0.1)
        started = time.monotonic()
        await emulator.stop()
        assert await asyncio.wait_for(poll, 2) == []
        assert time.monotonic() - started < 1
    finally:
        await bot.session.close()


async def test_aiogram_dispatcher_polling_end_to_end(emu: BotApiEmulator, bot: Bot) -> None:
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def greet(message: Message) -> None:
        assert message.from_user is not None
        name = message.from_user.first_name
        await message.answer(f"Привет, {name}!", reply_markup=keyboard(("OK", "ok")))

    @dispatcher.callback_query()
    async def on_button(query: CallbackQuery) -> None:
        await query.answer("готово")
        assert isinstance(query.message, Message)
        await query.message.edit_text(f"Нажато: {query.data}")

    polling = asyncio.create_task(
        dispatcher.start_polling(
            bot, polling_timeout=1, handle_signals=False, close_bot_session=False
        )
    )
    try:
        emu.send_text(USER, "/start")
        greeting = await emu.wait_for_message(USER, contains="Привет, Анна!", timeout=5)
        emu.press_button(USER, greeting["message_id"], "ok")
        await emu.wait_for(
            lambda: (emu.message(USER, greeting["message_id"]) or {}).get("text") == "Нажато: ok",
            timeout=5,
        )
        [answer] = emu.calls("answerCallbackQuery")
        assert answer.params["text"] == "готово" and answer.ok
        allowed = emu.calls("getUpdates")[0].params["allowed_updates"]
        assert sorted(allowed) == ["callback_query", "message"]
    finally:
        await dispatcher.stop_polling()
        await asyncio.wait_for(polling, 3)

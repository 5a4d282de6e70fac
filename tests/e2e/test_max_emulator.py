"""The MAX Bot API emulator speaks the protocol a real maxapi 1.2.3 client expects."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from aiohttp import ClientSession, web
from maxapi import Bot, Dispatcher
from maxapi.client.default import DefaultConnectionProperties
from maxapi.exceptions.max import InvalidToken, MaxApiError
from maxapi.methods.types.getted_updates import process_update_request
from maxapi.types import (
    CallbackButton,
    InputMedia,
    InputMediaBuffer,
    LinkButton,
    MessageCallback,
    MessageCreated,
)
from maxapi.types.updates.message_callback import MessageForCallback
from maxapi.utils.inline_keyboard import InlineKeyboardBuilder

from tests.e2e.max_emulator import MaxApiEmulator

pytestmark = pytest.mark.asyncio

USER = 4242
OTHER = 4343
GROUP = -7001


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[MaxApiEmulator]:
    async with MaxApiEmulator(default_poll_timeout=1.0) as emulator:
        emulator.user(USER, first_name="Анна", username="anna")
        yield emulator


def make_bot(emu: MaxApiEmulator, token: str | None = None) -> Bot:
    # A tiny backoff keeps the 5xx-retry test fast; everything else is maxapi's default.
    connection = DefaultConnectionProperties(timeout=10, retry_backoff_factor=0.01)
    bot = Bot(token=token or emu.token, default_connection=connection)
    bot.set_api_url(emu.base_url)
    # Bot(after_input_media_delay=0) would still give 2.0 s (``or 2.0`` in maxapi's Bot).
    bot.after_input_media_delay = 0
    return bot


@pytest_asyncio.fixture
async def bot(emu: MaxApiEmulator) -> AsyncIterator[Bot]:
    max_bot = make_bot(emu)
    yield max_bot
    await max_bot.close_session()


def keyboard(*payloads: str, link: str | None = None) -> Any:
    builder = InlineKeyboardBuilder()
    for payload in payloads:
        builder.row(CallbackButton(text=payload.capitalize(), payload=payload))
    if link:
        builder.row(LinkButton(text="Сайт", url=link))
    return builder.as_markup()


async def test_get_me_sends_the_raw_token(emu: MaxApiEmulator, bot: Bot) -> None:
    me = await bot.get_me()

    assert (me.user_id, me.username, me.is_bot) == (emu.bot_id, "kadry_max_bot", True)
    [call] = emu.calls("GET /me")
    assert call.authorized and call.status == 200


async def test_wrong_or_missing_token_is_refused(emu: MaxApiEmulator) -> None:
    wrong = make_bot(emu, token="not-the-token")
    with pytest.raises(InvalidToken):
        await wrong.get_me()
    await wrong.close_session()

    async with ClientSession() as http:
        async with http.get(f"{emu.base_url}/me", params={"access_token": emu.token}) as resp:
            assert resp.status == 401
            assert (await resp.json())["code"] == "verify.token"
        async with http.get(
            f"{emu.base_url}/me", headers={"Authorization": f"Bearer {emu.token}"}
        ) as resp:
            assert resp.status == 401
    assert [c.authorized for c in emu.calls("GET /me")] == [False, False, False]


async def test_updates_long_poll_with_marker(emu: MaxApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "привет")

    first = await bot.get_updates()
    [update] = first["updates"]
    assert update["update_type"] == "message_created"
    assert update["message"]["body"]["text"] == "привет"
    # A dialog's chat id is not the user's id: the user is the sender, the bot the recipient.
    assert update["message"]["recipient"] == {
        "chat_id": emu.dialog_id(USER),
        "chat_type": "dialog",
        "user_id": emu.bot_id,
    }
    assert emu.dialog_id(USER) != USER

    again = await bot.get_updates(timeout=0)  # no marker: not confirmed yet, comes again
    assert len(again["updates"]) == 1
    empty = await bot.get_updates(marker=first["marker"], timeout=0)
    assert empty["updates"] == [] and emu.pending_updates() == []

    waiter = asyncio.create_task(bot.get_updates(marker=empty["marker"], timeout=5))
    await asyncio.sleep(0.05)
    emu.bot_started(USER, payload="ref-school-7")
    woken = await asyncio.wait_for(waiter, 2)
    assert [u["update_type"] for u in woken["updates"]] == ["bot_started"]
    assert woken["updates"][0]["chat_id"] == emu.dialog_id(USER)


async def test_dispatcher_polls_a_message_and_a_callback(emu: MaxApiEmulator, bot: Bot) -> None:
    dp = Dispatcher()
    seen: list[Any] = []

    @dp.message_created()
    async def on_message(event: MessageCreated) -> None:
        seen.append((event.chat.chat_id, event.from_user.user_id))
        await event.message.answer(f"Эхо: {event.message.body.text}", attachments=[keyboard("yes")])

    @dp.message_callback()
    async def on_callback(event: MessageCallback) -> None:
        seen.append(event.callback.payload)
        await event.answer(notification="Принято")

    polling = asyncio.create_task(dp.start_polling(bot))
    try:
        emu.send_text(USER, "привет")
        await emu.wait_for_message(USER)
        emu.press(USER, "yes")
        await emu.wait_for_calls("POST /answers")
    finally:
        await dp.stop_polling()
        await asyncio.gather(polling, return_exceptions=True)

    assert emu.texts_to(USER) == ["Эхо: привет"]
    assert seen == [(emu.dialog_id(USER), USER), "yes"]
    # maxapi fetched the dialog for each event; the callback answer kept the keyboard.
    chat_paths = {c.path for c in emu.calls("GET /chats/{chat_id}")}
    assert chat_paths == {f"/chats/{emu.dialog_id(USER)}"}
    assert emu.notifications_to(USER) == ["Принято"]
    assert emu.last_keyboard(USER) is not None
    sent = emu.calls("POST /messages")[0]
    assert sent.query == {"chat_id": str(emu.dialog_id(USER))}


async def test_429_inside_a_handler_loses_that_reply(emu: MaxApiEmulator, bot: Bot) -> None:
    dp = Dispatcher()

    @dp.message_created()
    async def on_message(event: MessageCreated) -> None:
        await event.message.answer(f"Эхо: {event.message.body.text}")

    emu.rate_limit("POST /messages", times=1, retry_after=1)
    polling = asyncio.create_task(dp.start_polling(bot))
    try:
        emu.send_text(USER, "первое")
        await emu.wait_for_calls("POST /messages")
        emu.send_text(USER, "второе")
        await emu.wait_for_message(USER)
    finally:
        await dp.stop_polling()
        await asyncio.gather(polling, return_exceptions=True)

    # maxapi does not retry a 429 (nor honour Retry-After): the first reply is gone.
    assert [c.status for c in emu.calls("POST /messages")] == [429, 200]
    assert emu.calls("POST /messages")[0].response["code"] == "too.many.requests"
    assert emu.texts_to(USER) == ["Эхо: второе"]


async def test_send_text_with_inline_keyboard(emu: MaxApiEmulator, bot: Bot) -> None:
    markup = keyboard("yes", "no", link="https://example.org/")
    sent = await bot.send_message(user_id=USER, text="Согласны?", attachments=[markup])

    assert sent is not None
    assert sent.message.recipient.chat_id == emu.dialog_id(USER)
    assert sent.message.recipient.user_id == USER
    assert emu.texts_to(USER) == ["Согласны?"]
    rows = emu.last_keyboard(USER)
    assert rows == [
        [{"type": "callback", "text": "Yes", "payload": "yes", "intent": "default"}],
        [{"type": "callback", "text": "No", "payload": "no", "intent": "default"}],
        [{"type": "link", "text": "Сайт", "url": "https://example.org/"}],
    ]
    body = emu.calls("POST /messages")[0].body
    assert body["attachments"][0]["type"] == "inline_keyboard"

    with pytest.raises(MaxApiError) as refused:
        await bot.send_message(user_id=USER, text="x", attachments=[keyboard("y" * 1100)])
    assert refused.value.code == 400


async def test_edit_message_drops_keyboard_but_message_edit_keeps_it(
    emu: MaxApiEmulator, bot: Bot
) -> None:
    first = await bot.send_message(user_id=USER, text="Шаг 1", attachments=[keyboard("next")])
    assert first is not None
    await bot.edit_message(message_id=first.message.body.mid, text="Шаг 1 (bot.edit_message)")
    assert emu.calls("PUT /messages")[-1].body == {
        "attachments": [],
        "text": "Шаг 1 (bot.edit_message)",
    }
    assert emu.last_keyboard(USER) is None

    second = await bot.send_message(user_id=USER, text="Шаг 2", attachments=[keyboard("next")])
    assert second is not None
    await second.message.edit(text="Шаг 2 (message.edit)")
    assert emu.texts_to(USER) == ["Шаг 1 (bot.edit_message)", "Шаг 2 (message.edit)"]
    assert emu.last_keyboard(USER) == [
        [{"type": "callback", "text": "Next", "payload": "next", "intent": "default"}]
    ]

    await bot.delete_message(second.message.body.mid)
    assert emu.texts_to(USER) == ["Шаг 1 (bot.edit_message)"]


async def test_answer_callback_with_message_edits_it(emu: MaxApiEmulator, bot: Bot) -> None:
    await bot.send_message(user_id=USER, text="Оценка?", attachments=[keyboard("5", "4")])
    update = emu.press(USER, "5")
    callback_id = update["callback"]["callback_id"]

    await bot.send_callback(
        callback_id=callback_id, message=MessageForCallback(text="Оценка: 5"), notification="OK"
    )

    assert emu.texts_to(USER) == ["Оценка: 5"]
    assert emu.last_keyboard(USER) is not None  # no attachments in the answer: kept
    assert emu.callback_answers(callback_id)[0]["notification"] == "OK"
    with pytest.raises(AssertionError):
        emu.press(USER, "3")  # no such button
    with pytest.raises(MaxApiError):
        await bot.send_callback(callback_id="cb.unknown", notification="x")


async def test_upload_document_and_see_its_name(
    emu: MaxApiEmulator, bot: Bot, tmp_path: Path
) -> None:
    report = tmp_path / "report.pdf"
    report.write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
    sent = await bot.send_message(user_id=USER, text="Отчёт", attachments=[InputMedia(str(report))])
    assert sent is not None
    assert sent.message.body.attachments[0].filename == "report.pdf"

    ics = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    await bot.send_message(
        user_id=USER, attachments=[InputMediaBuffer(buffer=ics, filename="meeting.ics")]
    )

    names = [f.filename for f in emu.files_to(USER)]
    assert names[0] == "report.pdf"
    # maxapi appends the extension it sniffs from a buffer: the name is no longer ours.
    assert names[1] == "meeting.ics.ics"
    assert [c.query["type"] for c in emu.calls("POST /uploads")] == ["file", "file"]
    assert len(emu.calls("UPLOAD")) == 2


async def test_attachment_not_ready_is_retried_by_maxapi(emu: MaxApiEmulator, bot: Bot) -> None:
    bot.after_upload_retry_delay = 0
    emu.attachment_not_ready(times=1)
    sent = await bot.send_message(
        user_id=USER, attachments=[InputMediaBuffer(buffer=b"data", filename="a.txt")]
    )
    assert sent is not None
    assert [c.status for c in emu.calls("POST /messages")] == [400, 200]


async def test_429_switch_raises_without_retry(emu: MaxApiEmulator, bot: Bot) -> None:
    emu.rate_limit("POST /messages", times=1)

    with pytest.raises(MaxApiError) as limited:
        await bot.send_message(user_id=USER, text="раз")
    assert limited.value.code == 429
    assert isinstance(limited.value.raw, dict) and limited.value.raw["code"] == "too.many.requests"
    assert [c.status for c in emu.calls("POST /messages")] == [429]

    await bot.send_message(user_id=USER, text="два")
    assert emu.texts_to(USER) == ["два"]


async def test_5xx_switch_only_502_503_504_are_retried(emu: MaxApiEmulator, bot: Bot) -> None:
    emu.fail_next("POST /messages", times=2, status=503)
    await bot.send_message(user_id=USER, text="после 503")
    assert [c.status for c in emu.calls("POST /messages")] == [503, 503, 200]

    emu.fail_next("POST /messages", times=1, status=500)
    with pytest.raises(MaxApiError) as failed:
        await bot.send_message(user_id=USER, text="после 500")
    assert failed.value.code == 500
    assert emu.texts_to(USER) == ["после 503"]


async def test_blocked_user(emu: MaxApiEmulator, bot: Bot) -> None:
    emu.block(USER)
    with pytest.raises(MaxApiError) as denied:
        await bot.send_message(user_id=USER, text="напоминание")
    assert denied.value.code == 403
    assert isinstance(denied.value.raw, dict) and denied.value.raw["code"] == "chat.denied"


async def test_chats_and_members(emu: MaxApiEmulator, bot: Bot) -> None:
    emu.user(OTHER, first_name="Борис")
    emu.group(GROUP, "Команда 1", members=(USER,), owner_id=USER)

    dialog = await bot.get_chat_by_id(emu.dialog_id(USER))
    assert dialog.dialog_with_user is not None and dialog.dialog_with_user.user_id == USER
    group = await bot.get_chat_by_id(GROUP)
    assert (group.title, group.participants_count) == ("Команда 1", 2)

    await bot.add_chat_members(chat_id=GROUP, user_ids=[OTHER])
    members = await bot.get_chat_members(chat_id=GROUP)
    assert {m.user_id for m in members.members} == {emu.bot_id, USER, OTHER}
    member = await bot.get_chat_member(chat_id=GROUP, user_id=USER)
    assert member is not None and member.is_owner
    me = await bot.get_me_from_chat(GROUP)
    assert me.is_admin

    await bot.kick_chat_member(chat_id=GROUP, user_id=OTHER)
    assert not emu.is_member(GROUP, OTHER)

    sent = await bot.send_message(chat_id=GROUP, text="Встреча в 18:00")
    assert sent is not None and sent.message.recipient.chat_type == "chat"
    assert [m["body"]["text"] for m in emu.messages_in(GROUP)] == ["Встреча в 18:00"]


@pytest.mark.filterwarnings("ignore:URL вебхука не использует HTTPS")
async def test_webhook_subscription_delivers_updates(emu: MaxApiEmulator, bot: Bot) -> None:
    received: list[tuple[str | None, dict[str, Any]]] = []

    async def receive(request: web.Request) -> web.Response:
        received.append((request.headers.get("X-Max-Bot-Api-Secret"), await request.json()))
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/hook", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    url = f"http://127.0.0.1:{port}/hook"
    try:
        await bot.subscribe_webhook(url=url, secret="s3cret-value")
        subscriptions = await bot.get_subscriptions()
        assert [s.url for s in subscriptions.subscriptions] == [url]

        emu.send_text(USER, "через вебхук")
        await emu.wait_for(lambda: received)
        assert received[0][0] == "s3cret-value"
        assert received[0][1]["message"]["body"]["text"] == "через вебхук"

        await bot.unsubscribe_webhook(url)
        assert (await bot.get_subscriptions()).subscriptions == []
    finally:
        await runner.cleanup()


async def test_every_injected_update_parses_in_maxapi(emu: MaxApiEmulator, bot: Bot) -> None:
    emu.user(OTHER, first_name="Борис")
    emu.group(GROUP, "Команда 1", members=(USER,))
    await bot.send_message(user_id=USER, text="Выберите", attachments=[keyboard("a")])
    emu.bot_started(USER, payload="deep-link")
    emu.send_file(USER, "essay.pdf", b"%PDF-1.4 essay")
    emu.send_photo(USER, text="я")
    emu.press(USER, "a")
    emu.press_forged(USER, "forged:payload")
    emu.send_text(OTHER, "всем привет", chat_id=GROUP)
    emu.user_added(GROUP, OTHER, inviter_id=None)
    emu.user_removed(GROUP, OTHER, admin_id=USER)
    emu.bot_added(-7002, by_user=USER)
    emu.bot_stopped(USER)

    raw = await bot.get_updates(timeout=0)
    events = await process_update_request(raw, bot)

    assert [e.update_type for e in events] == [
        "bot_started", "message_created", "message_created", "message_callback",
        "message_callback", "message_created", "user_added", "user_removed", "bot_added",
        "bot_stopped",
    ]  # fmt: skip
    started, document, photo, pressed, forged, in_group = events[:6]
    assert started.payload == "deep-link" and started.chat.dialog_with_user.user_id == USER
    [file] = document.message.body.attachments
    assert (file.filename, file.size) == ("essay.pdf", len(b"%PDF-1.4 essay"))
    assert await bot.download_bytes(file.payload.url) == b"%PDF-1.4 essay"
    assert photo.message.body.attachments[0].type == "image"
    assert pressed.callback.payload == "a" and pressed.message.body.text == "Выберите"
    assert forged.callback.payload == "forged:payload"
    assert in_group.chat.type == "chat" and in_group.from_user.user_id == OTHER
    with pytest.raises(MaxApiError):
        await bot.send_message(user_id=USER, text="после блокировки")

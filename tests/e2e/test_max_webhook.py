"""`python -m bot webhook` on MAX alone: the real process with only MAX_BOT_TOKEN and
MAX_WEBHOOK_URL (pointing at its own port) subscribes at startup, and the MAX emulator delivers
updates to it through the webhook; what is not a MAX update from MAX is refused."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import ClientSession, ClientTimeout

from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.chats import Applicant, MaxChat
from tests.e2e.conftest import StartBot, free_port
from tests.e2e.launcher import Launched, launch, run_cli
from tests.e2e.max_emulator import MaxApiEmulator
from tests.e2e.test_max import import_season

SECRET = "max-hook-secret_42"
PATH = "/max/webhook"


@pytest.fixture
async def max_emu() -> AsyncIterator[MaxApiEmulator]:
    async with MaxApiEmulator(default_poll_timeout=0.5) as emulator:
        yield emulator


def _env(emu: MaxApiEmulator, tmp_path: Path, port: int, **extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    return {
        **keep,
        "MAX_BOT_TOKEN": emu.token,
        "MAX_API_BASE": emu.base_url,
        "MAX_WEBHOOK_URL": f"http://127.0.0.1:{port}",
        "MAX_WEBHOOK_SECRET": SECRET,
        "WEBHOOK_HOST": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        "PYTHONUNBUFFERED": "1",
        "THROTTLE_RATE_PER_SECOND": "1000",
        **extra,
    }


class Hooked:
    def __init__(self, process: Launched, port: int, log: Path) -> None:
        self.process, self.port, self.log = process, port, log

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
async def hooked(max_emu: MaxApiEmulator, tmp_path: Path) -> AsyncIterator[Hooked]:
    """The bot in webhook mode, subscribed; stopped (SIGTERM, exit 0) after the test."""
    port = free_port()
    env = _env(max_emu, tmp_path, port)
    await import_season(env["DATABASE_URL"], tmp_path)
    log = tmp_path / "bot.log"
    process = await launch(["webhook"], env, log, log)
    try:
        await max_emu.wait_for(
            lambda: max_emu.calls("POST /subscriptions") or process.returncode is not None,
            timeout=30,
        )
        assert process.returncode is None, log.read_text()
        yield Hooked(process, port, log)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        try:
            code = await asyncio.wait_for(process.wait(), 30)
        except TimeoutError:
            process.kill()
            await process.wait()
            raise AssertionError(f"no exit 30 s after SIGTERM:\n{log.read_text()}") from None
    assert code == 0, log.read_text()


async def test_start_and_a_button_arrive_through_the_webhook(
    max_emu: MaxApiEmulator, hooked: Hooked
) -> None:
    (subscribe,) = max_emu.calls("POST /subscriptions")
    assert subscribe.body["url"] == f"{hooked.url}{PATH}"
    assert subscribe.body["secret"] == SECRET
    assert set(subscribe.body["update_types"]) == {
        "message_created",
        "message_callback",
        "bot_started",
    }

    kid = Applicant(MaxChat(max_emu, 901))
    await kid.say("/start", "Кадры будущего для регионов")
    await kid.press("📝 Подать заявку", "Шаг 1 из 20")

    # The bot answers MAX once the update is handled, just after its reply.
    deliveries = max_emu.webhook_deliveries
    await max_emu.wait_for(lambda: len(deliveries) == 2)
    assert [d.update_type for d in deliveries] == ["message_created", "message_callback"]
    assert {d.status for d in deliveries} == {200}
    assert max_emu.calls("GET /updates") == []  # nothing polled
    async with (
        ClientSession(timeout=ClientTimeout(total=10)) as client,
        client.get(f"{hooked.url}/healthz") as response,
    ):
        assert (response.status, await response.json()) == (200, {"ok": True, "database": "ok"})


async def test_what_is_not_a_max_update_from_max_is_refused(
    max_emu: MaxApiEmulator, hooked: Hooked
) -> None:
    url = f"{hooked.url}{PATH}"
    good = {"X-Max-Bot-Api-Secret": SECRET, "Content-Type": "application/json"}
    async with ClientSession(timeout=ClientTimeout(total=10)) as client:

        async def status(body: bytes, headers: dict[str, str]) -> int:
            async with client.post(url, data=body, headers=headers) as response:
                return response.status

        update = b'{"update_type": "bot_started", "timestamp": 1}'
        assert await status(update, {"Content-Type": "application/json"}) == 401
        assert await status(update, {**good, "X-Max-Bot-Api-Secret": "wrong-secret"}) == 401
        assert await status(b"not json", good) == 400
        assert await status(b"[1, 2]", good) == 400
        assert await status(b'{"update_type": "message_created", "timestamp": 1}', good) == 400
        assert await status(b"x" * (300 * 1024), good) == 413
        # A type this maxapi does not know yet is taken (MAX would retry a refusal) and ignored.
        newer = b'{"update_type": "something_new", "timestamp": 1}'
        assert await status(newer, good) == 200
    assert max_emu.calls("POST /messages") == []
    log = hooked.log.read_text()
    assert "refused an update: not JSON" in log
    assert "not json" not in log  # the body itself is never logged


async def test_shutdown_keeps_the_subscription(max_emu: MaxApiEmulator, hooked: Hooked) -> None:
    hooked.process.send_signal(signal.SIGTERM)
    try:
        code = await asyncio.wait_for(hooked.process.wait(), 30)  # generous: a loaded machine
    except TimeoutError:
        raise AssertionError(f"no exit 30 s after SIGTERM:\n{hooked.log.read_text()}") from None
    assert code == 0
    assert max_emu.calls("DELETE /subscriptions") == []
    assert "bot stopped" in hooked.log.read_text()


async def test_webhook_on_max_alone_needs_its_url(max_emu: MaxApiEmulator, tmp_path: Path) -> None:
    env = _env(max_emu, tmp_path, free_port(), MAX_WEBHOOK_URL="")
    code, _, err = await run_cli(env, "webhook")
    lines = [line for line in err.splitlines() if not line.startswith("20")]  # log lines
    assert (code, lines) == (2, ["error: webhook mode on MAX alone needs MAX_WEBHOOK_URL"]), err


async def test_polling_drops_a_subscription_left_from_webhook_mode(
    max_emu: MaxApiEmulator, tmp_path: Path
) -> None:
    old = "http://127.0.0.1:9/old-hook"
    async with (
        ClientSession(timeout=ClientTimeout(total=10)) as client,
        client.post(
            f"{max_emu.base_url}/subscriptions",
            json={"url": old},
            headers={"Authorization": max_emu.token},
        ) as response,
    ):
        assert response.status == 200
    env = _env(max_emu, tmp_path, free_port())
    log = tmp_path / "run.log"
    process = await launch(["run"], env, log, log)
    try:
        await max_emu.wait_for_calls("GET /updates", timeout=30)
        assert [c.query.get("url") for c in max_emu.calls("DELETE /subscriptions")] == [old]
        assert "`run` polls MAX" in log.read_text()
        await Applicant(MaxChat(max_emu, 902)).say("/start", "Кадры будущего для регионов")
    finally:
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 15) == 0


async def test_telegram_and_max_by_webhook_on_one_server(
    emulator: BotApiEmulator, start_bot: StartBot, max_emu: MaxApiEmulator
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    await start_bot(
        WEBHOOK_BASE_URL=base,
        WEBHOOK_HOST="127.0.0.1",
        WEBHOOK_PORT=port,
        WEBHOOK_SECRET="s3cret-Token_1",
        MAX_BOT_TOKEN=max_emu.token,
        MAX_API_BASE=max_emu.base_url,
        MAX_WEBHOOK_URL=base,
        MAX_WEBHOOK_SECRET=SECRET,
        THROTTLE_RATE_PER_SECOND="1000",
    )
    await max_emu.wait_for_calls("POST /subscriptions", timeout=15)
    emulator.send_text(100, "/start")
    await emulator.wait_for_message(100, contains="Кадры будущего для регионов")
    await Applicant(MaxChat(max_emu, 903)).say("/start", "Кадры будущего для регионов")
    await max_emu.wait_for(lambda: max_emu.webhook_deliveries)  # answered after the reply
    assert [d.status for d in max_emu.webhook_deliveries] == [200]
    assert max_emu.calls("GET /updates") == []


async def test_sigterm_while_subscribing_stops_at_once(
    max_emu: MaxApiEmulator, tmp_path: Path
) -> None:
    """MAX slow to answer the subscription (or retried against): a SIGTERM meanwhile is acted
    on at once, not after the call, and the process shuts down cleanly."""
    max_emu.set_latency(60, endpoint="POST /subscriptions")
    env = _env(max_emu, tmp_path, free_port())
    await import_season(env["DATABASE_URL"], tmp_path)
    log = tmp_path / "bot.log"
    process = await launch(["webhook"], env, log, log)
    try:
        await max_emu.wait_for(
            lambda: max_emu.calls("POST /subscriptions") or process.returncode is not None,
            timeout=30,
        )
        assert process.returncode is None, log.read_text()
        process.send_signal(signal.SIGTERM)
        started = time.monotonic()
        code = await asyncio.wait_for(process.wait(), 15)
        took = time.monotonic() - started
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    text = log.read_text()
    assert (code, took < 5) == (0, True), (took, text)
    assert "MAX webhook subscribed" not in text
    assert "stopped before start-up finished" in text
    assert "bot stopped" in text


async def test_sigterm_while_telegram_sets_the_webhook_stops_at_once(
    emulator: BotApiEmulator, start_bot: StartBot
) -> None:
    """The same on Telegram's side: setWebhook in flight does not hold a SIGTERM up."""
    emulator.set_latency(60, method="setWebhook")
    port = free_port()
    bot = await start_bot(
        WEBHOOK_BASE_URL=f"http://127.0.0.1:{port}",
        WEBHOOK_HOST="127.0.0.1",
        WEBHOOK_PORT=port,
        WEBHOOK_SECRET="s3cret-Token_1",
    )
    assert bot.process is not None
    bot.process.send_signal(signal.SIGTERM)
    started = time.monotonic()
    code = await asyncio.wait_for(bot.process.wait(), 15)
    took = time.monotonic() - started
    log = bot.log()
    assert (code, took < 5) == (0, True), (took, log)
    assert "Telegram webhook set" not in log
    assert "stopped before start-up finished" in log
    assert "bot stopped" in log

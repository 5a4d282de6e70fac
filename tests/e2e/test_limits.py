"""The bot process under a stalled PostgreSQL or Redis: each update is answered with the short
apology within its timeouts, /healthz names the stalled dependency, and once the dependency is
back the same process answers as before."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import ClientSession, ClientTimeout
from sqlalchemy.engine import make_url

from tests.conftest import REDIS_URL
from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.conftest import BotProcess, StartBot, free_port
from tests.stall_proxy import StallProxy

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

APOLOGY = "Извините, что-то пошло не так"
HELP = "Что можно сделать в боте"
TIMEOUT = 1  # every database and Redis timeout, in seconds


async def _proxy(url: str, default_port: int) -> StallProxy:
    parsed = make_url(url)
    proxy = StallProxy(parsed.host or "127.0.0.1", parsed.port or default_port)
    await proxy.start()
    return proxy


@pytest.fixture
async def pg_proxy(postgres_url: str) -> AsyncIterator[StallProxy]:
    proxy = await _proxy(postgres_url, 5432)
    yield proxy
    await proxy.stop()


@pytest.fixture
async def redis_proxy() -> AsyncIterator[StallProxy]:
    proxy = await _proxy(REDIS_URL, 6379)
    yield proxy
    await proxy.stop()


def _through(url: str, proxy: StallProxy) -> str:
    return (
        make_url(url).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    )


async def _healthz(port: int) -> tuple[int, dict[str, Any], float]:
    started = time.monotonic()
    async with (
        ClientSession(timeout=ClientTimeout(total=10)) as client,
        client.get(f"http://127.0.0.1:{port}/healthz") as response,
    ):
        return response.status, await response.json(), time.monotonic() - started


async def _ask_help(emulator: BotApiEmulator, user: int, expect: str) -> float:
    """Send /help; how long until the answer containing `expect` arrived."""
    started = time.monotonic()
    emulator.send_text(user, "/help")
    await emulator.wait_for_message(user, contains=expect, timeout=8)
    return time.monotonic() - started


async def test_a_stalled_database_or_redis_costs_an_update_seconds_and_healthz_names_it(
    postgres_url: str,
    pg_proxy: StallProxy,
    redis_proxy: StallProxy,
    emulator: BotApiEmulator,
    start_bot: StartBot,  # after the proxies: the bot stops before they do
) -> None:
    port = free_port()
    bot: BotProcess = await start_bot(
        DATABASE_URL=_through(postgres_url, pg_proxy),
        REDIS_URL=_through(REDIS_URL, redis_proxy),
        WEBHOOK_BASE_URL=f"http://127.0.0.1:{port}",
        WEBHOOK_HOST="127.0.0.1",
        WEBHOOK_PORT=port,
        WEBHOOK_SECRET="s3cret-Token_1",
        DATABASE_CONNECT_TIMEOUT_SECONDS=TIMEOUT,
        DATABASE_COMMAND_TIMEOUT_SECONDS=TIMEOUT,
        DATABASE_POOL_TIMEOUT_SECONDS=TIMEOUT,
        REDIS_CONNECT_TIMEOUT_SECONDS=TIMEOUT,
        REDIS_COMMAND_TIMEOUT_SECONDS=TIMEOUT,
        HEALTH_CHECK_TIMEOUT_SECONDS=TIMEOUT,
    )
    await _ask_help(emulator, 300, HELP)

    phases = ((pg_proxy, "database", "redis"), (redis_proxy, "redis", "database"))
    for user, (proxy, down, up) in enumerate(phases, start=310):
        proxy.stall()
        # The apology comes within a few timeouts (pre-ping, reconnect), not after the stall.
        assert await _ask_help(emulator, user, APOLOGY) < 6 * TIMEOUT
        status, report, took = await _healthz(port)
        assert (status, report) == (503, {"ok": False, down: "down", up: "ok"})
        assert took < 2 * TIMEOUT
        proxy.resume()
        # The same process answers normally again.
        await _ask_help(emulator, user + 10, HELP)
        assert (await _healthz(port))[:2] == (200, {"ok": True, "database": "ok", "redis": "ok"})

    assert bot.process is not None and bot.process.returncode is None
    log = bot.log()
    assert "database unavailable (TimeoutError)" in log
    assert "redis unavailable (TimeoutError)" in log
    assert "Traceback" not in log  # an outage is a warning line, not a bug report

"""`python -m bot run` on MAX: with MAX_BOT_TOKEN alone the process serves MAX only; with
BOT_TOKEN too, one process serves both (one database, one scheduler, one outbox)."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import ClientSession, ClientTimeout

from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.conftest import StartBot, free_port
from tests.e2e.launcher import launch, run_cli
from tests.e2e.max_emulator import MaxApiEmulator

USER = 4242
WELCOME = "Кадры будущего для регионов"


@pytest.fixture
async def max_emu() -> AsyncIterator[MaxApiEmulator]:
    async with MaxApiEmulator(default_poll_timeout=0.5) as emulator:
        emulator.user(USER, first_name="Анна")
        yield emulator


async def _answered_on_max(emu: MaxApiEmulator) -> None:
    await emu.wait_for_calls("GET /updates", timeout=30)
    emu.bot_started(USER)
    await emu.wait_for(lambda: any(WELCOME in text for text in emu.texts_to(USER)), timeout=15)
    sends = emu.calls("POST /messages")
    assert {c.query.get("chat_id") for c in sends} == {str(emu.dialog_id(USER))}


def _max_env(max_emu: MaxApiEmulator, tmp_path: Path, **extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    return {
        **keep,
        "MAX_BOT_TOKEN": max_emu.token,
        "MAX_API_BASE": max_emu.base_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


async def test_max_alone(max_emu: MaxApiEmulator, tmp_path: Path) -> None:
    health_port = free_port()
    log = tmp_path / "bot.log"
    env = _max_env(max_emu, tmp_path, HEALTH_PORT=str(health_port))
    process = await launch(["run"], env, log, log)
    try:
        await _answered_on_max(max_emu)
        async with (
            ClientSession(timeout=ClientTimeout(total=10)) as client,
            client.get(f"http://127.0.0.1:{health_port}/healthz") as response,
        ):
            assert (response.status, await response.json()) == (200, {"ok": True, "database": "ok"})
    finally:
        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), 15)
    assert code == 0, log.read_text()
    assert "bot stopped" in log.read_text()


async def test_a_wrong_max_token_is_one_line(max_emu: MaxApiEmulator, tmp_path: Path) -> None:
    env = _max_env(max_emu, tmp_path, MAX_BOT_TOKEN="wrong")
    code, _, err = await run_cli(env, "run")
    lines = [line for line in err.splitlines() if not line.startswith("20")]  # log lines
    assert (code, lines) == (2, ["error: MAX rejected MAX_BOT_TOKEN"]), err


async def test_telegram_and_max_in_one_process(
    emulator: BotApiEmulator, start_bot: StartBot, max_emu: MaxApiEmulator
) -> None:
    await start_bot(MAX_BOT_TOKEN=max_emu.token, MAX_API_BASE=max_emu.base_url)
    emulator.send_text(100, "/start")
    await emulator.wait_for_message(100, contains=WELCOME)
    await _answered_on_max(max_emu)

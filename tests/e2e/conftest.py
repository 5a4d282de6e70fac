"""End-to-end fixtures: the Bot API emulator, and the bot process started as a user starts it
(`python -m bot run` or `webhook`) with TELEGRAM_API_BASE pointing at the emulator; the MAX
emulator and the bot process on MAX alone (MAX_BOT_TOKEN, MAX_API_BASE)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.launcher import ROOT, Launched, launch, run_cli
from tests.e2e.max_emulator import MaxApiEmulator

__all__ = ["ROOT", "BotProcess", "StartBot", "StartMax", "free_port", "run_cli"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class BotProcess:
    """One run of the bot process; its output goes to a log file the test can read."""

    def __init__(
        self, emulator: BotApiEmulator, env: dict[str, str], log_path: Path, real: bool = False
    ) -> None:
        self.emulator = emulator
        self.env = env
        self.log_path = log_path
        self.real = real  # a fresh interpreter (`python -m bot`), not a fork of a preloaded one
        self.process: Launched | None = None

    @property
    def mode(self) -> str:
        return "webhook" if self.env.get("WEBHOOK_BASE_URL") else "run"

    async def start(self, ready_timeout: float = 30.0) -> None:
        """Start and wait until the bot takes updates (polls, or has set its webhook)."""
        ready_method = "setWebhook" if self.mode == "webhook" else "getUpdates"
        seen = len(self.emulator.calls(ready_method))
        self.process = await launch(
            [self.mode], self.env, self.log_path, self.log_path, real=self.real
        )
        deadline = time.monotonic() + ready_timeout
        while len(self.emulator.calls(ready_method)) <= seen:
            if self.process.returncode is not None:
                raise AssertionError(f"bot exited with {self.process.returncode}:\n{self.log()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"bot not ready in {ready_timeout}s:\n{self.log()}")
            await asyncio.sleep(0.05)
        if self.mode == "webhook":
            await self._wait_http(f"http://127.0.0.1:{self.env['WEBHOOK_PORT']}/healthz")

    async def _wait_http(self, url: str) -> None:
        from aiohttp import ClientSession

        async with ClientSession() as client:
            for _ in range(200):
                try:
                    async with client.get(url) as response:
                        if response.status == 200:
                            return
                except OSError:
                    pass
                await asyncio.sleep(0.05)
        raise AssertionError(f"{url} never answered:\n{self.log()}")

    async def kill(self) -> None:
        """`kill -9`: no shutdown code runs."""
        assert self.process is not None
        self.process.kill()
        await self.process.wait()

    async def stop(self) -> int:
        if self.process is None or self.process.returncode is not None:
            return self.process.returncode if self.process else 0
        self.process.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.process.wait(), 15)
        except TimeoutError:
            self.process.kill()
            return await self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@pytest.fixture
async def emulator(bot_token: str) -> AsyncIterator[BotApiEmulator]:
    emu = BotApiEmulator(token=bot_token)
    await emu.start()
    yield emu
    await emu.stop()


@pytest.fixture
def bot_env(emulator: BotApiEmulator, tmp_path: Path) -> dict[str, str]:
    """The environment a deployer would set, on the embedded defaults."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "SYSTEMROOT")}
    return {
        **keep,
        "BOT_TOKEN": emulator.token,
        "TELEGRAM_API_BASE": emulator.base_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }


StartBot = Callable[..., Awaitable[BotProcess]]


@pytest.fixture
async def start_bot(
    emulator: BotApiEmulator, bot_env: dict[str, str], tmp_path: Path
) -> AsyncIterator[StartBot]:
    """`await start_bot(**env)` starts a bot process; every one is stopped after the test."""
    started: list[BotProcess] = []

    async def start(real: bool = False, **overrides: Any) -> BotProcess:
        env = {**bot_env, **{key: str(value) for key, value in overrides.items()}}
        process = BotProcess(emulator, env, tmp_path / f"bot-{len(started)}.log", real)
        started.append(process)
        await process.start()
        return process

    yield start
    for process in started:
        await process.stop()


# --- MAX: the same bot process with only MAX_BOT_TOKEN, against the MAX emulator ----------


@pytest.fixture
async def max_emulator() -> AsyncIterator[MaxApiEmulator]:
    async with MaxApiEmulator(default_poll_timeout=1.0) as emulator:
        yield emulator


@pytest.fixture
def max_env(max_emulator: MaxApiEmulator, tmp_path: Path) -> dict[str, str]:
    """What a deployer sets to run on MAX alone: no BOT_TOKEN at all."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "SYSTEMROOT")}
    return {
        **keep,
        "MAX_BOT_TOKEN": max_emulator.token,
        "MAX_API_BASE": max_emulator.base_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
        "THROTTLE_RATE_PER_SECOND": "1000",
    }


StartMax = Callable[..., Awaitable[Path]]


@pytest.fixture
async def start_max_bot(
    max_emulator: MaxApiEmulator, max_env: dict[str, str], tmp_path: Path
) -> AsyncIterator[StartMax]:
    """`await start_max_bot()` runs `python -m bot run` and waits until it polls MAX; the
    process is stopped after the test. Returns its log's path."""
    started: list[Launched] = []

    async def start(**overrides: str) -> Path:
        log = tmp_path / f"max-bot-{len(started)}.log"
        seen = len(max_emulator.calls("GET /updates"))
        process = await launch(["run"], {**max_env, **overrides}, log, log)
        started.append(process)
        deadline = time.monotonic() + 30
        while len(max_emulator.calls("GET /updates")) <= seen:
            if process.returncode is not None or time.monotonic() > deadline:
                raise AssertionError(f"the bot did not poll MAX:\n{log.read_text()}")
            await asyncio.sleep(0.05)
        return log

    yield start
    for process in started:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            await process.wait()

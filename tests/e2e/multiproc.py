"""Several bot processes for the e2e tests and the scale benchmark: webhook processes behind the
round-robin proxy (tests/e2e/rr_proxy.py), all on one PostgreSQL and Redis, and the worker."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

from aiohttp import ClientSession, ClientTimeout

from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.launcher import Launched, launch

SECRET = "multi-Proc_secret"


def _read(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")


def webhook_env(base: dict[str, str], proxy_url: str, port: int, **extra: object) -> dict[str, str]:
    """A webhook process behind the proxy: Telegram is told the proxy's URL."""
    return {
        **base,
        "WEBHOOK_BASE_URL": proxy_url,
        "WEBHOOK_HOST": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_SECRET": SECRET,
        **{key: str(value) for key, value in extra.items()},
    }


async def wait_http(url: str, log: Path, process: Launched, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    async with ClientSession(timeout=ClientTimeout(total=5)) as client:
        while True:
            if process.returncode is not None:
                raise AssertionError(f"exited with {process.returncode}:\n{_read(log)}")
            try:
                async with client.get(url) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"{url} never answered:\n{_read(log)}")
            await asyncio.sleep(0.05)


async def start_webhook(
    emulator: BotApiEmulator, env: dict[str, str], log: Path, *, real: bool = False
) -> Launched:
    """`python -m bot webhook`, ready once it set the webhook and answers /healthz."""
    seen = len(emulator.calls("setWebhook"))
    process = await launch(["webhook"], env, log, log, real=real)
    deadline = time.monotonic() + 30
    while len(emulator.calls("setWebhook")) <= seen:
        if process.returncode is not None or time.monotonic() > deadline:
            raise AssertionError(f"webhook process not ready:\n{_read(log)}")
        await asyncio.sleep(0.05)
    await wait_http(f"http://127.0.0.1:{env['WEBHOOK_PORT']}/healthz", log, process)
    return process


async def start_worker(env: dict[str, str], log: Path, *, real: bool = False) -> Launched:
    """`python -m bot worker` (HEALTH_PORT set in `env`), ready once it answers /healthz."""
    process = await launch(["worker"], env, log, log, real=real)
    await wait_http(f"http://127.0.0.1:{env['HEALTH_PORT']}/healthz", log, process)
    return process


async def stop(process: Launched, log: Path, timeout: float = 30.0) -> int:
    """SIGTERM and the exit code (killed, with the log in the error, past `timeout`)."""
    if process.returncode is not None:
        return process.returncode
    process.send_signal(signal.SIGTERM)
    try:
        return await asyncio.wait_for(process.wait(), timeout)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise AssertionError(f"no exit {timeout} s after SIGTERM:\n{_read(log)}") from None

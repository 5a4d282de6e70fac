"""The bot process always ends after it stopped: a task or a thread a library left running is
named in the log, not waited for without a bound (bot/__main__.py `_run_to_the_end`), and a
storage client that does not close is bounded too (bot/app.py `close_storage`)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from bot import app as app_module

ROOT = Path(__file__).resolve().parents[2]

# A serving coroutine that stops cleanly, leaving a non-daemon thread blocked for good (what an
# aiosqlite connection nobody closed does) and a task that ignores nothing.
STUCK_THREAD = textwrap.dedent(
    """
    import asyncio, logging, sys, threading
    from bot.__main__ import _run_to_the_end
    logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(message)s")
    async def serving():
        threading.Thread(target=threading.Event().wait, name="stuck").start()
        asyncio.get_running_loop().create_task(asyncio.sleep(3600))
    _run_to_the_end(serving())
    """
)

FAILING = textwrap.dedent(
    """
    import threading
    from bot.__main__ import _run_to_the_end
    async def serving():
        threading.Thread(target=threading.Event().wait, name="stuck", daemon=True).start()
        raise RuntimeError("start-up failed")
    _run_to_the_end(serving())
    """
)


def _run(code: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    return done, time.monotonic() - started


def test_a_stuck_thread_does_not_keep_a_stopped_process_alive() -> None:
    done, _ = _run(STUCK_THREAD)
    assert done.returncode == 0, done.stderr
    assert "1 tasks still running, cancelled" in done.stdout
    assert "1 threads still running, not waited for" in done.stdout
    assert "Event.wait:stuck" in done.stdout
    assert done.stdout.rstrip().endswith("process exits")


def test_a_failure_is_still_reported_as_a_failure() -> None:
    done, _ = _run(FAILING)
    assert done.returncode == 1
    assert "RuntimeError: start-up failed" in done.stderr


class NeverCloses:
    async def dispose(self) -> None:
        await asyncio.Event().wait()

    async def aclose(self) -> None:
        await asyncio.Event().wait()


async def test_storage_that_does_not_close_is_bounded_and_named(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(app_module, "CLOSE_SECONDS", 0.05)
    stuck = NeverCloses()
    with caplog.at_level("WARNING", logger="bot.app"):
        await asyncio.wait_for(app_module.close_storage(stuck, stuck), 5)  # type: ignore[arg-type]
    assert [r.getMessage() for r in caplog.records] == [
        "shutdown: database did not close within 0.05 s",
        "shutdown: Redis did not close within 0.05 s",
    ]

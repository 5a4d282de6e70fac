"""Every filter and handler of the Telegram routers runs on the event loop: aiogram sends a
plain callable (a bare magic filter) to a thread on every update (handlers/filters.py)."""

from __future__ import annotations

from pathlib import Path

from aiogram import Router

from services.clock import FixedClock
from tests.dispatcher.harness import build_harness


def routers(root: Router) -> list[Router]:
    found = [root]
    for child in root.sub_routers:
        found.extend(routers(child))
    return found


def test_no_filter_or_handler_needs_a_thread(tmp_path: Path, clock: FixedClock) -> None:
    harness = build_harness(f"sqlite:///{tmp_path / 'db.sqlite3'}", clock, "123456:TEST")
    checked, in_threads = 0, []
    for router in routers(harness.app.dp):
        for name, observer in router.observers.items():
            for handler in observer.handlers:
                for callable_ in (handler, *(handler.filters or [])):
                    checked += 1
                    if not callable_.awaitable:
                        in_threads.append(f"{router.name}.{name}: {callable_.callback!r}")
            for filter_ in observer._handler.filters or []:
                checked += 1
                if not filter_.awaitable:
                    in_threads.append(f"{router.name}.{name} (router filter)")
    assert checked > 50
    assert in_threads == []

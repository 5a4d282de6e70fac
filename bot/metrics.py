"""Prometheus metrics: one dedicated registry (not the global one, so tests in one process do
not collide), what updates and sends counted, and GET /metrics on an aiohttp app.

Labels carry only bounded values (messenger, update type, outcome, failure kind): never an id."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from aiogram.types.update import UpdateTypeLookupError
from aiohttp import web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from sqlalchemy.ext.asyncio import AsyncEngine

logger = logging.getLogger(__name__)

REGISTRY = CollectorRegistry()

UPDATES = Counter(
    "kadry_updates_total",
    "Updates taken, by messenger, type and outcome (ok, error, refused).",
    ["messenger", "type", "outcome"],
    registry=REGISTRY,
)
UPDATE_SECONDS = Histogram(
    "kadry_update_seconds", "Time to handle one update.", ["messenger"], registry=REGISTRY
)
MESSAGES_SENT = Counter(
    "kadry_messages_sent_total", "Outbox messages sent.", ["messenger"], registry=REGISTRY
)
MESSAGES_FAILED = Counter(
    "kadry_messages_failed_total",
    "Failed send calls, by messenger and failure kind.",
    ["messenger", "code"],
    registry=REGISTRY,
)
RATE_LIMIT_PAUSES = Counter(
    "kadry_rate_limit_pauses_total",
    "Pauses of every send after a 429.",
    ["messenger"],
    registry=REGISTRY,
)
OUTBOX_DEPTH = Gauge(
    "kadry_outbox_depth", "Outbox rows waiting to be sent (pending or sending).", registry=REGISTRY
)
OUTBOX_OLDEST_SECONDS = Gauge(
    "kadry_outbox_oldest_seconds", "Age of the oldest row waiting to be sent.", registry=REGISTRY
)

REMINDERS_DUE = Counter(
    "kadry_reminders_due_total",
    "Reminders the scheduler's sweep found due (queued, postponed to the morning or cancelled).",
    registry=REGISTRY,
)
REMINDERS_SENT = Counter(
    "kadry_reminders_sent_total",
    "Reminders the sweep queued for sending (their messages are in the outbox).",
    registry=REGISTRY,
)
DB_POOL_IN_USE = Gauge(
    "kadry_db_pool_in_use",
    "Database connections checked out of this process's pool (sampled at scrape time).",
    registry=REGISTRY,
)

OUTBOX_REFRESH_SECONDS = 15.0

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class _Reached:
    handled = False


class UpdateMetricsMiddleware(BaseMiddleware):
    """Outermost: counts each Telegram update by type and outcome and times it. `refused` is an
    update some middleware turned away (throttled, a duplicate, unknown type)."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        kind = _update_type(event)
        reached = data["update_metrics"] = _Reached()
        started = time.perf_counter()
        outcome = "error"
        try:
            result = await handler(event, data)
            outcome = "ok" if reached.handled else "refused"
            return result
        finally:
            UPDATE_SECONDS.labels("telegram").observe(time.perf_counter() - started)
            UPDATES.labels("telegram", kind, outcome).inc()


def _update_type(event: TelegramObject) -> str:
    try:
        return event.event_type if isinstance(event, Update) else "unknown"
    except UpdateTypeLookupError:  # a type this aiogram does not know: refused further in
        return "unknown"


class UpdateReachedMiddleware(BaseMiddleware):
    """Innermost outer middleware: marks that the update passed every gate."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        reached = data.get("update_metrics")
        if isinstance(reached, _Reached):
            reached.handled = True
        return await handler(event, data)


def observe_max_update(kind: str, outcome: str, seconds: float) -> None:
    """What MAX's adapter reports of each update it took (max_adapter/dispatch.py)."""
    UPDATE_SECONDS.labels("max").observe(seconds)
    UPDATES.labels("max", kind, outcome).inc()


def observe_reminders(due: int, sent: int) -> None:
    """What one reminder sweep did (scheduler/jobs.py)."""
    REMINDERS_DUE.inc(due)
    REMINDERS_SENT.inc(sent)


def watch_pool(engine: AsyncEngine) -> None:
    """Sample the pool's checked-out connections whenever /metrics is read (one engine per
    process; a pool without the count, SQLite's, reads 0)."""
    pool = engine.pool
    checked_out = getattr(pool, "checkedout", None)
    DB_POOL_IN_USE.set_function(lambda: float(checked_out()) if callable(checked_out) else 0.0)


def set_outbox_backlog(depth: int, oldest: datetime | None, now: datetime) -> None:
    OUTBOX_DEPTH.set(depth)
    OUTBOX_OLDEST_SECONDS.set(max((now - oldest).total_seconds(), 0.0) if oldest else 0.0)


async def refresh_outbox_forever(
    read: Callable[[], Awaitable[None]], interval: float = OUTBOX_REFRESH_SECONDS
) -> None:
    """Run `read` (one aggregate query that sets the gauges) every `interval` seconds; a
    failure is logged and tried again, never raised."""
    while True:
        try:
            await read()
        except asyncio.CancelledError:
            raise
        except Exception as error:
            logger.warning("outbox metrics not refreshed (%s)", type(error).__name__)
        await asyncio.sleep(interval)


def add_metrics_route(web_app: web.Application) -> None:
    async def metrics(_: web.Request) -> web.Response:
        body = generate_latest(REGISTRY)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    web_app.router.add_get("/metrics", metrics)


async def stop_task(task: asyncio.Task[None] | None) -> None:
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

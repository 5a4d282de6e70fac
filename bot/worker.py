"""`python -m bot worker`: the background alone — the outbox senders (Telegram's, MAX's or
both, by the tokens set) and the scheduler — and no update intake, beside webhook processes run
with BACKGROUND=worker. On PostgreSQL a second worker stands by and takes over when the first
stops or dies (bot/background.py). GET /healthz and /metrics on HEALTH_HOST:HEALTH_PORT when a
port is set, as in polling mode."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import (
    _check_max,
    _refresh_outbox_metrics_of,
    _until_stopped,
    build_bot,
    build_clock,
    build_engine,
    build_redis,
    build_telegram_sender,
    check_telegram,
    close_storage,
    prepare_storage,
)
from bot.background import Background, build_background, scheduler_factory
from bot.metrics import refresh_outbox_forever, stop_task
from bot.sender import Sender
from bot.settings import Settings
from services.i18n import Texts
from storage.db import create_session_factory
from storage.uow import UnitOfWorkFactory

logger = logging.getLogger(__name__)


@dataclass
class Worker:
    settings: Settings
    engine: AsyncEngine
    redis: Redis | None
    background: Background


async def run_worker(settings: Settings) -> None:
    """Until SIGINT or SIGTERM; then the sends in flight finish and everything is closed."""
    from bot.webhook import start_health_server

    clock = build_clock(settings)
    texts = Texts()
    engine = build_engine(settings)
    redis = build_redis(settings)
    # A block seen by this worker's sender reaches the bot processes' identity caches.
    uow_factory = UnitOfWorkFactory(create_session_factory(engine), redis)
    senders: list[Sender] = []
    bot = max_bot = None
    if settings.bot_token is not None:
        bot = build_bot(settings)
        senders.append(build_telegram_sender(settings, bot, uow_factory, clock, texts))
    if settings.max_bot_token is not None:
        from bot.max_app import MaxBot
        from services.guards import UpdateSlots

        # Its Dispatcher is never started: only its sender (and the token check) is used.
        max_bot = MaxBot(settings, uow_factory, clock, texts, redis, UpdateSlots(1))
        senders.append(max_bot.sender)
    background = build_background(
        settings,
        engine,
        uow_factory,
        senders,
        scheduler_factory(settings, uow_factory, clock, texts),
        worker=True,
    )
    worker = Worker(settings, engine, redis, background)
    health = metrics_task = None
    try:
        await prepare_storage(settings, engine, redis)
        if bot is not None:
            await check_telegram(settings, bot)
        if max_bot is not None:
            await _check_max(max_bot)
        health = await start_health_server(worker)
        metrics_task = asyncio.create_task(
            refresh_outbox_forever(lambda: _refresh_outbox_metrics_of(uow_factory, clock))
        )
        await background.start()
        logger.info("worker started (no updates taken here)")
        await _until_stopped()
        logger.info("shutdown: signal received")
    finally:
        await background.stop()
        await stop_task(metrics_task)
        if health is not None:
            await health.cleanup()
        if bot is not None:
            await bot.session.close()
        if max_bot is not None:
            await max_bot.close()
        await close_storage(engine, redis)
        logger.info("worker stopped")

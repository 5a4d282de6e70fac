"""Assembling the bot: Bot, Dispatcher, storage, the background (senders, scheduler: see
bot/background.py); checks before start."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.background import Background, build_background, scheduler_factory
from bot.fsm import PrefetchingIsolation, PrefetchingStorage
from bot.max_app import MaxBot, MaxStartupError
from bot.menu import set_default_menu
from bot.metrics import (
    UpdateMetricsMiddleware,
    UpdateReachedMiddleware,
    refresh_outbox_forever,
    set_outbox_backlog,
    stop_task,
)
from bot.middlewares import (
    DatabaseGate,
    ServicesMiddleware,
    ThrottlingMiddleware,
    UnknownUpdateTypeMiddleware,
)
from bot.polling import ConfirmingDispatcher
from bot.ratelimit import SendLimiter
from bot.sender import CONCURRENCY as SENDER_CONCURRENCY
from bot.sender import Sender
from bot.settings import Settings
from bot.startup import StartupError
from dialogs.apply import show_again
from handlers import feature_routers
from handlers.telegram import replayer
from services.clock import Clock, OffsetFileClock, SystemClock
from services.container import ServiceConfig
from services.guards import UpdateSlots
from services.i18n import Texts
from storage.db import DatabaseTimeouts, create_engine, create_session_factory
from storage.migrate import upgrade_async
from storage.uow import UnitOfWorkFactory

logger = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    bot: Bot
    dp: Dispatcher
    engine: AsyncEngine
    uow_factory: UnitOfWorkFactory
    sender: Sender
    scheduler: AsyncIOScheduler
    redis: Redis | None
    texts: Texts
    # The senders and the scheduler: here, or in the leader process, or in the worker.
    background: Background
    # MAX beside Telegram (MAX_BOT_TOKEN set): polled from this process, or served by the same
    # webhook server, started and stopped with the Telegram dispatcher.
    max: MaxBot | None = None
    metrics_task: asyncio.Task[None] | None = None


@dataclass
class MaxOnlyApp:
    """MAX alone (no BOT_TOKEN): the same database, Redis and scheduler, no Telegram."""

    settings: Settings
    max: MaxBot
    engine: AsyncEngine
    uow_factory: UnitOfWorkFactory
    background: Background
    redis: Redis | None


def build_bot(settings: Settings) -> Bot:
    session = (
        AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
        if settings.telegram_api_base
        else AiohttpSession()
    )
    return Bot(
        settings.telegram_token,
        session=session,
        default=DefaultBotProperties(link_preview_is_disabled=True),
    )


def build_redis(settings: Settings) -> Redis | None:
    if not settings.redis_url:
        return None
    # No retries: redis-py retries a timed-out command three times by default, which would
    # multiply the bound on a stalled server; the next update simply tries again.
    redis: Redis = Redis.from_url(
        settings.redis_url,
        socket_connect_timeout=settings.redis_connect_timeout_seconds,
        socket_timeout=settings.redis_command_timeout_seconds,
        retry=Retry(NoBackoff(), 0),
    )
    return redis


def build_clock(settings: Settings) -> Clock:
    if settings.clock_offset_file:
        return OffsetFileClock(settings.clock_offset_file)
    return SystemClock()


def build_engine(settings: Settings) -> AsyncEngine:
    return create_engine(
        settings.database_url,
        DatabaseTimeouts(
            connect=settings.database_connect_timeout_seconds,
            command=settings.database_command_timeout_seconds,
            pool=settings.database_pool_timeout_seconds,
        ),
    )


def _fsm_storage(redis: Redis | None) -> tuple[BaseStorage, BaseEventIsolation]:
    """Telegram's FSM: in Redis when there is one, else in memory."""
    if redis is None:
        return MemoryStorage(), SimpleEventIsolation()
    keys = DefaultKeyBuilder(prefix="kadry_fsm", with_bot_id=True)
    # The per-user locks too are per bot: two bots sharing one Redis must not wait on each
    # other's users.
    # aiogram's storage and lock, with the lock's round trip also reading what the update
    # will read (bot/fsm.py).
    return PrefetchingStorage(redis, key_builder=keys), PrefetchingIsolation(redis, keys)


def build_app(
    settings: Settings,
    clock: Clock | None = None,
    bot: Bot | None = None,
    *,
    max_by_webhook: bool = False,
) -> App:
    clock = clock or build_clock(settings)
    texts = Texts()
    bot = bot or build_bot(settings)
    engine = build_engine(settings)
    redis = build_redis(settings)
    # Redis carries the identity cache's generation to the other processes.
    uow_factory = UnitOfWorkFactory(create_session_factory(engine), redis)

    storage, isolation = _fsm_storage(redis)
    dp = ConfirmingDispatcher(storage=storage, events_isolation=isolation)
    dp["texts"] = texts
    dp["clock"] = clock
    config = ServiceConfig(
        default_timezone=settings.default_timezone, office_admin_ids=settings.office_admin_ids
    )
    dp.update.outer_middleware(UpdateMetricsMiddleware())
    dp.update.outer_middleware(UnknownUpdateTypeMiddleware())
    dp.update.outer_middleware(ThrottlingMiddleware(settings.throttle_rate_per_second))
    # One pool, one gate: MAX's updates in this process take the same slots.
    slots = update_slots(engine, settings)
    dp.update.outer_middleware(DatabaseGate(slots=slots))
    # Each update's effect once: the unit of work records it (a redelivery: the screen again).
    replay = replayer(show_again)
    dp.update.outer_middleware(ServicesMiddleware(uow_factory, clock, texts, config, replay))
    dp.update.outer_middleware(UpdateReachedMiddleware())
    dp.include_routers(*feature_routers())

    sender = build_telegram_sender(settings, bot, uow_factory, clock, texts)
    max_bot = None
    if settings.max_bot_token is not None:
        max_bot = MaxBot(
            settings, uow_factory, clock, texts, redis, slots, by_webhook=max_by_webhook
        )
    senders = [sender] if max_bot is None else [sender, max_bot.sender]
    schedulers = scheduler_factory(settings, uow_factory, clock, texts)
    scheduler = schedulers()
    background = build_background(
        settings, engine, uow_factory, senders, schedulers, first=scheduler
    )
    app = App(settings, bot, dp, engine, uow_factory, sender, scheduler, redis, texts, background)
    app.max = max_bot

    # Named coroutines, not lambdas: aiogram runs plain callables in a thread and would drop
    # the coroutine a lambda returns.
    async def on_startup() -> None:
        await _on_startup(app)

    async def on_shutdown() -> None:
        await _on_shutdown(app)

    dp.startup.register(on_startup)
    dp.shutdown.register(on_shutdown)
    return app


def update_slots(engine: AsyncEngine, settings: Settings) -> UpdateSlots:
    """The database gate every update passes, whichever messenger it came from."""
    return UpdateSlots(_update_slots(engine), settings.database_pool_timeout_seconds)


def _update_slots(engine: AsyncEngine) -> int:
    """How many updates may hold a connection at once: the pool's capacity less what the sender
    (its sends in flight, plus claiming) and the scheduler's jobs may need."""
    pool = engine.pool
    size = pool.size() if hasattr(pool, "size") else 5
    capacity = size + max(0, int(getattr(pool, "_max_overflow", 0)))
    return max(2, capacity - SENDER_CONCURRENCY - 2)


async def _refresh_outbox_metrics(app: App) -> None:
    await _refresh_outbox_metrics_of(app.uow_factory, app.sender.clock)


async def _refresh_outbox_metrics_of(uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
    async with uow_factory() as uow:
        depth, oldest = await uow.outbox.backlog()
    set_outbox_backlog(depth, oldest, clock.now())


async def _on_startup(app: App) -> None:
    await app.background.start()
    app.metrics_task = asyncio.create_task(
        refresh_outbox_forever(lambda: _refresh_outbox_metrics(app))
    )
    await set_default_menu(app.bot, app.texts)
    if app.max is not None:
        await app.max.start()
    logger.info("bot started")


async def _on_shutdown(app: App) -> None:
    if app.max is not None:
        await app.max.stop()
    await app.background.stop()
    if app.max is not None:
        await app.max.close()
    await stop_task(app.metrics_task)
    await close_storage(app.engine, app.redis)
    logger.info("bot stopped")


# How long each storage client may take to close at shutdown.
CLOSE_SECONDS = 5.0


async def close_storage(engine: AsyncEngine, redis: Redis | None) -> None:
    """Close the pool and Redis, each within CLOSE_SECONDS: a connection that does not close (an
    aiosqlite thread stuck behind a statement, a socket the peer never closes) is named in the
    log instead of keeping a stopped process alive."""
    closing: list[tuple[str, Awaitable[None]]] = [("database", engine.dispose())]
    if redis is not None:
        closing.append(("Redis", redis.aclose()))
    for name, close in closing:
        try:
            await asyncio.wait_for(close, CLOSE_SECONDS)
        except TimeoutError:
            logger.warning("shutdown: %s did not close within %s s", name, CLOSE_SECONDS)
    logger.info("shutdown: database and Redis closed")


def _safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def build_telegram_sender(
    settings: Settings, bot: Bot, uow_factory: UnitOfWorkFactory, clock: Clock, texts: Texts
) -> Sender:
    """Telegram's outbox sender within the limits set (bot processes and the worker alike)."""
    limiter = SendLimiter(
        settings.send_rate_per_second,
        settings.send_chat_interval_seconds,
        settings.send_group_per_minute,
    )
    return Sender(
        bot,
        uow_factory,
        clock,
        texts,
        limiter,
        poll_interval=settings.outbox_poll_seconds,
        lease_seconds=settings.outbox_lease_seconds,
    )


def settle_heap() -> None:
    """Hide what startup built (modules, parsed texts, the ORM's mappings: some 400 000
    objects) from the cyclic garbage collector, which otherwise walks all of it at every full
    collection: a fifth of the CPU of a /help (benchmarks.questionnaire_step). Called once the
    process is ready to serve; what is built later is collected as before."""
    gc.collect()
    gc.freeze()


async def prepare(app: App) -> None:
    """Everything that must hold before taking updates; each failure is one clear StartupError."""
    await prepare_storage(app.settings, app.engine, app.redis)
    await check_telegram(app.settings, app.bot)
    if app.max is not None:
        await _check_max(app.max)


async def check_telegram(settings: Settings, bot: Bot) -> None:
    """The token works and the Bot API answers, or one clear StartupError."""
    try:
        me = await bot.get_me()
    except TelegramUnauthorizedError as error:
        raise StartupError("Telegram rejected BOT_TOKEN (401 Unauthorized)") from error
    except TelegramNetworkError as error:
        where = settings.telegram_api_base or "api.telegram.org"
        raise StartupError(f"cannot reach the Telegram Bot API at {where}") from error
    logger.info("authorised as bot id %s (@%s)", me.id, me.username)


async def _check_max(max_bot: MaxBot) -> None:
    try:
        await max_bot.check()
    except MaxStartupError as error:
        raise StartupError(str(error)) from error


async def subscribe_max(max_bot: MaxBot) -> None:
    """MAX's webhook subscription (webhook mode, once the server listens)."""
    try:
        await max_bot.subscribe()
    except MaxStartupError as error:
        raise StartupError(str(error)) from error


async def prepare_storage(settings: Settings, engine: AsyncEngine, redis: Redis | None) -> None:
    """The database answers and is migrated, Redis answers: one clear StartupError otherwise."""
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as error:
        raise StartupError(
            f"cannot connect to the database {_safe_url(settings.database_url)}: "
            f"{type(error).__name__}"
        ) from error
    try:
        await upgrade_async(settings.database_url)
    except Exception as error:
        raise StartupError(f"database migration failed: {type(error).__name__}: {error}") from error
    if redis is not None:
        try:
            await redis.ping()
        except Exception as error:
            raise StartupError(
                f"cannot connect to Redis {_safe_url(settings.redis_url or '')}: "
                f"{type(error).__name__}"
            ) from error


async def _until_stopped() -> None:
    """Until SIGINT or SIGTERM (aiogram's polling does the same for Telegram)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    await stop.wait()


def build_max_only(
    settings: Settings, clock: Clock | None = None, *, by_webhook: bool = False
) -> MaxOnlyApp:
    clock = clock or build_clock(settings)
    texts = Texts()
    engine = build_engine(settings)
    redis = build_redis(settings)
    # Redis carries the identity cache's generation to the other processes.
    uow_factory = UnitOfWorkFactory(create_session_factory(engine), redis)
    max_bot = MaxBot(
        settings,
        uow_factory,
        clock,
        texts,
        redis,
        update_slots(engine, settings),
        by_webhook=by_webhook,
    )
    background = build_background(
        settings,
        engine,
        uow_factory,
        [max_bot.sender],
        scheduler_factory(settings, uow_factory, clock, texts),
    )
    return MaxOnlyApp(settings, max_bot, engine, uow_factory, background, redis)


async def prepare_max_only(app: MaxOnlyApp) -> None:
    await prepare_storage(app.settings, app.engine, app.redis)
    await _check_max(app.max)


async def run_max_only(app: MaxOnlyApp, serve: Callable[[], Awaitable[None]] | None = None) -> None:
    """MAX polled (or, with `serve`, its webhook served) until the process is stopped (after
    `prepare_max_only`); all closed after."""
    try:
        await app.background.start()
        await app.max.start()
        logger.info("bot started (MAX only)")
        await (_until_stopped() if serve is None else serve())
    finally:
        await close_max_only(app)


async def close_max_only(app: MaxOnlyApp) -> None:
    await app.max.stop()
    await app.background.stop()
    await app.max.close()
    await close_storage(app.engine, app.redis)
    logger.info("bot stopped")

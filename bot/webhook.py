"""The HTTP side: the webhook endpoint (Telegram's secret checked, the body parsed within
bounds), MAX's beside it when MAX_WEBHOOK_URL is set (bot/max_webhook.py), and GET /healthz,
served by the webhook server or, in polling mode, on HEALTH_PORT."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import secrets
import signal
import traceback
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

from aiogram import Bot
from aiogram.methods import TelegramMethod
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import setup_application
from aiohttp import web
from pydantic import ValidationError
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import App, subscribe_max
from bot.metrics import add_metrics_route
from bot.settings import Settings
from bot.startup import StartupError
from storage.health import database_status, redis_status

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Far above any real update (a 4096-character message with its reply and entities is a few
# dozen kilobytes), so only garbage is refused.
MAX_UPDATE_BYTES = 256 * 1024
# A real update nests about a dozen levels (update → callback → message → reply → keyboard →
# row → button …); deeper is garbage, and would cost the parser and validator dearly.
MAX_UPDATE_DEPTH = 32
# Shutdown, in bounded phases: updates already taken get this long to finish (then they are
# cancelled, so their database connections are back before the database closes) ...
IN_FLIGHT_GRACE_SECONDS = 10.0
CANCELLED_GRACE_SECONDS = 1.0
# ... and aiohttp waits this long for request handlers still running (by then their updates are
# done or cancelled, so they answer at once; its default is a minute, past any supervisor's
# patience).
SHUTDOWN_TIMEOUT_SECONDS = 2.0
# A webhook request is answered once its update is handled: an update cut off by a crash is then
# not confirmed, and the messenger delivers it again. Bounded below Telegram's own wait (about
# 10 s, then it counts the delivery failed and sends it again while ours still runs).
HANDLED_WAIT_SECONDS = 8.0

StartupStep = Callable[[], Awaitable[None]]


# What to call the moment SIGTERM arrives, before the port closes: each webhook route then
# answers 503 (not taken: the update is delivered again, to another process behind the proxy).
STOP_TAKING = web.AppKey("stop_taking", list[Callable[[], None]])


def not_taken() -> web.Response:
    return web.Response(status=503, text="Shutting down", headers={"Retry-After": "1"})


async def answer_when_handled(
    task: asyncio.Task[None], taken: Callable[[], web.Response]
) -> web.Response:
    """The answer to the request that brought `task`'s update, once the update is handled:
    `taken()`; also when it is still running after HANDLED_WAIT_SECONDS (it goes on in the
    background, the in-flight set keeps it); 503 when it was cancelled at shutdown, so the
    update is delivered again. `asyncio.wait` neither cancels the task on the timeout nor when
    this request is cut off."""
    done, _ = await asyncio.wait({task}, timeout=HANDLED_WAIT_SECONDS)
    if not done:
        logger.info("webhook: an update still running after %ss: answered", HANDLED_WAIT_SECONDS)
        return taken()
    if task.cancelled():
        return not_taken()
    return taken()


def on_stop_taking(web_app: web.Application, callback: Callable[[], None]) -> None:
    web_app.setdefault(STOP_TAKING, []).append(callback)


class UnreadableUpdate(Exception):
    """The body is not an update we can take; `reason` is safe to log (never the body)."""

    def __init__(self, reason: str, update_id: object = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.update_id = update_id if isinstance(update_id, int) else None


def parse_update(body: bytes, bot: Bot | None = None) -> Update:
    """The update in a webhook request's body, or UnreadableUpdate saying what is wrong."""
    if len(body) > MAX_UPDATE_BYTES:
        raise UnreadableUpdate("too big")
    try:
        raw = json.loads(body)
    except ValueError:
        raise UnreadableUpdate("not JSON") from None
    except RecursionError:  # nested past the parser's own limit
        raise UnreadableUpdate("nested too deep") from None
    if not isinstance(raw, dict):
        raise UnreadableUpdate("not a JSON object")
    update_id = raw.get("update_id")
    if json_depth(raw) > MAX_UPDATE_DEPTH:
        raise UnreadableUpdate("nested too deep", update_id)
    try:
        return Update.model_validate(raw, context={"bot": bot})
    except ValidationError:  # its message quotes the input: not logged
        raise UnreadableUpdate("not a valid update", update_id) from None


def json_depth(value: Any) -> int:
    """How deeply JSON containers nest in `value`; iterative, so depth cannot hurt it."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        pending.extend((child, depth + 1) for child in children)
    return deepest


class WebhookHandler:
    """POST from Telegram: 401 without the secret, 4xx for a body that is no update (logged by
    update id and reason only), otherwise 200 once the update is handled (`answer_when_handled`:
    bounded, so Telegram never times out on us). The update runs in a task of its own, in the
    in-flight set that shutdown finishes, so a request cut off does not cut the update off."""

    def __init__(self, app: App, secret: str) -> None:
        self.app = app
        self.secret = secret
        self._in_flight: set[asyncio.Task[None]] = set()
        self.stopping = False

    async def __call__(self, request: web.Request) -> web.Response:
        if not secrets.compare_digest(request.headers.get(SECRET_HEADER, ""), self.secret):
            return web.Response(status=401, text="Unauthorized")
        if self.stopping:
            # Shutting down: not taken, so Telegram delivers it again (through the proxy, to
            # another process) rather than it being cut off half handled.
            return not_taken()
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            logger.info("webhook: refused a request body over %s bytes", MAX_UPDATE_BYTES)
            return web.Response(status=413, text="Request body too large")
        try:
            update = parse_update(body, self.app.bot)
        except UnreadableUpdate as refused:
            update_id = "(no id)" if refused.update_id is None else refused.update_id
            logger.info("webhook: refused update %s: %s", update_id, refused.reason)
            return web.Response(status=400, text=f"Bad update: {refused.reason}")
        task = asyncio.create_task(self._handle(update))
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)
        return await answer_when_handled(task, lambda: web.json_response({}))

    async def _handle(self, update: Update) -> None:
        app = self.app
        try:
            result = await app.dp.feed_update(app.bot, update)
            if isinstance(result, TelegramMethod):
                await app.dp.silent_call_request(app.bot, result)
        except Exception as error:
            # The error router answers everything it can; this is what escaped it (the apology
            # itself failing). Only the id, type and place: an exception's text may quote a user.
            logger.error(
                "update %s failed outside the error handler: %s\n%s",
                update.update_id,
                type(error).__name__,
                "".join(traceback.format_tb(error.__traceback__)),
            )

    def stop_taking(self) -> None:
        self.stopping = True

    async def finish(self, *_: object) -> None:
        """On shutdown: let updates in flight end before the database goes away."""
        self.stopping = True
        await finish_in_flight(self._in_flight, "telegram")


async def finish_in_flight(tasks: set[asyncio.Task[None]], messenger: str) -> None:
    """Wait for the updates in flight up to a bound, then cancel what is left (and wait for the
    cancellation to land, bounded too). Logs counts only."""
    pending = {task for task in tasks if not task.done()}
    logger.info("shutdown: %s: %s updates in flight", messenger, len(pending))
    if not pending:
        return
    _, pending = await asyncio.wait(pending, timeout=IN_FLIGHT_GRACE_SECONDS)
    if pending:
        for task in pending:
            task.cancel()
        await asyncio.wait(pending, timeout=CANCELLED_GRACE_SECONDS)
    logger.info("shutdown: %s: updates in flight done, %s cancelled", messenger, len(pending))


class Checked(Protocol):
    """What GET /healthz checks: the database and, when there is one, Redis (Telegram's App and
    MAX's alone both have them)."""

    @property
    def settings(self) -> Settings: ...

    @property
    def engine(self) -> AsyncEngine: ...

    @property
    def redis(self) -> Redis | None: ...


async def health(app: Checked) -> tuple[dict[str, Any], bool]:
    """Each dependency's state, each check bounded, all at once; and whether all are ok."""
    timeout = app.settings.health_check_timeout_seconds
    checks = {"database": database_status(app.engine, timeout)}
    if app.redis is not None:
        checks["redis"] = redis_status(app.redis, timeout)
    results = await asyncio.gather(*checks.values())
    report: dict[str, Any] = dict(zip(checks, results, strict=True))
    healthy = all(result == "ok" for result in results)
    return {"ok": healthy, **report}, healthy


def add_health_route(web_app: web.Application, app: Checked) -> None:
    async def healthz(_: web.Request) -> web.Response:
        report, healthy = await health(app)
        return web.json_response(report, status=200 if healthy else 503)

    web_app.router.add_get("/healthz", healthz)


def build_web_app(app: App) -> web.Application:
    settings = app.settings
    assert settings.webhook_secret is not None
    secret = settings.webhook_secret.get_secret_value()
    # aiohttp refuses a longer body itself (413) before reading it into memory.
    web_app = web.Application(client_max_size=MAX_UPDATE_BYTES)
    handler = WebhookHandler(app, secret)
    web_app.router.add_post(settings.webhook_path, handler)
    on_stop_taking(web_app, handler.stop_taking)
    add_health_route(web_app, app)
    add_metrics_route(web_app)
    # Before setup_application's shutdown hook, which stops the sender and closes the database.
    web_app.on_shutdown.append(handler.finish)

    async def close_bot_session(*_: object) -> None:
        await app.bot.session.close()
        logger.info("shutdown: Telegram session closed")

    if app.max is not None and app.max.by_webhook:
        from bot.max_webhook import add_max_webhook

        add_max_webhook(web_app, app.max)
    setup_application(web_app, app.dp, bot=app.bot)
    web_app.on_cleanup.append(close_bot_session)
    return web_app


async def set_telegram_webhook(app: App) -> None:
    """Point Telegram at our endpoint (once the server listens, as MAX's subscription)."""
    settings = app.settings
    assert settings.webhook_secret is not None
    await app.bot.set_webhook(
        url=f"{settings.webhook_base_url}{settings.webhook_path}",
        secret_token=settings.webhook_secret.get_secret_value(),
        allowed_updates=app.dp.resolve_used_update_types(),
    )
    logger.info("Telegram webhook set at %s", settings.webhook_path)


async def run_webhook(app: App) -> None:
    settings = app.settings
    if not settings.webhook_base_url:
        raise StartupError("WEBHOOK_BASE_URL is required in webhook mode")
    if settings.webhook_secret is None:
        raise StartupError("WEBHOOK_SECRET is required in webhook mode")
    steps: list[StartupStep] = [functools.partial(set_telegram_webhook, app)]
    if app.max is not None and app.max.by_webhook:
        steps.append(functools.partial(subscribe_max, app.max))
    await serve(build_web_app(app), settings, steps)


async def serve(
    web_app: web.Application, settings: Settings, listening: Sequence[StartupStep] = ()
) -> None:
    """`web_app` on WEBHOOK_HOST:WEBHOOK_PORT until SIGINT or SIGTERM; the `listening` steps run
    once the port is open (MAX delivers what is waiting as soon as it is subscribed), each
    raced against the signal: a slow MAX or Telegram does not keep a stopped process alive."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    # Before anything that can block: a signal during start-up is noted, not fatal.
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    runner = web.AppRunner(web_app, shutdown_timeout=SHUTDOWN_TIMEOUT_SECONDS)
    await runner.setup()
    try:
        site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port)
        await site.start()
        logger.info("webhook server on %s:%s", settings.webhook_host, settings.webhook_port)
        for step in listening:
            if not await unless_stopped(step(), stop):
                logger.info("shutdown: stopped before start-up finished")
                break
        await stop.wait()
        for stop_taking in web_app.get(STOP_TAKING, []):
            stop_taking()
        logger.info("shutdown: signal received; no more updates are taken")
    finally:
        await runner.cleanup()
        logger.info("shutdown: webhook server closed")


async def unless_stopped(step: Awaitable[None], stop: asyncio.Event) -> bool:
    """Run `step` until it ends (True; its error raised) or `stop` is set first (False: the
    step is cancelled)."""
    task = asyncio.ensure_future(step)
    stopped = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopped}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()
        if not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
    if task.cancelled():
        return False
    task.result()
    return True


async def start_health_server(app: Checked) -> web.AppRunner | None:
    """Polling mode: GET /healthz on HEALTH_HOST:HEALTH_PORT, when a port is set."""
    settings = app.settings
    if settings.health_port is None:
        return None
    web_app = web.Application()
    add_health_route(web_app, app)
    add_metrics_route(web_app)
    runner = web.AppRunner(web_app)
    await runner.setup()
    await web.TCPSite(runner, settings.health_host, settings.health_port).start()
    logger.info("health check on %s:%s/healthz", settings.health_host, settings.health_port)
    return runner

"""Webhook mode: an aiohttp server that checks Telegram's secret header, plus GET /healthz."""

from __future__ import annotations

import asyncio
import logging
import signal

from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web
from sqlalchemy import text

from bot.app import App, StartupError

logger = logging.getLogger(__name__)


def build_web_app(app: App) -> web.Application:
    settings = app.settings
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    web_app = web.Application()
    # Updates are handled in the background: Telegram gets its 200 at once, never a timeout.
    SimpleRequestHandler(dispatcher=app.dp, bot=app.bot, secret_token=secret).register(
        web_app, path=settings.webhook_path
    )

    async def healthz(_: web.Request) -> web.Response:
        try:
            async with app.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            if app.redis is not None:
                await app.redis.ping()
        except Exception as error:
            return web.json_response({"ok": False, "error": type(error).__name__}, status=503)
        return web.json_response({"ok": True})

    web_app.router.add_get("/healthz", healthz)

    async def register_webhook(*_: object) -> None:
        await app.bot.set_webhook(
            url=f"{settings.webhook_base_url}{settings.webhook_path}",
            secret_token=secret,
            allowed_updates=app.dp.resolve_used_update_types(),
        )

    app.dp.startup.register(register_webhook)
    setup_application(web_app, app.dp, bot=app.bot)
    return web_app


async def run_webhook(app: App) -> None:
    settings = app.settings
    if not settings.webhook_base_url:
        raise StartupError("WEBHOOK_BASE_URL is required in webhook mode")
    if settings.webhook_secret is None:
        raise StartupError("WEBHOOK_SECRET is required in webhook mode")
    web_app = build_web_app(app)
    runner = web.AppRunner(web_app)
    await runner.setup()
    site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port)
    await site.start()
    logger.info("webhook server on %s:%s", settings.webhook_host, settings.webhook_port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()

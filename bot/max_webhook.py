"""MAX's webhook on our own aiohttp server (the one Telegram's webhook and /healthz use), feeding
the MaxBot's Dispatcher as its polling would. maxapi's own `AiohttpMaxWebhook` is not used: it
answers 403 on a wrong secret, 500 on a body that is not JSON, and waits for each update's
`GET /chats/{id}` before answering MAX; this handler refuses like Telegram's (bot/webhook.py)
and, like it, answers once the update is handled (bounded)."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import traceback
from typing import Any

from aiohttp import web
from maxapi.enums.update import UpdateType
from maxapi.types.updates import UpdateUnion, UpdateUnionAdapter
from maxapi.utils.updates import enrich_event
from pydantic import ValidationError

from bot.app import MaxOnlyApp, subscribe_max
from bot.max_app import MaxBot
from bot.webhook import (
    MAX_UPDATE_BYTES,
    MAX_UPDATE_DEPTH,
    add_health_route,
    answer_when_handled,
    finish_in_flight,
    json_depth,
    not_taken,
    on_stop_taking,
    serve,
)

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Max-Bot-Api-Secret"


class UnreadableMaxUpdate(Exception):
    """The body is no MAX update; `reason` is safe to log (never the body)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_max_update(body: bytes) -> UpdateUnion | None:
    """The update in the body; None for one of a type this maxapi does not know (a newer MAX:
    taken and ignored, so MAX does not retry it); UnreadableMaxUpdate for anything else."""
    if len(body) > MAX_UPDATE_BYTES:
        raise UnreadableMaxUpdate("too big")
    try:
        raw = json.loads(body)
    except ValueError:
        raise UnreadableMaxUpdate("not JSON") from None
    except RecursionError:
        raise UnreadableMaxUpdate("nested too deep") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("update_type"), str):
        raise UnreadableMaxUpdate("not an update")
    if json_depth(raw) > MAX_UPDATE_DEPTH:
        raise UnreadableMaxUpdate("nested too deep")
    try:
        update: UpdateUnion = UpdateUnionAdapter.validate_python(raw)
    except ValidationError:  # its message quotes the input: not logged
        if _known_type(raw["update_type"]):
            raise UnreadableMaxUpdate("not a valid update") from None
        return None
    return update


def _known_type(update_type: str) -> bool:
    return update_type in {member.value for member in UpdateType}


class MaxWebhookHandler:
    """POST from MAX: 401 without the secret (when one is set), 413 past the size bound, 400 for
    a body that is no MAX update, otherwise 200 once the update is completed (maxapi fetches
    its chat) and handled, in a task of its own (`answer_when_handled`: bounded, 503 when
    cancelled at shutdown)."""

    def __init__(self, max_bot: MaxBot) -> None:
        self.max_bot = max_bot
        secret = max_bot.settings.max_webhook_secret
        self.secret = None if secret is None else secret.get_secret_value()
        self._in_flight: set[asyncio.Task[None]] = set()
        self.stopping = False

    async def __call__(self, request: web.Request) -> web.Response:
        if self.secret is not None and not secrets.compare_digest(
            request.headers.get(SECRET_HEADER, "").encode(), self.secret.encode()
        ):
            return web.Response(status=401, text="Unauthorized")
        if self.stopping:
            return not_taken()  # MAX delivers it again, to another process or the next one
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            logger.info("max webhook: refused a request body over %s bytes", MAX_UPDATE_BYTES)
            return web.Response(status=413, text="Request body too large")
        try:
            update = parse_max_update(body)
        except UnreadableMaxUpdate as refused:
            logger.info("max webhook: refused an update: %s", refused.reason)
            return web.Response(status=400, text=f"Bad update: {refused.reason}")
        if update is None:
            logger.info("max webhook: ignored an update of a type maxapi does not know")
            return web.json_response({"ok": True})
        task = asyncio.create_task(self._handle(update))
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)
        return await answer_when_handled(task, lambda: web.json_response({"ok": True}))

    async def _handle(self, update: UpdateUnion) -> None:
        max_bot = self.max_bot
        try:
            event = await enrich_event(update, max_bot.bot)
            await max_bot.dp.handle(event)
        except Exception as error:
            # The adapter answers what it can; this escaped it (MAX unreachable for the chat,
            # say). Only the type and place: an exception's text may quote a user.
            logger.error(
                "max update %s failed outside the adapter: %s\n%s",
                update.update_type,
                type(error).__name__,
                "".join(traceback.format_tb(error.__traceback__)),
            )

    def stop_taking(self) -> None:
        self.stopping = True

    async def finish(self, *_: Any) -> None:
        """On shutdown: let updates in flight end before the database goes away."""
        self.stopping = True
        await finish_in_flight(self._in_flight, "max")


def add_max_webhook(web_app: web.Application, max_bot: MaxBot) -> None:
    """MAX's route on `web_app`; its updates are handled until the server shuts down."""
    handler = MaxWebhookHandler(max_bot)
    web_app.router.add_post(max_bot.settings.max_webhook_path, handler)
    on_stop_taking(web_app, handler.stop_taking)
    # on_shutdown runs before the cleanup hooks that stop the bot and close the database.
    web_app.on_shutdown.append(handler.finish)


async def run_max_only_webhook(app: MaxOnlyApp) -> None:
    """MAX alone by webhook: its route and /healthz on WEBHOOK_HOST:WEBHOOK_PORT (after
    `prepare_max_only` and `MaxBot.start`), subscribed once the port is open."""
    # aiohttp refuses a longer body itself (413) before reading it into memory.
    web_app = web.Application(client_max_size=MAX_UPDATE_BYTES)
    add_max_webhook(web_app, app.max)
    add_health_route(web_app, app)
    await serve(web_app, app.settings, [lambda: subscribe_max(app.max)])

"""The bot on MAX (issue 12): maxapi's Bot and Dispatcher over the MAX adapter (max_adapter/),
sharing the database, the Redis, the outbox and the scheduler with Telegram when both run.

Both messengers run in one process on purpose: one scheduler sweeps reminders once (two
processes would each send them), one outbox is claimed by each messenger's sender for its own
rows, and one Redis and one database pool are sized for the whole. MAX is served by long
polling, or, in `python -m bot webhook` with MAX_WEBHOOK_URL set, by a webhook subscription
whose requests bot/max_webhook.py feeds to this same Dispatcher. Outbox rows addressed to MAX
go out through the one sender loop (bot/sender.py) with the MAX transport
(bot/max_transport.py), run by the process's background (bot/background.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from maxapi import Bot, Dispatcher
from maxapi.exceptions.max import InvalidToken, MaxApiError, MaxConnection
from redis.asyncio import Redis

from bot.max_transport import MaxTransport, max_limiter
from bot.metrics import observe_max_update
from bot.sender import Sender
from bot.settings import Settings
from dialogs.registry import DIALOGS
from max_adapter.cursor import cursors_for
from max_adapter.dispatch import HANDLED_UPDATE_TYPES, MaxAdapter, build_dispatcher
from max_adapter.guard import MaxGuards
from services.clock import Clock
from services.container import ServiceConfig
from services.domain import Messenger
from services.guards import TokenBucket, UpdateDedupe, UpdateSlots
from services.i18n import Texts
from storage.uow import UnitOfWorkFactory

logger = logging.getLogger(__name__)


class MaxStartupError(Exception):
    """MAX refused the token or cannot be reached (bot/app.py turns it into a StartupError)."""


class MaxBot:
    """MAX's side of the process: taking MAX's updates (polled, or posted to our webhook) and
    handing them to the dialogs."""

    def __init__(
        self,
        settings: Settings,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        texts: Texts,
        redis: Redis | None,
        slots: UpdateSlots,
        *,
        by_webhook: bool = False,
    ) -> None:
        assert settings.max_bot_token is not None
        assert not by_webhook or settings.max_webhook_url is not None
        self.settings = settings
        self.by_webhook = by_webhook
        self.bot = Bot(token=settings.max_bot_token.get_secret_value())
        self.bot.set_api_url(settings.max_api_base)
        config = ServiceConfig(
            default_timezone=settings.default_timezone, office_admin_ids=settings.office_admin_ids
        )
        guards = MaxGuards(
            TokenBucket(settings.throttle_rate_per_second),
            slots,
            # MAX's keys (a message's mid, a press's callback_id) are MAX's own, under "max:".
            UpdateDedupe(clock),
            texts,
        )
        self.adapter = MaxAdapter(
            DIALOGS,
            uow_factory,
            clock,
            texts,
            config,
            cursors_for(redis),
            guards,
            observe=observe_max_update,
        )
        self.dp: Dispatcher = build_dispatcher(self.adapter, concurrent=True)
        # What services queue for people on MAX: run (and woken after commits) by the
        # process's background (bot/background.py) with Telegram's sender.
        self.sender = Sender(
            MaxTransport(self.bot),
            uow_factory,
            clock,
            texts,
            max_limiter(),
            poll_interval=settings.outbox_poll_seconds,
            lease_seconds=settings.outbox_lease_seconds,
            messenger=Messenger.MAX,
        )
        self._polling: asyncio.Task[None] | None = None

    async def check(self) -> None:
        """The token works and MAX answers: one clear error otherwise."""
        try:
            me = await self.bot.get_me()
        except InvalidToken as error:
            raise MaxStartupError("MAX rejected MAX_BOT_TOKEN") from error
        except (MaxConnection, OSError, TimeoutError) as error:
            where = self.settings.max_api_base
            raise MaxStartupError(f"cannot reach the MAX Bot API at {where}") from error
        logger.info("authorised on MAX as bot id %s (@%s)", me.user_id, me.username)

    async def run(self) -> None:
        """Poll MAX until stopped."""
        await self._drop_subscriptions()
        await self.dp.start_polling(self.bot)

    async def _drop_subscriptions(self) -> None:
        # While MAX has a webhook subscription, polling gets nothing (maxapi only warns): a bot
        # moved back from webhook to polling would go silent, as Telegram's getUpdates would
        # fail (bot/__main__.py deletes Telegram's webhook likewise).
        try:
            await self.bot.delete_webhook()
        except Exception as error:
            logger.warning("could not drop MAX webhook subscriptions: %s", type(error).__name__)

    async def start(self) -> None:
        """Poll MAX (or, by webhook, get the Dispatcher ready)."""
        if self.by_webhook:
            await self.dp.startup(self.bot)
        else:
            self._polling = asyncio.create_task(self.run(), name="max-polling")

    @property
    def webhook_url(self) -> str:
        settings = self.settings
        assert settings.max_webhook_url is not None
        return f"{settings.max_webhook_url}{settings.max_webhook_path}"

    async def subscribe(self) -> None:
        """Ask MAX to post our update types to the webhook (once the server listens: MAX
        delivers what is waiting at once). Repeating it replaces our own subscription.

        Nothing is unsubscribed on shutdown, as aiogram leaves Telegram's webhook set: an old
        process unsubscribing on its way out would cut off its successor at the same URL in a
        rolling deploy, and in a plain restart what the stopped server did not take is left to
        MAX's redelivery, whereas without a subscription it would wait for a poller nobody
        runs."""
        secret = self.settings.max_webhook_secret
        if secret is None:
            logger.warning("MAX_WEBHOOK_SECRET is not set: anyone who knows the URL can post")
        try:
            await self.bot.subscribe_webhook(
                url=self.webhook_url,
                update_types=list(HANDLED_UPDATE_TYPES),
                secret=None if secret is None else secret.get_secret_value(),
            )
        except (MaxApiError, MaxConnection, OSError, TimeoutError) as error:
            raise MaxStartupError(
                f"MAX refused the webhook subscription for MAX_WEBHOOK_URL ({type(error).__name__})"
            ) from error
        logger.info("MAX webhook subscribed at %s", self.settings.max_webhook_path)

    async def stop(self) -> None:
        if self.by_webhook:
            await self.dp.shutdown()
        else:
            with contextlib.suppress(Exception):
                await self.dp.stop_polling()
        if self._polling is not None:
            await asyncio.gather(self._polling, return_exceptions=True)
            self._polling = None

    async def close(self) -> None:
        """After `stop` and after the background's senders stopped (they use this session)."""
        await self.bot.close_session()
        logger.info("shutdown: MAX session closed")

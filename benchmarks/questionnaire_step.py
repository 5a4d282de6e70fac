"""One questionnaire step through the real Dispatcher with every middleware, on PostgreSQL and
Redis, against a bare aiogram echo handler on the same harness (real `Dispatcher.feed_update`,
a Bot whose session records requests instead of sending them).

    python -m benchmarks.questionnaire_step [--users 200] [--profile]

Needs PostgreSQL (TEST_POSTGRES_SERVER, default postgresql://postgres@127.0.0.1:5432) and Redis
(TEST_REDIS_URL, default redis://127.0.0.1:6379/0); creates and drops its own database. Prints
numbers only.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from aiogram import Bot, Dispatcher, Router
from aiogram.types import Message, Update
from redis.asyncio import Redis

from benchmarks._scratch import PG_SERVER, admin
from bot.app import settle_heap
from services.actions import ApplyVerb
from services.clock import FixedClock
from storage.migrate import upgrade_async
from tests.applicants import cd, municipality_id
from tests.dispatcher.harness import Harness, RecordingSession, build_harness, message_update
from tests.example_season import import_example

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
CLOCK = FixedClock(datetime(2026, 9, 1, 7, 0, tzinfo=UTC))
# The text steps a tutor answers one after another; each answer is one measured update.
STEPS = (
    "Томский государственный университет",
    "2",
    "+7 900 123-45-67",
    "name@example.ru",
    "https://leader-id.ru/users/123456",
    "petr.ivanov",
    "Люблю робототехнику и походы, участвую в олимпиадах по физике, хочу научиться работать в "
    "команде.",
)


async def _prepare(harness: Harness, users: list[int]) -> None:
    """Bring every user to the first measured step (the name of their university)."""
    tomsk = await municipality_id(harness, "Томск")

    async def one(uid: int) -> None:
        await harness.send(uid, "/apply")
        async with harness.app.uow_factory() as uow:
            person = await uow.people.by_tg_id(uid)
            assert person is not None
            season = await uow.seasons.current()
            assert season is not None
            application = await uow.applications.of_person(person.id, season.id)
            assert application is not None
        app = application.id
        await harness.press(uid, cd(ApplyVerb.CHOOSE, app, "role", "tutor"))
        await harness.press(uid, cd(ApplyVerb.CONFIRM, app, "consent"))
        await harness.send(uid, "01.02.2004")
        await harness.send(uid, "Сидорова Анна Игоревна")
        await harness.press(uid, cd(ApplyVerb.PICK_MUNICIPALITY, app, item=tomsk))

    for start in range(0, len(users), 50):
        await asyncio.gather(*(one(uid) for uid in users[start : start + 50]))


async def _drive(
    feed: Callable[[Update], Awaitable[object]], users: list[int], texts: tuple[str, ...] = STEPS
) -> Rate:
    """Every user sends `texts` in order (by default: answers STEPS); users run concurrently."""

    async def user(uid: int) -> None:
        for text in texts:
            await feed(message_update(uid, text))

    began, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(user(uid) for uid in users))
    count = len(users) * len(texts)
    return Rate(count / (time.perf_counter() - began), (time.process_time() - cpu) / count * 1000)


@dataclass(frozen=True)
class Rate:
    per_second: float
    cpu_ms: float  # this process's CPU time per update


async def _echo_rate(token: str, users: list[int]) -> Rate:
    session = RecordingSession()
    bot = Bot(token, session=session)
    router = Router()

    @router.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    rate = await _drive(lambda update: dispatcher.feed_update(bot, update), users)
    assert len(session.of("SendMessage")) == len(users) * len(STEPS)
    return rate


async def _step_rate(token: str, url: str, users: list[int], profile: bool) -> tuple[Rate, Rate]:
    """The questionnaire step, and /help through the same middlewares (the spine's floor:
    dedupe, throttling, FSM and isolation in Redis, the unit of work and `identify`)."""
    harness = build_harness(url, CLOCK, token, redis_url=REDIS_URL, throttle_rate_per_second=1e6)
    try:
        await import_example(harness.app.uow_factory, CLOCK)
        await _prepare(harness, users)
        settle_heap()  # as `python -m bot run` does once ready to serve
        before = len(harness.session.of("SendMessage"))
        profiler = cProfile.Profile() if profile else None
        if profiler:
            profiler.enable()
        rate = await _drive(harness.feed, users)
        if profiler:
            profiler.disable()
            pstats.Stats(profiler).sort_stats(
                os.environ.get("BENCH_SORT", "cumulative")
            ).print_stats(os.environ.get("BENCH_FILTER", ""), 60)
        sent = harness.session.of("SendMessage")[before:]
        assert len(sent) >= len(users) * len(STEPS), "some steps were not answered"
        assert all("Шаг" in (m.text or "") or "Телефон" in (m.text or "") for m in sent)
        floor = await _drive(harness.feed, users, ("/help",) * len(STEPS))
        return rate, floor
    finally:
        await harness.app.engine.dispose()
        redis = harness.app.redis
        if redis is not None:
            keys = [key async for key in redis.scan_iter(f"*{harness.app.bot.id}*")]
            if keys:
                await redis.delete(*keys)
            await redis.aclose()


async def run(users_count: int, profile: bool) -> None:
    name = f"kadry_bench_{uuid.uuid4().hex[:10]}"
    await admin(f'CREATE DATABASE "{name}"')
    url = f"{PG_SERVER}/{name}"
    try:
        await upgrade_async(url)
        redis = Redis.from_url(REDIS_URL)
        await redis.ping()
        await redis.aclose()
        token = f"{uuid.uuid4().int % 10**9 + 10**9}:BENCH"
        users = list(range(1_000_000, 1_000_000 + users_count))
        await _echo_rate(token, users)  # warm-up
        echo = await _echo_rate(token, users)
        step, floor = await _step_rate(token, url, users, profile)
    finally:
        await admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"users: {users_count}, updates per run: {users_count * len(STEPS)}")
    print(
        f"echo handler (bare Dispatcher):                 {echo.per_second:8.0f} updates/s"
        f"  ({echo.cpu_ms:.2f} ms CPU each)"
    )
    print(
        f"questionnaire step (all middlewares, PG+Redis): {step.per_second:8.0f} steps/s"
        f"  ({step.cpu_ms:.2f} ms CPU each)"
    )
    print(
        f"/help through the same middlewares (floor):     {floor.per_second:8.0f} updates/s"
        f"  ({floor.cpu_ms:.2f} ms CPU each)"
    )
    print(f"ratio step/echo: {step.per_second / echo.per_second:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.questionnaire_step")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the steps")
    args = parser.parse_args(argv)
    asyncio.run(run(args.users, args.profile))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

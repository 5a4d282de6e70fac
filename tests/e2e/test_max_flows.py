"""Flows of people known on MAX, through the real bot process on MAX alone (the fixtures of
tests/e2e/test_max.py): a mentor scores an application by the card's buttons, and an ИУП
reminder reaches a student's MAX dialog exactly once."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from services.actions import ReviewAction, ReviewVerb, decode, encode
from services.clock import FixedClock
from services.domain import Messenger, OutboxStatus, Role, TaskKind, TeamRole
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_async
from storage.models import ApplicationScore, Invitation, OutgoingMessage, ProjectIdea
from storage.uow import UnitOfWorkFactory
from tests.e2e.conftest import StartMax
from tests.e2e.max_emulator import MaxApiEmulator
from tests.plans_world import TUTOR, local, services
from tests.plans_world import build_world as build_plans_world
from tests.selection_world import MENTOR_B, add_applicant
from tests.selection_world import build_world as build_selection_world
from tests.texts import said

MAX_MENTOR, MAX_STUDENT = 9101, 9301
APPLICANT, OTHERS_APPLICANT = 8201, 8202
MSK = "Europe/Moscow"
START = local(MSK, 2026, 12, 1, 10, 0)  # a Tuesday morning in the region
REMINDER = "нужно сдать через 1 день"


async def _rows(url: str, statement: Any) -> list[Any]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return list((await connection.execute(statement)).all())
    finally:
        await engine.dispose()


async def _factory_for(url: str) -> tuple[Any, UnitOfWorkFactory]:
    await upgrade_async(url)
    engine = create_engine(url)
    return engine, UnitOfWorkFactory(create_session_factory(engine))


async def _message_with(emulator: MaxApiEmulator, user_id: int, words: str) -> dict[str, Any]:
    """The first bot message in the user's dialog containing `words`, waited for."""

    def found() -> dict[str, Any] | None:
        texts = ((m, m["body"].get("text") or "") for m in emulator.messages_to(user_id))
        return next((m for m, text in texts if words in text), None)

    return dict(await emulator.wait_for(found, 10))


async def _seed_selection(url: str, mentor_dialog: int) -> tuple[int, int]:
    """The example season; the MAX mentor holds peat-monitor (by its redeemed invitation, as
    the selection world's mentors do), a Telegram mentor space-sat. Returns the application
    ranking peat-monitor and the one ranking only space-sat."""
    engine, factory = await _factory_for(url)
    try:
        clock = FixedClock(datetime.now(UTC))
        world = await build_selection_world(factory, clock, mentors={MENTOR_B: "space-sat"})
        now = clock.now()
        async with factory() as uow:
            me = await services(uow, clock).people.identify(
                MAX_MENTOR, "ru", messenger=Messenger.MAX, chat_id=mentor_dialog
            )
            await uow.people.set_profile(me.person_id, f"Наставник {MAX_MENTOR}", None, now)
            peat = await uow.session.get(ProjectIdea, world.ideas["peat-monitor"])
            assert peat is not None
            invitation = await uow.session.get(Invitation, peat.mentor_invitation_id)
            assert invitation is not None
            invitation.used_at, invitation.used_by = now, me.person_id
            await uow.people.grant(me.person_id, Role.MENTOR, world.season_id, now)
            await uow.commit()
        mine = await add_applicant(factory, clock, world, APPLICANT, ["peat-monitor"], media=False)
        others = await add_applicant(
            factory, clock, world, OTHERS_APPLICANT, ["space-sat"], media=False
        )
        return mine, others
    finally:
        await engine.dispose()


async def test_a_mentor_on_max_scores_by_buttons_and_a_forged_score_is_refused(
    max_emulator: MaxApiEmulator,
    start_max_bot: StartMax,
    max_env: dict[str, str],
) -> None:
    url = max_env["DATABASE_URL"]
    max_emulator.user(MAX_MENTOR, "Наставник")
    mine, others = await _seed_selection(url, max_emulator.dialog_id(MAX_MENTOR))
    await start_max_bot()

    max_emulator.send_text(MAX_MENTOR, "/review")
    listing = await _message_with(max_emulator, MAX_MENTOR, "Заявки на проверку")
    assert f"▫️ T-{mine:05d}" in listing["body"]["text"]
    assert f"T-{others:05d}" not in listing["body"]["text"]
    opening = ReviewAction(verb=ReviewVerb.OPEN_CARD, application=mine)
    max_emulator.press(MAX_MENTOR, encode(opening), listing["body"]["mid"])
    card = await _message_with(max_emulator, MAX_MENTOR, "Ваши оценки (0–5)")
    mid = card["body"]["mid"]
    # Every criterion's row («К1: 0» … «К1: 5»), however many the season names.
    rows = [r for r in max_emulator.keyboard(mid) or [] if re.match(r"К\d+: ", r[0]["text"])]
    assert len(rows) >= 3
    for n, row in enumerate(rows, start=1):
        button = next(b for b in row if b["text"] == f"К{n}: 4")
        max_emulator.press(MAX_MENTOR, button["payload"], mid)
        await max_emulator.wait_for(
            lambda n=n: any(
                b.get("text") == f"•К{n}: 4•" for r in max_emulator.keyboard(mid) or [] for b in r
            ),
            10,
        )
    assert (
        said("sel-card-combined", score="4.00", reviewers=1)
        in (max_emulator.message(mid) or {})["body"]["text"]
    )
    scores = await _rows(
        url, select(ApplicationScore.score).where(ApplicationScore.application_id == mine)
    )
    assert sorted(s for (s,) in scores) == [4] * len(rows)

    # The same button, forged for an application the mentor does not review: refused.
    first = decode(rows[0][0]["payload"])
    assert isinstance(first, ReviewAction)
    forged = ReviewAction(
        verb=ReviewVerb.SCORE, application=others, criterion=first.criterion, value=0
    )
    before = len(max_emulator.notifications_to(MAX_MENTOR))
    max_emulator.press_forged(MAX_MENTOR, encode(forged))
    answers = await max_emulator.wait_for(
        lambda: max_emulator.notifications_to(MAX_MENTOR)[before:], 10
    )
    assert answers == [said("error-not-allowed")]
    assert (
        await _rows(
            url, select(ApplicationScore.id).where(ApplicationScore.application_id == others)
        )
        == []
    )


async def _seed_plans(url: str, clock: FixedClock, student_dialog: int) -> None:
    """The ИУП world (team «alpha»), a student known only on MAX joined to it, and a task whose
    "1 day before" reminder falls due a few seconds after the bot starts."""
    engine, factory = await _factory_for(url)
    try:
        world = await build_plans_world(factory, clock, MSK, chat_id=None)
        async with factory() as uow:
            me = await services(uow, clock).people.identify(
                MAX_STUDENT, "ru", messenger=Messenger.MAX, chat_id=student_dialog
            )
            await uow.teams.add_member(world.team_id, me.person_id, TeamRole.STUDENT, clock.now())
            await uow.people.grant(me.person_id, Role.STUDENT, world.season_id, clock.now())
            await uow.commit()
        tutor = await world.me(TUTOR)
        async with factory() as uow:
            await services(uow, clock).plans.assign(
                tutor,
                kind=TaskKind.ONLINE_COURSE,
                title="Курс по экологии",
                due_at=START + timedelta(days=1, seconds=6),
                student_id=me.person_id,
            )
    finally:
        await engine.dispose()


async def test_a_reminder_reaches_a_student_on_max_exactly_once(
    max_emulator: MaxApiEmulator,
    start_max_bot: StartMax,
    max_env: dict[str, str],
    tmp_path: Path,
) -> None:
    url = max_env["DATABASE_URL"]
    offset_file = tmp_path / "clock-offset"
    offset_file.write_text(str((START - datetime.now(UTC)).total_seconds()))
    max_emulator.user(MAX_STUDENT, "Ученик")
    dialog = max_emulator.dialog_id(MAX_STUDENT)
    await _seed_plans(url, FixedClock(START), dialog)
    await start_max_bot(REMINDER_SWEEP_SECONDS="1", CLOCK_OFFSET_FILE=str(offset_file))

    def reminders() -> list[str]:
        return [t for t in max_emulator.texts_to(MAX_STUDENT) if REMINDER in t]

    [reminder] = await max_emulator.wait_for(reminders, 15)
    assert reminder.startswith("Напоминание: задачу «Курс по экологии»")
    await asyncio.sleep(2.5)  # a few more sweeps: nothing is sent twice
    posts = [
        c
        for c in max_emulator.calls("POST /messages")
        if c.ok and REMINDER in str(c.body.get("text")) and c.query.get("chat_id") == str(dialog)
    ]
    assert len(posts) == 1, max_emulator.dump_calls()
    rows = await _rows(
        url,
        select(
            OutgoingMessage.status,
            OutgoingMessage.messenger,
            OutgoingMessage.chat_id,
            OutgoingMessage.payload,
        ),
    )
    sent = [(s, m, c) for s, m, c, p in rows if REMINDER in str(p.get("text"))]
    assert sent == [(OutboxStatus.SENT, Messenger.MAX, dialog)]

"""The start survey goes out at acceptance (issue 15: «At acceptance and at the end of the
season, a short survey»): publishing the selection's results invites everyone accepted — a
student of an idea with a mentor, a tutor, a student of an idea without one (no team, still
accepted) — right after their result, in the publication's transaction; nobody waitlisted or
rejected. Published at 23:00 in Tomsk, the 14-year-old's result and invitation wait for 09:00
local (the result first) and the adults' go at once; the office is told one result waits. A
second publication and the office's `/survey_send start` afterwards invite nobody twice; the
start wave is open, so the invited can answer."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.domain import Decision, Role
from services.survey import Wave
from storage.models import OutgoingMessage
from storage.uow import UnitOfWork, UnitOfWorkFactory
from tests.selection_world import MENTOR_A, MENTOR_B, OFFICE, add_applicant, build_world, identity
from tests.texts import TEXTS, said

NIGHT = datetime(2026, 9, 1, 16, 0, tzinfo=UTC)  # 23:00 in Tomsk
MORNING = datetime(2026, 9, 2, 2, 0, tzinfo=UTC)  # 09:00 in Tomsk
TEEN, ADULT, TUTOR, NO_MENTOR, REJECTED, WAITLISTED = 8301, 8302, 8303, 8304, 8305, 8306


def _services(uow: UnitOfWork, clock: FixedClock) -> Services:
    return Services(uow, clock, TEXTS, ServiceConfig())


async def _outbox(factory: UnitOfWorkFactory, like: str) -> dict[int, list[OutgoingMessage]]:
    """Chat id -> the outbox rows whose dedupe key is `like`, in the order queued."""
    found: dict[int, list[OutgoingMessage]] = {}
    async with factory() as uow:
        rows = await uow.session.scalars(
            select(OutgoingMessage)
            .where(OutgoingMessage.dedupe_key.like(like))
            .order_by(OutgoingMessage.id)
        )
        for row in rows:
            found.setdefault(row.chat_id, []).append(row)
    return found


def _at(row: OutgoingMessage) -> datetime:
    return row.not_before if row.not_before.tzinfo else row.not_before.replace(tzinfo=UTC)


async def test_publication_invites_the_accepted_to_the_start_survey_once_minors_after_night(
    uow_factory: UnitOfWorkFactory,
) -> None:
    clock = FixedClock(NIGHT)
    # river-clean has no mentor: its accepted student forms no team but is accepted all the same.
    world = await build_world(
        uow_factory, clock, mentors={MENTOR_A: "peat-monitor", MENTOR_B: "space-sat"}
    )
    ideas = {
        TEEN: "peat-monitor", ADULT: "space-sat", TUTOR: "space-sat", NO_MENTOR: "river-clean",
        REJECTED: "space-sat", WAITLISTED: "space-sat",
    }  # fmt: skip
    apps = {}
    for tg_id, idea in ideas.items():
        role = Role.TUTOR if tg_id == TUTOR else Role.STUDENT
        apps[tg_id] = await add_applicant(
            uow_factory, clock, world, tg_id, [idea], role,
            media=False, answers={"age_group": "teen" if tg_id == TEEN else "adult"},
        )  # fmt: skip
    async with uow_factory() as uow:
        office = await identity(uow, OFFICE)
        for tg_id in (TEEN, ADULT, TUTOR, NO_MENTOR):
            await _services(uow, clock).selection.decide(
                office, apps[tg_id], Decision.ACCEPTED, world.ideas[ideas[tg_id]]
            )
        await _services(uow, clock).selection.decide(office, apps[REJECTED], Decision.REJECTED)
    outcomes = []
    for _ in range(2):  # a double tap of «Опубликовать»
        async with uow_factory() as uow:
            office = await identity(uow, OFFICE)
            outcomes.append(await _services(uow, clock).selection.publish(office))
    assert [(o.first_time, o.sent, o.waiting) for o in outcomes] == [(True, 6, 1), (False, 0, 0)]

    results = await _outbox(uow_factory, "result:%")
    invites = await _outbox(uow_factory, f"survey:{world.season_id}:start:%")
    assert sorted(invites) == [TEEN, ADULT, TUTOR, NO_MENTOR]
    for tg_id, rows in invites.items():
        [invite] = rows
        [result] = results[tg_id]
        assert invite.id > result.id  # after their result
        assert _at(result) == (MORNING if tg_id == TEEN else NIGHT), tg_id
        assert invite.payload["text"] == said("survey-invite", wave="start")
        [[begin], [skip]] = invite.payload["buttons"]
        assert (begin["action"], begin["text"], skip["text"]) == (
            "sv", said("survey-begin"), said("survey-skip"),
        )  # fmt: skip
        assert _at(invite) == (MORNING if tg_id == TEEN else NIGHT), tg_id
    async with uow_factory() as uow:
        assert await uow.survey.waves(world.season_id) == {Wave.START.value}
        # The office's /survey_send start afterwards: everyone accepted is invited already.
        assert await _services(uow, clock).survey.send(await identity(uow, OFFICE), Wave.START) == 0
    async with uow_factory() as uow:
        teen = await identity(uow, TEEN)
        first = await _services(uow, clock).survey.current(teen, Wave.START)
        assert first is not None  # the wave is open to them: they can answer
    assert sum(len(rows) for rows in (await _outbox(uow_factory, "survey:%")).values()) == 4


async def test_by_day_the_minor_is_invited_at_once_and_not_once_the_end_wave_opened(
    uow_factory: UnitOfWorkFactory,
) -> None:
    day = FixedClock(datetime(2026, 9, 1, 5, 0, tzinfo=UTC))  # 12:00 in Tomsk
    world = await build_world(uow_factory, day)
    teen = await add_applicant(uow_factory, day, world, TEEN, ["peat-monitor"], media=False,
                               answers={"age_group": "child"})  # fmt: skip
    async with uow_factory() as uow:
        office = await identity(uow, OFFICE)
        await _services(uow, day).selection.decide(
            office, teen, Decision.ACCEPTED, world.ideas["peat-monitor"]
        )
        await _services(uow, day).selection.publish(office)
    [invite] = (await _outbox(uow_factory, "survey:%"))[TEEN]
    assert _at(invite) == day.now()

    # Once the end wave is open the start one is closed: someone accepted later is not invited.
    await add_applicant(uow_factory, day, world, ADULT, ["space-sat"], media=False)
    async with uow_factory() as uow:
        await uow.survey.open_wave(world.season_id, Wave.END.value, day.now())
        people = [world.people[ADULT]]
        assert await _services(uow, day).survey.invite_accepted(world.season_id, people) == 0
        await uow.commit()
    assert ADULT not in await _outbox(uow_factory, "survey:%")

"""/stats on both databases: the office's numbers match a seeded season exactly (local days in
the season's zone, ages on today's local date, municipalities by name), a mentor sees only
their ideas and teams, a student is refused, and the charts are PNG images matplotlib reads."""

from __future__ import annotations

import io

import pytest
from matplotlib import image
from sqlalchemy import select

from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.domain import Role
from services.i18n import Texts
from services.stats import OTHERS, StatsNotAllowed, StatsSnapshot, _municipalities, chart_labels
from services.stats_charts import render_charts
from storage.models import OutgoingMessage
from storage.uow import UnitOfWorkFactory
from tests.databases import ON_BOTH_DATABASES
from tests.selection_world import MENTOR_A, MENTOR_C, OFFICE, identity
from tests.stats_world import EXPECTED, EXPECTED_A, Expected, build_stats_world

TEXTS = Texts()


async def snapshot_of(factory: UnitOfWorkFactory, clock: FixedClock, tg_id: int) -> StatsSnapshot:
    async with factory() as uow:
        me = await identity(uow, tg_id)
        return await Services(uow, clock, TEXTS, ServiceConfig()).stats.snapshot(me)


def numbers(snapshot: StatsSnapshot) -> Expected:
    f = snapshot.funnel
    return Expected(
        started=f.started,
        consented=f.consented,
        submitted=f.submitted,
        reviewed=f.reviewed,
        accepted=f.accepted,
        by_day=snapshot.by_day,
        by_municipality=snapshot.by_municipality,
        students=snapshot.by_role.get(Role.STUDENT, 0),
        tutors=snapshot.by_role.get(Role.TUTOR, 0),
        ages=snapshot.ages,
        tasks=(
            snapshot.tasks.total,
            snapshot.tasks.done,
            snapshot.tasks.submitted,
            snapshot.tasks.overdue,
        ),
        reminders=snapshot.reminders_sent,
        holding=snapshot.bookings.holding,
        attended=snapshot.bookings.attended,
    )


@ON_BOTH_DATABASES  # the hour buckets are per dialect (date_trunc / strftime)
async def test_office_numbers_match_the_season(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await build_stats_world(uow_factory, clock)
    snapshot = await snapshot_of(uow_factory, clock, OFFICE)
    assert numbers(snapshot) == EXPECTED
    assert not snapshot.mine
    assert [(t.name, t.stages, t.approved) for t in snapshot.teams] == [
        ("Спутник", 0, 0),
        ("Торф", 2, 1),
    ]
    ideas = {i.title: (i.students, i.tutors) for i in snapshot.ideas}
    assert len(ideas) == 3 and sorted(ideas.values()) == [(1, 0), (2, 0), (2, 1)]
    assert snapshot.ages_unknown == 0


@ON_BOTH_DATABASES
async def test_a_mentor_sees_only_their_ideas_and_teams(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await build_stats_world(uow_factory, clock)
    mine = await snapshot_of(uow_factory, clock, MENTOR_A)
    assert mine.mine and (mine.scope_ideas, mine.scope_teams) == (1, 1)
    assert numbers(mine) == EXPECTED_A
    assert [t.name for t in mine.teams] == ["Торф"]
    assert [(i.students, i.tutors) for i in mine.ideas] == [(2, 1)]
    # Mentor C's idea has one application (9105) and no team.
    other = await snapshot_of(uow_factory, clock, MENTOR_C)
    assert (other.funnel.started, other.funnel.submitted, other.teams) == (1, 1, [])
    assert other.tasks.total == 0 and other.reminders_sent == 0


async def test_a_student_is_refused(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> None:
    world = await build_stats_world(uow_factory, clock)
    async with uow_factory() as uow:
        await uow.people.grant(world.people[9101], Role.STUDENT, world.season_id, clock.now())
        await uow.commit()
    with pytest.raises(StatsNotAllowed) as refused:
        await snapshot_of(uow_factory, clock, 9101)
    assert "только проектному офису" in TEXTS.get(refused.value.key)


async def test_charts_are_png_images_sent_as_documents(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await build_stats_world(uow_factory, clock)
    async with uow_factory() as uow:
        me = await identity(uow, OFFICE)
        stats = Services(uow, clock, TEXTS, ServiceConfig()).stats
        sent = await stats.send_charts(me, await stats.snapshot(me))
    async with uow_factory() as uow:
        rows = list(
            await uow.session.scalars(select(OutgoingMessage).where(OutgoingMessage.kind == "file"))
        )
    assert sent == len(rows) == 3
    for row in rows:
        assert row.payload["filename"].endswith(".png")
        assert row.chat_id == OFFICE


def test_every_chart_decodes_even_when_empty() -> None:
    from datetime import UTC, datetime

    from services.stats import Funnel

    empty = StatsSnapshot(
        season_name="s",
        timezone="Europe/Moscow",
        taken_at=datetime(2026, 9, 1, tzinfo=UTC),
        mine=False,
        funnel=Funnel(0, 0, 0, 0, 0),
        by_day=[],
        by_municipality=[],
        by_role={},
        ideas=[],
        ages={},
        ages_unknown=0,
        teams=[],
    )
    for filename, content in render_charts(empty, chart_labels(TEXTS.for_language("ru"))):
        assert content.startswith(b"\x89PNG\r\n\x1a\n"), filename
        pixels = image.imread(io.BytesIO(content), format="png")
        assert pixels.shape[0] > 100 and pixels.shape[1] > 100


def test_municipalities_beyond_the_top_are_summed_as_others() -> None:
    rows = [(str(i), 100 - i) for i in range(1, 16)] + [(None, 3)]
    names = {i: f"М{i:02d}" for i in range(1, 16)}
    shown = _municipalities(rows, names)
    assert len(shown) == 10 and shown[0] == ("М01", 99)
    assert shown[-1] == (OTHERS, sum(100 - i for i in range(10, 16)) + 3)
    assert sum(c for _, c in shown) == sum(c for _, c in rows)

"""Selection on both databases: the combined score (weights, several reviewers), "accept the top
N" (capacity and preference), who may score (another mentor, a student, a revoked mentor may
not), a double tap records one score, a decision makes the card read-only, the office undoes a
decision (once, only the decision it was shown, never after publication), and publishing twice
sends one result each and forms the teams once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.domain import ApplicationStatus, Decision, Recommendation, Role
from services.errors import Conflict, NotAllowed
from services.i18n import Texts
from services.selection import Candidate, CardView, Combined, combined_scores, plan_top
from storage.models import (
    Application,
    ApplicationScore,
    AuditEntry,
    OutgoingMessage,
    SelectionCriterion,
    SelectionDecision,
    Team,
    TeamMember,
)
from storage.uow import UnitOfWorkFactory
from tests.databases import ON_BOTH_DATABASES
from tests.selection_world import (
    MENTOR_A,
    MENTOR_B,
    MENTOR_C,
    OFFICE,
    World,
    add_applicant,
    build_world,
    identity,
)
from tests.texts import fragment

TEXTS = Texts()


def services(uow, clock: FixedClock) -> Services:  # type: ignore[no-untyped-def]
    return Services(uow, clock, TEXTS, ServiceConfig())


@pytest.fixture
async def world(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> World:
    return await build_world(uow_factory, clock, capacity={"peat-monitor": 1, "space-sat": 2})


async def criteria(factory: UnitOfWorkFactory, world: World) -> dict[str, int]:
    async with factory() as uow:
        rows = await uow.season_config.active(SelectionCriterion, world.season_id)
        return {c.code: c.id for c in rows}


async def score_all(
    factory: UnitOfWorkFactory,
    clock: FixedClock,
    world: World,
    tg_id: int,
    application_id: int,
    values: dict[str, int],
) -> None:
    ids = await criteria(factory, world)
    for code, value in values.items():
        async with factory() as uow:
            me = await identity(uow, tg_id)
            await services(uow, clock).selection.score(me, application_id, ids[code], value)


async def count(factory: UnitOfWorkFactory, statement) -> int:  # type: ignore[no-untyped-def]
    async with factory() as uow:
        return int(await uow.session.scalar(statement) or 0)


def test_combined_score_is_the_weighted_mean_over_complete_reviews() -> None:
    weights = {1: 0.3, 2: 0.4, 3: 0.3}
    rows = [
        (10, 100, 1, 5), (10, 100, 2, 4), (10, 100, 3, 3),  # reviewer 100: 4.0
        (10, 200, 1, 3), (10, 200, 2, 3), (10, 200, 3, 3),  # reviewer 200: 3.0
        (10, 300, 2, 0),  # reviewer 300 scored one criterion of three: does not count
        (11, 100, 2, 5),  # one criterion only: no score yet
        (11, 100, 9, 0),  # a criterion switched off since: ignored
        (12, 100, 1, 4), (12, 100, 2, 4), (12, 100, 3, 4), (12, 100, 9, 0),
    ]  # fmt: skip
    result = combined_scores(rows, weights)
    assert result[10] == Combined(pytest.approx(3.5), 2, 1)
    assert result[11] == Combined(None, 0, 1)
    assert result[12] == Combined(pytest.approx(4.0), 1, 0)


def test_top_n_fills_capacity_by_score_preferring_the_higher_ranked_idea() -> None:
    x, y = 1, 2
    candidates = [
        Candidate(10, Role.STUDENT, 5.0, (x, y), 3),
        Candidate(11, Role.STUDENT, 4.0, (x, y), 0),
        Candidate(12, Role.STUDENT, 3.0, (x,), 1),  # x is full by then: stays undecided
        Candidate(13, Role.STUDENT, 2.0, (y, x), 2),
        Candidate(14, Role.TUTOR, 1.0, (x,), 4),  # tutors have their own places
        Candidate(15, Role.STUDENT, 4.0, (y,), 5),  # ties on 4.0: submitted later, after 11
    ]
    free = {(x, Role.STUDENT): 1, (y, Role.STUDENT): 2, (x, Role.TUTOR): 1}
    assert plan_top(candidates, free) == [(10, x), (11, y), (15, y), (14, x)]


async def test_several_reviewers_give_the_combined_score_on_the_card_and_the_office_view(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, world: World
) -> None:
    app = await add_applicant(uow_factory, clock, world, 8001, ["peat-monitor", "space-sat"])
    await score_all(uow_factory, clock, world, MENTOR_A, app,
                    {"presentation": 5, "motivation": 4, "interest": 3})  # fmt: skip
    await score_all(uow_factory, clock, world, MENTOR_B, app,
                    {"presentation": 3, "motivation": 3, "interest": 3})  # fmt: skip
    async with uow_factory() as uow:
        card = await services(uow, clock).selection.card(await identity(uow, MENTOR_A), app)
        assert card.combined == pytest.approx(3.5) and card.reviewers == 2
        assert [c.mine for c in card.criteria] == [5, 4, 3]
        ranking = await services(uow, clock).selection.idea_ranking(
            await identity(uow, OFFICE), world.ideas["peat-monitor"]
        )
        assert [(r.application_id, r.score, r.rank) for r in ranking.students] == [
            (app, pytest.approx(3.5), 1)
        ]
        application = await uow.session.get(Application, app)
        assert application is not None and application.status is ApplicationStatus.IN_REVIEW


@ON_BOTH_DATABASES  # reaches repository statements only this test runs on PG
async def test_only_the_mentor_of_a_ranked_idea_may_score(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, world: World
) -> None:
    app = await add_applicant(uow_factory, clock, world, 8001, ["peat-monitor"])
    other = await add_applicant(uow_factory, clock, world, 8002, ["space-sat"])
    ids = await criteria(uow_factory, world)
    for tg_id in (MENTOR_B, MENTOR_C, 8002):  # mentors of other ideas, another applicant
        async with uow_factory() as uow:
            me = await identity(uow, tg_id)
            with pytest.raises(NotAllowed):
                await services(uow, clock).selection.score(me, app, ids["motivation"], 5)
            with pytest.raises(NotAllowed):
                await services(uow, clock).selection.card(me, app)
    # A forged criterion or value is refused too.
    async with uow_factory() as uow:
        me = await identity(uow, MENTOR_A)
        with pytest.raises(NotAllowed):
            await services(uow, clock).selection.score(me, app, ids["motivation"], 6)
        with pytest.raises(NotAllowed):
            await services(uow, clock).selection.score(me, app, 99999, 3)
        stale = me  # resolved before the revocation, as a replayed press would carry
        await uow.people.revoke(world.people[MENTOR_A], Role.MENTOR, clock.now())
        await uow.commit()
    for me_of in (lambda uow: identity(uow, MENTOR_A), None):
        async with uow_factory() as uow:
            me = await me_of(uow) if me_of else stale
            with pytest.raises(NotAllowed):
                await services(uow, clock).selection.score(me, app, ids["motivation"], 5)
    assert await count(uow_factory, select(func.count()).select_from(ApplicationScore)) == 0
    async with uow_factory() as uow:
        for application_id in (app, other):
            application = await uow.session.get(Application, application_id)
            assert application is not None and application.status is ApplicationStatus.SUBMITTED


async def test_a_double_tap_records_one_score_and_a_change_is_kept(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, world: World
) -> None:
    app = await add_applicant(uow_factory, clock, world, 8001, ["peat-monitor"])
    ids = await criteria(uow_factory, world)
    for value in (4, 4, 2):
        async with uow_factory() as uow:
            me = await identity(uow, MENTOR_A)
            await services(uow, clock).selection.score(me, app, ids["motivation"], value)
    async with uow_factory() as uow:
        rows = list(await uow.session.scalars(select(ApplicationScore)))
        assert [(r.reviewer_id, r.score) for r in rows] == [(world.people[MENTOR_A], 2)]
        audit = await uow.audit.for_object("application", app)
        assert [(e.action, e.details["score"]) for e in audit] == [
            ("selection.score", 4), ("selection.score", 2)
        ]  # fmt: skip
        me = await identity(uow, MENTOR_A)
        await services(uow, clock).selection.recommend(me, app, Recommendation.ACCEPT)
    async with uow_factory() as uow:
        me = await identity(uow, MENTOR_A)
        card = await services(uow, clock).selection.comment(me, app, "Сильная мотивация")
        assert card.my_comment == "Сильная мотивация"
        assert card.my_recommendation is Recommendation.ACCEPT


async def test_a_decision_makes_scores_read_only_and_is_recorded_once(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, world: World
) -> None:
    app = await add_applicant(uow_factory, clock, world, 8001, ["peat-monitor"])
    ids = await criteria(uow_factory, world)
    async with uow_factory() as uow:
        office = await identity(uow, OFFICE)
        mentor = await identity(uow, MENTOR_A)
        with pytest.raises(NotAllowed):  # a mentor does not decide
            await services(uow, clock).selection.decide(mentor, app, Decision.REJECTED)
        card = await services(uow, clock).selection.decide(
            office, app, Decision.ACCEPTED, world.ideas["peat-monitor"]
        )
        assert card.decision is Decision.ACCEPTED and card.decided_idea
    async with uow_factory() as uow:
        with pytest.raises(Conflict) as refused:
            await services(uow, clock).selection.decide(
                await identity(uow, OFFICE), app, Decision.REJECTED
            )
        assert refused.value.key == "sel-decided"
        with pytest.raises(Conflict) as late:
            await services(uow, clock).selection.score(
                await identity(uow, MENTOR_A), app, ids["motivation"], 3
            )
        assert late.value.key == "sel-decided"
        card = await services(uow, clock).selection.card(await identity(uow, MENTOR_A), app)
        assert not card.can_score
    decisions = select(SelectionDecision.decision)
    async with uow_factory() as uow:
        assert list(await uow.session.scalars(decisions)) == [Decision.ACCEPTED]
        audit = [e.action for e in await uow.audit.for_object("application", app)]
        assert audit == ["selection.decide"]


@ON_BOTH_DATABASES  # reaches repository statements only this test runs on PG
async def test_top_n_then_publish_twice_sends_one_result_each_and_forms_teams_once(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, world: World
) -> None:
    # peat-monitor has one student place, space-sat two.
    best = await add_applicant(uow_factory, clock, world, 8001, ["peat-monitor", "space-sat"])
    second = await add_applicant(uow_factory, clock, world, 8002, ["peat-monitor", "space-sat"])
    third = await add_applicant(uow_factory, clock, world, 8003, ["peat-monitor"])
    unscored = await add_applicant(uow_factory, clock, world, 8004, ["space-sat"])
    tutor = await add_applicant(uow_factory, clock, world, 8005, ["space-sat"], Role.TUTOR)
    for app, value in ((best, 5), (second, 4), (third, 3)):
        every = {"presentation": value, "motivation": value, "interest": value}
        await score_all(uow_factory, clock, world, MENTOR_A, app, every)
    await score_all(uow_factory, clock, world, MENTOR_B, tutor,
                    {"presentation": 5, "motivation": 5, "interest": 5})  # fmt: skip
    async with uow_factory() as uow:
        office = await identity(uow, OFFICE)
        plan = await services(uow, clock).selection.top_preview(office)
        assert [(line[0], line[2]) for line in plan.lines] == [
            (f"T-{best:05d}", 1), (f"T-{tutor:05d}", 1), (f"T-{second:05d}", 2)
        ]  # fmt: skip
        with pytest.raises(Conflict):
            await services(uow, clock).selection.accept_top(office, "0000000000")
    async with uow_factory() as uow:
        office = await identity(uow, OFFICE)
        outcome = await services(uow, clock).selection.accept_top(office, plan.digest)
        assert outcome.accepted == 3 and outcome.first_time
        await services(uow, clock).selection.decide(office, third, Decision.REJECTED)
    async with uow_factory() as uow:
        decided = {
            d.application_id: (d.decision, d.idea_id)
            for d in await uow.session.scalars(select(SelectionDecision))
        }
    assert decided == {
        best: (Decision.ACCEPTED, world.ideas["peat-monitor"]),
        second: (Decision.ACCEPTED, world.ideas["space-sat"]),
        tutor: (Decision.ACCEPTED, world.ideas["space-sat"]),
        third: (Decision.REJECTED, None),
    }
    for _ in range(2):
        async with uow_factory() as uow:
            office = await identity(uow, OFFICE)
            outcome = await services(uow, clock).selection.publish(office)
    assert not outcome.first_time and outcome.sent == 0
    async with uow_factory() as uow:
        results = [
            (m.chat_id, m.dedupe_key)
            for m in await uow.session.scalars(
                select(OutgoingMessage).where(OutgoingMessage.dedupe_key.like("result:%"))
            )
        ]
        assert sorted(results) == sorted(
            (tg, f"result:{app}")
            for tg, app in ((8001, best), (8002, second), (8003, third), (8004, unscored),
                            (8005, tutor))
        )  # fmt: skip
        texts = {
            m.chat_id: m.payload["text"]
            for m in await uow.session.scalars(
                select(OutgoingMessage).where(OutgoingMessage.dedupe_key.like("result:%"))
            )
        }
        assert "вы приняты" in texts[8001] and "Наставник 7001" in texts[8001]
        assert (
            fragment("sel-result-waitlisted") in texts[8004]
        )  # undecided at publication: waitlisted
        assert fragment("sel-result-rejected") in texts[8003]
        statuses = {
            a.id: a.status
            for a in await uow.session.scalars(select(Application).order_by(Application.id))
        }
        assert statuses == {
            best: ApplicationStatus.ACCEPTED,
            second: ApplicationStatus.ACCEPTED,
            third: ApplicationStatus.NOT_SELECTED,
            unscored: ApplicationStatus.WAITLISTED,
            tutor: ApplicationStatus.ACCEPTED,
        }  # what /status shows each of them from now on
        teams = {t.source_key: t.id for t in await uow.session.scalars(select(Team))}
        assert set(teams) == {
            f"idea:{world.ideas['peat-monitor']}",
            f"idea:{world.ideas['space-sat']}",
        }
        members = {
            (m.team_id, m.person_id, m.role.value)
            for m in await uow.session.scalars(select(TeamMember))
        }
        space = teams[f"idea:{world.ideas['space-sat']}"]
        assert (space, world.people[8002], "student") in members
        assert (space, world.people[8005], "tutor") in members
        assert (space, world.people[MENTOR_B], "mentor") in members
        assert len(members) == 5
        with pytest.raises(Conflict):
            await services(uow, clock).selection.decide(
                await identity(uow, OFFICE), unscored, Decision.ACCEPTED, world.ideas["space-sat"]
            )
    assert (
        await count(
            uow_factory,
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "selection.publish"),
        )
        == 1
    )


async def _undo(uow, clock: FixedClock, tg_id: int, card: CardView) -> CardView:  # type: ignore[no-untyped-def]
    """Press the undo button the office was shown on `card`."""
    assert card.decision is not None and card.decision_stamp is not None
    return await services(uow, clock).selection.undo(
        await identity(uow, tg_id),
        card.application_id,
        card.decision,
        card.decided_idea_id,
        card.decision_stamp,
    )


async def test_undo_makes_the_application_undecided_scorable_and_decidable_again(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, world: World
) -> None:
    app = await add_applicant(uow_factory, clock, world, 8001, ["peat-monitor"])
    ids = await criteria(uow_factory, world)
    peat = world.ideas["peat-monitor"]  # one student place
    async with uow_factory() as uow:
        shown = await services(uow, clock).selection.decide(
            await identity(uow, OFFICE), app, Decision.ACCEPTED, peat
        )
    assert shown.decided_idea_id == peat and shown.decision_stamp and not shown.published
    clock.advance(timedelta(minutes=5))
    async with uow_factory() as uow:
        card = await _undo(uow, clock, OFFICE, shown)
    assert card.decision is None and card.decided_idea_id is None and card.decision_stamp is None
    async with uow_factory() as uow:
        assert list(await uow.session.scalars(select(SelectionDecision))) == []
        # The mentor may score again; the place in peat-monitor is free again.
        mentor_card = await services(uow, clock).selection.card(await identity(uow, MENTOR_A), app)
        assert mentor_card.can_score
        await services(uow, clock).selection.score(
            await identity(uow, MENTOR_A), app, ids["motivation"], 3
        )
    async with uow_factory() as uow:
        card = await services(uow, clock).selection.decide(
            await identity(uow, OFFICE), app, Decision.ACCEPTED, peat
        )
        assert card.decision is Decision.ACCEPTED and card.decided_idea_id == peat
        audit = await uow.audit.for_object("application", app)
    assert [e.action for e in audit] == [
        "selection.decide", "selection.undo", "selection.score", "selection.decide"
    ]  # fmt: skip
    undo = audit[1]
    assert undo.actor_id == world.people[OFFICE]
    assert undo.details == {
        "decision": "accepted",
        "idea_id": peat,
        "decided_by": world.people[OFFICE],
        "decided_at": (clock.now() - timedelta(minutes=5)).isoformat(),
    }


@ON_BOTH_DATABASES  # reaches repository statements only this test runs on PG
async def test_a_second_undo_or_a_stale_button_changes_nothing(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, world: World
) -> None:
    app = await add_applicant(uow_factory, clock, world, 8001, ["peat-monitor"])
    async with uow_factory() as uow:
        first = await services(uow, clock).selection.decide(
            await identity(uow, OFFICE), app, Decision.WAITLISTED
        )
    async with uow_factory() as uow:
        await _undo(uow, clock, OFFICE, first)
    async with uow_factory() as uow:  # the double tap
        with pytest.raises(Conflict) as again:
            await _undo(uow, clock, OFFICE, first)
        assert again.value.key == "sel-undo-stale"
    # Decided anew with the same value a minute later: the first card's button is stale.
    clock.advance(timedelta(minutes=1))
    async with uow_factory() as uow:
        second = await services(uow, clock).selection.decide(
            await identity(uow, OFFICE), app, Decision.WAITLISTED
        )
    for stale in (
        first,
        CardView(**{**second.__dict__, "decision": Decision.REJECTED}),
        CardView(**{**second.__dict__, "decided_idea_id": world.ideas["peat-monitor"]}),
    ):
        async with uow_factory() as uow:
            with pytest.raises(Conflict) as refused:
                await _undo(uow, clock, OFFICE, stale)
            assert refused.value.key == "sel-undo-stale"
    async with uow_factory() as uow:
        rows = list(await uow.session.scalars(select(SelectionDecision)))
        assert [(r.decision, r.decided_at) for r in rows] == [(Decision.WAITLISTED, clock.now())]
        audit = [e.action for e in await uow.audit.for_object("application", app)]
    assert audit == ["selection.decide", "selection.undo", "selection.decide"]


async def test_the_conditional_delete_removes_only_the_exact_decision(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, world: World
) -> None:
    app = await add_applicant(uow_factory, clock, world, 8001, ["peat-monitor"])
    peat, now = world.ideas["peat-monitor"], clock.now()
    async with uow_factory() as uow:
        assert await uow.selection.decide(app, Decision.ACCEPTED, peat, None, now)
        repo = uow.selection
        assert not await repo.undecide(app, Decision.REJECTED, peat, now)
        assert not await repo.undecide(app, Decision.ACCEPTED, None, now)
        assert not await repo.undecide(app, Decision.ACCEPTED, peat, now + timedelta(seconds=1))
        assert await repo.undecide(app, Decision.ACCEPTED, peat, now)
        assert not await repo.undecide(app, Decision.ACCEPTED, peat, now)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.selection.decision(app) is None


async def test_undo_is_refused_after_publication_and_to_anyone_but_the_office(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, world: World
) -> None:
    app = await add_applicant(uow_factory, clock, world, 8001, ["peat-monitor"])
    async with uow_factory() as uow:
        shown = await services(uow, clock).selection.decide(
            await identity(uow, OFFICE), app, Decision.REJECTED
        )
    for tg_id in (MENTOR_A, 8001):  # the idea's mentor, the applicant
        async with uow_factory() as uow:
            with pytest.raises(NotAllowed):
                await _undo(uow, clock, tg_id, shown)
    async with uow_factory() as uow:  # a forged application id
        with pytest.raises(NotAllowed):
            await _undo(uow, clock, OFFICE, CardView(**{**shown.__dict__, "application_id": 999}))
    async with uow_factory() as uow:
        await services(uow, clock).selection.publish(await identity(uow, OFFICE))
    async with uow_factory() as uow:
        with pytest.raises(Conflict) as late:
            await _undo(uow, clock, OFFICE, shown)
        assert late.value.key == "sel-published"
        card = await services(uow, clock).selection.card(await identity(uow, OFFICE), app)
        assert card.published and card.decision is Decision.REJECTED
        rows = [(d.application_id, d.decision) for d in await uow.session.scalars(
            select(SelectionDecision))]  # fmt: skip
        assert rows == [(app, Decision.REJECTED)]
        assert [e.action for e in await uow.audit.for_object("application", app)] == [
            "selection.decide"
        ]

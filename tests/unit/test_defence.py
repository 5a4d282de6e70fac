"""The defence: the ranking's arithmetic, and /jury and /defence through the recording
messenger (no aiogram): a juror scores by buttons, an incomplete team is marked as such, a
juror of another session and a student are refused, closing the session makes scores final,
and a double publication sends each person one message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from dialogs import defence
from services.actions import DefenceAction, DefenceVerb
from services.certificates import card_lines
from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.defence import COMMENT_LIMIT, rank_teams
from services.domain import Role
from services.i18n import Texts
from storage.models import (
    Certificate,
    DefenceComment,
    DefenceCriterion,
    DefenceScore,
    DefenceSession,
    OutgoingMessage,
)
from storage.uow import UnitOfWorkFactory
from tests.defence_world import (
    JUROR_B,
    JURORS_A,
    MENTOR,
    OFFICE,
    TEAM_ONE,
    TEAM_TWO,
    build_defence_world,
)
from tests.recording_messenger import RecordingMessenger
from tests.texts import TEXTS

t = Texts().for_language("ru")


def test_weighted_mean_over_criteria_and_jurors_incomplete_and_unscored() -> None:
    weights = {1: 2, 2: 1}
    scores = [(10, 100, 1, 5), (10, 100, 2, 2), (11, 100, 1, 3), (11, 100, 2, 3)]
    scores += [(10, 200, 1, 5)]
    ranked = rank_teams([(100, 2), (200, 2), (300, 2)], scores, weights)
    first, second, third = ranked
    assert (first.team_id, first.rank, round(first.mean or 0, 4)) == (200, 1, 5.0)
    assert not first.complete and (first.given, first.expected) == (1, 4)
    # (2·5 + 1·2 + 2·3 + 1·3) / 6 = 21 / 6
    assert (second.team_id, second.rank, second.complete) == (100, 2, True)
    assert round(second.mean or 0, 4) == 3.5
    assert (third.team_id, third.rank, third.mean) == (300, 0, None)


async def _ids(factory: UnitOfWorkFactory) -> tuple[int, int, list[int]]:
    async with factory() as uow:
        sessions = list(
            await uow.session.scalars(select(DefenceSession.id).order_by(DefenceSession.code))
        )
        criteria = list(
            await uow.session.scalars(select(DefenceCriterion.id).order_by(DefenceCriterion.id))
        )
        return sessions[0], sessions[1], criteria


async def _reminders(factory: UnitOfWorkFactory) -> list[tuple[int, datetime, str]]:
    async with factory() as uow:
        rows = await uow.session.execute(
            select(
                OutgoingMessage.person_id, OutgoingMessage.not_before, OutgoingMessage.status
            ).where(OutgoingMessage.dedupe_key.like("defence-due:%"))
        )
        return [(p, at, str(status)) for p, at, status in rows]


async def _count(factory: UnitOfWorkFactory, model: type, **where: object) -> int:
    async with factory() as uow:
        statement = select(func.count()).select_from(model)
        for name, value in where.items():
            statement = statement.where(getattr(model, name) == value)
        return int(await uow.session.scalar(statement) or 0)


async def test_jurors_score_forgeries_refused_close_and_publish_once(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    world = await build_defence_world(uow_factory, clock)
    session_a, session_b, criteria = await _ids(uow_factory)
    alpha = world.teams["alpha"]
    m = RecordingMessenger([defence.DIALOG], uow_factory, clock)

    juror = JURORS_A[0]
    await m.command(juror, "jury")
    assert "«Альфа»" in m.chat(juror).last.text
    await m.press(juror, t("df-jury-item", mark="▫️", team="Альфа", session="A"))
    for n in (1, 2, 3):
        await m.press(juror, f"К{n}: 4")
    assert "•К3: 4•" in str(m.chat(juror).last.buttons)
    await m.press(juror, "К1: 5")  # changed
    assert await _count(uow_factory, DefenceScore, juror_id=world.people[juror]) == 3

    # Only one juror scored: the office sees Альфа's scores as incomplete.
    await m.command(OFFICE, "defence")
    text = m.chat(OFFICE).last.text
    assert (
        t("df-rank-line", rank=1, team="Альфа", mean="4.50")
        + t("df-rank-incomplete", given=3, expected=9)
        in text
    )
    assert t("df-rank-none", team="Бета") in text

    forged = DefenceAction(
        verb=DefenceVerb.SCORE, session=session_a, team=alpha, criterion=criteria[0], value=1
    )
    for person, action in (
        (TEAM_ONE[0], forged),
        (JUROR_B, forged),
        (JUROR_B, forged.model_copy(update={"session": session_b})),
        (JURORS_A[1], forged.model_copy(update={"value": 6})),
    ):
        await m.press_forged(person, action)
        assert m.chat(person).notices[-1] == (t("error-not-allowed"), True)
    assert await _count(uow_factory, DefenceScore, value=1) == 0

    await m.press(OFFICE, t("df-btn-close", code="A"))
    assert t("df-state-closed") in m.chat(OFFICE).last.text
    await m.press(juror, "К2: 1")
    assert m.chat(juror).notices[-1] == (t("df-session-closed"), True)
    assert await _count(uow_factory, DefenceScore, value=1) == 0

    await m.press(OFFICE, t("df-btn-publish"))
    await m.press(OFFICE, t("df-btn-publish-yes"))
    await m.press_again(OFFICE)
    assert m.chat(OFFICE).notices[-1] == (t("df-publish-again"), True)
    async with uow_factory() as uow:
        keys = list(
            await uow.session.scalars(
                select(OutgoingMessage.dedupe_key).where(
                    OutgoingMessage.dedupe_key.like("defence:%")
                )
            )
        )
    # Two students in each team, one message each; the one mentor of both, one per team.
    assert len(keys) == len(set(keys)) == 6


async def test_a_jury_invitation_seats_its_holder_on_the_session_it_names(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await build_defence_world(uow_factory, clock)
    newcomer = 9590
    async with uow_factory() as uow:
        services = Services(uow, clock, TEXTS, ServiceConfig())
        [payload] = await services.invitations.create(Role.JURY, label="defence:B")
    async with uow_factory() as uow:
        services = Services(uow, clock, TEXTS, ServiceConfig())
        me = await services.people.identify(newcomer, "ru")
        redeemed = await services.invitations.redeem(me, payload)
    assert redeemed.role is Role.JURY and redeemed.newly_granted
    m = RecordingMessenger([defence.DIALOG], uow_factory, clock)
    await m.command(newcomer, "jury")
    assert m.chat(newcomer).last.text == "\n".join((t("df-jury-title"), t("df-jury-empty")))
    await m.command(9591, "jury")  # never invited
    assert m.chat(9591).last.text == t("df-jury-none")


async def test_the_profile_shows_the_published_defence_result(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    world = await build_defence_world(uow_factory, clock)
    m = RecordingMessenger([defence.DIALOG], uow_factory, clock)
    await m.command(JURORS_A[0], "jury")
    await m.press(JURORS_A[0], t("df-jury-item", mark="▫️", team="Бета", session="A"))
    for n in (1, 2, 3):
        await m.press(JURORS_A[0], f"К{n}: 3")

    async def shown() -> str | None:
        async with uow_factory() as uow:
            services = Services(uow, clock, TEXTS, ServiceConfig())
            me = await services.people.identify(TEAM_ONE[0], "ru")
            assert me.person_id == world.people[TEAM_ONE[0]]
            return (await services.profile.view(me)).defence

    assert await shown() is None  # not published yet
    await m.command(OFFICE, "defence")
    await m.press(OFFICE, t("df-btn-publish"))
    await m.press(OFFICE, t("df-btn-publish-yes"))
    # Альфа (TEAM_ONE) has no score: nothing to show; Бета's member sees the result.
    assert await shown() is None
    async with uow_factory() as uow:
        services = Services(uow, clock, TEXTS, ServiceConfig())
        me = await services.people.identify(TEAM_TWO[0], "ru")
        view = await services.profile.view(me)
    assert view.defence == t("profile-defence-result", team="Бета", rank=1, teams=1, mean="3.00")

    # The certificate's result line names the place too.
    async with uow_factory() as uow:
        services = Services(uow, clock, TEXTS, ServiceConfig())
        me = await services.people.identify(TEAM_TWO[0], "ru")
        [team] = [team for team, _ in await uow.teams.teams_of(me.person_id)]
        certificate = await uow.certificates.add(
            Certificate(person_id=me.person_id, season_id=team.season_id, code="ABCDEFGHJK",
                        issued_at=clock.now())
        )  # fmt: skip
        assert certificate is not None
        card = await services.certificates.card(certificate)
    assert card.defence_place == (1, 1)
    assert t("cert-line-defence", place=1, of=1) in card_lines(card, t)


async def test_a_student_uploads_the_presentation_before_the_deadline_only(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    world = await build_defence_world(uow_factory, clock)
    reminders = await _reminders(uow_factory)
    # Each student of both teams, once, moved out of quiet hours to 09:00 in UTC+7.
    assert sorted(p for p, _, _ in reminders) == sorted(
        world.people[x] for x in (*TEAM_ONE, *TEAM_TWO)
    )
    assert {at.replace(tzinfo=None) for _, at, _ in reminders} == {datetime(2027, 5, 19, 2, 0)}
    m = RecordingMessenger([defence.DIALOG], uow_factory, clock)
    student = TEAM_ONE[0]
    await m.command(student, "presentation")
    assert m.chat(student).last.text == t("df-presentation-ask", team="Альфа")
    await m.type(student, "вот она")
    assert m.chat(student).last.text == t("df-presentation-document")
    await m.send_document(student, "DOC-1", b"pdf")
    await m.command(student, "presentation")
    await m.send_document(student, "DOC-2", b"pdf")  # replaces the first
    assert m.chat(student).last.text == t("df-presentation-saved", team="Альфа")
    # Uploaded: team Альфа's reminders are withdrawn, Бета's still wait.
    waiting = {p for p, _, status in await _reminders(uow_factory) if status == "pending"}
    assert waiting == {world.people[x] for x in TEAM_TWO}
    async with uow_factory() as uow:
        saved = await uow.defence.presentation(world.teams["alpha"])
        assert saved is not None and saved.file_id == "DOC-2"
        assert saved.uploaded_by == world.people[student]
        # The deadline passes: the next upload is refused.
        [session] = await uow.defence.sessions_of_team(world.teams["alpha"])
        session.presentation_due = clock.now() - timedelta(minutes=1)
        await uow.commit()
    await m.command(student, "presentation")
    assert m.chat(student).last.text == t("df-presentation-late")
    await m.command(JURORS_A[0], "presentation")  # not on a team
    assert m.chat(JURORS_A[0]).last.text == t("df-presentation-none")


async def test_a_juror_comments_on_a_team_and_the_office_reads_it(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    world = await build_defence_world(uow_factory, clock)
    session_a, session_b, _ = await _ids(uow_factory)
    alpha = world.teams["alpha"]
    m = RecordingMessenger([defence.DIALOG], uow_factory, clock)
    juror = JURORS_A[0]
    await m.command(juror, "jury")
    await m.press(juror, t("df-jury-item", mark="▫️", team="Альфа", session="A"))
    await m.press(juror, t("df-btn-comment"))
    assert m.chat(juror).last.text == t("df-comment-ask", team="Альфа")
    await m.type(juror, "х" * (COMMENT_LIMIT + 1))
    assert m.chat(juror).last.text == t(
        "df-comment-long", length=COMMENT_LIMIT + 1, limit=COMMENT_LIMIT
    )
    await m.type(juror, "Сильная защита")
    await m.press(juror, t("df-btn-comment"))
    await m.type(juror, "Сильная защита, слабый бюджет")  # replaces the first
    assert m.chat(juror).last.text == t("df-comment-saved", team="Альфа")
    assert await _count(uow_factory, DefenceComment, juror_id=world.people[juror]) == 1

    await m.command(OFFICE, "defence")
    assert t("df-rank-comments", count=1) in m.chat(OFFICE).last.text
    await m.press(OFFICE, t("df-btn-reviews"))
    assert m.chat(OFFICE).last.text == "\n".join(
        (
            t("df-reviews-title"),
            t("df-reviews-team", team="Альфа"),
            t("df-reviews-line", author=t("df-juror-n", n=1), text="Сильная защита, слабый бюджет"),
        )
    )

    # A juror of another session, and a student, cannot comment on Альфа.
    ask = DefenceAction(verb=DefenceVerb.COMMENT, session=session_a, team=alpha)
    for person, action in (
        (JUROR_B, ask),
        (JUROR_B, ask.model_copy(update={"session": session_b})),
        (TEAM_ONE[0], ask),
    ):
        await m.press_forged(person, action)
        assert m.chat(person).notices[-1] == (t("error-not-allowed"), True)

    # The juror asked to comment, then the session closed: the text is refused.
    await m.press(juror, t("df-btn-comment"))
    await m.press(OFFICE, t("df-btn-close", code="A"))
    await m.type(juror, "Поздно")
    assert m.chat(juror).last.text == t("df-session-closed")
    await m.press_forged(juror, ask)
    assert m.chat(juror).notices[-1] == (t("df-session-closed"), True)
    async with uow_factory() as uow:
        [saved] = await uow.defence.comments([session_a])
    assert saved.text == "Сильная защита, слабый бюджет"


async def test_the_office_marks_projects_and_the_result_carries_the_marks(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    world = await build_defence_world(uow_factory, clock)
    alpha = world.teams["alpha"]
    m = RecordingMessenger([defence.DIALOG], uow_factory, clock)
    await m.command(JURORS_A[0], "jury")
    await m.press(JURORS_A[0], t("df-jury-item", mark="▫️", team="Альфа", session="A"))
    for n in (1, 2, 3):
        await m.press(JURORS_A[0], f"К{n}: 4")

    def button(mark: str, on: bool = False) -> str:
        return t("df-btn-mark", team="Альфа", state="✓ " if on else "", mark=t(mark))

    await m.command(OFFICE, "defence")
    await m.press(OFFICE, button("df-mark-region-head"))
    await m.press(OFFICE, button("df-mark-startup"))
    await m.press(OFFICE, button("df-mark-federal"))
    await m.press(OFFICE, button("df-mark-federal", on=True))  # off again
    both = ", ".join((t("df-mark-region-head"), t("df-mark-startup")))
    assert t("df-rank-marks", marks=both) in m.chat(OFFICE).last.text
    assert button("df-mark-startup", on=True) in str(m.chat(OFFICE).last.buttons)

    forged = DefenceAction(verb=DefenceVerb.MARK, team=alpha, value=2)
    for person in (JURORS_A[0], TEAM_ONE[0]):
        await m.press_forged(person, forged)
        assert m.chat(person).notices[-1] == (t("error-not-allowed"), True)
    async with uow_factory() as uow:
        row = (await uow.defence.marks([alpha]))[alpha]
    assert (row.region_head, row.federal, row.startup) == (True, False, True)

    await m.press(OFFICE, t("df-btn-publish"))
    await m.press(OFFICE, t("df-btn-publish-yes"))
    async with uow_factory() as uow:
        payloads = list(
            await uow.session.scalars(
                select(OutgoingMessage.payload).where(
                    OutgoingMessage.person_id == world.people[TEAM_ONE[0]],
                    OutgoingMessage.dedupe_key.like("defence:%"),
                )
            )
        )
        services = Services(uow, clock, TEXTS, ServiceConfig())
        me = await services.people.identify(TEAM_ONE[0], "ru")
        profile = (await services.profile.view(me)).defence
    assert len(payloads) == 1 and t("df-result-marks", marks=both) in str(payloads[0])
    assert profile is not None and t("profile-defence-marks", marks=both) in profile


async def _published_at(factory: UnitOfWorkFactory) -> dict[int, tuple[datetime, str]]:
    """Person id -> (not_before, text) of each defence result in the outbox, one per person."""
    async with factory() as uow:
        rows = await uow.session.execute(
            select(OutgoingMessage.person_id, OutgoingMessage.not_before, OutgoingMessage.payload)
            .where(OutgoingMessage.dedupe_key.like("defence:%"))
            .order_by(OutgoingMessage.id)
        )
        return {
            person: (at if at.tzinfo else at.replace(tzinfo=UTC), payload["text"])
            for person, at, payload in rows
        }


async def test_published_at_23_local_a_minor_hears_at_nine_an_adult_at_once(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """The office publishes at 23:00 in Tomsk (16:00 UTC): the 14-year-old's result waits for
    09:00 local (02:00 UTC), the adult student's and the mentor's go at once; the office is told
    how many wait. A double tap sends nothing more."""
    night = FixedClock(datetime(2026, 9, 1, 16, 0, tzinfo=UTC))
    teen, adult = TEAM_ONE
    world = await build_defence_world(uow_factory, night, ages={teen: "teen"})
    m = RecordingMessenger([defence.DIALOG], uow_factory, night)
    await m.command(OFFICE, "defence")
    await m.press(OFFICE, t("df-btn-publish"))
    asked = m.chat(OFFICE).last.text
    assert asked == "\n".join((
        t("df-publish-confirm", teams=2, unscored=2, incomplete=0, recipients=6),
        t("df-publish-confirm-open", sessions=2),
        t("df-publish-confirm-waiting", waiting=1),
    ))  # fmt: skip
    await m.press(OFFICE, t("df-btn-publish-yes"))
    told = m.chat(OFFICE).last.text
    assert t("df-published-waiting", waiting=1) in told, told
    await m.press_again(OFFICE)
    assert m.chat(OFFICE).notices[-1] == (t("df-publish-again"), True)

    sent = await _published_at(uow_factory)
    assert sent[world.people[teen]][0] == datetime(2026, 9, 2, 2, 0, tzinfo=UTC)
    for tg_id in (adult, *TEAM_TWO):
        assert sent[world.people[tg_id]][0] == night.now(), tg_id
    # The mentor of both teams: one message about each, both at once.
    async with uow_factory() as uow:
        mentor = list(
            await uow.session.scalars(
                select(OutgoingMessage.not_before).where(
                    OutgoingMessage.person_id == world.people[MENTOR],
                    OutgoingMessage.dedupe_key.like("defence:%"),
                )
            )
        )
    assert len(mentor) == 2 and all(at.replace(tzinfo=UTC) == night.now() for at in mentor)


async def test_published_by_day_the_minor_hears_at_once(uow_factory: UnitOfWorkFactory) -> None:
    day = FixedClock(datetime(2026, 9, 1, 5, 0, tzinfo=UTC))  # 12:00 in Tomsk
    teen = TEAM_ONE[0]
    world = await build_defence_world(uow_factory, day, ages={teen: "teen"})
    m = RecordingMessenger([defence.DIALOG], uow_factory, day)
    await m.command(OFFICE, "defence")
    await m.press(OFFICE, t("df-btn-publish"))
    asked = m.chat(OFFICE).last.text
    assert asked == "\n".join((
        t("df-publish-confirm", teams=2, unscored=2, incomplete=0, recipients=6),
        t("df-publish-confirm-open", sessions=2),
    ))  # fmt: skip
    await m.press(OFFICE, t("df-btn-publish-yes"))
    assert t("df-published", sent=6) == m.chat(OFFICE).last.text
    await m.command(OFFICE, "defence")  # the old overview's «Опубликовать» now only says so
    await m.press(OFFICE, t("df-btn-publish"))
    assert m.chat(OFFICE).notices[-1] == (t("df-publish-again"), True)
    assert (await _published_at(uow_factory))[world.people[teen]][0] == day.now()

"""Certificates and the talent reserve, through the messenger with no aiogram
(tests/recording_messenger.py) and at the service.

Reserve: mentor A nominates two students of their team (the reason is in the request), one
agrees by the button, one refuses; a third agrees, then withdraws by /reserve_leave; mentor A
cannot nominate a student outside their team, a student cannot answer someone else's request
(forged press), a second nomination of the same person is refused; the office's XLSX holds the
consenting nominees only, and the access audit records only people who were in a file.
Certificates: codes are normalised (case, dashes, spaces) and never use 0/O/1/I; «finished» is
an accepted application and a team place; the coursework mark reaches the PDF.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from dialogs import reserve
from services.actions import ReserveAction, ReserveVerb
from services.certificates import ALPHABET, new_code, normalise_code
from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.domain import AccessKind, ApplicationStatus, TeamRole
from services.file_payload import file_bytes
from services.i18n import Texts
from storage.models import Certificate, OutgoingMessage, Team
from storage.uow import UnitOfWorkFactory
from tests.databases import ON_BOTH_DATABASES
from tests.recording_messenger import RecordingMessenger
from tests.selection_world import MENTOR_A, OFFICE, World, add_applicant, build_world, identity

t = Texts().for_language("ru")
AGREES, REFUSES, LEAVES, OUTSIDER = 8601, 8602, 8603, 8604


async def _team(factory: UnitOfWorkFactory, now: datetime, world: World) -> None:
    """Mentor A's team with three students (accepted); OUTSIDER applied and is in no team."""
    for tg_id in (AGREES, REFUSES, LEAVES, OUTSIDER):
        await add_applicant(factory, FixedClock(now), world, tg_id, ["peat-monitor"], media=False)
    async with factory() as uow:
        team = await uow.teams.add(
            Team(season_id=world.season_id, name="Альфа", code="alpha", created_at=now,
                 source_key=f"idea:{world.ideas['peat-monitor']}")
        )  # fmt: skip
        await uow.teams.add_member(team.id, world.people[MENTOR_A], TeamRole.MENTOR, now)
        for tg_id in (AGREES, REFUSES, LEAVES):
            await uow.teams.add_member(team.id, world.people[tg_id], TeamRole.STUDENT, now)
            application = await uow.applications.of_person(world.people[tg_id], world.season_id)
            assert application is not None
            await uow.applications.transition(
                application.id, [ApplicationStatus.SUBMITTED], ApplicationStatus.ACCEPTED, now
            )
        await uow.commit()


async def _xlsx_names(factory: UnitOfWorkFactory, clock: FixedClock) -> list[str]:
    async with factory() as uow:
        office = await identity(uow, OFFICE)
        export = await Services(uow, clock, Texts(), ServiceConfig()).reserve.build(office)
        await uow.commit()
    sheet = load_workbook(io.BytesIO(export.content))[t("reserve-sheet")]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == t("reserve-col-name")
    return [str(row[0]) for row in rows[1:]]


async def test_nomination_consent_and_the_export(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    world = await build_world(uow_factory, clock)
    await _team(uow_factory, clock.now(), world)
    m = RecordingMessenger([reserve.DIALOG], uow_factory, clock)
    people = world.people

    for tg_id in (AGREES, REFUSES, LEAVES):
        await m.command(MENTOR_A, "nominate", f"{people[tg_id]} Сильный аналитик {tg_id}")
        assert m.chat(MENTOR_A).last.text == t("reserve-nominated")
    await m.command(MENTOR_A, "nominate", f"{people[OUTSIDER]} Не из команды")
    assert m.chat(MENTOR_A).last.text == t("reserve-not-allowed")
    await m.command(MENTOR_A, "nominate", f"{people[AGREES]} Ещё раз")
    assert m.chat(MENTOR_A).last.text == t("reserve-already")
    await m.command(MENTOR_A, "nominate", f"{people[AGREES]}")
    assert m.chat(MENTOR_A).last.text == t("reserve-usage")
    assert await m.deliver() == 3
    ask = m.chat(AGREES).last
    assert ask.text == t("reserve-ask", reason=f"Сильный аналитик {AGREES}")
    assert [b.text for row in ask.rows for b in row] == [
        t("reserve-btn-agree"), t("reserve-btn-refuse"),
    ]  # fmt: skip

    # Someone else's request, its button forged: refused, nothing recorded.
    async with uow_factory() as uow:
        nomination = await uow.reserve.open_of(people[AGREES], world.season_id)
        assert nomination is not None
    forged = ReserveAction(verb=ReserveVerb.AGREE, nomination=nomination.id)
    await m.press_forged(OUTSIDER, forged)
    assert m.chat(OUTSIDER).notices[-1] == (t("reserve-not-yours"), True)
    assert await _xlsx_names(uow_factory, clock) == []

    await m.press(AGREES, t("reserve-btn-agree"))
    assert m.chat(AGREES).last.text == t("reserve-agreed")
    await m.press(REFUSES, t("reserve-btn-refuse"))
    assert m.chat(REFUSES).last.text == t("reserve-refused")
    await m.press(LEAVES, t("reserve-btn-agree"))
    await m.press_forged(AGREES, ReserveAction(verb=ReserveVerb.REFUSE, nomination=nomination.id))
    assert m.chat(AGREES).notices[-1] == (t("reserve-answered"), False)
    assert sorted(await _xlsx_names(uow_factory, clock)) == sorted(
        [f"Кандидат {AGREES}", f"Кандидат {LEAVES}"]
    )
    await m.command(LEAVES, "reserve_leave")
    assert m.chat(LEAVES).last.text == t("reserve-left")
    await m.command(REFUSES, "reserve_leave")
    assert m.chat(REFUSES).last.text == t("reserve-left-none")
    assert await _xlsx_names(uow_factory, clock) == [f"Кандидат {AGREES}"]

    # The office gets the file through the outbox; a mentor is refused it.
    await m.command(MENTOR_A, "reserve_export")
    assert m.chat(MENTOR_A).last.text == t("reserve-not-allowed")
    await m.command(OFFICE, "reserve_export")
    assert m.chat(OFFICE).last.text == t("reserve-export-sent")
    assert await m.deliver() == 1
    assert m.chat(OFFICE).last.text == t("reserve-caption", rows=1)
    async with uow_factory() as uow:
        exported = await uow.access_audit.about(people[AGREES])
        others = [await uow.access_audit.about(people[x]) for x in (REFUSES, OUTSIDER)]
    assert AccessKind.EXPORT in [row.kind for row in exported]
    assert all(AccessKind.EXPORT not in [r.kind for r in rows] for rows in others)


def test_codes_are_unambiguous_and_normalised() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 10 and set(c) <= set(ALPHABET) for c in codes)
    assert not set("0O1I") & set(ALPHABET)
    assert normalise_code(" abcd-efgh jk ") == "ABCDEFGHJK"
    assert normalise_code("ABCD-EFGH-J0") is None  # a zero is never in a code
    assert normalise_code("ABCD-EFGH") is None


async def test_finished_participants_and_the_coursework_mark(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    world = await build_world(uow_factory, clock)
    await _team(uow_factory, clock.now(), world)
    async with uow_factory() as uow:
        services = Services(uow, clock, Texts(), ServiceConfig())
        office = await identity(uow, OFFICE)
        issued = await services.certificates.issue_all(office)
        assert (issued.issued, issued.already) == (3, 0)  # OUTSIDER is in no team
        finished = await uow.certificates.finished(world.season_id)
        assert world.people[OUTSIDER] not in finished
        assert await services.certificates.set_coursework(office, world.people[AGREES], True)
        [certificate] = await uow.certificates.of_person(world.people[AGREES])
        card = await services.certificates.verify(certificate.code.lower())
        assert card is not None and card.coursework and card.name == f"Кандидат {AGREES}"
        assert card.team == "Альфа" and card.role is TeamRole.STUDENT
        await services.certificates.send_mine(await identity(uow, AGREES))
        rows = await uow.outbox.claim_due(clock.now(), 50, timedelta(minutes=1))
    mine = [r for r in rows if r.kind == "file" and r.person_id == world.people[AGREES]][-1]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(file_bytes(mine.payload))).pages)
    assert t("cert-coursework") in text.replace("\n", " ")


async def test_certificates_issued_at_23_local_reach_a_minor_at_nine_an_adult_at_once(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """The office sends /certificates at 23:00 in Tomsk (16:00 UTC): the 14-year-old's PDF waits
    for 09:00 local (02:00 UTC), the adults' go at once, the office is told one waits; the
    minor's own /certificate at night is an answer to them and goes at once."""
    night = FixedClock(datetime(2026, 9, 1, 16, 0, tzinfo=UTC))
    world = await build_world(uow_factory, night)
    await add_applicant(uow_factory, night, world, AGREES, ["peat-monitor"], media=False,
                        answers={"age_group": "teen"})  # fmt: skip
    await add_applicant(uow_factory, night, world, REFUSES, ["peat-monitor"], media=False,
                        answers={"age_group": "adult"})  # fmt: skip
    await _team(uow_factory, night.now(), world)
    m = RecordingMessenger([reserve.DIALOG], uow_factory, night)
    await m.command(OFFICE, "certificates")
    assert m.chat(OFFICE).last.text == "\n".join(
        (t("cert-issued", issued=3, already=0), t("cert-issued-waiting", waiting=1))
    )
    files = await _certificate_rows(uow_factory)
    morning = datetime(2026, 9, 2, 2, 0, tzinfo=UTC)
    assert files[world.people[AGREES]] == [morning]
    assert files[world.people[REFUSES]] == [night.now()]
    assert files[world.people[LEAVES]] == [night.now()]  # no age group given: not a minor

    await m.command(AGREES, "certificate")
    assert (await _certificate_rows(uow_factory))[world.people[AGREES]] == [morning, night.now()]


async def _certificate_rows(factory: UnitOfWorkFactory) -> dict[int, list[datetime]]:
    """Person id -> the not_before of each certificate PDF queued for them, in order."""
    found: dict[int, list[datetime]] = {}
    async with factory() as uow:
        rows = await uow.session.execute(
            select(OutgoingMessage.person_id, OutgoingMessage.not_before)
            .where(OutgoingMessage.kind == "file", OutgoingMessage.subject.like("certificate:%"))
            .order_by(OutgoingMessage.id)
        )
        for person, at in rows:
            found.setdefault(person, []).append(at if at.tzinfo else at.replace(tzinfo=UTC))
    return found


@ON_BOTH_DATABASES  # the conditional insert is dialect-specific
async def test_a_second_certificate_for_the_same_season_is_not_added(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    """What two /certificates at once come to: the second insert for a person adds nothing."""
    world = await build_world(uow_factory, clock)
    await _team(uow_factory, clock.now(), world)
    person = world.people[AGREES]
    async with uow_factory() as uow:
        first = await uow.certificates.add(
            Certificate(person_id=person, season_id=world.season_id, code="AAAAAAAAAA",
                        issued_at=clock.now())
        )  # fmt: skip
        second = await uow.certificates.add(
            Certificate(person_id=person, season_id=world.season_id, code="BBBBBBBBBB",
                        issued_at=clock.now())
        )  # fmt: skip
        await uow.commit()
        assert first is not None and first.code == "AAAAAAAAAA" and not first.coursework
        assert second is None
        assert [c.code for c in await uow.certificates.of_person(person)] == ["AAAAAAAAAA"]
        issued = await Services(uow, clock, Texts(), ServiceConfig()).certificates.issue_all(
            await identity(uow, OFFICE)
        )
    assert (issued.issued, issued.already) == (2, 1)

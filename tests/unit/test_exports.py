"""The office's XLSX exports: user text that looks like a formula (`=1+1`, `+7 913…`, `@name`,
`-5`) stays text when openpyxl reads the file back; one row per application with every answer,
Russian headers, times in the season's zone, reviewers' scores on their own sheet; the access
audit names everyone in the file; a student or a mentor is refused and gets no file."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.domain import AccessKind, Decision, Role, TeamRole
from services.errors import NotAllowed
from services.exports import ExportKind
from services.exports.cells import Sheet, local
from services.file_payload import file_bytes
from services.i18n import Texts
from services.people import Identity
from storage.models import AccessRecord, OutgoingMessage, SelectionCriterion, Team
from storage.uow import UnitOfWorkFactory
from tests.databases import ON_BOTH_DATABASES
from tests.selection_world import MENTOR_A, OFFICE, World, add_applicant, build_world, identity

TEXTS = Texts()
RISKY = ["=1+1", "+7 913 555-44-33", "@name", "-5", "\tx", "\rx", "=", '=HYPERLINK("x")']
FIRST, SECOND, THIRD = 8201, 8202, 8203
WHY = "@name " + "почему " * 20


def services(uow: Any, clock: FixedClock) -> Services:
    return Services(uow, clock, TEXTS, ServiceConfig())


def _reread(workbook: Workbook) -> Any:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))


def test_text_that_looks_like_a_formula_stays_text() -> None:
    workbook = Workbook(write_only=True)
    sheet = Sheet(workbook, "Лист", ["Значение"])
    sheet.write([[value] for value in RISKY] + [["ok\x01"], [5]])
    rows = list(_reread(workbook)["Лист"].iter_rows(min_row=2))
    for row, value in zip(rows, RISKY, strict=False):
        # XML reads a carriage return back as a line feed: still text, never a formula.
        assert (row[0].value, row[0].data_type) == (value.replace("\r", "\n"), "s")
    assert rows[len(RISKY)][0].value == "ok"  # a character XML cannot hold is dropped
    assert rows[len(RISKY) + 1][0].value == 5


def test_times_are_the_seasons_wall_clock() -> None:
    moment = datetime(2026, 9, 1, 7, 0, tzinfo=UTC)
    assert local(moment, ZoneInfo("Asia/Tomsk")) == datetime(2026, 9, 1, 14, 0)
    assert local(None, ZoneInfo("Asia/Tomsk")) is None


async def _world(factory: UnitOfWorkFactory, clock: FixedClock) -> tuple[World, list[int]]:
    world = await build_world(factory, clock)
    answers = {"about": "=1+1", "phone": "+7 913 555-44-33", "q-why": WHY, "q-experience": "-5"}
    apps = [
        await add_applicant(factory, clock, world, FIRST, ["peat-monitor", "space-sat"],
                            answers=answers),
        await add_applicant(factory, clock, world, SECOND, ["space-sat"]),
        await add_applicant(factory, clock, world, THIRD, ["river-clean"], role=Role.TUTOR),
    ]  # fmt: skip
    async with factory() as uow:
        criteria = await uow.season_config.active(SelectionCriterion, world.season_id)
        for n, criterion in enumerate(criteria, start=3):
            await uow.selection.upsert_score(
                apps[0], world.people[MENTOR_A], criterion.id, n, clock.now()
            )
        await uow.selection.set_note(apps[0], world.people[MENTOR_A], clock.now(), comment="=2+2")
        await uow.selection.decide(
            apps[0], Decision.ACCEPTED, world.ideas["peat-monitor"], None, clock.now()
        )
        await uow.commit()
    return world, apps


async def _sent_file(factory: UnitOfWorkFactory) -> tuple[str, Any]:
    async with factory() as uow:
        [row] = list(
            await uow.session.scalars(select(OutgoingMessage).where(OutgoingMessage.kind == "file"))
        )
    return row.payload["filename"], load_workbook(io.BytesIO(file_bytes(row.payload)))


def _column(rows: list[tuple[Any, ...]], header: str) -> int:
    return rows[0].index(header)


@ON_BOTH_DATABASES
async def test_applications_one_row_each_with_answers_scores_and_decisions(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    world, apps = await _world(uow_factory, clock)
    async with uow_factory() as uow:
        me = await identity(uow, OFFICE)
        export = await services(uow, clock).exports.send(me, ExportKind.APPLICATIONS)
    assert export.rows == 3
    filename, book = await _sent_file(uow_factory)
    assert filename == "applications-tomsk-2026-20260901-1400.xlsx"
    assert book.sheetnames == ["Заявки", "Оценки"]
    sheet = book["Заявки"]
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows()]
    assert len(rows) == 1 + 3
    assert [r[0] for r in rows[1:]] == [f"T-{a:05d}" for a in apps]
    for header in ("Номер заявки", "Статус", "Роль", "О себе", "Телефон", "Идея, выбор 1"):
        assert header in rows[0]
    assert "Подана (Asia/Tomsk)" in rows[0]
    assert any(str(h).startswith("Вопрос 1: Почему вы хотите") for h in rows[0])
    first = rows[1]
    assert first[_column(rows, "О себе")] == "=1+1"
    assert first[_column(rows, "Телефон")] == "+7 913 555-44-33"
    assert first[_column(rows, "Подана (Asia/Tomsk)")] == datetime(2026, 9, 1, 14, 0)
    assert first[_column(rows, "Статус")] == "подана"
    assert rows[3][_column(rows, "Роль")] == "тьютор"
    assert first[_column(rows, "Идея, выбор 1")].startswith("Мониторинг торфяных")
    assert first[_column(rows, "Решение офиса")] == "принять"
    assert rows[2][_column(rows, "Решение офиса")] is None
    for any_sheet in book.worksheets:
        for row in any_sheet.iter_rows():
            assert all(c.data_type != "f" for c in row)
    about = sheet.cell(row=2, column=_column(rows, "О себе") + 1)
    assert (about.value, about.data_type) == ("=1+1", "s")
    scores = [tuple(c.value for c in row) for row in book["Оценки"].iter_rows()]
    assert scores[0][:3] == ("Номер заявки", "ФИО", "Эксперт")
    assert scores[1] == (f"T-{apps[0]:05d}", f"Кандидат {FIRST}", f"Наставник {MENTOR_A}",
                         3, 4, 5, None, "=2+2")  # fmt: skip
    async with uow_factory() as uow:
        audit = list(await uow.session.scalars(select(AccessRecord)))
    assert {(r.subject_person_id, r.application_id) for r in audit} == {
        *((world.people[tg], app) for tg, app in zip((FIRST, SECOND, THIRD), apps, strict=True)),
        (world.people[MENTOR_A], None),
    }
    assert {(r.kind, r.staff_id) for r in audit} == {(AccessKind.EXPORT, world.people[OFFICE])}


async def test_a_student_and_a_mentor_are_refused(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    world, _ = await _world(uow_factory, clock)
    async with uow_factory() as uow:
        mentor = await identity(uow, MENTOR_A)
        student = Identity(world.people[FIRST], FIRST, "ru", frozenset({Role.STUDENT}),
                           frozenset({(Role.STUDENT, world.season_id)}))  # fmt: skip
        for me in (mentor, student):
            with pytest.raises(NotAllowed) as refused:
                await services(uow, clock).exports.send(me, ExportKind.APPLICATIONS)
            assert refused.value.key == "export-not-allowed"
            with pytest.raises(NotAllowed):
                await services(uow, clock).exports.menu(me)
        await uow.commit()
        files = list(await uow.session.scalars(select(OutgoingMessage)))
        assert [m for m in files if m.kind == "file"] == []
        assert list(await uow.session.scalars(select(AccessRecord))) == []


async def test_teams_tasks_and_bookings_have_russian_headers(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    world = await build_world(uow_factory, clock)
    await add_applicant(uow_factory, clock, world, FIRST, ["space-sat"], answers={"about": "x"})
    async with uow_factory() as uow:
        team = await uow.teams.add(
            Team(season_id=world.season_id, name="=Команда", code="T1", created_at=clock.now())
        )
        await uow.teams.add_member(team.id, world.people[FIRST], TeamRole.STUDENT, clock.now())
        await uow.commit()
    expected = {
        ExportKind.TEAMS: ("Команды", "Код команды", 1),
        ExportKind.TASKS: ("Задачи ИУП", "ФИО", 0),
        ExportKind.BOOKINGS: ("Бронирования", "ФИО", 0),
    }
    for kind, (title, first_header, count) in expected.items():
        async with uow_factory() as uow:
            me = await identity(uow, OFFICE)
            export = await services(uow, clock).exports.build(me, kind)
        book = load_workbook(io.BytesIO(export.content))
        rows = [tuple(c.value for c in row) for row in book[title].iter_rows()]
        assert rows[0][0] == first_header and export.rows == count == len(rows) - 1
    team_row = next(load_workbook(io.BytesIO(export.content)).worksheets[0].iter_rows())
    assert team_row  # the last file opens too

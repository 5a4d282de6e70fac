"""`python -m bot export KIND [--season CODE] --out FILE` (in-process): the file it writes opens
with openpyxl, one row per application; the access audit records the CLI's export (no staff
person); an unknown season or directory is an error (exit 2) and writes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.__main__ import EXPORT_KINDS, main
from services.clock import FixedClock
from services.exports import ExportKind
from storage.db import create_engine, create_session_factory
from storage.models import AccessRecord
from storage.uow import UnitOfWorkFactory
from tests.selection_world import add_applicant, build_world


@pytest.fixture
def database_url(sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    path = tmp_path / "cli.sqlite3"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    monkeypatch.setenv("BOT_TOKEN", "123456:TEST-token")
    monkeypatch.setenv("DATABASE_URL", url)
    return url


async def _seed(url: str, clock: FixedClock) -> None:
    engine = create_engine(url)
    try:
        factory = UnitOfWorkFactory(create_session_factory(engine))
        world = await build_world(factory, clock)
        for tg_id in (8301, 8302):
            await add_applicant(factory, clock, world, tg_id, ["space-sat"],
                                answers={"about": "=1+1"})  # fmt: skip
    finally:
        await engine.dispose()


async def _audit(url: str) -> list[tuple[int | None, int | None]]:
    engine = create_engine(url)
    try:
        async with UnitOfWorkFactory(create_session_factory(engine))() as uow:
            rows = await uow.session.scalars(select(AccessRecord))
            return [(r.staff_id, r.application_id) for r in rows]
    finally:
        await engine.dispose()


def test_the_kinds_are_the_services() -> None:
    assert tuple(kind.value for kind in ExportKind) == EXPORT_KINDS


async def test_cli_writes_a_file_openpyxl_opens(
    database_url: str, clock: FixedClock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await _seed(database_url, clock)
    out = tmp_path / "applications.xlsx"
    code = await _in_thread(["export", "applications", "--season", "tomsk-2026", "--out", str(out)])
    assert code == 0
    assert "2 row(s) written" in capsys.readouterr().out
    sheet = load_workbook(out)["Заявки"]
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 2
    header = [c.value for c in next(sheet.iter_rows())]
    about = rows[0][header.index("О себе")]
    assert (about.value, about.data_type) == ("=1+1", "s")
    audit = await _audit(database_url)
    assert len(audit) == 2 and all(staff is None and app for staff, app in audit)


async def test_cli_refuses_an_unknown_season_or_directory(
    database_url: str, clock: FixedClock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await _seed(database_url, clock)
    out = tmp_path / "x.xlsx"
    assert await _in_thread(["export", "teams", "--season", "nope", "--out", str(out)]) == 2
    assert "Сезон nope не найден" in capsys.readouterr().err
    missing = tmp_path / "no" / "x.xlsx"
    assert await _in_thread(["export", "teams", "--out", str(missing)]) == 2
    assert not out.exists() and await _audit(database_url) == []


async def _in_thread(argv: list[str]) -> int:
    """`main` runs its own event loop: call it off the test's."""
    import asyncio

    return await asyncio.to_thread(main, argv)

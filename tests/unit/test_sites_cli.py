"""The sites file through the office's CLI (`python -m bot sites import FILE`, in-process): its
problems printed with their paths, exit 1, nothing written; and the README's example passes."""

from __future__ import annotations

import asyncio
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from sqlalchemy import func, select

from bot.__main__ import main
from services.sites_file import read_sites
from storage.db import create_engine, create_session_factory
from storage.models import Season, Site, Slot
from storage.uow import UnitOfWorkFactory

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def database_url(sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    path = tmp_path / "cli.sqlite3"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    monkeypatch.setenv("BOT_TOKEN", "123456:TEST-token")
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def _readme_sites_file() -> str:
    manual = README.read_text(encoding="utf-8")
    [block] = re.findall(r"A sites file.*?```yaml\n(.*?)```", manual, flags=re.DOTALL)
    return str(block)


async def _season_and_counts(url: str, *, add_season: bool) -> tuple[int, int]:
    engine = create_engine(url)
    try:
        async with UnitOfWorkFactory(create_session_factory(engine))() as uow:
            if add_season:
                created = datetime(2026, 9, 1, tzinfo=UTC)
                await uow.seasons.add(
                    Season(
                        code="s1",
                        name="S1",
                        region="R",
                        timezone="Europe/Moscow",
                        created_at=created,
                    )
                )
                await uow.commit()
            sites = await uow.session.scalar(select(func.count()).select_from(Site))
            slots = await uow.session.scalar(select(func.count()).select_from(Slot))
            return int(sites or 0), int(slots or 0)
    finally:
        await engine.dispose()


def test_the_sites_cli_prints_each_problem_with_its_path_and_exits_1(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_season_and_counts(database_url, add_season=True))
    data = yaml.safe_load(_readme_sites_file())
    data["sites"][0]["contact"] = "Иван"
    data["sites"][0]["slots"][0]["capacity"] = 501
    data["sites"][0]["slots"][0]["start"] = "завтра"
    file = tmp_path / "sites.yaml"
    file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    assert main(["sites", "import", str(file)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{file}: sites[0].slots[0].start: ожидаются дата и время вида 2026-09-01 10:00",
        f"{file}: sites[0].slots[0].capacity: должно быть не больше 500",
        f"{file}: sites[0].contact: неизвестный ключ",
    ]
    assert asyncio.run(_season_and_counts(database_url, add_season=False)) == (0, 0)


def test_the_readme_sites_example_passes_the_model() -> None:
    sites = read_sites(yaml.safe_load(_readme_sites_file()), ZoneInfo("Europe/Moscow"))
    [site] = sites.sites
    assert (sites.season, site.code, site.auto_confirm) == ("s1", "zavod", False)
    [slot] = site.slots
    assert slot.start == datetime(2026, 12, 3, 7, 0, tzinfo=UTC) and slot.capacity == 5

"""Season import: the example loads, a second import changes nothing twice, a broken file lists
every error with its path and writes nothing, consent texts are versioned."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from services.clock import FixedClock
from services.seasons import SeasonFileInvalid, SeasonImportService, load_config
from storage.models import (
    ConsentKind,
    ConsentText,
    Direction,
    Invitation,
    MotivationQuestion,
    Municipality,
    ProjectIdea,
    Role,
    Season,
    SeasonSettings,
    SelectionCriterion,
)
from storage.uow import UnitOfWorkFactory
from tests.applicants import EXAMPLE

TABLES = (
    Season, SeasonSettings, ConsentText, Municipality, Direction, ProjectIdea,
    MotivationQuestion, SelectionCriterion, Invitation,
)  # fmt: skip


async def _import(uow_factory: UnitOfWorkFactory, clock: FixedClock, text: str) -> Any:
    async with uow_factory() as uow:
        return await SeasonImportService(uow, clock).import_text(text)


async def _counts(uow_factory: UnitOfWorkFactory) -> dict[str, int]:
    async with uow_factory() as uow:
        return {
            table.__tablename__: int(
                await uow.session.scalar(select(func.count()).select_from(table)) or 0
            )
            for table in TABLES
        }


def _example() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    return loaded


async def test_example_imports_twice_without_duplicates(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    first = await _import(uow_factory, clock, text)
    after_first = await _counts(uow_factory)
    second = await _import(uow_factory, clock, text)
    assert after_first == await _counts(uow_factory) == {
        "seasons": 1, "season_settings": 1, "consent_texts": 2, "municipalities": 20,
        "directions": 5, "project_ideas": 12, "motivation_questions": 3,
        "selection_criteria": 3, "invitations": 12,
    }  # fmt: skip
    assert first.created and not second.created and second.revision == 2
    # The mentor invitation of each idea is made once and shown again on every import.
    assert [link.payload for link in first.mentor_links] == [
        link.payload for link in second.mentor_links
    ]
    async with uow_factory() as uow:
        season = await uow.seasons.by_code("tomsk-2026")
        assert season is not None
        config = await load_config(uow, season)
        roles = set(await uow.session.scalars(select(Invitation.role)))
    assert config is not None and config.timezone == "Asia/Tomsk"
    assert config.student_ages == (13, 17) and config.tutor_ages == (18, None)
    assert config.representative_only_under == 14
    assert config.opens is not None and config.opens.isoformat() == "2026-08-31T17:00:00+00:00"
    assert [q.code for q in config.questions] == ["why", "experience", "teamwork"]
    assert roles == {Role.MENTOR}


async def test_reimport_updates_in_place_and_switches_off_what_left(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await _import(uow_factory, clock, EXAMPLE.read_text(encoding="utf-8"))
    data = _example()
    data["ideas"] = data["ideas"][:11]
    data["ideas"][0]["title"] = "Новое название"
    data["municipalities"].append("Новый округ")
    data["consent"]["applicant"] = {"version": "2026.2", "text": "Новая редакция согласия."}
    await _import(uow_factory, clock, yaml.safe_dump(data, allow_unicode=True))
    async with uow_factory() as uow:
        season = await uow.seasons.by_code("tomsk-2026")
        assert season is not None
        config = await load_config(uow, season)
        versions = [
            (row.version, row.is_current)
            for row in await uow.season_config.consent_texts(season.id)
            if row.kind is ConsentKind.APPLICANT
        ]
    assert config is not None
    assert len(config.ideas) == 11 and config.ideas[0].title == "Новое название"
    assert config.municipalities[-1][1] == "Новый округ"
    assert versions == [("2026.1", False), ("2026.2", True)]
    assert config.consent_texts[ConsentKind.APPLICANT].version == "2026.2"
    assert (await _counts(uow_factory))["project_ideas"] == 12  # kept, switched off


async def test_broken_file_lists_every_error_and_changes_nothing(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await _import(uow_factory, clock, EXAMPLE.read_text(encoding="utf-8"))
    before = await _counts(uow_factory)
    data = _example()
    data["season"]["timezone"] = "Europe/Atlantis"
    data["ideas"][3]["capacity"]["students"] = 0
    data["ideas"][5]["direction"] = "space"
    data["ideas"][7]["code"] = data["ideas"][6]["code"]
    del data["ideas"][8]["title"]
    data["questions"][0]["kind"] = "essay"
    data["questions"][1]["min_length"] = 2000
    data["municipalities"].append("Томск")
    data["criteria"][0]["weight"] = -1
    data["ages"]["students"]["max"] = 12
    data["surprise"] = True
    data["consent"]["applicant"]["text"] = "Другой текст под той же редакцией"
    with pytest.raises(SeasonFileInvalid) as caught:
        await _import(uow_factory, clock, yaml.safe_dump(data, allow_unicode=True))
    assert set(caught.value.errors) == {
        "surprise: unknown key",
        "season.timezone: unknown IANA time zone 'Europe/Atlantis'",
        "ages.students.max: must not be less than ages.students.min",
        "municipalities[20]: duplicate municipality 'Томск' (also at municipalities[0])",
        "ideas[3].capacity.students: must be a positive integer",
        "ideas[5].direction: no direction with code 'space' in directions",
        "ideas[7].code: duplicate idea code 'bike-network' (also at ideas[6].code)",
        "ideas[8].title: is required",
        "questions[0].kind: must be 'text' or 'scale'",
        "questions[1].max_length: must not be less than min_length",
        "criteria[0].weight: must be a positive number",
        # Checked against what is stored: a changed text under an imported version.
        "consent.applicant.text: differs from the text already imported as version '2026.1'; "
        "give the changed text a new version",
    }
    assert await _counts(uow_factory) == before


async def test_not_yaml_and_empty_files_are_explained(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    with pytest.raises(SeasonFileInvalid) as caught:
        await _import(uow_factory, clock, "season: [unclosed")
    assert caught.value.errors[0].startswith("line 1, column")
    with pytest.raises(SeasonFileInvalid) as caught:
        await _import(uow_factory, clock, "season:\n  code: x\n")
    assert "season.name: is required" in caught.value.errors
    assert "ideas: is required (a list)" in caught.value.errors
    assert await _counts(uow_factory) == dict.fromkeys((t.__tablename__ for t in TABLES), 0)

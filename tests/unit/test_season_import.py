"""Season import: the example loads, a second import changes nothing twice, a broken file lists
every error with its path and writes nothing, consent texts are versioned."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import func, select

from services.clock import FixedClock
from services.domain import ConsentKind, Role
from services.file_problems import FileProblem, problems_of
from services.i18n import Texts
from services.season_import import SeasonFileInvalid, SeasonImportService, read_season_file
from services.seasons import load_config
from storage.models import (
    ConsentText,
    Direction,
    Invitation,
    MotivationQuestion,
    Municipality,
    ProjectIdea,
    Season,
    SeasonSettings,
    SelectionCriterion,
)
from storage.uow import UnitOfWorkFactory
from tests.example_season import EXAMPLE

ROOT = Path(__file__).resolve().parents[2]
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
        "surprise: неизвестный ключ",
        "season.timezone: неизвестный часовой пояс IANA «Europe/Atlantis»",
        "ages.students.max: не может быть меньше минимума (13)",
        "municipalities[20]: муниципалитет «Томск» повторяется (уже есть в municipalities[0])",
        "ideas[3].capacity.students: должно быть больше 0",
        "ideas[5].direction: нет направления с кодом «space» в directions",
        "ideas[7].code: код «bike-network» повторяется (уже есть в ideas[6].code)",
        "ideas[8].title: обязательное поле",
        "questions[0].kind: допустимые значения: 'text', 'scale'",
        "questions[1].max_length: не может быть меньше минимума (2000)",
        "criteria[0].weight: должно быть больше 0",
        # Checked against what is stored: a changed text under an imported version.
        "consent.applicant.text: текст отличается от уже загруженного под редакцией «2026.1»; "
        "дайте изменённому тексту новую редакцию",
    }
    assert await _counts(uow_factory) == before


async def test_not_yaml_and_empty_files_are_explained(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    with pytest.raises(SeasonFileInvalid) as caught:
        await _import(uow_factory, clock, "season: [unclosed")
    assert caught.value.errors[0].startswith("строка 1, столбец")
    with pytest.raises(SeasonFileInvalid) as caught:
        await _import(uow_factory, clock, "season:\n  code: x\n")
    assert "season.name: обязательное поле" in caught.value.errors
    assert "ideas: обязательное поле" in caught.value.errors
    assert await _counts(uow_factory) == dict.fromkeys((t.__tablename__ for t in TABLES), 0)


# --- the file's models: paths and Russian wording (issue 11, typed files) ----------------------


def _problems(data: dict[str, Any]) -> list[str]:
    spec, errors = read_season_file(yaml.safe_dump(data, allow_unicode=True))
    assert spec is None
    return errors


def test_an_unknown_key_in_the_season_file_is_refused_with_its_path() -> None:
    data = _example()
    data["ideas"][2]["colour"] = "зелёный"
    data["season"]["opens"] = "2026-09-01"
    assert _problems(data) == [
        "season.opens: неизвестный ключ",
        "ideas[2].colour: неизвестный ключ",
    ]


def test_a_wrong_type_in_the_season_file_is_refused_with_its_path() -> None:
    data = _example()
    data["ideas"][0]["capacity"]["tutors"] = "two"
    data["consent"]["applicant"] = "согласен"
    data["municipalities"] = "Томск"
    data["criteria"][1]["weight"] = True
    assert _problems(data) == [
        "consent.applicant: ожидается словарь (ключ: значение)",
        "municipalities: ожидается список",
        "ideas[0].capacity.tutors: ожидается целое число",
        "criteria[1].weight: ожидается число",
    ]


def test_cross_field_errors_in_the_season_file_point_at_the_field() -> None:
    data = _example()
    data["season"]["applications_close"] = "2026-08-31 23:00"
    data["questions"][2]["max_length"] = 100
    data["ages"]["tutors"] = {"min": 30, "max": 25}
    assert _problems(data) == [
        "season.applications_close: приём заявок должен закрываться позже, чем открывается",
        "ages.tutors.max: не может быть меньше минимума (30)",
        "questions[2].max_length: допустимо только для текстовых вопросов",
    ]


def test_every_problem_is_worded_in_russian_through_fluent() -> None:
    texts = Texts()
    # Each pydantic error type we translate, and each key our validators raise, has its text.
    sources = "".join(
        (ROOT / "services" / name).read_text(encoding="utf-8")
        for name in ("file_problems.py", "season_file.py", "sites_file.py", "season_import.py")
    )
    keys = set(re.findall(r'"(file-[a-z-]+)"', sources))
    assert len(keys) > 20 and {key for key in keys if not texts.has(key)} == set()
    # A type nobody translated still gets a Russian text, with its path.
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(dict[str, uuid.UUID]).validate_python({"id": "not-a-uuid"})
    [problem] = problems_of(caught.value)
    assert problem.line(texts) == "id: недопустимое значение"
    assert (
        FileProblem("", "file-mapping").line(texts) == "(файл): ожидается словарь (ключ: значение)"
    )
    assert FileProblem("x", "file-too-long", {"max_length": 4000}).line(texts) == (
        "x: не длиннее 4000 символов"
    )

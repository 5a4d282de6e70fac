"""Limits on what a press may carry: every id in callback data is bounded when it is parsed, and
a malformed press is refused with a clear answer, logged at INFO, and changes nothing."""

from __future__ import annotations

import asyncio
import logging
import typing
from typing import Any

import pytest
from aiogram.types import Update
from annotated_types import Ge, Le, Lt
from sqlalchemy import select

from services.actions import ApplyVerb, OfficeAction, OfficeVerb, actions, encode
from storage.models import Base
from tests.applicants import cd
from tests.databases import ON_BOTH_DATABASES
from tests.dispatcher.harness import Harness
from tests.texts import said

MALFORMED = (
    "Эта кнопка повреждена или устарела, её нажатие ничего не изменило. "
    "Откройте нужный раздел заново — список команд в /help."
)
APPLICANT = 31


async def _snapshot(harness: Harness) -> dict[str, list[Any]]:
    """Every row of every table but the update-id dedupe log (which records every update)."""
    async with harness.app.uow_factory() as uow:
        return {
            table.name: sorted(map(repr, (await uow.session.execute(select(table))).all()))
            for table in Base.metadata.sorted_tables
            if table.name != "processed_updates"
        }


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(f"ap:2:op:{2**31}:::0:0", id="id-out-of-range"),
        pytest.param(f"ap:2:wd:{2**63}:::0:0", id="id-past-bigint"),
        pytest.param("ap:2:op:-1:::0:0", id="negative-id"),
        pytest.param("ap:2:op:abc:::0:0", id="non-numeric-id"),
        pytest.param("ap:2:zz:1:::0:0", id="unknown-verb"),
        pytest.param("ap:open:1::", id="stale-layout"),
        pytest.param("zz:open:1", id="unknown-prefix"),
        pytest.param(cd(ApplyVerb.OPEN, 1) + ":1", id="too-many-fields"),
        pytest.param("plan:2:ok", id="too-few-fields"),
    ],
)
async def test_a_malformed_press_is_refused_logged_at_info_and_changes_nothing(
    harness: Harness, caplog: pytest.LogCaptureFixture, data: str
) -> None:
    await harness.send(APPLICANT, "/start")
    before = await _snapshot(harness)
    caplog.clear()
    caplog.set_level(logging.INFO)

    await harness.press(APPLICANT, data)

    assert harness.session.alerts() == [MALFORMED]
    refusals = [r for r in caplog.records if "refused a malformed button press" in r.getMessage()]
    assert [r.levelno for r in refusals] == [logging.INFO]
    assert data not in caplog.text  # the reason names fields, never the values
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert await _snapshot(harness) == before


async def test_a_well_formed_press_of_another_role_is_still_not_allowed(harness: Harness) -> None:
    await harness.send(APPLICANT, "/start")
    await harness.press(APPLICANT, encode(OfficeAction(verb=OfficeVerb.OVERVIEW)))
    assert harness.session.alerts() == [said("error-not-allowed")]


def test_every_number_in_callback_data_is_bounded_within_a_database_integer() -> None:
    found = actions()  # every button's action, in services/actions.py
    assert {"ap", "plan", "sel", "ofs", "int", "tm"} <= set(found)
    for prefix, kind in found.items():
        for name, field in kind.model_fields.items():
            if field.annotation is not int:
                continue
            low = next((m.ge for m in field.metadata if isinstance(m, Ge)), None)
            high = next(
                (m.lt - 1 for m in field.metadata if isinstance(m, Lt)),
                next((m.le for m in field.metadata if isinstance(m, Le)), None),
            )
            where = f"{prefix}.{name}"
            assert low is not None and high is not None, f"{where} is unbounded"
            assert -(2**31) <= typing.cast(int, low) <= typing.cast(int, high) < 2**31, where


@ON_BOTH_DATABASES  # reaches statements only this test runs on PG
async def test_a_bug_is_still_logged_as_an_error_with_its_place(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    # An outage is one warning line (test_spine.py); anything else keeps the traceback.
    harness.session.errors["SendMessage"] = RuntimeError("a bug")
    await harness.send(APPLICANT, "/help", update_id=888_001)
    assert harness.session.texts_to(APPLICANT)[-1].startswith(said("error-unexpected"))
    [record] = [r for r in caplog.records if "update 888001 failed" in r.getMessage()]
    assert record.levelno == logging.ERROR
    assert "RuntimeError" in record.getMessage() and "File " in record.getMessage()


async def test_an_update_waiting_too_long_for_a_database_slot_fails_fast() -> None:
    """The gate's wait is bounded like the pool's: with every slot held by updates stuck on a
    stalled database, the next one fails fast (the error handler answers it) instead of
    queueing behind them; once a slot frees, updates pass again."""
    from bot.middlewares import DatabaseGate
    from storage.health import DatabaseUnavailable

    gate = DatabaseGate(limit=1, timeout=0.05)
    stuck, release = asyncio.Event(), asyncio.Event()

    async def stalled(_: Any, __: dict[str, Any]) -> str:
        stuck.set()
        await release.wait()
        return "late"

    async def quick(_: Any, __: dict[str, Any]) -> str:
        return "done"

    holder = asyncio.create_task(gate(stalled, Update(update_id=1), {}))
    await stuck.wait()
    with pytest.raises(DatabaseUnavailable):
        await gate(quick, Update(update_id=2), {})
    release.set()
    assert await holder == "late"
    assert await gate(quick, Update(update_id=3), {}) == "done"

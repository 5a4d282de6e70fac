"""Retention (services/retention.py) on a fake clock: an applicant not accepted is erased once
the season's period after the results is over — not a day before, counted in the season's zone —
an accepted one is kept, and the daily job logs counts only."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from scheduler.jobs import Jobs
from services.clock import FixedClock
from services.domain import ApplicationStatus
from services.i18n import Texts
from services.retention import is_due
from storage.models import Answer, Application, Person, ResultsPublication, Season
from storage.uow import UnitOfWorkFactory

# Results published at 22:30 UTC on 31 May: 1 June already, in Tomsk (UTC+7).
PUBLISHED = datetime(2026, 5, 31, 22, 30, tzinfo=UTC)
DAYS = 30
REJECTED_NAME = "Отказов Ретеншн Маркерович"
ACCEPTED_NAME = "Принятов Остаётся Маркерович"


async def _season_with_results(uow_factory: UnitOfWorkFactory, now: datetime) -> dict[str, int]:
    async with uow_factory() as uow:
        season = Season(
            code="r1", name="Набор", region="Регион", timezone="Asia/Tomsk", created_at=now,
            retention_days_after_results=DAYS,
        )  # fmt: skip
        uow.session.add(season)
        await uow.session.flush()
        uow.session.add(
            ResultsPublication(season_id=season.id, published_at=PUBLISHED, published_by=None)
        )
        ids: dict[str, int] = {}
        for tg_id, name, status in (
            (11, REJECTED_NAME, ApplicationStatus.NOT_SELECTED),
            (12, ACCEPTED_NAME, ApplicationStatus.ACCEPTED),
        ):
            person = Person(tg_id=tg_id, full_name=name, created_at=now, updated_at=now)
            uow.session.add(person)
            await uow.session.flush()
            application = Application(
                season_id=season.id, person_id=person.id, status=status,
                created_at=now, updated_at=now,
            )  # fmt: skip
            uow.session.add(application)
            await uow.session.flush()
            uow.session.add(
                Answer(application_id=application.id, step="full_name", value=name, answered_at=now)
            )
            ids[name] = application.id
        await uow.commit()
    return ids


async def _name_and_answers(uow_factory: UnitOfWorkFactory, tg_id: int) -> tuple[object, object]:
    async with uow_factory() as uow:
        person = await uow.people.by_tg_id(tg_id)
        assert person is not None
        (application,) = await uow.applications.all_of_person(person.id)
        return person.full_name, await uow.applications.answers(application.id)


def test_the_period_counts_in_the_seasons_zone() -> None:
    # 1 June local + 30 days = 1 July local (Tomsk); 30 June 16:59 UTC is 23:59 local.
    assert not is_due(PUBLISHED, DAYS, datetime(2026, 6, 30, 16, 59, tzinfo=UTC), "Asia/Tomsk")
    assert is_due(PUBLISHED, DAYS, datetime(2026, 6, 30, 17, 0, tzinfo=UTC), "Asia/Tomsk")


async def test_a_rejected_applicant_is_erased_after_the_period_an_accepted_one_kept(
    uow_factory: UnitOfWorkFactory, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FixedClock(PUBLISHED + timedelta(days=DAYS - 1))
    await _season_with_results(uow_factory, clock.now())
    jobs = Jobs(uow_factory, clock, Texts())

    await jobs.erase_past_retention()  # a day before the period is over: nothing goes
    assert await _name_and_answers(uow_factory, 11) == (
        REJECTED_NAME, {"full_name": REJECTED_NAME}
    )  # fmt: skip

    clock.advance(timedelta(days=1))
    with caplog.at_level(logging.INFO):
        await jobs.erase_past_retention()
    assert await _name_and_answers(uow_factory, 11) == (None, {})
    assert await _name_and_answers(uow_factory, 12) == (
        ACCEPTED_NAME, {"full_name": ACCEPTED_NAME}
    )  # fmt: skip
    assert "retention: 1 applicants erased, 0 kept" in caplog.text
    assert REJECTED_NAME not in caplog.text  # counts only

    caplog.clear()
    with caplog.at_level(logging.INFO):
        await jobs.erase_past_retention()  # the next day: already erased, erased once
    assert "retention: 0 applicants erased" in caplog.text
    async with uow_factory() as uow:
        rows = await uow.applications.all_of_person(
            (await uow.people.by_tg_id(11)).id  # type: ignore[union-attr]
        )
        assert rows[0].status is ApplicationStatus.NOT_SELECTED and rows[0].erased_at is not None

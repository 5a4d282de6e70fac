"""On real PostgreSQL: a hundred applicants fill the questionnaire at once through the real
Dispatcher; all end submitted, every answer stored exactly once."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from sqlalchemy import func, select

from services.actions import ApplyVerb
from services.clock import FixedClock
from services.domain import ApplicationStatus
from storage.models import Answer, Application, Consent, IdeaPreference, PresentationMedia
from tests.applicants import ABOUT, WHY, cd, fill_after_consent, start_application
from tests.dispatcher.harness import build_harness
from tests.example_season import import_example

pytestmark = pytest.mark.postgres
APPLICANTS = 100
# Aged 14–17: 20 steps, every one an answer but the parent's (their consent record).
STORED_ANSWERS = 19


async def test_hundred_applicants_at_once_all_submitted_each_answer_once(
    postgres_url: str, clock: FixedClock, bot_token: str
) -> None:
    harness = build_harness(postgres_url, clock, bot_token, throttle_rate_per_second=10_000)
    try:
        await import_example(harness.app.uow_factory, clock)

        async def applicant(uid: int) -> None:
            app = await start_application(harness, uid, age_group="teen")
            await fill_after_consent(harness, uid, app, birth="15.01.2011")
            # A double tap on submit and an answer sent twice must not store anything twice.
            await asyncio.gather(
                harness.press(uid, cd(ApplyVerb.SUBMIT, app)),
                harness.press(uid, cd(ApplyVerb.SUBMIT, app)),
            )

        await asyncio.gather(*(applicant(70_000 + i) for i in range(APPLICANTS)))

        async with harness.app.uow_factory() as uow:
            applications = list(await uow.session.scalars(select(Application)))
            per_app = Counter(
                app_id for (app_id,) in await uow.session.execute(select(Answer.application_id))
            )
            steps = Counter(
                (app_id, step)
                for app_id, step in await uow.session.execute(
                    select(Answer.application_id, Answer.step)
                )
            )
            abouts = set(
                await uow.session.scalars(select(Answer.value).where(Answer.step == "about"))
            )
            whys = set(
                await uow.session.scalars(select(Answer.value).where(Answer.step == "q-why"))
            )
            consents = await uow.session.scalar(select(func.count()).select_from(Consent))
            media = await uow.session.scalar(select(func.count()).select_from(PresentationMedia))
            preferences = await uow.session.scalar(select(func.count()).select_from(IdeaPreference))
    finally:
        await harness.app.engine.dispose()

    assert len(applications) == APPLICANTS
    assert {a.status for a in applications} == {ApplicationStatus.SUBMITTED}
    assert len({a.number for a in applications}) == APPLICANTS
    assert set(per_app.values()) == {STORED_ANSWERS}
    assert max(steps.values()) == 1
    assert abouts == {ABOUT} and whys == {WHY}
    assert consents == 2 * APPLICANTS and media == APPLICANTS and preferences == 2 * APPLICANTS

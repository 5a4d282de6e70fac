"""The passport and the roadmap through the recording messenger (no aiogram): the tutor fills
the passport field by field (a refused answer, Back and Keep), submits it and the mentor
approves it; the tutor adds a stage with its due date and report and the mentor accepts it.

Screens are checked by their text keys (rendered by the same Texts), not by their wording."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC
from pathlib import Path

import pytest

from dialogs import passport, roadmap
from services.clock import FixedClock
from services.domain import ReviewStatus
from services.i18n import Texts
from storage.uow import UnitOfWorkFactory
from tests.plans_world import MENTOR, TUTOR, World, build_world, local, services
from tests.recording_messenger import RecordingMessenger

ROOT = Path(__file__).resolve().parents[2]
t = Texts().for_language("ru")
NSK = "Asia/Novosibirsk"
ANSWERS = ("Чистый воздух в городе", "Датчики, карта, отчёт", "Карта загрязнений", "10 датчиков")


@pytest.fixture
async def world(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> World:
    clock.moment = local(NSK, 2026, 9, 1, 10, 0).astimezone(UTC)
    return await build_world(uow_factory, clock, NSK)


@pytest.fixture
def messenger(world: World) -> RecordingMessenger:
    return RecordingMessenger([passport.DIALOG, roadmap.DIALOG], world.uow_factory, world.clock)


async def test_a_tutor_fills_the_passport_and_the_mentor_approves_it(
    world: World, messenger: RecordingMessenger
) -> None:
    m, tutor = messenger, messenger.chat(TUTOR)
    await m.command(TUTOR, "passport")
    draft = t("passport-status-draft")
    assert tutor.last.text.startswith(t("passport-title", team="Альфа", status=draft))
    await m.press(TUTOR, t("passport-btn-fill"))
    assert tutor.last.text == t("passport-ask-goal", step="1", total="4")
    await m.type(TUTOR, "ok")  # too short: refused, the question stays
    assert tutor.last.text == t("passport-answer-short")
    await m.type(TUTOR, ANSWERS[0])
    assert tutor.last.text == t("passport-ask-tasks", step="2", total="4")
    await m.press(TUTOR, t("roadmap-btn-back"))  # the goal again, with what it holds
    assert t("passport-current", value=ANSWERS[0]) in tutor.last.text
    await m.press(TUTOR, t("passport-btn-keep"))
    assert tutor.last.text.startswith(t("passport-ask-tasks", step="2", total="4"))
    for answer in ANSWERS[1:]:
        await m.type(TUTOR, answer)
    assert tutor.last.text.startswith(t("passport-filled"))
    assert m.cursors[TUTOR].state is None
    await m.press(TUTOR, t("passport-btn-submit"))
    assert tutor.last.text == t("passport-submitted")
    assert tutor.notices[-1] == (t("passport-submitted"), False)
    await m.press_again(TUTOR)  # a double tap: already sent
    assert tutor.notices[-1] == (t("passport-not-editable"), True)

    mentor = m.chat(MENTOR)
    await m.command(MENTOR, "passport")
    submitted = t("passport-status-submitted")
    assert mentor.last.text.startswith(t("passport-title", team="Альфа", status=submitted))
    assert t("passport-field-goal", value=ANSWERS[0]) in mentor.last.text
    await m.press(MENTOR, t("roadmap-btn-approve"))
    assert mentor.last.text == t("passport-approved-done", team="Альфа")
    async with world.uow_factory() as uow:
        me = await world.me(MENTOR)
        view = await services(uow, world.clock).roadmap.passport(me, world.team_id)
    assert view.status is ReviewStatus.APPROVED and view.fields["resources"] == ANSWERS[3]


async def test_a_tutor_adds_and_submits_a_stage_and_the_mentor_accepts_it(
    world: World, messenger: RecordingMessenger
) -> None:
    m, tutor = messenger, messenger.chat(TUTOR)
    await m.command(TUTOR, "roadmap")
    assert tutor.last.text.startswith(t("roadmap-title", team="Альфа"))
    await m.press(TUTOR, t("roadmap-btn-add"))
    assert tutor.last.text == t("roadmap-ask-title")
    assert m.cursors[TUTOR].state == "StageFlow:title"  # the name saved cursors carry
    await m.type(TUTOR, "Сбор данных")
    assert tutor.last.text == t("roadmap-ask-due", title="Сбор данных")
    await m.type(TUTOR, "15.10.2026")
    assert tutor.last.text.startswith(t("roadmap-due-saved"))
    await m.press(TUTOR, t("roadmap-btn-submit"))
    assert tutor.last.text == t("roadmap-ask-report", title="Сбор данных")
    await m.type(TUTOR, "https://example.org/report")
    assert tutor.last.text == t("roadmap-submitted", title="Сбор данных")

    mentor = m.chat(MENTOR)
    await m.command(MENTOR, "roadmap")
    await m.press(MENTOR, "1. Сбор данных")
    assert "https://example.org/report" in mentor.last.text
    await m.press(MENTOR, t("roadmap-btn-approve"))
    assert mentor.last.text == t("roadmap-approved-done", title="Сбор данных")
    assert m.cursors[TUTOR].state is None and m.cursors[MENTOR].state is None


def test_the_converted_dialogs_import_no_aiogram() -> None:
    """In a fresh interpreter (this one has aiogram loaded by other tests); import-linter allows
    indirect imports, this does not."""
    probe = (
        "import sys, dialogs.passport, dialogs.roadmap, dialogs.slots, dialogs.office_access; "
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'aiogram'); "
        "print(loaded); sys.exit(1 if loaded else 0)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr

"""The ИУП through the messenger with no aiogram (tests/recording_messenger.py): the team's tutor
gives a task with /assign, the student submits a text as evidence, the tutor approves it. And
what a message offers as evidence, whatever the messenger.

Screens are checked by their text keys (rendered by the same Texts), not by their wording."""

from __future__ import annotations

from datetime import UTC

import pytest

from dialogs import plan, plan_assign
from dialogs.evidence import evidence_from
from services.clock import FixedClock
from services.domain import TaskStatus
from services.errors import InvalidInput
from services.i18n import Texts
from services.plans import Evidence
from services.questionnaire import Input
from storage.uow import UnitOfWorkFactory
from tests.plans_world import STUDENT, TUTOR, World, build_world, local
from tests.recording_messenger import RecordingMessenger

t = Texts().for_language("ru")
MSK = "Europe/Moscow"
TITLE = "Курс по экологии"
LINK = "https://stepik.org/cert/42"


async def _assign(m: RecordingMessenger) -> None:
    chat = m.chat(TUTOR)
    await m.command(TUTOR, "assign")
    assert chat.last.text == t("assign-pick-target")
    await m.press(TUTOR, t("assign-target-team", name="Альфа"))
    assert chat.last.text == t("assign-pick-kind", target="Альфа")
    await m.press(TUTOR, t("plan-kind-online_course"))
    assert chat.last.text == t("assign-ask-title")
    await m.type(TUTOR, TITLE)
    assert chat.last.text == t("assign-ask-due")
    await m.type(TUTOR, "10.09.2026 18:00")
    assert chat.last.text == t("assign-ask-link")
    await m.press(TUTOR, t("assign-btn-skip"))
    assert chat.last.text == t("assign-ask-desc")
    await m.press(TUTOR, t("assign-btn-skip"))
    none = t("assign-none")
    assert chat.last.text == t(
        "assign-confirm",
        target="Альфа",
        kind=t("plan-kind-online_course"),
        title=TITLE,
        due="10.09.2026 18:00",
        link=none,
        description=none,
    )
    await m.press(TUTOR, t("assign-btn-confirm"))
    assert chat.last.text == t("assign-done", title=TITLE, target="Альфа", count=2)
    assert m.cursors[TUTOR].state is None


async def _submit_text(m: RecordingMessenger) -> None:
    chat = m.chat(STUDENT)
    await m.command(STUDENT, "plan")
    assert chat.last.text.startswith(t("plan-title"))
    await m.press(STUDENT, TITLE)
    kind, status = t("plan-kind-online_course"), t("plan-state-assigned")
    assert chat.last.text.startswith(t("plan-card", kind=kind, title=TITLE, status=status))
    await m.press(STUDENT, t("plan-btn-submit"))
    assert chat.last.text == t("plan-submit-ask", title=TITLE)
    assert m.cursors[STUDENT].state == plan.EVIDENCE
    await m.type(STUDENT, "Прошёл курс, сертификат № 42")
    assert chat.last.text == t("plan-submitted", title=TITLE)
    assert m.cursors[STUDENT].state is None


async def _approve(m: RecordingMessenger, world: World) -> None:
    chat = m.chat(TUTOR)
    await m.command(TUTOR, "plan")
    assert chat.last.text.startswith(t("plan-title-reviewer"))
    # A reviewer's plan names the student before the title; this one has told no name yet.
    student = t("plan-person-anon", id=await world.person_id(STUDENT))
    await m.press(TUTOR, f"{student}: {TITLE}")
    assert t("plan-card-evidence", evidence="Прошёл курс, сертификат № 42") in chat.last.text
    await m.press(TUTOR, t("plan-btn-approve"))
    approved = t("plan-approved", title=TITLE)
    assert chat.notices[-1] == (approved, False)
    assert chat.last.text == approved


async def test_assign_submit_a_text_and_approve_without_aiogram(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    clock.moment = local(MSK, 2026, 9, 1, 10, 0).astimezone(UTC)
    world = await build_world(uow_factory, clock, MSK)
    m = RecordingMessenger([plan.DIALOG, plan.SNOOZE, plan_assign.DIALOG], uow_factory, clock)
    await _assign(m)
    await _submit_text(m)
    await _approve(m, world)
    async with uow_factory() as uow:
        student = await uow.people.by_tg_id(STUDENT)
        assert student is not None
        tasks = await uow.tasks.of_student(student.id)
    assert [(task.title, task.status) for task in tasks] == [(TITLE, TaskStatus.DONE)]


@pytest.mark.parametrize(
    ("given", "evidence"),
    [
        (Input("text", text="  сделал  "), Evidence("text", "сделал")),
        (Input("text", text=LINK), Evidence("link", LINK)),
        (
            Input("photo", file_id="AgAD", caption="сертификат"),
            Evidence("photo", "сертификат", "AgAD"),
        ),
        (Input("document", file_id="BQAD"), Evidence("document", None, "BQAD")),
    ],
)
def test_evidence_from_a_message(given: Input, evidence: Evidence) -> None:
    assert evidence_from(given) == evidence


@pytest.mark.parametrize("kind", ["video", "sticker", "contact", "other"])
def test_other_content_is_no_evidence(kind: str) -> None:
    with pytest.raises(InvalidInput):
        evidence_from(Input(kind, text="+79130000000" if kind == "contact" else None, file_id="x"))

"""The application flow through a second messenger adapter that has no aiogram
(tests/recording_messenger.py): the same dialog, screens and actions the Telegram adapter
carries — consent, every step, a refused answer, Back and Keep, the ideas, the review, an edit
from the review, submit and a double tap. This is what shows a MAX adapter is only an adapter.

Screens are checked by their text keys (rendered by the same Texts), not by their wording."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from dialogs import apply, parent, start
from services.clock import FixedClock
from services.domain import ApplicationStatus
from services.i18n import Texts
from storage.uow import UnitOfWorkFactory
from tests.applicants import ABOUT, EXPERIENCE, WHY
from tests.example_season import import_example
from tests.recording_messenger import RecordingMessenger

ROOT = Path(__file__).resolve().parents[2]
t = Texts().for_language("ru")
ME, PARENT = 5, 6
STEPS = 19  # the example season's questionnaire for a student under 14


def _on_step(messenger: RecordingMessenger, n: int, prompt: str | None = None) -> None:
    """The newest screen is step `n` (with this prompt key, when it takes no arguments)."""
    text = messenger.chat(ME).last.text
    assert t("apply-progress", n=n, total=STEPS) in text, text
    if prompt is not None:
        assert t(prompt) in text, text


async def _through_consent(m: RecordingMessenger) -> None:
    """Under 14: the role, the age group, then the parent's step, which only the parent, from
    their own account, can pass."""
    await m.command(ME, "apply")
    assert m.chat(ME).last.text.startswith(t("apply-progress", n=1, total=20))
    await m.press(ME, t("apply-choice-role-student"))
    await m.press(ME, t("apply-choice-age_group-child", under=14))
    _on_step(m, 3)
    assert t("apply-step-parent", waits="all", under=14, adult=18) in m.chat(ME).last.text
    await m.type(ME, "Иванов Пётр Алексеевич")  # nothing typed passes it: it is the parent's
    _on_step(m, 3)
    assert t("apply-parent-waiting") in m.chat(ME).last.text
    await m.press(ME, t("apply-btn-parent-check"))  # pressed too soon
    assert m.chat(ME).notices[-1] == (t("apply-parent-waiting"), True)
    await m.press(ME, t("apply-btn-parent-link"))
    found = re.search(r"start=(pc_[\w-]+)", m.chat(ME).last.text)
    assert found is not None, m.chat(ME).last.text

    await m.command(PARENT, "start", found.group(1))
    await m.share_contact(PARENT, "79131002030")
    await m.type(PARENT, "Иванова Елена Сергеевна")
    await m.press(PARENT, t("apply-choice-rep_relation-mother"))
    await m.press(PARENT, t("parent-btn-confirm"))
    assert m.chat(PARENT).last.text == t("parent-consent-done")
    await m.deliver()
    assert m.chat(ME).last.text == t("parent-consent-child-told")
    await m.press(ME, t("parent-btn-child-go-on"))


async def _personal_steps(m: RecordingMessenger) -> None:
    _on_step(m, 4)
    await m.type(ME, "31.02.2013")  # no such day: refused, the step asked again
    _on_step(m, 4)
    assert m.chat(ME).last.text != t("apply-progress", n=4, total=STEPS)
    await m.type(ME, "15.01.2013")
    _on_step(m, 5, "apply-step-full_name")
    await m.press(ME, t("apply-btn-back"))  # Back shows the date again, Keep moves on
    _on_step(m, 4)
    await m.press(ME, t("apply-btn-keep"))
    await m.type(ME, "Иванов Пётр Алексеевич")
    _on_step(m, 6, "apply-step-municipality")
    await m.type(ME, "Том")
    await m.press(ME, "Томск")
    _on_step(m, 7, "apply-step-edu_type")
    await m.press(ME, t("apply-choice-edu_type-school"))
    await m.type(ME, "МАОУ СОШ № 32 г. Томска")
    await m.type(ME, "7")
    _on_step(m, 10, "apply-step-phone")
    chat = m.chat(ME)
    assert chat.keys is not None and [t("apply-btn-share-contact")] in chat.keys
    await m.share_contact(ME, "+79135554433")
    assert chat.keys is None  # leaving the phone step takes its keys away
    _on_step(m, 11, "apply-step-email")
    await m.type(ME, "Petr@Example.RU")
    await m.press(ME, t("apply-btn-skip"))  # Leader-ID is optional
    _on_step(m, 13, "apply-step-meo")
    await m.type(ME, "petr.ivanov")


async def _about_and_ideas(m: RecordingMessenger) -> None:
    await m.type(ME, ABOUT)
    await m.type(ME, ABOUT + " Ещё я веду блог о науке.")
    await m.type(ME, WHY)
    await m.type(ME, EXPERIENCE)
    _on_step(m, 18)
    await m.press(ME, "4")
    _on_step(m, 19)
    chat = m.chat(ME)
    shown = len(chat.messages)
    await m.press(ME, "▫️ Мониторинг торфяных пожаров с дронов")
    await m.press(ME, t("apply-btn-next"))
    await m.press(ME, "▫️ Умный школьный автобус")
    assert len(chat.messages) == shown  # picking and paging redraw the list in place
    assert "✅ 2 Умный школьный автобус" in [b.text for row in chat.last.rows for b in row]
    await m.press(ME, t("apply-btn-done"))


async def test_the_whole_application_through_a_messenger_without_aiogram(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await import_example(uow_factory, clock)
    m = RecordingMessenger([start.DIALOG, apply.DIALOG, parent.DIALOG], uow_factory, clock)
    await _through_consent(m)
    await _personal_steps(m)
    await _about_and_ideas(m)

    chat = m.chat(ME)
    review = chat.last.text
    assert review.startswith(t("apply-review-title", status="draft", number=""))
    assert f"{t('apply-label-institution')}: МАОУ СОШ № 32 г. Томска" in review
    assert "1. Мониторинг торфяных пожаров с дронов; 2. Умный школьный автобус" in review
    await m.press(ME, t("apply-btn-edit", label=t("apply-label-institution")))
    _on_step(m, 8)
    assert t("apply-editing") in chat.last.text
    await m.type(ME, "Лицей № 7 г. Томска")
    assert f"{t('apply-label-institution')}: Лицей № 7 г. Томска" in chat.last.text

    await m.press(ME, t("apply-btn-submit"))
    submitted = t("apply-submitted", number="TOMSK-2026-00001", closes="—")
    assert chat.last.text.split("\n")[0] == submitted.split("\n")[0]
    assert not [
        row
        for message in chat.messages[:-1]
        for row in message.screen.rows
        if any(b.text == t("apply-btn-submit") for b in row)
    ]  # the pressed review lost its buttons
    await m.press_again(ME)  # a double tap: the same application, already sent
    assert chat.last.text == t("apply-submitted-again", number="TOMSK-2026-00001", closes="—")

    await m.command(ME, "status")
    assert "TOMSK-2026-00001" in chat.last.text
    async with uow_factory() as uow:
        person = await uow.people.by_tg_id(ME)
        assert person is not None
        (application,) = await uow.applications.all_of_person(person.id)
        assert application.status is ApplicationStatus.SUBMITTED
        answers = await uow.applications.answers(application.id)
    assert answers["institution"] == "Лицей № 7 г. Томска" and answers["leader_id"] is None
    assert m.cursors[ME].state is None


def test_the_recording_messenger_and_the_dialogs_import_no_aiogram() -> None:
    """Run in a fresh interpreter: the test process itself has aiogram loaded by other tests."""
    probe = (
        "import sys, tests.recording_messenger, dialogs.apply; "
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'aiogram'); "
        "print(loaded); sys.exit(1 if loaded else 0)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr

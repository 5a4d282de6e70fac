"""The surveys through the recording messenger (no aiogram): the office opens the start wave,
a student answers by buttons one press at a time (a double tap keeps the first answer), a
minor's invitation waits for the end of quiet hours, the whole survey can be skipped, and every
press is re-checked: a wave not open, someone not accepted, a student asking for the shift."""

from __future__ import annotations

from datetime import UTC, datetime

from dialogs import survey
from services.actions import SurveyAction, SurveyVerb
from services.clock import FixedClock
from services.i18n import Texts
from storage.uow import UnitOfWorkFactory
from tests.recording_messenger import RecordingMessenger
from tests.selection_world import OFFICE
from tests.survey_world import SEVERSK, STUDENTS, TOMSK, build_survey_world

t = Texts().for_language("ru")
STUDENT, MINOR, SKIPPER = TOMSK[0], SEVERSK[0], TOMSK[1]


async def _answers(factory: UnitOfWorkFactory, tg_id: int) -> dict[str, str | None]:
    async with factory() as uow:
        person = await uow.people.ensure(tg_id, "ru", datetime(2026, 9, 1, tzinfo=UTC))
        season = await uow.seasons.current()
        assert season is not None
        return await uow.survey.answers_of(person.id, season.id, "start")


async def test_a_student_answers_by_buttons_and_every_press_is_rechecked(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await build_survey_world(uow_factory, clock)
    async with uow_factory() as uow:  # one of them is a minor
        person = await uow.people.ensure(MINOR, "ru", clock.now())
        (application,) = await uow.applications.all_of_person(person.id)
        await uow.applications.save_answer(application.id, "age_group", "teen", clock.now())
        await uow.commit()
    m = RecordingMessenger([survey.DIALOG], uow_factory, clock)

    await m.command(STUDENT, "survey_send", "start")  # not the office
    assert m.chat(STUDENT).last.text == t("survey-not-allowed")
    await m.command(OFFICE, "survey_send", "later")
    assert m.chat(OFFICE).last.text == t("survey-send-usage")

    clock.moment = datetime(2026, 9, 1, 15, 30, tzinfo=UTC)  # 22:30 in Tomsk: quiet hours
    await m.command(OFFICE, "survey_send", "start")
    assert m.chat(OFFICE).last.text == t("survey-sent", count=12)
    assert await m.deliver() == len(STUDENTS) - 1  # the minor's waits for the morning
    assert not m.chat(MINOR).messages
    await m.command(OFFICE, "survey_send", "start")  # again: nobody gets it twice
    clock.moment = datetime(2026, 9, 2, 2, 30, tzinfo=UTC)  # 09:30 in Tomsk
    assert await m.deliver() == 1
    assert "Зачем" in m.chat(MINOR).last.text

    chat = m.chat(STUDENT)
    assert t("survey-skip") in [b.text for row in chat.last.rows for b in row]
    await m.press(STUDENT, t("survey-begin"))
    assert t("survey-q-study") in chat.last.text
    await m.press(STUDENT, "2")
    await m.press_again(STUDENT)  # a double tap: the first answer stays, nothing else moves
    assert t("survey-q-work") in chat.last.text
    await m.press(STUDENT, t("survey-skip-question"))
    assert t("survey-q-future") in chat.last.text
    await m.press(STUDENT, "5")
    await m.press(STUDENT, t("survey-choice-eng"))
    assert chat.last.text == t("survey-done")
    assert await _answers(uow_factory, STUDENT) == {
        "study": "2", "work": None, "future": "5", "prof": "eng"
    }  # fmt: skip

    # Forged presses: a value no question has, the end wave (not open), a stranger.
    await m.press_forged(STUDENT, SurveyAction(verb=SurveyVerb.ANSWER, wave="start",
                                               question="study", value="9"))  # fmt: skip
    assert chat.notices[-1] == (t("survey-closed"), True)
    await m.press_forged(STUDENT, SurveyAction(verb=SurveyVerb.BEGIN, wave="end"))
    assert chat.notices[-1] == (t("survey-closed"), True)
    await m.press_forged(OFFICE, SurveyAction(verb=SurveyVerb.BEGIN, wave="start"))
    assert m.chat(OFFICE).notices[-1] == (t("survey-not-allowed"), True)
    assert await _answers(uow_factory, STUDENT) == {
        "study": "2", "work": None, "future": "5", "prof": "eng"
    }  # fmt: skip

    await m.press(SKIPPER, t("survey-skip"))
    assert m.chat(SKIPPER).last.text == t("survey-skipped")
    assert set((await _answers(uow_factory, SKIPPER)).values()) == {None}

    await m.command(STUDENT, "survey_shift")
    assert chat.last.text == t("survey-not-allowed")
    await m.command(OFFICE, "survey_shift")
    assert t("survey-shift-none") in m.chat(OFFICE).last.text
    assert await m.deliver() == 2  # the chart and the export, even when empty

    await m.command(OFFICE, "survey_send", "end")  # the start wave closes
    await m.press(MINOR, t("survey-begin"))
    assert m.chat(MINOR).notices[-1] == (t("survey-closed"), True)

"""The start and end surveys on any messenger: a participant answers by buttons, one answer per
press (services/survey/ re-checks every press); the office sends a wave with /survey_send and
sees the shift with /survey_shift (text here, the chart and the XLSX through the outbox)."""

from __future__ import annotations

from dialogs.screen import Dialog, Screen, Turn, doing, rows_of
from services.actions import SurveyAction, SurveyVerb
from services.errors import InvalidInput
from services.i18n import Translator
from services.survey import (
    MIN_RESPONDENTS,
    QUESTIONS,
    SCALES,
    GroupShift,
    Question,
    ShiftReport,
    SurveyClosed,
    Wave,
    signed,
)
from services.text_fit import MESSAGE_LIMIT


def question_screen(t: Translator, wave: Wave, question: Question) -> Screen:
    position = [q.code for q in QUESTIONS].index(question.code) + 1
    lines = [t("survey-progress", n=position, total=len(QUESTIONS)), t(question.text_key)]
    if question.scale:
        lines.append(t("survey-scale-hint"))

    def pick(value: str) -> SurveyAction:
        return SurveyAction(
            verb=SurveyVerb.ANSWER, wave=wave.value, question=question.code, value=value
        )

    choices = [doing(t(question.choice_key(v)), pick(v)) for v in question.choices]
    buttons = rows_of(choices, 5 if question.scale else 2)
    buttons.append([doing(t("survey-skip-question"), pick(""))])
    buttons.append([doing(t("survey-skip"), SurveyAction(verb=SurveyVerb.SKIP, wave=wave.value))])
    return Screen("\n".join(lines), buttons)


def shift_text(t: Translator, report: ShiftReport) -> str:
    parts = [
        t("survey-shift-title", season=report.season_name),
        t("survey-shift-about", count=report.respondents, min=MIN_RESPONDENTS),
    ]
    if not report.groups:
        parts.append(t("survey-shift-none"))
    for kind in ("municipality", "idea", "role"):
        groups = [g for g in report.groups if g.kind == kind]
        if groups:
            parts.append("\n".join([t(f"survey-kind-{kind}"), *(_line(t, g) for g in groups)]))
    parts.append(t("survey-shift-files"))
    text = "\n\n".join(parts)
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1].rsplit("\n", 1)[0]


def _line(t: Translator, group: GroupShift) -> str:
    if group.hidden:
        return t("survey-shift-hidden", name=group.name)
    values = {q: signed(group.shown(q)) for q in SCALES}
    return t(
        "survey-shift-line",
        name=group.name,
        values=t("survey-shift-values", count=group.respondents, **values),
    )


def _wave(value: str) -> Wave:
    try:
        return Wave(value)
    except ValueError:
        raise SurveyClosed() from None


async def send_command(turn: Turn, args: str) -> None:
    try:
        wave = Wave(args.strip())
    except ValueError:
        raise InvalidInput("survey-send-usage") from None
    count = await turn.services.survey.send(turn.me, wave)
    await turn.chat.show(Screen(turn.t("survey-sent", count=count)))


async def shift_command(turn: Turn, args: str) -> None:
    report = await turn.services.survey.shift(turn.me)
    await turn.chat.show(Screen(shift_text(turn.t, report)))
    await turn.services.survey.send_files(turn.me, report)


async def _next(turn: Turn, wave: Wave, question: Question | None) -> None:
    await turn.chat.notice()
    if question is None:
        await turn.chat.redraw(Screen(turn.t("survey-done")))
    else:
        await turn.chat.redraw(question_screen(turn.t, wave, question))


async def begin(turn: Turn, action: SurveyAction) -> None:
    wave = _wave(action.wave)
    await _next(turn, wave, await turn.services.survey.current(turn.me, wave))


async def answer(turn: Turn, action: SurveyAction) -> None:
    wave = _wave(action.wave)
    question = await turn.services.survey.answer(turn.me, wave, action.question, action.value)
    await _next(turn, wave, question)


async def skip(turn: Turn, action: SurveyAction) -> None:
    await turn.services.survey.skip(turn.me, _wave(action.wave))
    await turn.chat.notice()
    await turn.chat.redraw(Screen(turn.t("survey-skipped")))


DIALOG = Dialog(
    name="survey",
    action=SurveyAction,
    commands={"survey_send": send_command, "survey_shift": shift_command},
    actions={SurveyVerb.BEGIN: begin, SurveyVerb.ANSWER: answer, SurveyVerb.SKIP: skip},
)

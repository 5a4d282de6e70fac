"""Whether youth stay — the programme's own measure: a short survey at acceptance (start) and
at the end of the season (end), optional, its purpose stated; the office sees the shift.

The start wave opens by itself when the office publishes the selection's results: everyone
accepted is invited right after their result (a consequence, in the publication's transaction).
The office opens a wave with /survey_send (the end wave; the start one reaches whoever was not
invited yet), queued through the outbox to the season's accepted students and tutors, once per
person and wave; minors' messages wait for the end of quiet hours. A participant answers
by buttons, one answer per press; every press is re-checked here: the wave is open (the start
wave closes once the end wave opens), the person is accepted this season, the question and the
value exist, and the question is not answered yet (a conditional insert). /survey_shift counts
the shift (services/survey/shift.py) and sends it as a PNG chart and an XLSX through the outbox.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from services.actions import SurveyAction, SurveyVerb
from services.domain import BroadcastSegment, Role
from services.errors import DomainError, NotFound
from services.i18n import Translator
from services.notify import Button
from services.notifying import NotifyingService
from services.people import Identity
from services.reminders.base import season_minors, season_policy
from services.survey.questions import QUESTIONS, SCALES, WIZARD, Question, Wave
from services.survey.render import KINDS, ShiftLabels, render_chart, render_xlsx
from services.survey.shift import (
    HIDDEN,
    MIN_RESPONDENTS,
    GroupShift,
    ShiftReport,
    collect,
    group_shifts,
    person_shifts,
    signed,
)
from storage.models import Person

log = logging.getLogger(__name__)

__all__ = [
    "HIDDEN",
    "MIN_RESPONDENTS",
    "QUESTIONS",
    "SCALES",
    "GroupShift",
    "Question",
    "ShiftReport",
    "SurveyClosed",
    "SurveyNotAllowed",
    "SurveyService",
    "Wave",
    "signed",
]


class SurveyNotAllowed(DomainError):
    key = "survey-not-allowed"


class SurveyClosed(DomainError):
    """The wave is not open (not sent yet, or the start wave after the end one opened)."""

    key = "survey-closed"


class SurveyService(NotifyingService):
    async def send(self, me: Identity, wave: Wave) -> int:
        """The office opens `wave` and queues its invitation to the season's accepted students
        and tutors (once per person and wave: those invited at acceptance are skipped);
        commits. Returns how many were queued."""
        if not me.has(Role.OFFICE):
            raise SurveyNotAllowed()
        season = await self.uow.seasons.current()
        if season is None:
            raise NotFound("survey-no-season")
        now = self.clock.now()
        await self.uow.survey.open_wave(season.id, wave, now)
        people = []
        for segment in (BroadcastSegment.STUDENTS, BroadcastSegment.TUTORS):
            people += await self.uow.broadcasts.recipients(season.id, segment, None, now)
        queued = await self._invite(season.id, wave, people)
        await self.uow.commit()
        log.info("survey wave sent: season=%s wave=%s queued=%d", season.id, wave, queued)
        return queued

    async def invite_accepted(self, season_id: int, person_ids: Sequence[int]) -> int:
        """A consequence of the selection's publication, in its transaction (no commit): the
        start survey — "at acceptance" — opened and queued to the people just accepted, right
        after their result. Once per person (the same dedupe key as /survey_send start); none
        once the end wave is open (the start one is closed then). Returns how many."""
        if not person_ids or Wave.END in await self.uow.survey.waves(season_id):
            return 0
        await self.uow.survey.open_wave(season_id, Wave.START, self.clock.now())
        people = await self.uow.people.many(person_ids)
        return await self._invite(season_id, Wave.START, people)

    async def _invite(self, season_id: int, wave: Wave, people: Sequence[Person]) -> int:
        """Queue `wave`'s invitation to each of `people` the bot can reach: a minor's waits for
        the end of the season's quiet hours, an adult's goes at once."""
        now = self.clock.now()
        addresses = await self.uow.outbox.addresses_of(people)
        minors = await season_minors(self.uow, season_id)
        policy = await season_policy(self.uow, season_id, self.default_timezone)
        queued = 0
        for person in people:
            if person.id not in addresses:
                continue
            t = self.texts.for_language(person.language)
            queued += await self.notifier.send_text(
                addresses[person.id],
                t("survey-invite", wave=wave.value),
                buttons=invite_buttons(t, wave),
                person_id=person.id,
                dedupe_key=f"survey:{season_id}:{wave.value}:{person.id}",
                not_before=policy.outside_quiet_hours(now) if person.id in minors else now,
            )
        return queued

    async def _check(self, me: Identity, wave: Wave) -> int:
        """The season's id if `wave` is open for `me`; refused otherwise."""
        season = await self.uow.seasons.current()
        if season is None:
            raise SurveyClosed()
        if await self.uow.survey.participant(me.person_id, season.id) is None:
            raise SurveyNotAllowed()
        waves = await self.uow.survey.waves(season.id)
        if wave not in waves or (wave is Wave.START and Wave.END in waves):
            raise SurveyClosed()
        return season.id

    async def current(self, me: Identity, wave: Wave) -> Question | None:
        """The first question of `wave` `me` has not answered (None: done)."""
        season_id = await self._check(me, wave)
        answers = await self.uow.survey.answers_of(me.person_id, season_id, wave)
        return WIZARD.first_open(answers)

    async def answer(self, me: Identity, wave: Wave, code: str, value: str) -> Question | None:
        """Record one answer (a press); commits. Returns the next open question (None: done).
        A question answered before keeps its first answer."""
        season_id = await self._check(me, wave)
        try:
            question = WIZARD.step(code)
        except KeyError:
            raise SurveyClosed() from None
        if value and value not in question.choices:
            raise SurveyClosed()
        now = self.clock.now()  # "" skips this one question
        await self.uow.survey.answer(me.person_id, season_id, wave, code, value or None, now)
        await self.uow.commit()
        answers = await self.uow.survey.answers_of(me.person_id, season_id, wave)
        return WIZARD.next_open(code, answers)

    async def skip(self, me: Identity, wave: Wave) -> None:
        """Skip the rest of the survey: every unanswered question recorded as skipped."""
        season_id = await self._check(me, wave)
        answers = await self.uow.survey.answers_of(me.person_id, season_id, wave)
        now = self.clock.now()
        for question in QUESTIONS:
            if question.code not in answers:
                await self.uow.survey.answer(
                    me.person_id, season_id, wave, question.code, None, now
                )
        await self.uow.commit()

    async def shift(self, me: Identity) -> ShiftReport:
        """The office's view of the shift between the waves, by municipality, idea and role."""
        if not me.has(Role.OFFICE):
            raise SurveyNotAllowed()
        season = await self.uow.seasons.current()
        if season is None:
            raise NotFound("survey-no-season")
        shifts = person_shifts(collect(await self.uow.survey.all_answers(season.id)))
        rows = await self.uow.survey.groups(season.id, sorted(shifts))
        municipalities, ideas = await self.uow.stats.names(season.id)
        t = self.texts.for_language(me.language)
        membership: dict[str, dict[int, str]] = {kind: {} for kind in KINDS}
        for person, role, place, idea in rows:
            if place and place.isdigit() and int(place) in municipalities:
                membership["municipality"][person] = municipalities[int(place)]
            if idea is not None and idea in ideas:
                membership["idea"][person] = ideas[idea]
            if role is not None:
                membership["role"][person] = t(f"survey-role-{role.value}")
        groups = [g for kind in KINDS for g in group_shifts(kind, membership[kind], shifts)]
        return ShiftReport(season.name, len(shifts), groups)

    async def send_files(self, me: Identity, report: ShiftReport) -> None:
        """The chart (PNG) and the export (XLSX), drawn off the event loop; commits."""
        labels = shift_labels(self.texts.for_language(me.language))
        chart = await asyncio.to_thread(render_chart, report, labels)
        sheet = await asyncio.to_thread(render_xlsx, report, labels)
        await self.notifier.send_file(
            me.address, "survey_shift.png", chart, caption=labels.title, person_id=me.person_id
        )
        await self.notifier.send_file(
            me.address, "survey_shift.xlsx", sheet, person_id=me.person_id
        )
        await self.uow.commit()
        log.info("survey shift sent: person=%s groups=%d", me.person_id, len(report.groups))


def invite_buttons(t: Translator, wave: Wave) -> list[list[Button]]:
    return [
        [Button.doing(t("survey-begin"), SurveyAction(verb=SurveyVerb.BEGIN, wave=wave.value))],
        [Button.doing(t("survey-skip"), SurveyAction(verb=SurveyVerb.SKIP, wave=wave.value))],
    ]


def shift_labels(t: Translator) -> ShiftLabels:
    return ShiftLabels(
        title=t("survey-shift-chart"),
        kinds={kind: t(f"survey-kind-{kind}") for kind in KINDS},
        questions={q: t(f"survey-short-{q}") for q in SCALES},
        hidden=t("survey-hidden-note", min=MIN_RESPONDENTS),
        empty=t("survey-shift-empty"),
        group=t("survey-col-group"),
        kind=t("survey-col-kind"),
        respondents=t("survey-col-respondents"),
    )

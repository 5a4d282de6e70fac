"""Applications: /apply, each questionnaire answer, Back / Skip / Edit, the review, submit,
/status, withdrawal and the withdrawal of consent.

Every method re-reads the application, checks that it is the caller's and still editable, and
commits at most once. The questionnaire's rules live in `services.questionnaire`; this module
stores what they accept and says which screen comes next. Nothing here logs personal data.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Literal, NamedTuple

from services.clock import Clock
from services.errors import Conflict, DomainError, NotAllowed, NotFound
from services.i18n import Texts
from services.notify import Notifier
from services.people import Identity
from services.privacy import erase_person
from services.questionnaire import (
    FIXED_STEPS,
    MB,
    MEDIA_DURATION_LIMITS,
    MEDIA_SIZE_LIMITS,
    PATH_STEPS,
    PRESENTATION_TEXT,
    Input,
    InvalidAnswer,
    Step,
    StepKind,
    age_range,
    asks_age_group,
    birth_date_fits,
    check_age_group,
    check_choice,
    check_presentation,
    check_simple,
    chosen_group,
    grade_range,
    group_args,
    index_of,
    narrow,
    next_step,
    normalize_key,
    previous_step,
    resume_point,
    revisitable,
    steps_for,
)
from services.seasons import IdeaInfo, SeasonConfig, load_config
from services.selection import notify_reviewers
from storage.models import (
    Application,
    ApplicationStatus,
    ConsentKind,
    Role,
    Season,
)
from storage.repositories.selection import RESULTS
from storage.uow import UnitOfWork

logger = logging.getLogger(__name__)

IDEAS_PER_PAGE = 4
MAX_IDEAS = 3
MUNICIPALITY_BUTTONS = 12
EDITABLE = (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED)
# The way forward a refusal offers on a draft: go back to the role or the age group to change
# it, or start over with a clean draft.
Exit = Literal["role", "age_group", "restart"]
EXITS: dict[str, tuple[Exit, ...]] = {
    "apply-age-group-refused": ("role", "restart"),
    "apply-age-refused": ("role", "restart"),
    "apply-age-group-mismatch": ("age_group", "restart"),
}
# Answers whose meaning depends on the role: a school and its grade are not a university and
# its course.
ROLE_BOUND_STEPS = ("edu_type", "institution", "grade")


class NoSeason(DomainError):
    key = "apply-no-season"


class WindowClosed(DomainError):
    key = "apply-window-closed"


class ReadOnly(DomainError):
    key = "apply-read-only"


class StepUnavailable(Conflict):
    key = "apply-step-unavailable"


# ---------------------------------------------------------------------------------------------
# What the handlers render


@dataclass(frozen=True)
class Shown:
    """A value for the screen: a literal text, or a Fluent key with its arguments."""

    text: str | None = None
    key: str | None = None
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    key: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class IdeasPage:
    page: int
    pages: int
    items: tuple[tuple[IdeaInfo, int | None], ...]  # the idea and its rank if picked
    picked: tuple[IdeaInfo, ...]


@dataclass(frozen=True)
class StepView:
    application_id: int
    step: Step
    number: int
    total: int
    prompt: dict[str, Any]
    current: Shown | None
    can_back: bool
    editing: bool
    problem: Problem | None = None
    options: tuple[tuple[int, str], ...] = ()
    ideas: IdeasPage | None = None
    saved: Shown | None = None  # what the previous step stored, when worth echoing
    exits: tuple[Exit, ...] = ()  # a refusal's way forward (buttons besides Back)


@dataclass(frozen=True)
class ReviewRow:
    step: str
    value: Shown
    editable: bool


@dataclass(frozen=True)
class ReviewView:
    application_id: int
    status: ApplicationStatus
    number: str | None
    rows: tuple[ReviewRow, ...]
    editable: bool
    complete: bool
    reason: str | None  # why it is read-only: closed, in_review, withdrawn


@dataclass(frozen=True)
class SubmittedView:
    application_id: int
    number: str
    first_time: bool
    closes: str | None


@dataclass(frozen=True)
class StatusView:
    season: str
    application_id: int | None
    status: ApplicationStatus | None
    number: str | None
    progress: tuple[int, int] | None  # answered steps, all steps (drafts)
    can_withdraw: bool
    window_open: bool
    closes: str | None
    idea: str | None = None  # the idea the applicant was accepted into, once published


class ConsentRecord(NamedTuple):
    """A consent as /privacy shows it: exactly what its record keeps."""

    kind: ConsentKind
    version: str
    given: str  # local time
    withdrawn: str | None = None  # local time
    representative: str | None = None  # the representative's name
    relation: str | None = None  # a rep_relation choice


@dataclass(frozen=True)
class PrivacyView:
    has_data: bool
    consents: tuple[ConsentRecord, ...]  # in force
    # Withdrawn: kept after erasure as the proof of what was agreed.
    withdrawn: tuple[ConsentRecord, ...] = ()


Outcome = StepView | ReviewView | SubmittedView


@dataclass
class _Context:
    application: Application
    config: SeasonConfig
    steps: list[Step]
    answers: dict[str, str | None]

    def step(self, code: str) -> Step:
        for step in self.steps:
            if step.code == code:
                return step
        raise StepUnavailable()

    def reachable(self, step: Step) -> bool:
        """A step may be answered if it is the resume point, or before it and revisitable. The
        role and the age group change only in a draft: they decide whose consent and which
        answers a submitted application stands on."""
        if step.code in PATH_STEPS and self.application.status is not ApplicationStatus.DRAFT:
            return False
        current = resume_point(self.steps, self.answers)
        if current is not None and current.code == step.code:
            return True
        limit = len(self.steps) if current is None else index_of(self.steps, current.code)
        return index_of(self.steps, step.code) < limit and revisitable(step, self.answers)


def local_time(moment: datetime | None, config: SeasonConfig) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(config.zone).strftime("%d.%m.%Y %H:%M")


def _shown_time(moment: datetime, config: SeasonConfig | None) -> str:
    """Local time in the season's zone; UTC, said so, if the season is gone."""
    shown = local_time(moment, config) if config is not None else None
    return shown or moment.strftime("%d.%m.%Y %H:%M UTC")


def application_number(config: SeasonConfig, application_id: int) -> str:
    return f"{config.code.upper()}-{application_id:05d}"


class ApplicationService:
    """The applicant's side of a season. Submit confirms to the applicant directly and queues
    the reviewers' notices (services.selection) in its one transaction."""

    def __init__(self, uow: UnitOfWork, clock: Clock, notifier: Notifier, texts: Texts) -> None:
        self.uow = uow
        self.clock = clock
        self.notifier = notifier
        self.texts = texts

    def _labels(self, context: _Context, step: Step) -> dict[str, str]:
        """What a typed answer may say instead of pressing a choice button."""
        args = group_args(context.config) if step.code == "age_group" else {}
        return {
            value: self.texts.get(f"apply-choice-{step.code}-{value}", **args)
            for value in step.choices
        }

    # --- entry points -------------------------------------------------------------------------

    async def open(self, me: Identity) -> Outcome:
        """/apply: the person's application to the current season, created on first use, at the
        step where they stopped (or the review, once everything is answered)."""
        season, config = await self._current()
        now = self.clock.now()
        existing = await self.uow.applications.of_person(me.person_id, season.id)
        if not config.window_open(now):
            if existing is not None and existing.status is not ApplicationStatus.WITHDRAWN:
                return await self._review(await self._load(existing, config))
            raise self._closed(config, now)
        application, created = await self.uow.applications.ensure(me.person_id, season.id, now)
        changed = created
        if application.status is ApplicationStatus.WITHDRAWN:
            changed = await self.uow.applications.transition(
                application.id,
                [ApplicationStatus.WITHDRAWN],
                ApplicationStatus.DRAFT,
                now,
                withdrawn_at=None,
            )
            await self.uow.applications.refresh(application)
        context = await self._load(application, config)
        if application.status is not ApplicationStatus.DRAFT:
            outcome: Outcome = await self._review(context)
        else:
            outcome = await self._resume(context, editing=False)
        if changed:
            await self.uow.commit()  # after the reads: one connection for the whole action
        return outcome

    async def answer(
        self, me: Identity, application_id: int, step_code: str, given: Input, *, editing: bool
    ) -> Outcome:
        context = await self._context(me, application_id)
        step = context.step(step_code)
        if not context.reachable(step):
            return await self._resume(context, editing=editing)
        if step.kind is StepKind.IDEAS:
            problem = "apply-ideas-use-buttons" if given.kind == "text" else "apply-bad-media"
            if given.kind == "sticker":
                problem = "apply-bad-sticker"
            return await self._view(context, step, editing, problem=Problem(problem))
        try:
            saved = await self._store(context, step, given)
        except InvalidAnswer as rejected:
            return await self._view(
                context,
                step,
                editing,
                problem=Problem(rejected.key, rejected.args_for_text),
                exits=self._exits(context, rejected.key),
            )
        except _Narrowed as narrowed:
            return await self._view(
                context, step, editing, problem=narrowed.problem, options=narrowed.options
            )
        await self.uow.commit()
        return await self._after(context, step, editing, saved=saved)

    async def show(self, me: Identity, application_id: int, step_code: str) -> Outcome:
        """Edit from the review: the step with its current answer; answering returns to review."""
        context = await self._context(me, application_id)
        step = context.step(step_code)
        if step.code in FIXED_STEPS or not context.reachable(step):
            raise StepUnavailable()
        return await self._view(context, step, editing=True)

    async def back(
        self, me: Identity, application_id: int, step_code: str, *, editing: bool
    ) -> Outcome:
        context = await self._context(me, application_id, check_editable=False)
        if editing:
            return await self._review(context)
        step = context.step(step_code)
        previous = previous_step(context.steps, context.answers, step.code)
        if previous is None:
            return await self._view(context, step, editing)
        return await self._view(context, previous, editing)

    async def skip(
        self, me: Identity, application_id: int, step_code: str, *, editing: bool
    ) -> Outcome:
        context = await self._context(me, application_id)
        step = context.step(step_code)
        if not step.optional or not context.reachable(step):
            raise StepUnavailable()
        await self.uow.applications.save_answer(
            context.application.id, step.code, None, self.clock.now()
        )
        context.answers[step.code] = None
        await self.uow.commit()
        return await self._after(context, step, editing)

    async def keep(
        self, me: Identity, application_id: int, step_code: str, *, editing: bool
    ) -> Outcome:
        """Leave an answered step as it is and move on."""
        context = await self._context(me, application_id, check_editable=False)
        step = context.step(step_code)
        if step.code not in context.answers:
            return await self._view(context, step, editing)
        return await self._after(context, step, editing)

    async def review(self, me: Identity, application_id: int) -> Outcome:
        context = await self._context(me, application_id, check_editable=False)
        if resume_point(context.steps, context.answers) is not None and self._editable(context):
            return await self._resume(context, editing=False)
        return await self._review(context)

    # --- the way forward from a refusal, and the cursor -----------------------------------------

    async def change(
        self, me: Identity, application_id: int, step_code: str, *, editing: bool
    ) -> Outcome:
        """A refusal's «change the role» / «change the age»: that step again, with its answer.
        Answering it keeps what still applies (services decide in `_settle_path`)."""
        context = await self._context(me, application_id)
        step = context.step(step_code)
        if step.code not in PATH_STEPS or not context.reachable(step):
            raise StepUnavailable()
        return await self._view(context, step, editing)

    async def restart(self, me: Identity, application_id: int) -> Outcome:
        """Start over: a clean draft at the role step. The answers, self-presentation, idea
        choices, name and this draft's consents (with a parent's details) are erased."""
        context = await self._context(me, application_id)
        application = context.application
        if application.status is not ApplicationStatus.DRAFT:
            raise StepUnavailable()
        now = self.clock.now()
        await self.uow.applications.erase_personal_data(application.id)
        await self.uow.applications.drop_consents(application.id)
        await self.uow.applications.set_role(application.id, None, now)
        await self.uow.applications.set_person_name(application.person_id, None, now)
        await self.uow.audit.record(
            now, me.person_id, "application.restart", "application", application.id
        )
        await self.uow.commit()
        application.role = None
        context.answers.clear()
        context.steps = steps_for(context.config, None)
        return await self._view(context, context.step("role"), False)

    async def cursor(self, me: Identity) -> Outcome | None:
        """Where the person stands, derived from the database: their open draft in the current
        season at its first unanswered step (or its review), or None when there is no draft
        open to answer. Used when the FSM cursor is lost (a restart on the in-memory FSM,
        Redis losing its keys); creates and changes nothing."""
        season = await self.uow.seasons.current()
        config = await load_config(self.uow, season) if season is not None else None
        if season is None or config is None or not config.window_open(self.clock.now()):
            return None
        application = await self.uow.applications.of_person(me.person_id, season.id)
        if application is None or application.status is not ApplicationStatus.DRAFT:
            return None
        return await self._resume(await self._load(application, config), editing=False)

    # --- ideas ----------------------------------------------------------------------------------

    async def ideas_page(
        self, me: Identity, application_id: int, page: int, *, editing: bool
    ) -> Outcome:
        context = await self._context(me, application_id, check_editable=False)
        return await self._view(context, context.step("ideas"), editing, page=page)

    async def toggle_idea(
        self, me: Identity, application_id: int, idea_id: int, page: int, *, editing: bool
    ) -> Outcome:
        context = await self._context(me, application_id)
        step = context.step("ideas")
        if not context.reachable(step):
            return await self._resume(context, editing=editing)
        if context.config.idea(idea_id) is None:
            raise StepUnavailable()
        picked = await self.uow.applications.preferences(context.application.id)
        if idea_id in picked:
            picked.remove(idea_id)
        elif len(picked) >= MAX_IDEAS:
            return await self._view(
                context,
                step,
                editing,
                problem=Problem("apply-ideas-max", {"max": MAX_IDEAS}),
                page=page,
            )
        else:
            picked.append(idea_id)
        await self.uow.applications.set_preferences(context.application.id, picked)
        if "ideas" in context.answers:  # already answered: keep the answer in step with the picks
            if picked:
                await self._save(context, "ideas", self._idea_codes(context, picked))
            else:
                await self.uow.applications.forget_answers(context.application.id, ["ideas"])
                context.answers.pop("ideas", None)
        await self.uow.commit()
        return await self._view(context, step, editing, page=page, picked=picked)

    async def ideas_done(self, me: Identity, application_id: int, *, editing: bool) -> Outcome:
        context = await self._context(me, application_id)
        step = context.step("ideas")
        if not context.reachable(step):
            return await self._resume(context, editing=editing)
        picked = await self.uow.applications.preferences(context.application.id)
        if not picked:
            return await self._view(context, step, editing, problem=Problem("apply-ideas-none"))
        await self._save(context, "ideas", self._idea_codes(context, picked))
        await self.uow.commit()
        return await self._after(context, step, editing)

    async def idea(self, me: Identity, application_id: int, idea_id: int) -> IdeaInfo:
        context = await self._context(me, application_id, check_editable=False)
        idea = context.config.idea(idea_id)
        if idea is None:
            raise NotFound()
        return idea

    # --- submit, status, withdrawal -------------------------------------------------------------

    async def submit(self, me: Identity, application_id: int) -> Outcome:
        """Draft → submitted with its number, in one transaction. A second tap changes nothing."""
        context = await self._context(me, application_id)
        application, config = context.application, context.config
        if application.status is ApplicationStatus.SUBMITTED:
            assert application.number is not None
            return SubmittedView(
                application.id, application.number, False, local_time(config.closes, config)
            )
        missing = resume_point(context.steps, context.answers)
        if missing is not None:
            return await self._view(context, missing, False, problem=Problem("apply-incomplete"))
        now = self.clock.now()
        number = application.number or application_number(config, application.id)
        if not await self.uow.applications.transition(
            application.id,
            [ApplicationStatus.DRAFT],
            ApplicationStatus.SUBMITTED,
            now,
            number=number,
            submitted_at=now,
        ):
            raise Conflict()
        await self.uow.audit.record(
            now, me.person_id, "application.submit", "application", application.id
        )
        # The reviewers' notices go in the same transaction: both happen, or neither.
        await notify_reviewers(self.uow, self.notifier, self.texts, application, number)
        await self.uow.commit()
        logger.info("application %s submitted", application.id)
        return SubmittedView(application.id, number, True, local_time(config.closes, config))

    async def status(self, me: Identity) -> StatusView:
        season, config = await self._current()
        now = self.clock.now()
        application = await self.uow.applications.of_person(me.person_id, season.id)
        window = config.window_open(now)
        closes = local_time(config.closes, config)
        if application is None:
            return StatusView(season.name, None, None, None, None, False, window, closes)
        if application.status in RESULTS:
            # The results are out: the window no longer concerns this application; it opens
            # and changes no more, and the person reads their result and what comes next.
            decision = await self.uow.selection.decision(application.id)
            idea = config.idea(decision.idea_id) if decision and decision.idea_id else None
            return StatusView(
                season.name, application.id, application.status, application.number,
                None, False, False, None, idea.title if idea else None,
            )  # fmt: skip
        progress = None
        if application.status is ApplicationStatus.DRAFT:
            context = await self._load(application, config)
            done = sum(1 for step in context.steps if step.code in context.answers)
            progress = (done, len(context.steps))
        return StatusView(
            season.name,
            application.id,
            application.status,
            application.number,
            progress,
            window and application.status in EDITABLE,
            window,
            closes,
        )

    async def withdraw(self, me: Identity, application_id: int) -> StatusView:
        context = await self._context(me, application_id)
        now = self.clock.now()
        if not await self.uow.applications.transition(
            application_id, EDITABLE, ApplicationStatus.WITHDRAWN, now, withdrawn_at=now
        ):
            raise Conflict()
        await self.uow.audit.record(
            now, me.person_id, "application.withdraw", "application", application_id
        )
        await self.uow.commit()
        logger.info("application %s withdrawn", context.application.id)
        return await self.status(me)

    async def privacy(self, me: Identity) -> PrivacyView:
        consents: list[ConsentRecord] = []
        withdrawn: list[ConsentRecord] = []
        has_data = False
        for application in await self.uow.applications.all_of_person(me.person_id):
            season = await self.uow.seasons.get(application.season_id)
            zone_config = await load_config(self.uow, season) if season else None
            answers = await self.uow.applications.answers(application.id)
            has_data = has_data or bool(answers)
            for kind, consent in (await self.uow.applications.consents(application.id)).items():
                if consent.given_at is None:
                    continue
                withdrawn_at = consent.withdrawn_at
                record = ConsentRecord(
                    kind,
                    consent.text_version,
                    _shown_time(consent.given_at, zone_config),
                    _shown_time(withdrawn_at, zone_config) if withdrawn_at else None,
                    consent.representative_name,
                    consent.representative_relation,
                )
                (consents if consent.withdrawn_at is None else withdrawn).append(record)
        return PrivacyView(has_data or bool(consents), tuple(consents), tuple(withdrawn))

    async def withdraw_consent(self, me: Identity) -> int:
        """Withdrawal of consent: every application of the person is withdrawn and their data
        is erased wherever it is (services.privacy says what goes and what stays), in this one
        transaction. The consent records stay, marked withdrawn, as the proof of what was
        agreed and when."""
        now = self.clock.now()
        applications = await self.uow.applications.all_of_person(me.person_id)
        for application in applications:
            await self.uow.applications.transition(
                application.id,
                [s for s in ApplicationStatus if s is not ApplicationStatus.WITHDRAWN],
                ApplicationStatus.WITHDRAWN,
                now,
                withdrawn_at=now,
            )
        erased = await erase_person(
            self.uow, self.notifier, self.texts, me.person_id, me.tg_id, now
        )
        withdrawn = await self.uow.applications.withdraw_consents(me.person_id, now)
        await self.uow.audit.record(
            now, me.person_id, "consent.withdraw", "person", me.person_id,
            consents=withdrawn, **asdict(erased),
        )  # fmt: skip
        await self.uow.commit()
        logger.info("person %s withdrew consent", me.person_id)
        return len(applications)

    # --- internals ------------------------------------------------------------------------------

    async def _current(self) -> tuple[Season, SeasonConfig]:
        season = await self.uow.seasons.current()
        config = await load_config(self.uow, season) if season is not None else None
        if season is None or config is None:
            raise NoSeason()
        return season, config

    def _closed(self, config: SeasonConfig, now: datetime) -> DomainError:
        before = config.opens is not None and now < config.opens
        return WindowClosed(
            when="before" if before else "after",
            opens=local_time(config.opens, config) or "—",
            closes=local_time(config.closes, config) or "—",
            timezone=config.timezone,
        )

    async def _load(self, application: Application, config: SeasonConfig) -> _Context:
        answers = await self.uow.applications.answers(application.id)
        return _Context(application, config, steps_for(config, application.role, answers), answers)

    async def _context(
        self, me: Identity, application_id: int, *, check_editable: bool = True
    ) -> _Context:
        found = await self.uow.applications.with_season(application_id)
        if found is None or found[0].person_id != me.person_id:
            raise NotAllowed()
        application, season, stamp = found
        config = await load_config(self.uow, season, stamp) if stamp else None
        if config is None:
            raise NoSeason()
        context = await self._load(application, config)
        if check_editable and not self._editable(context):
            raise ReadOnly(reason=self._read_only_reason(context))
        return context

    def _editable(self, context: _Context) -> bool:
        return context.application.status in EDITABLE and context.config.window_open(
            self.clock.now()
        )

    def _read_only_reason(self, context: _Context) -> str:
        status = context.application.status
        if status in EDITABLE:
            return "closed"
        return status.value

    async def _save(self, context: _Context, step: str, value: str | None) -> None:
        await self.uow.applications.save_answer(
            context.application.id, step, value, self.clock.now()
        )
        context.answers[step] = value

    async def _store(self, context: _Context, step: Step, given: Input) -> Shown | None:
        """Validate and store one answer (and what follows from it). Returns what to echo."""
        application, config = context.application, context.config
        now = self.clock.now()
        if step.code == "role":
            value = check_choice(step, given, self._labels(context, step))
            role = Role(value)
            await self._save(context, "role", value)
            if application.role is not role:
                await self.uow.applications.set_role(application.id, role, now)
                application.role = role
                await self._settle_path(context, role_changed=True)
            return None
        if step.code == "age_group":
            value = check_choice(step, given, self._labels(context, step))
            assert application.role is not None  # the role step comes first
            check_age_group(value, config, application.role)
            changed = context.answers.get("age_group") != value
            await self._save(context, "age_group", value)
            if changed:
                await self._settle_path(context, role_changed=False)
            return None
        if step.kind is StepKind.CONFIRM:
            if given.kind != "confirm":
                raise InvalidAnswer("apply-consent-press-button")
            kind = ConsentKind.APPLICANT if step.code == "consent" else ConsentKind.REPRESENTATIVE
            text = config.consent_texts.get(kind)
            if text is None:
                raise NoSeason()
            values: dict[str, Any] = {
                "consent_text_id": text.id,
                "text_version": text.version,
                "given_at": now,
                "withdrawn_at": None,
                "valid": True,
            }
            if kind is ConsentKind.REPRESENTATIVE:
                values.update(
                    representative_name=context.answers.get("rep_name"),
                    representative_relation=context.answers.get("rep_relation"),
                    representative_phone=context.answers.get("rep_phone"),
                )
            await self.uow.applications.upsert_consent(
                application.id, application.person_id, kind, **values
            )
            await self._save(context, step.code, text.version)
            return None
        if step.kind is StepKind.CHOICE:
            value = check_choice(step, given, self._labels(context, step))
            if step.code == "edu_type" and context.answers.get("edu_type") not in (None, value):
                await self.uow.applications.forget_answers(application.id, ["grade"])
                context.answers.pop("grade", None)
            await self._save(context, step.code, value)
            return None
        if step.kind is StepKind.MUNICIPALITY:
            municipality_id = self._municipality(context, given)
            await self._save(context, step.code, str(municipality_id))
            return None
        if step.kind is StepKind.MEDIA:
            media = check_presentation(given)
            await self.uow.applications.save_media(
                application.id,
                now,
                kind=media.kind,
                file_id=media.file_id,
                file_unique_id=media.file_unique_id,
                file_size=media.file_size,
                mime_type=media.mime_type,
                duration=media.duration,
                text=media.text,
            )
            await self._save(context, step.code, media.kind)
            return None
        value = check_simple(
            step, given, config=config, role=application.role, answers=context.answers, now=now
        )
        await self._save(context, step.code, value)
        if step.code == "full_name":
            await self.uow.applications.set_person_name(application.person_id, value, now)
        elif step.code in ("rep_name", "rep_relation", "rep_phone"):
            field_name = {
                "rep_name": "representative_name",
                "rep_relation": "representative_relation",
                "rep_phone": "representative_phone",
            }[step.code]
            text = config.consent_texts.get(ConsentKind.REPRESENTATIVE)
            if text is None:
                raise NoSeason()
            await self.uow.applications.upsert_consent(
                application.id,
                application.person_id,
                ConsentKind.REPRESENTATIVE,
                consent_text_id=text.id,
                text_version=text.version,
                **{field_name: value},
            )
        if step.code == "phone":
            return Shown(key="apply-phone-saved", args={"phone": value})
        return None

    async def _settle_path(self, context: _Context, *, role_changed: bool) -> None:
        """After the role or the age group changed: keep what still applies and erase what no
        longer does — a consent the new path does not ask for (with a parent's details when
        the applicant needs none), an age group the role does not have, a birth date outside
        the new range or group, and the school answers when the role changed."""
        application, config, answers = context.application, context.config, context.answers
        role = application.role
        assert role is not None
        stale = set(ROLE_BOUND_STEPS) if role_changed else set()
        asks_group = asks_age_group(config, role)
        if "age_group" in answers and chosen_group(config, role, answers) is None:
            stale.add("age_group")
        if "age_group" in answers and not asks_group:
            stale.add("age_group")
        kept = {code: value for code, value in answers.items() if code not in stale}
        birth = kept.get("birth_date")
        group = chosen_group(config, role, kept) if asks_group else None
        if birth is not None and not birth_date_fits(birth, config, role, group, self.clock.now()):
            stale.add("birth_date")
            kept.pop("birth_date")
        path = steps_for(config, role, kept)
        codes = {step.code for step in path}
        stale |= {code for code in kept if code not in codes}
        if stale & answers.keys():
            await self.uow.applications.forget_answers(application.id, sorted(stale))
        if "consent" not in codes:
            await self.uow.applications.drop_consents(application.id, ConsentKind.APPLICANT)
        if "rep_consent" not in codes:
            await self.uow.applications.drop_consents(application.id, ConsentKind.REPRESENTATIVE)
        for code in stale:
            answers.pop(code, None)
        context.steps = path

    def _exits(self, context: _Context, key: str) -> tuple[Exit, ...]:
        """The way forward a refusal offers: only in a draft (the path of a submitted
        application is fixed; its Back returns to the review)."""
        if context.application.status is not ApplicationStatus.DRAFT:
            return ()
        return EXITS.get(key, ())

    def _municipality(self, context: _Context, given: Input) -> int:
        names = context.config.municipalities
        if given.kind == "choice":
            try:
                chosen = int(given.text or "")
            except ValueError:
                chosen = -1
            if context.config.municipality(chosen) is None:
                raise InvalidAnswer("apply-muni-unknown")
            return chosen
        if given.kind != "text" or not given.text:
            raise _not_text_error(given)
        typed = given.text.strip()
        if typed.startswith("/"):
            raise InvalidAnswer("apply-bad-command", command=typed.split()[0][:32])
        exact = [m for m in names if normalize_key(m[1]) == normalize_key(typed)]
        if len(exact) == 1:
            return exact[0][0]
        found = narrow(names, typed)
        if not found:
            raise InvalidAnswer("apply-muni-none", typed=typed[:40])
        if len(found) > MUNICIPALITY_BUTTONS:
            raise _Narrowed(
                Problem("apply-muni-many", {"count": len(found)}),
                tuple(found[:MUNICIPALITY_BUTTONS]),
            )
        raise _Narrowed(Problem("apply-muni-pick", {"count": len(found)}), tuple(found))

    @staticmethod
    def _idea_codes(context: _Context, picked: list[int]) -> str:
        return ",".join(
            idea.code for idea_id in picked if (idea := context.config.idea(idea_id)) is not None
        )

    async def _after(
        self, context: _Context, step: Step, editing: bool, saved: Shown | None = None
    ) -> Outcome:
        """The next-step rule: forward to the first unanswered step; from an edit back to the
        review (via whatever the edit left unanswered)."""
        following = (
            resume_point(context.steps, context.answers)
            if editing
            else next_step(context.steps, context.answers, step.code)
        )
        if following is None:
            return await self._review(context)
        return await self._view(context, following, editing, saved=saved)

    async def _resume(self, context: _Context, *, editing: bool) -> Outcome:
        step = resume_point(context.steps, context.answers)
        if step is None:
            return await self._review(context)
        return await self._view(context, step, editing)

    async def _view(
        self,
        context: _Context,
        step: Step,
        editing: bool,
        *,
        problem: Problem | None = None,
        options: tuple[tuple[int, str], ...] = (),
        page: int = 0,
        picked: list[int] | None = None,
        saved: Shown | None = None,
        exits: tuple[Exit, ...] = (),
    ) -> StepView:
        config, answers = context.config, context.answers
        role = context.application.role
        prompt: dict[str, Any] = {}
        ideas = None
        if step.kind is StepKind.CONFIRM:
            kind = ConsentKind.APPLICANT if step.code == "consent" else ConsentKind.REPRESENTATIVE
            text = config.consent_texts.get(kind)
            prompt = {
                "text": text.text if text else "",
                "version": text.version if text else "",
                "name": answers.get("rep_name") or "",
            }
        elif step.code == "age_group":
            prompt = group_args(config)
        elif step.code == "birth_date" and role is not None:
            low, high = age_range(config, role)
            prompt = {"role": role.value, "low": low, "high": high if high is not None else "none"}
        elif step.code in ("institution", "grade"):
            kind_name, low, high = grade_range(role, answers.get("edu_type"))
            prompt = {"kind": kind_name, "low": low, "high": high}
        elif step.code == "about":
            prompt = {"low": step.min_length, "high": step.max_length}
        elif step.code == "presentation":
            prompt = {
                "low": PRESENTATION_TEXT[0],
                "high": PRESENTATION_TEXT[1],
                "video": MEDIA_SIZE_LIMITS["video"] // MB,
                "minutes": MEDIA_DURATION_LIMITS["video"] // 60,
                "document": MEDIA_SIZE_LIMITS["document"] // MB,
            }
        elif step.question is not None:
            prompt = {
                "question": step.question.text,
                "kind": step.question.kind.value,
                "low": step.min_length,
                "high": step.max_length,
            }
        elif step.kind is StepKind.MUNICIPALITY:
            prompt = {"count": len(config.municipalities)}
            if not options and len(config.municipalities) <= MUNICIPALITY_BUTTONS:
                options = config.municipalities
        elif step.kind is StepKind.IDEAS:
            if picked is None:
                picked = await self.uow.applications.preferences(context.application.id)
            ideas = self._ideas_page(config, picked, page)
            prompt = {"max": MAX_IDEAS, "picked": len(picked)}
        number = index_of(context.steps, step.code) + 1
        can_back = editing or previous_step(context.steps, answers, step.code) is not None
        current = (
            self._shown(context, step.code, answers[step.code]) if step.code in answers else None
        )
        return StepView(
            application_id=context.application.id,
            step=step,
            number=number,
            total=len(context.steps),
            prompt=prompt,
            current=current,
            can_back=can_back,
            editing=editing,
            problem=problem,
            options=options,
            ideas=ideas,
            saved=saved,
            exits=exits,
        )

    @staticmethod
    def _ideas_page(config: SeasonConfig, picked: list[int], page: int) -> IdeasPage:
        pages = max(1, -(-len(config.ideas) // IDEAS_PER_PAGE))
        page = min(max(page, 0), pages - 1)
        chunk = config.ideas[page * IDEAS_PER_PAGE : (page + 1) * IDEAS_PER_PAGE]
        ranks = {idea_id: rank for rank, idea_id in enumerate(picked, start=1)}
        chosen = tuple(idea for i in picked if (idea := config.idea(i)) is not None)
        return IdeasPage(page, pages, tuple((idea, ranks.get(idea.id)) for idea in chunk), chosen)

    def _shown(self, context: _Context, step: str, value: str | None) -> Shown:
        config = context.config
        if value is None:
            return Shown(key="apply-skipped")
        if step in ("role", "rep_relation", "edu_type"):
            return Shown(key=f"apply-choice-{step}-{value}")
        if step == "age_group":
            return Shown(key=f"apply-choice-age_group-{value}", args=group_args(config))
        if step in ("consent", "rep_consent"):
            return Shown(key="apply-consent-shown", args={"version": value})
        if step == "birth_date":
            return Shown(text=date.fromisoformat(value).strftime("%d.%m.%Y"))
        if step == "municipality":
            return Shown(text=config.municipality(int(value)) or "—")
        if step == "grade":
            kind_name, _, _ = grade_range(context.application.role, context.answers.get("edu_type"))
            return Shown(key="apply-grade-shown", args={"kind": kind_name, "n": int(value)})
        if step == "presentation":
            return Shown(key="apply-media-shown", args={"kind": value})
        if step == "ideas":
            titles = [
                f"{rank}. {idea.title}"
                for rank, code in enumerate(value.split(","), start=1)
                if (idea := next((i for i in config.ideas if i.code == code), None)) is not None
            ]
            return Shown(text="; ".join(titles) or "—")
        step_def = next((s for s in context.steps if s.code == step), None)
        if step_def is not None and step_def.kind is StepKind.SCALE:
            return Shown(key="apply-scale-shown", args={"n": int(value)})
        return Shown(text=value)

    async def _review(self, context: _Context) -> ReviewView:
        editable = self._editable(context)
        rows = tuple(
            ReviewRow(
                step.code,
                self._shown(context, step.code, context.answers[step.code])
                if step.code in context.answers
                else Shown(key="apply-unanswered"),
                editable and step.code not in FIXED_STEPS,
            )
            for step in context.steps
        )
        return ReviewView(
            application_id=context.application.id,
            status=context.application.status,
            number=context.application.number,
            rows=rows,
            editable=editable,
            complete=resume_point(context.steps, context.answers) is None,
            reason=None if editable else self._read_only_reason(context),
        )


class _Narrowed(Exception):
    """Typed letters matched several municipalities: offer them as buttons."""

    def __init__(self, problem: Problem, options: tuple[tuple[int, str], ...]) -> None:
        super().__init__(problem.key)
        self.problem = problem
        self.options = options


def _not_text_error(given: Input) -> InvalidAnswer:
    if given.kind == "sticker":
        return InvalidAnswer("apply-bad-sticker")
    if given.kind == "choice":
        return InvalidAnswer("apply-muni-unknown")
    return InvalidAnswer("apply-bad-media")

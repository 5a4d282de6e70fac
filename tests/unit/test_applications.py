"""The application service over the example season: consent first, the under-14 rule, age
refusals, the window, submit and edit rules, withdrawal, withdrawal of consent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

import pytest
from sqlalchemy import func, select

from services.applications import (
    ApplicationService,
    ReadOnly,
    ReviewView,
    StepView,
    SubmittedView,
    WindowClosed,
)
from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.domain import ApplicationStatus, ConsentKind
from services.errors import DomainError
from services.i18n import Texts
from services.people import Identity
from services.questionnaire import Input
from storage.models import (
    Answer,
    Application,
    Consent,
    IdeaPreference,
    Municipality,
    Person,
    PresentationMedia,
    ProjectIdea,
)
from storage.uow import UnitOfWorkFactory
from tests.applicants import ABOUT, EXPERIENCE, WHY
from tests.databases import ON_BOTH_DATABASES
from tests.example_season import import_example
from tests.parents import parent_consents
from tests.texts import said

TEXTS = Texts()
T = TypeVar("T")
Call = Callable[[ApplicationService, Identity], Awaitable[T]]


class Applicant:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: FixedClock, tg_id: int) -> None:
        self.uow_factory, self.clock, self.tg_id = uow_factory, clock, tg_id
        self.app = 0

    async def __call__(self, call: Call[T]) -> T:
        async with self.uow_factory() as uow:
            services = Services(uow, self.clock, TEXTS, ServiceConfig())
            me = await services.people.identify(self.tg_id, "ru")
            return await call(services.applications, me)

    async def open(self) -> Any:
        outcome = await self(lambda s, me: s.open(me))
        self.app = outcome.application_id
        return outcome

    async def say(self, step: str, kind: str = "text", text: str | None = None, **kw: Any) -> Any:
        given = Input(kind, text=text, **kw)
        return await self(lambda s, me: s.answer(me, self.app, step, given, editing=False))

    async def to_consent(
        self, role: str = "student", age_group: str = "child", *, parent: bool = True
    ) -> None:
        """Through the consents; with `parent=False` a 14–17-year-old goes on without waiting
        for the parent (the step left for later)."""
        await self.open()
        await self.say("role", "choice", role)
        if role == "student":
            await self.say("age_group", "choice", age_group)
        if role == "tutor" or age_group != "child":  # under 14 only the parent consents
            await self.say("consent", "confirm")
        if role == "student" and parent:  # the parent confirms from their own account
            await parent_consents(self.uow_factory, self.clock, self.tg_id)
            await self.say("parent", "confirm")
        elif role == "student":
            await self(lambda s, me: s.skip(me, self.app, "parent", editing=False))

    async def fill(
        self,
        birth: str = "15.01.2013",
        role: str = "student",
        age_group: str = "child",
        *,
        parent: bool = True,
    ) -> Any:
        await self.to_consent(role, age_group, parent=parent)
        await self.say("birth_date", text=birth)
        await self.say("full_name", text="Иванов Пётр Алексеевич")
        async with self.uow_factory() as uow:
            tomsk = await uow.session.scalar(
                select(Municipality.id).where(Municipality.name == "Томск")
            )
            ideas = list(await uow.session.scalars(select(ProjectIdea.id).limit(2)))
        await self.say("municipality", "choice", str(tomsk))
        if role == "student":
            await self.say("edu_type", "choice", "school")
        await self.say("institution", text="Школа № 1")
        await self.say("grade", text="7")
        await self.say("phone", "contact", "79135554433", contact_is_own=True)
        for optional in ("email", "leader_id", "meo"):
            await self(lambda s, me, step=optional: s.skip(me, self.app, step, editing=False))
        await self.say("about", text=ABOUT)
        await self.say("presentation", "video", file_id="VID", file_size=2**20, duration=30)
        await self.say("q-why", text=WHY)
        await self.say("q-experience", text=EXPERIENCE)
        await self.say("q-teamwork", "choice", "5")
        for idea in ideas:
            await self(lambda s, me, i=idea: s.toggle_idea(me, self.app, i, 0, editing=False))
        return await self(lambda s, me: s.ideas_done(me, self.app, editing=False))


@pytest.fixture
async def applicant(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> Applicant:
    await import_example(uow_factory, clock)
    return Applicant(uow_factory, clock, 5001)


async def _rows(uow_factory: UnitOfWorkFactory, entity: Any) -> list[Any]:
    async with uow_factory() as uow:
        return list(await uow.session.scalars(select(entity)))


async def test_nothing_personal_is_stored_before_consent(
    applicant: Applicant, uow_factory: UnitOfWorkFactory
) -> None:
    first = await applicant.open()
    assert isinstance(first, StepView) and first.step.code == "role" and first.number == 1
    await applicant.say("role", "choice", "tutor")
    # Trying to answer a later step before consent stores nothing and shows the consent again.
    refused = await applicant.say("birth_date", text="01.01.2000")
    assert isinstance(refused, StepView) and refused.step.code == "consent"
    assert [(a.step, a.value) for a in await _rows(uow_factory, Answer)] == [("role", "tutor")]
    assert await _rows(uow_factory, Consent) == []
    [person] = await _rows(uow_factory, Person)
    assert person.full_name is None
    # A typed "да" is not a consent: only the button is.
    typed = await applicant.say("consent", text="да")
    assert isinstance(typed, StepView) and typed.problem is not None
    assert typed.problem.key == "apply-consent-press-button"

    after = await applicant.say("consent", "confirm")
    assert isinstance(after, StepView) and after.step.code == "birth_date"
    [consent] = await _rows(uow_factory, Consent)
    assert (consent.kind, consent.text_version, consent.valid) == (
        ConsentKind.APPLICANT,
        "2026.1",
        True,
    )
    assert consent.given_at == applicant.clock.now() and consent.person_id == person.id


@pytest.mark.parametrize(
    ("age_group", "birth", "kinds"),
    [("child", "15.01.2013", {ConsentKind.REPRESENTATIVE}),
     ("teen", "15.01.2011", {ConsentKind.APPLICANT, ConsentKind.REPRESENTATIVE})],
)  # fmt: skip
async def test_under_fourteen_only_the_parent_is_asked_to_consent_from_fourteen_both(
    applicant: Applicant,
    uow_factory: UnitOfWorkFactory,
    age_group: str,
    birth: str,
    kinds: set[ConsentKind],
) -> None:
    await applicant.to_consent("student", age_group)
    after = await applicant.say("birth_date", text=birth)
    assert isinstance(after, StepView) and after.step.code == "full_name"
    consents = {c.kind: c for c in await _rows(uow_factory, Consent)}
    assert set(consents) == kinds
    assert all(c.valid and c.given_at is not None for c in consents.values())
    representative = consents[ConsentKind.REPRESENTATIVE]
    assert (
        representative.representative_name,
        representative.representative_relation,
        representative.representative_phone,
    ) == ("Иванова Елена Сергеевна", "mother", "+79131002030")


@pytest.mark.parametrize(
    ("role", "age_group", "birth", "range_"),
    [("student", "child", "02.09.2013", (13, 17)), ("student", "teen", "01.01.2007", (13, 17)),
     ("tutor", "", "01.01.2010", (18, "none"))],
)  # fmt: skip
async def test_age_outside_the_roles_range_is_refused_with_the_range(
    applicant: Applicant,
    uow_factory: UnitOfWorkFactory,
    role: str,
    age_group: str,
    birth: str,
    range_: Any,
) -> None:
    await applicant.to_consent(role, age_group)
    refused = await applicant.say("birth_date", text=birth)
    assert isinstance(refused, StepView) and refused.step.code == "birth_date"
    assert refused.problem is not None and refused.problem.key == "apply-age-refused"
    assert (refused.problem.args["low"], refused.problem.args["high"]) == range_
    assert refused.exits == ("role", "restart") and refused.can_back
    assert "birth_date" not in {a.step for a in await _rows(uow_factory, Answer)}
    text = TEXTS.get(refused.problem.key, **refused.problem.args)
    assert (
        said("apply-choice-age_group-teen", under=13, top=17) if role == "student" else "с 18 лет"
    ) in text


async def test_outside_the_window_the_dates_are_given_in_the_seasons_zone(
    applicant: Applicant,
) -> None:
    applicant.clock.moment = applicant.clock.moment.replace(month=8, day=31, hour=16)
    with pytest.raises(WindowClosed) as caught:
        await applicant.open()
    assert caught.value.args_for_text == {
        "when": "before",
        "opens": "01.09.2026 00:00",
        "closes": "20.12.2026 23:59",
        "timezone": "Asia/Tomsk",
    }


async def test_submit_once_edit_until_review_then_read_only(
    applicant: Applicant, uow_factory: UnitOfWorkFactory
) -> None:
    review = await applicant.fill()
    assert isinstance(review, ReviewView) and review.complete and review.editable
    submitted = await applicant(lambda s, me: s.submit(me, applicant.app))
    again = await applicant(lambda s, me: s.submit(me, applicant.app))
    assert isinstance(submitted, SubmittedView) and submitted.first_time
    assert submitted.number == "TOMSK-2026-00001"
    assert isinstance(again, SubmittedView) and not again.first_time

    # Submitted and the window open: an answer may still be changed, and stays submitted.
    edit = await applicant(lambda s, me: s.show(me, applicant.app, "institution"))
    assert isinstance(edit, StepView) and edit.editing and edit.current is not None
    back = await applicant(
        lambda s, me: s.answer(me, applicant.app, "institution", Input("text", "Лицей № 7"),
                               editing=True)
    )  # fmt: skip
    assert isinstance(back, ReviewView) and back.status is ApplicationStatus.SUBMITTED
    assert {a.step: a.value for a in await _rows(uow_factory, Answer)}["institution"] == (
        "Лицей № 7"
    )

    async with uow_factory() as uow:  # the selection process begins the review
        await uow.applications.transition(
            applicant.app, [ApplicationStatus.SUBMITTED], ApplicationStatus.IN_REVIEW,
            applicant.clock.now(),
        )  # fmt: skip
        await uow.commit()
    with pytest.raises(ReadOnly) as caught:
        await applicant.say("institution", text="Другая школа")
    assert caught.value.args_for_text == {"reason": "in_review"}
    shown = await applicant.open()
    assert isinstance(shown, ReviewView) and not shown.editable and shown.reason == "in_review"


async def test_window_closing_makes_a_draft_read_only(applicant: Applicant) -> None:
    await applicant.to_consent("tutor")
    applicant.clock.advance(timedelta(days=200))
    with pytest.raises(ReadOnly) as caught:
        await applicant.say("birth_date", text="01.01.2000")
    assert caught.value.args_for_text == {"reason": "closed"}


async def test_one_application_per_person_and_withdrawal_while_open(
    applicant: Applicant, uow_factory: UnitOfWorkFactory
) -> None:
    await applicant.to_consent("tutor")
    await applicant.say("birth_date", text="01.01.2000")
    first = applicant.app
    reopened = await applicant.open()
    assert isinstance(reopened, StepView) and reopened.application_id == first
    assert reopened.step.code == "full_name"
    status = await applicant(lambda s, me: s.withdraw(me, first))
    assert status.status is ApplicationStatus.WITHDRAWN
    again = await applicant.open()  # while the window is open, /apply brings it back
    assert isinstance(again, StepView) and again.application_id == first
    assert again.step.code == "full_name"
    [application] = await _rows(uow_factory, Application)
    assert application.status is ApplicationStatus.DRAFT


async def test_privacy_offers_no_withdrawal_before_any_consent(applicant: Applicant) -> None:
    await applicant.open()
    await applicant.say("role", "choice", "student")
    await applicant.say("age_group", "choice", "teen")
    privacy = await applicant(lambda s, me: s.privacy(me))
    assert not privacy.has_data and privacy.consents == ()


@ON_BOTH_DATABASES  # reaches repository statements only this test runs on PG
async def test_withdrawing_consent_erases_the_answers_and_the_name(
    applicant: Applicant, uow_factory: UnitOfWorkFactory
) -> None:
    await applicant.fill("15.01.2011", age_group="teen")
    await applicant(lambda s, me: s.submit(me, applicant.app))
    privacy = await applicant(lambda s, me: s.privacy(me))
    assert privacy.has_data and [c[0] for c in privacy.consents] == [
        ConsentKind.APPLICANT,
        ConsentKind.REPRESENTATIVE,
    ]
    await applicant(lambda s, me: s.withdraw_consent(me))
    for entity in (Answer, PresentationMedia, IdeaPreference):
        async with uow_factory() as uow:
            assert await uow.session.scalar(select(func.count()).select_from(entity)) == 0
    [person] = [p for p in await _rows(uow_factory, Person) if p.tg_id == applicant.tg_id]
    [application] = await _rows(uow_factory, Application)
    consents = await _rows(uow_factory, Consent)
    assert person.full_name is None
    assert application.status is ApplicationStatus.WITHDRAWN
    assert all(c.withdrawn_at is not None and not c.valid for c in consents)
    # Applying again starts from the beginning, consent first.
    restart = await applicant.open()
    assert isinstance(restart, StepView) and restart.step.code == "role"


async def test_foreign_application_ids_are_refused(applicant: Applicant) -> None:
    await applicant.to_consent("tutor")
    other = Applicant(applicant.uow_factory, applicant.clock, 5002)
    other.app = applicant.app
    from services.errors import NotAllowed

    with pytest.raises(NotAllowed):
        await other.say("birth_date", text="01.01.2000")


async def test_changing_the_role_keeps_what_still_applies_and_erases_the_rest(
    applicant: Applicant, uow_factory: UnitOfWorkFactory
) -> None:
    review = await applicant.fill("15.01.2011", age_group="teen")
    assert isinstance(review, ReviewView) and review.complete
    # Back from any step of a draft reaches the role; a tutor needs no parent and no school.
    role = await applicant(lambda s, me: s.back(me, applicant.app, "birth_date", editing=False))
    assert isinstance(role, StepView) and role.step.code == "age_group"
    role = await applicant(lambda s, me: s.back(me, applicant.app, "age_group", editing=False))
    assert isinstance(role, StepView) and role.step.code == "role"
    after = await applicant.say("role", "choice", "tutor")
    # Fifteen is no tutor's age: the birth date goes too, and is asked next.
    assert isinstance(after, StepView) and after.step.code == "birth_date"
    answers = {a.step: a.value for a in await _rows(uow_factory, Answer)}
    assert not {"age_group", "rep_name", "rep_relation", "rep_phone", "rep_consent"} & set(answers)
    assert not {"birth_date", "edu_type", "institution", "grade"} & set(answers)
    assert answers["consent"] == "2026.1" and answers["full_name"] == "Иванов Пётр Алексеевич"
    assert {"municipality", "phone", "about", "presentation", "q-why", "ideas"} <= set(answers)
    assert [c.kind for c in await _rows(uow_factory, Consent)] == [ConsentKind.APPLICANT]
    assert len(await _rows(uow_factory, PresentationMedia)) == 1


async def test_under_fourteen_nothing_but_the_path_is_kept_until_the_parent_confirms(
    applicant: Applicant, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await applicant.open()
    await applicant.say("role", "choice", "student")
    waiting = await applicant.say("age_group", "choice", "child")
    assert isinstance(waiting, StepView) and waiting.step.code == "parent"
    assert not waiting.step.optional and waiting.prompt["waits"] == "all"
    # A later step, a typed answer, the parent's button pressed too soon: all wait.
    later = await applicant.say("birth_date", text="15.01.2013")
    assert isinstance(later, StepView) and later.step.code == "parent"
    typed = await applicant.say("parent", text="Мама разрешила")
    assert isinstance(typed, StepView) and typed.problem is not None
    assert typed.problem.key == "apply-parent-waiting"
    pressed = await applicant.say("parent", "confirm")
    assert isinstance(pressed, StepView) and pressed.problem is not None
    with pytest.raises(DomainError):
        await applicant(lambda s, me: s.skip(me, applicant.app, "parent", editing=False))
    assert {(a.step, a.value) for a in await _rows(uow_factory, Answer)} == {
        ("role", "student"), ("age_group", "child"),
    }  # fmt: skip
    [child] = await _rows(uow_factory, Person)
    assert (child.full_name, child.username) == (None, None)
    assert await _rows(uow_factory, Consent) == []

    await parent_consents(uow_factory, clock, applicant.tg_id)
    goes_on = await applicant.say("parent", "confirm")
    assert isinstance(goes_on, StepView) and goes_on.step.code == "birth_date"


async def test_from_fourteen_the_form_is_filled_meanwhile_but_submitted_only_with_the_parent(
    applicant: Applicant, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    review = await applicant.fill("15.01.2011", age_group="teen", parent=False)
    assert isinstance(review, ReviewView) and review.complete
    [parent_row] = [row for row in review.rows if row.step == "parent"]
    assert parent_row.value.key == "apply-parent-pending" and not parent_row.editable
    refused = await applicant(lambda s, me: s.submit(me, applicant.app))
    assert isinstance(refused, StepView) and refused.step.code == "parent"
    assert refused.problem is not None and refused.problem.key == "apply-parent-before-submit"
    [application] = await _rows(uow_factory, Application)
    assert application.status is ApplicationStatus.DRAFT

    await parent_consents(uow_factory, clock, applicant.tg_id)
    submitted = await applicant(lambda s, me: s.submit(me, applicant.app))
    assert isinstance(submitted, SubmittedView) and submitted.first_time

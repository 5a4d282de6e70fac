"""The answers that decide whose consent an application stands on: the role, the age group,
the applicant's own consent, and whether the parent's is in."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.applications.base import ApplicationBase
from services.applications.views import ROLE_BOUND_STEPS, Context, NoSeason
from services.domain import ConsentKind, Role
from services.questionnaire import (
    Input,
    InvalidAnswer,
    Step,
    asks_age_group,
    birth_date_fits,
    check_age_group,
    check_choice,
    chosen_group,
    steps_for,
)


class Consents(ApplicationBase):
    """The role, the age group and the consents: the answers that decide the path."""

    async def _store_role(self, context: Context, step: Step, given: Input, now: datetime) -> None:
        application = context.application
        value = check_choice(step, given, self._labels(context, step))
        role = Role(value)
        await self._save(context, "role", value)
        if application.role is not role:
            await self.uow.applications.set_role(application.id, role, now)
            application.role = role
            await self._settle_path(context, role_changed=True)

    async def _store_age_group(self, context: Context, step: Step, given: Input) -> None:
        application = context.application
        value = check_choice(step, given, self._labels(context, step))
        assert application.role is not None  # the role step comes first
        check_age_group(value, context.config, application.role)
        changed = context.answers.get("age_group") != value
        await self._save(context, "age_group", value)
        if changed:
            await self._settle_path(context, role_changed=False)

    async def _give_consent(
        self, context: Context, step: Step, given: Input, now: datetime
    ) -> None:
        """The applicant's own consent, in the version shown."""
        application, config = context.application, context.config
        if given.kind != "confirm":
            raise InvalidAnswer("apply-consent-press-button")
        kind = step.consent_kind
        assert kind is not None  # a consent step names its kind
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
        await self.uow.applications.upsert_consent(
            application.id, application.person_id, kind, **values
        )
        await self._save(context, step.code, text.version)

    def _check_parent(self, context: Context) -> None:
        """The parent's step is answered by the parent, not here: until their consent is in
        (`_load` reads it), whatever the applicant sends is answered with the wait."""
        if not context.answers.get("parent"):
            raise InvalidAnswer("apply-parent-waiting")

    async def _settle_path(self, context: Context, *, role_changed: bool) -> None:
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
        if "parent" not in codes:
            await self.uow.applications.drop_consents(application.id, ConsentKind.REPRESENTATIVE)
        for code in stale:
            answers.pop(code, None)
        context.steps = path

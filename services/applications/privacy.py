"""/privacy and the withdrawal of consent (the erasure itself is services.privacy's)."""

from __future__ import annotations

import logging
from dataclasses import asdict

from services.applications.base import ApplicationBase
from services.applications.views import ConsentRecord, PrivacyView, shown_time
from services.domain import ApplicationStatus
from services.events import PersonForgotten
from services.people import Identity
from services.privacy import erase_person
from services.questionnaire import PATH_STEPS
from services.seasons import load_config

logger = logging.getLogger(__name__)


class Privacy(ApplicationBase):
    """/privacy: the consents given, and their withdrawal with the erasure of the data."""

    async def privacy(self, me: Identity) -> PrivacyView:
        consents: list[ConsentRecord] = []
        withdrawn: list[ConsentRecord] = []
        has_data = False
        for application in await self.uow.applications.all_of_person(me.person_id):
            season = await self.uow.seasons.get(application.season_id)
            zone_config = await load_config(self.uow, season) if season else None
            answers = await self.uow.applications.answers(application.id)
            # The role and age group, kept before consent, are no data to withdraw consent for.
            has_data = has_data or any(step not in PATH_STEPS for step in answers)
            for kind, consent in (await self.uow.applications.consents(application.id)).items():
                if consent.given_at is None:
                    continue
                withdrawn_at = consent.withdrawn_at
                record = ConsentRecord(
                    kind,
                    consent.text_version,
                    shown_time(consent.given_at, zone_config),
                    shown_time(withdrawn_at, zone_config) if withdrawn_at else None,
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
        return await self._withdraw_person(me.person_id, actor_id=me.person_id)

    async def _withdraw_person(self, person_id: int, *, actor_id: int) -> int:
        """The withdrawal itself, committed: by the person, or by their parent (`actor_id`)."""
        count = await self._withdraw_and_erase(person_id, actor_id, "consent.withdraw")
        await self.uow.commit()
        logger.info("person %s withdrew consent (by %s)", person_id, actor_id)
        return count

    async def forget(self, me: Identity) -> tuple[ConsentRecord, ...]:
        """/forget: the withdrawal above, and every team membership ended (the team is told
        without a name), in one transaction. Returns what the law makes us keep: the consent
        records (what, when, which text version) — shown without any personal value."""
        await self.consequences.person_forgotten(PersonForgotten(me.person_id))
        await self._withdraw_and_erase(me.person_id, me.person_id, "person.forget")
        await self.uow.commit()
        logger.info("person %s asked to be forgotten", me.person_id)
        view = await self.privacy(me)
        return tuple(
            record._replace(representative=None, relation=None)
            for record in (*view.consents, *view.withdrawn)
        )

    async def _withdraw_and_erase(self, person_id: int, actor_id: int, audit_action: str) -> int:
        now = self.clock.now()
        applications = await self.uow.applications.all_of_person(person_id)
        for application in applications:
            await self.uow.applications.transition(
                application.id,
                [s for s in ApplicationStatus if s is not ApplicationStatus.WITHDRAWN],
                ApplicationStatus.WITHDRAWN,
                now,
                withdrawn_at=now,
            )
        erased = await erase_person(self.uow, self.notifier, self.texts, person_id, now)
        withdrawn = await self.uow.applications.withdraw_consents(person_id, now)
        await self.uow.audit.record(
            now, actor_id, audit_action, "person", person_id,
            consents=withdrawn, **asdict(erased),
        )  # fmt: skip
        return len(applications)

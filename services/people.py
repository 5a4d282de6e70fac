"""Who is writing: the person behind a Telegram account and the roles they hold."""

from __future__ import annotations

from dataclasses import dataclass

from services.clock import Clock
from services.domain import Role
from services.i18n import Texts
from services.notify import Notifier
from storage.models import Person
from storage.uow import UnitOfWork

SUPPORTED_LANGUAGES = frozenset({"ru"})


def display_name(person: Person, texts: Texts, language: str | None = None) -> str:
    """The person's name, or a neutral label before it is known (never a phone or username).
    Every feature names people this way, so it lives with the person, not in one feature."""
    return person.full_name or texts.get("plan-person-anon", language, id=person.id)


@dataclass(frozen=True)
class Identity:
    """The current person, resolved once per update and handed to handlers as `me`."""

    person_id: int
    tg_id: int
    language: str
    roles: frozenset[Role]
    seasonal_roles: frozenset[tuple[Role, int | None]]

    def has(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)

    def has_in_season(self, role: Role, season_id: int) -> bool:
        return (role, season_id) in self.seasonal_roles or (role, None) in self.seasonal_roles


class PeopleService:
    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        notifier: Notifier,
        office_admin_ids: frozenset[int] = frozenset(),
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.notifier = notifier
        self.office_admin_ids = office_admin_ids

    async def identify(self, tg_id: int, language_code: str | None) -> Identity:
        """Find or register the person. Only the Telegram id and language are kept before consent.

        Registration, the bootstrap of the project office from settings, and a person writing
        again after blocking the bot are committed here, on their own: they must stick even when
        the update's own action then fails.
        """
        now = self.clock.now()
        found = await self.uow.people.lookup(tg_id)
        changed = False
        if found is None:
            language = language_code if language_code in SUPPORTED_LANGUAGES else "ru"
            person = await self.uow.people.ensure(tg_id, language, now)
            person_id, language, grants = person.id, person.language, set()
            changed = True
        else:
            person_id, language, grants = found.id, found.language, found.grants
            if not found.is_active:
                # Writing to the bot means they unblocked it: messages may be sent again.
                changed = await self.uow.people.set_active(tg_id, True, now)
        if tg_id in self.office_admin_ids and (Role.OFFICE, None) not in grants:
            await self.uow.people.grant(person_id, Role.OFFICE, None, now)
            await self.uow.audit.record(
                now, None, "role.grant", "person", person_id, role=Role.OFFICE, source="settings"
            )
            grants.add((Role.OFFICE, None))
            await self.notifier.refresh_menu(tg_id, frozenset(role for role, _ in grants))
            changed = True
        if changed:
            await self.uow.commit()
        return Identity(
            person_id=person_id,
            tg_id=tg_id,
            language=language,
            roles=frozenset(role for role, _ in grants),
            seasonal_roles=frozenset(grants),
        )

    async def mark_blocked(self, tg_id: int) -> bool:
        """The person blocked the bot (Telegram answered 403): stop messaging them."""
        changed = await self.uow.people.set_active(tg_id, False, self.clock.now())
        await self.uow.commit()
        return changed

"""Who is writing: the person behind a messenger account and the roles they hold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.clock import Clock
from services.domain import Address, Messenger, Role
from services.i18n import Texts
from services.notify import Notifier
from storage.models import Person
from storage.repositories.people import PersonLookup
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
    # Their Telegram id: also the Telegram chat; None for a person only on MAX.
    tg_id: int | None
    language: str
    roles: frozenset[Role]
    seasonal_roles: frozenset[tuple[Role, int | None]]
    # Where this person writes from now, and their private chat there.
    messenger: Messenger = Messenger.TELEGRAM
    chat_id: int | None = None  # None: the Telegram id (a private chat's id there)

    @property
    def address(self) -> Address:
        """The chat this person is writing from: where answers to them go."""
        chat = self.chat_id if self.chat_id is not None else self.tg_id
        assert chat is not None, "a person known only on MAX always has their chat id"
        return Address(self.messenger, chat)

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

    async def identify(
        self,
        user_id: int,
        language_code: str | None,
        messenger: Messenger = Messenger.TELEGRAM,
        chat_id: int | None = None,
    ) -> Identity:
        """Find or register the person by their account on `messenger` (`chat_id`: their
        private chat, on Telegram the user id). Only the account and language are kept before
        consent.

        Registration, the bootstrap of the project office from settings, a person writing
        again after blocking the bot, and one coming back from the other messenger are
        committed here, on their own: they must stick even when the update's own action then
        fails.
        """
        now = self.clock.now()
        chat = user_id if chat_id is None else chat_id
        found = await self._lookup(user_id, messenger)
        changed = False
        if found is None:
            language = language_code if language_code in SUPPORTED_LANGUAGES else "ru"
            person = await self.uow.people.ensure_account(messenger, user_id, chat, language, now)
            person_id, language, grants, tg_id = person.id, person.language, set(), person.tg_id
            changed = True
        else:
            person_id, language, tg_id = found.id, found.language, found.tg_id
            grants = set(found.grants)  # a cached lookup stays as read
            chat = found.chat_id
            if not found.is_active:
                # Writing to the bot means they unblocked it here: messages may be sent again.
                changed = await self.uow.people.set_account_active(person_id, messenger, True, now)
            if found.preferred_messenger != messenger:
                # They came back on this messenger: notifications follow them here.
                await self.uow.people.set_preferred(person_id, messenger, now)
                changed = True
        me = Identity(person_id, tg_id, language, frozenset(), frozenset(), messenger, chat)
        if tg_id is not None and tg_id in self.office_admin_ids:
            changed |= await self._bootstrap_office(me, grants, now)
        if changed:
            await self.uow.commit()
        return Identity(
            person_id=person_id,
            tg_id=tg_id,
            language=language,
            roles=frozenset(role for role, _ in grants),
            seasonal_roles=frozenset(grants),
            messenger=messenger,
            chat_id=chat,
        )

    async def _lookup(self, user_id: int, messenger: Messenger) -> PersonLookup | None:
        """The account's person and roles: from the cache while no change to anyone's identity
        was committed since (storage/identity_cache.py), else from the database. Only an
        entry that needs no write on the next contact is kept (an active account, already
        the preferred messenger), so a cached contact never skips a write."""
        cache, key = self.uow.identities, (messenger, user_id)
        generation = await cache.generation()
        found = cache.get(key, generation)
        if found is not None:
            return found
        found = await self.uow.people.lookup(user_id, messenger)
        if found is not None and found.is_active and found.preferred_messenger == messenger:
            cache.put(key, generation, found)
        return found

    async def _bootstrap_office(
        self, me: Identity, grants: set[tuple[Role, int | None]], now: datetime
    ) -> bool:
        """The project office named in settings (by Telegram id) holds its role from the start."""
        if (Role.OFFICE, None) in grants:
            return False
        await self.uow.people.grant(me.person_id, Role.OFFICE, None, now)
        await self.uow.audit.record(
            now, None, "role.grant", "person", me.person_id, role=Role.OFFICE, source="settings"
        )
        grants.add((Role.OFFICE, None))
        await self.notifier.refresh_menu(me.address, frozenset(role for role, _ in grants))
        return True

    async def mark_blocked(self, tg_id: int) -> bool:
        """The person blocked the bot (Telegram answered 403): stop messaging them."""
        return await self.mark_blocked_at(Address.telegram(tg_id))

    async def mark_blocked_at(self, private_chat: Address) -> bool:
        """The person whose private chat this is blocked the bot (Telegram answered 403, MAX
        chat.denied / dialog suspended): stop messaging them."""
        changed = await self.uow.people.set_active_at(private_chat, False, self.clock.now())
        await self.uow.commit()
        return changed

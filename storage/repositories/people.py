"""People and their roles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.domain import Address, Messenger, Role
from storage.models import Account, Person, RoleGrant, Season
from storage.sql import insert_for, rowcount


@dataclass(frozen=True)
class PersonLookup:
    """What identifying an update needs about its sender, read in one query."""

    id: int
    language: str
    is_active: bool  # the account looked up: False once the person blocked the bot there
    grants: set[tuple[Role, int | None]]
    tg_id: int | None
    preferred_messenger: Messenger
    chat_id: int  # the private chat of the account looked up


class PeopleRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, person_id: int) -> Person | None:
        return await self.session.get(Person, person_id)

    async def by_tg_id(self, tg_id: int) -> Person | None:
        return await self.session.scalar(select(Person).where(Person.tg_id == tg_id))

    async def by_username(self, username: str, limit: int) -> list[Person]:
        """People whose messenger username is this one, any case (usernames are ASCII)."""
        rows = await self.session.scalars(
            select(Person)
            .where(func.lower(Person.username) == username.lower())
            .order_by(Person.id)
            .limit(limit)
        )
        return list(rows)

    async def names(self) -> list[tuple[int, str]]:
        """Every known name with its person's id: the office's search by name folds case and
        ё in Python (SQLite's lower() knows ASCII only)."""
        rows = await self.session.execute(
            select(Person.id, Person.full_name)
            .where(Person.full_name.is_not(None))
            .order_by(Person.id)
        )
        return [(person_id, name) for person_id, name in rows if name]

    async def many(self, person_ids: Iterable[int]) -> list[Person]:
        ids = list(person_ids)
        if not ids:
            return []
        rows = await self.session.scalars(
            select(Person).where(Person.id.in_(ids)).order_by(Person.id)
        )
        return list(rows)

    async def lookup(
        self, user_id: int, messenger: Messenger = Messenger.TELEGRAM
    ) -> PersonLookup | None:
        """The person behind an account and their active roles in one round trip (this runs
        for every update)."""
        rows = (
            await self.session.execute(
                select(
                    Person.id,
                    Person.language,
                    Account.is_active,
                    Person.tg_id,
                    Person.preferred_messenger,
                    Account.chat_id,
                    RoleGrant.role,
                    RoleGrant.season_id,
                )
                .join(Account, Account.person_id == Person.id)
                .outerjoin(
                    RoleGrant,
                    (RoleGrant.person_id == Person.id) & RoleGrant.revoked_at.is_(None),
                )
                .where(Account.messenger == messenger, Account.user_id == user_id)
            )
        ).all()
        if not rows:
            return None
        person_id, language, is_active, tg_id, preferred, chat_id = rows[0][:6]
        grants = {(role, season_id) for *_, role, season_id in rows if role is not None}
        return PersonLookup(person_id, language, is_active, grants, tg_id, preferred, chat_id)

    async def ensure(self, tg_id: int, language: str, now: datetime) -> Person:
        """The person with this Telegram id, created on first contact; safe under races."""
        return await self.ensure_account(Messenger.TELEGRAM, tg_id, tg_id, language, now)

    async def ensure_account(
        self, messenger: Messenger, user_id: int, chat_id: int, language: str, now: datetime
    ) -> Person:
        """The person behind this account, registered with it on first contact; safe under
        races (the loser of two first contacts drops the person it made)."""
        person = await self.by_account(messenger, user_id)
        if person is not None:
            return person
        telegram = messenger is Messenger.TELEGRAM
        values = dict(
            tg_id=user_id if telegram else None,
            preferred_messenger=messenger,
            language=language,
            is_active=True,
            created_at=now,
            updated_at=now,
        )
        if telegram:
            await self.session.execute(
                insert_for(self.session, Person)
                .values(**values)
                .on_conflict_do_nothing(index_elements=["tg_id"])
            )
            # Ours, or one from before accounts, or one another first contact made meanwhile.
            owner = await self.by_tg_id(user_id)
            assert owner is not None
            person_id = owner.id
        else:
            created = Person(**values)
            self.session.add(created)
            await self.session.flush()
            person_id = created.id
        await self.session.execute(
            insert_for(self.session, Account)
            .values(
                person_id=person_id,
                messenger=messenger,
                user_id=user_id,
                chat_id=chat_id,
                created_at=now,
                last_seen_at=now,
            )
            .on_conflict_do_nothing(index_elements=["messenger", "user_id"])
        )
        person = await self.by_account(messenger, user_id)
        assert person is not None
        if person.id != person_id and not telegram:
            await self.session.execute(delete(Person).where(Person.id == person_id))
        return person

    async def by_account(self, messenger: Messenger, user_id: int) -> Person | None:
        return await self.session.scalar(
            select(Person)
            .join(Account, Account.person_id == Person.id)
            .where(Account.messenger == messenger, Account.user_id == user_id)
        )

    async def set_preferred(self, person_id: int, messenger: Messenger, now: datetime) -> None:
        """The person now writes from their account on `messenger`: reach them there."""
        await self.session.execute(
            update(Person)
            .where(Person.id == person_id)
            .values(preferred_messenger=messenger, updated_at=now)
        )
        await self.session.execute(
            update(Account)
            .where(Account.person_id == person_id, Account.messenger == messenger)
            .values(last_seen_at=now)
        )

    async def set_active(self, tg_id: int, active: bool, now: datetime) -> bool:
        """Mark whether the bot may message this Telegram user (False once they blocked it)."""
        return await self.set_active_at(Address.telegram(tg_id), active, now)

    async def set_active_at(self, private_chat: Address, active: bool, now: datetime) -> bool:
        """Mark the account whose private chat with the bot this is, on its messenger (on
        Telegram the chat is the user; on MAX a dialog of its own), and keep its person's
        `is_active` as "some account active". A group's chat is nobody's: nothing changes."""
        if private_chat.messenger is Messenger.TELEGRAM and private_chat.chat_id <= 0:
            return False
        owner = select(Account.person_id).where(
            Account.messenger == private_chat.messenger, Account.chat_id == private_chat.chat_id
        )
        person_id = await self.session.scalar(owner)
        if person_id is None:
            return False
        result = await self.session.execute(
            update(Account)
            .where(
                Account.messenger == private_chat.messenger,
                Account.chat_id == private_chat.chat_id,
                Account.is_active.is_not(active),
            )
            .values(is_active=active)
            .execution_options(synchronize_session=False)
        )
        await self._derive_active(person_id, now)
        return bool(rowcount(result))

    async def set_account_active(
        self, person_id: int, messenger: Messenger, active: bool, now: datetime
    ) -> bool:
        """The same, for the person's account on `messenger` (they wrote from it again)."""
        result = await self.session.execute(
            update(Account)
            .where(
                Account.person_id == person_id,
                Account.messenger == messenger,
                Account.is_active.is_not(active),
            )
            .values(is_active=active)
            .execution_options(synchronize_session=False)
        )
        await self._derive_active(person_id, now)
        return bool(rowcount(result))

    async def _derive_active(self, person_id: int, now: datetime) -> None:
        """`people.is_active`: whether any account of theirs lets the bot reach them."""
        reachable = (
            select(Account.id)
            .where(Account.person_id == person_id, Account.is_active.is_(True))
            .exists()
        )
        await self.session.execute(
            update(Person)
            .where(Person.id == person_id)
            .values(is_active=reachable, updated_at=now)
            .execution_options(synchronize_session=False)
        )

    async def set_profile(
        self, person_id: int, full_name: str | None, username: str | None, now: datetime
    ) -> None:
        await self.session.execute(
            update(Person)
            .where(Person.id == person_id)
            .values(full_name=full_name, username=username, updated_at=now)
        )

    async def roles_of(self, person_id: int) -> set[tuple[Role, int | None]]:
        rows = await self.session.execute(
            select(RoleGrant.role, RoleGrant.season_id).where(
                RoleGrant.person_id == person_id, RoleGrant.revoked_at.is_(None)
            )
        )
        return {(role, season_id) for role, season_id in rows}

    async def grant(
        self,
        person_id: int,
        role: Role,
        season_id: int | None,
        now: datetime,
        granted_by: int | None = None,
    ) -> bool:
        """Grant a role (or restore a revoked one); False if it was already held."""
        existing = await self.session.scalar(
            select(RoleGrant).where(
                RoleGrant.person_id == person_id,
                RoleGrant.role == role,
                RoleGrant.season_id.is_(None)
                if season_id is None
                else RoleGrant.season_id == season_id,
            )
        )
        if existing is None:
            self.session.add(
                RoleGrant(
                    person_id=person_id,
                    role=role,
                    season_id=season_id,
                    granted_at=now,
                    granted_by=granted_by,
                )
            )
            await self.session.flush()
            return True
        if existing.revoked_at is not None:
            existing.revoked_at = None
            existing.granted_at = now
            existing.granted_by = granted_by
            return True
        return False

    async def revoke(self, person_id: int, role: Role, now: datetime) -> int:
        result = await self.session.execute(
            update(RoleGrant)
            .where(
                RoleGrant.person_id == person_id,
                RoleGrant.role == role,
                RoleGrant.revoked_at.is_(None),
            )
            .values(revoked_at=now)
        )
        return rowcount(result)

    async def grant_by_id(
        self, grant_id: int, *, fresh: bool = False
    ) -> tuple[RoleGrant, Person, Season | None] | None:
        """A role grant with its holder and season (`fresh`: as committed by others now)."""
        statement = (
            select(RoleGrant, Person, Season)
            .join(Person, Person.id == RoleGrant.person_id)
            .outerjoin(Season, Season.id == RoleGrant.season_id)
            .where(RoleGrant.id == grant_id)
        )
        if fresh:
            statement = statement.execution_options(populate_existing=True)
        row = (await self.session.execute(statement)).first()
        return (row[0], row[1], row[2]) if row is not None else None

    async def active_grants(
        self,
        roles: Iterable[Role],
        *,
        person_id: int | None = None,
        season_id: int | None = None,
    ) -> list[tuple[RoleGrant, Person, Season | None]]:
        """Roles held now (of one person, in one season when given), with their holders and
        seasons, by role and then by when they were granted."""
        statement = (
            select(RoleGrant, Person, Season)
            .join(Person, Person.id == RoleGrant.person_id)
            .outerjoin(Season, Season.id == RoleGrant.season_id)
            .where(RoleGrant.role.in_(list(roles)), RoleGrant.revoked_at.is_(None))
            .order_by(RoleGrant.role, RoleGrant.granted_at, RoleGrant.id)
            .execution_options(populate_existing=True)
        )
        if person_id is not None:
            statement = statement.where(RoleGrant.person_id == person_id)
        if season_id is not None:
            statement = statement.where(RoleGrant.season_id == season_id)
        rows = await self.session.execute(statement)
        return [(grant, person, season) for grant, person, season in rows]

    async def revoke_grant(self, grant_id: int, now: datetime) -> bool:
        """Revoke one grant; False when it was revoked already (a double tap, a replay)."""
        result = await self.session.execute(
            update(RoleGrant)
            .where(RoleGrant.id == grant_id, RoleGrant.revoked_at.is_(None))
            .values(revoked_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

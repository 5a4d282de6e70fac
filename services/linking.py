"""Linking a person's two messengers: a one-time code asked on one, typed on the other.

`/link` on Telegram (say) gives a short code; `/link <code>` on MAX attaches that MAX account to
the person who asked for it, so staff see one person and notifications follow them to the
messenger they write from last. The code is kept only as a hash, works once and for
`CODE_VALIDITY`; asking again replaces it. The account that types it must belong to a person
with nothing of their own yet (a newcomer who has only said hello): two people with data are
never merged by a code, the office sorts that out.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.clock import Clock
from services.domain import Messenger
from services.errors import Conflict, InvalidInput
from services.people import Identity
from storage.uow import UnitOfWork

CODE_VALIDITY = timedelta(minutes=15)
CODE_LENGTH = 8
# Letters and digits that cannot be taken for one another when typed from a screen.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def code_hash(code: str) -> str:
    """The stored form of a code; spaces, dashes and case as typed do not matter."""
    typed = "".join(code.split()).replace("-", "").upper()
    return hashlib.sha256(typed.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedCode:
    code: str
    expires_at: datetime
    minutes: int


@dataclass(frozen=True)
class Linked:
    """The account typed the code: it is now the person's (`person_id`) on `messenger`."""

    person_id: int
    messenger: Messenger
    asked_on: Messenger


class LinkService:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self.uow = uow
        self.clock = clock

    async def issue(self, me: Identity) -> IssuedCode:
        """A new one-time code for `me`, to be typed on the other messenger."""
        now = self.clock.now()
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        expires_at = now + CODE_VALIDITY
        await self.uow.accounts.add_link_code(
            me.person_id, me.messenger, code_hash(code), now, expires_at
        )
        await self.uow.audit.record(
            now, me.person_id, "account.link_code", "person", me.person_id, messenger=me.messenger
        )
        await self.uow.commit()
        return IssuedCode(code, expires_at, int(CODE_VALIDITY.total_seconds() // 60))

    async def redeem(self, me: Identity, code: str) -> Linked:
        """Attach the account `me` writes from to the person who asked for `code`."""
        now = self.clock.now()
        found = await self.uow.accounts.link_code(code_hash(code))
        if found is None or found.used_at is not None or found.expires_at <= now:
            raise InvalidInput("link-code-invalid")
        if found.messenger == me.messenger:
            raise InvalidInput("link-same-messenger")
        target = found.person_id
        if target == me.person_id:
            raise Conflict("link-already")
        if any(a.messenger == me.messenger for a in await self.uow.accounts.accounts_of(target)):
            raise Conflict("link-other-account")
        if await self.uow.accounts.has_data(me.person_id):
            raise Conflict("link-both-have-data")
        if not await self.uow.accounts.use_link_code(found.id, now):
            raise InvalidInput("link-code-invalid")  # spent by a parallel attempt
        await self.uow.accounts.merge_into(me.person_id, target, now)
        # They write from here now: this is where notifications reach them.
        await self.uow.people.set_preferred(target, me.messenger, now)
        await self.uow.audit.record(
            now, target, "account.link", "person", target,
            messenger=me.messenger, merged_person=me.person_id,
        )  # fmt: skip
        await self.uow.commit()
        return Linked(target, me.messenger, found.messenger)

"""A minor's parent consents from their own account, through a one-time link.

The child's application asks for the link (`parent_link`); the parent opens it in their own
messenger account (`parent_request`), sees for whom and for what, shares their phone and
confirms (`parent_confirm`). The link is kept only as a hash, works once and for
`PARENT_LINK_VALIDITY`; asking again replaces a link not yet used. A confirmation from the
child's own person (any of their accounts) is refused: the point is that someone else agrees.
The consent row names the parent's account and the link, so the office can show who agreed.
A parent withdraws from the same account (`parent_withdraw`), with the child's withdrawal's
effect.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import segno

from services.actions import ApplyAction, ApplyVerb
from services.applications.base import parent_consent_in as parent_consent_in
from services.applications.privacy import Privacy
from services.applications.views import NoSeason
from services.domain import ApplicationStatus, ConsentKind, Messenger
from services.errors import InvalidInput, NotAllowed, NotFound
from services.notify import Button
from services.people import Identity
from services.reminders.base import season_policy
from services.seasons import SeasonConfig, load_config
from storage.models import Application, ParentLink

PARENT_LINK_VALIDITY = timedelta(days=7)
# `/start pc_<code>`: Telegram deep links allow letters, digits, `_` and `-` up to 64 characters.
PARENT_START_PREFIX = "pc_"


def parent_code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


def consent_age(birth: date, today: date) -> int:
    """Full years on `today`."""
    before_birthday = (today.month, today.day) < (birth.month, birth.day)
    return today.year - birth.year - before_birthday


def only_id_until_parent(config: SeasonConfig, age: int) -> bool:
    """Under the season's threshold the child's own consent is no basis: nothing but their
    messenger id is kept until the parent confirms."""
    return age < config.representative_only_under


def needs_parent(config: SeasonConfig, age: int) -> bool:
    """A minor's application is not submitted without their parent's consent."""
    return age < config.adult_age


@dataclass(frozen=True)
class IssuedParentLink:
    code: str
    start_argument: str  # what follows /start: `pc_<code>`
    expires_at: datetime


@dataclass(frozen=True)
class ParentRequest:
    """What the parent sees before confirming: for whom and for what."""

    application_id: int
    child_name: str | None
    programme: str
    consent_text: str
    text_version: str
    consent_text_id: int


class ParentConsents(Privacy):
    """The child's link for their parent, and the parent's side of it."""

    async def parent_link(self, me: Identity) -> IssuedParentLink:
        """A new one-time link for the parent of `me`'s application in the current season."""
        season, _ = await self._current()
        application = await self.uow.applications.of_person(me.person_id, season.id)
        if application is None or application.status is ApplicationStatus.WITHDRAWN:
            raise NotFound()
        now = self.clock.now()
        code = secrets.token_urlsafe(18)
        expires_at = now + PARENT_LINK_VALIDITY
        await self.uow.parent_links.add(application.id, parent_code_hash(code), now, expires_at)
        await self.uow.audit.record(
            now, me.person_id, "consent.parent_link", "application", application.id
        )
        await self.uow.commit()
        return IssuedParentLink(code, PARENT_START_PREFIX + code, expires_at)

    async def send_link_qr(self, me: Identity, url: str) -> None:
        """The link as a QR code picture, for a parent sitting next to the child: through the
        outbox as a file, so it reaches the child on either messenger."""
        picture = io.BytesIO()
        segno.make(url, error="m").save(picture, kind="png", scale=8, border=2)
        await self.notifier.send_file(
            me.address, "parent-link.png", picture.getvalue(),
            caption=self.texts.get("parent-link-qr", language=me.language),
            person_id=me.person_id,
        )  # fmt: skip
        await self.uow.commit()

    async def parent_request(self, me: Identity, code: str) -> ParentRequest:
        """What a parent opening the link is asked to agree to (nothing is written)."""
        _, application = await self._usable_link(me, code)
        return await self._request_for(application)

    async def _request_for(self, application: Application) -> ParentRequest:
        season = await self.uow.seasons.get(application.season_id)
        config = await load_config(self.uow, season) if season is not None else None
        text = config.consent_texts.get(ConsentKind.REPRESENTATIVE) if config else None
        if season is None or text is None:
            raise NoSeason()
        child = await self.uow.people.get(application.person_id)
        answers = await self.uow.applications.answers(application.id)
        name = answers.get("full_name") or (child.full_name if child else None)
        return ParentRequest(application.id, name, season.name, text.text, text.version, text.id)

    async def parent_confirm(
        self, me: Identity, code: str, *, name: str, relation: str, phone: str
    ) -> int:
        """The parent agrees from their own account: the representative's consent is recorded
        with that account and the link, and the link is spent. Returns the child's person id,
        to tell them."""
        link, application = await self._usable_link(me, code)
        request = await self._request_for(application)
        account = await self._account_of(me)
        now = self.clock.now()
        if not await self.uow.parent_links.use(link.id, me.messenger, account, now):
            raise InvalidInput("parent-link-invalid")
        await self.uow.applications.upsert_consent(
            application.id, application.person_id, ConsentKind.REPRESENTATIVE,
            consent_text_id=request.consent_text_id, text_version=request.text_version,
            given_at=now, withdrawn_at=None, valid=True, representative_name=name,
            representative_relation=relation, representative_phone=phone,
            parent_messenger=me.messenger, parent_user_id=account, parent_link_id=link.id,
        )  # fmt: skip
        await self.uow.audit.record(
            now, me.person_id, "consent.parent_confirm", "application", application.id,
            messenger=me.messenger, link=link.id,
        )  # fmt: skip
        await self._tell_child(application, now)
        await self.uow.commit()
        return application.person_id

    async def _tell_child(
        self,
        application: Application,
        now: datetime,
        key: str = "parent-consent-child-told",
        *,
        go_on: bool = True,
    ) -> None:
        """The child hears what became of their parent's consent — with the button that goes
        on with the questionnaire when it was given — and not at night: a parent or the office
        may decide late."""
        child = await self.uow.people.get(application.person_id)
        if child is None:
            return
        quiet = await season_policy(self.uow, application.season_id)
        text = self.texts.get("parent-btn-child-go-on", language=child.language)
        buttons = [[Button.doing(text, ApplyAction(verb=ApplyVerb.OPEN))]] if go_on else None
        await self.notifier.send_text(
            child, self.texts.get(key, language=child.language), buttons=buttons,
            not_before=quiet.outside_quiet_hours(now), person_id=child.id,
        )  # fmt: skip

    async def parent_withdraw(self, me: Identity) -> int:
        """The parent withdraws every consent they gave from this account: each child's data
        goes as at the child's own withdrawal. Returns how many children it reached."""
        account = await self._account_of(me)
        consents = await self.uow.parent_links.given_by(me.messenger, account)
        if not consents:
            raise NotFound("parent-withdraw-none")
        children = sorted({consent.person_id for consent in consents})
        for child in children:
            await self._withdraw_person(child, actor_id=me.person_id)
        return len(children)

    async def _usable_link(self, me: Identity, code: str) -> tuple[ParentLink, Application]:
        link = await self.uow.parent_links.by_hash(parent_code_hash(code))
        if link is None or link.used_at is not None or link.expires_at <= self.clock.now():
            raise InvalidInput("parent-link-invalid")
        application = await self.uow.applications.get(link.application_id)
        if application is None or application.status is ApplicationStatus.WITHDRAWN:
            raise InvalidInput("parent-link-invalid")
        if application.person_id == me.person_id:
            raise NotAllowed("parent-link-own-account")
        return link, application

    async def _account_of(self, me: Identity) -> int:
        """The user id of the account `me` writes from (the Telegram id, or MAX's user id)."""
        for account in await self.uow.accounts.accounts_of(me.person_id):
            if account.messenger is me.messenger:
                return account.user_id
        if me.messenger is Messenger.TELEGRAM and me.tg_id is not None:
            return me.tg_id
        raise NotFound()

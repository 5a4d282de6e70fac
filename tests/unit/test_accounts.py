"""A person per messenger account (issue 12): identify on Telegram and MAX, where a person's
notifications go, and linking two accounts with a one-time code."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from dialogs import link
from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.domain import Address, Messenger, Role
from services.errors import DomainError
from services.i18n import Texts
from services.notify import TextMessage
from services.people import Identity
from services.privacy import erase_person
from storage.models import LinkCode, OutgoingMessage
from storage.uow import UnitOfWorkFactory
from tests.databases import ON_BOTH_DATABASES
from tests.recording_messenger import RecordingMessenger

USER = 77  # the same number names two different users on the two messengers
MAX_CHAT = 9_000_077  # on MAX a dialog's chat id is not the user's id
t = Texts().for_language("ru")


async def _identify(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, messenger: Messenger, user: int = USER
) -> Identity:
    chat = MAX_CHAT + user - USER if messenger is Messenger.MAX else None
    async with uow_factory() as uow:
        services = Services(uow, clock, Texts(), ServiceConfig())
        return await services.people.identify(user, "ru", messenger, chat)


async def _code(uow_factory: UnitOfWorkFactory, clock: FixedClock, me: Identity) -> str:
    async with uow_factory() as uow:
        return (await Services(uow, clock, Texts(), ServiceConfig()).linking.issue(me)).code


async def _redeem(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, me: Identity, code: str
) -> str | None:
    """The key of the refusal, or None when the accounts were linked."""
    async with uow_factory() as uow:
        try:
            await Services(uow, clock, Texts(), ServiceConfig()).linking.redeem(me, code)
        except DomainError as refused:
            return refused.key
    return None


async def _rows(uow_factory: UnitOfWorkFactory) -> list[tuple[Messenger, int, str]]:
    async with uow_factory() as uow:
        rows = await uow.session.scalars(select(OutgoingMessage).order_by(OutgoingMessage.id))
        return [(r.messenger, r.chat_id, r.payload.get("text", r.kind)) for r in rows]


async def _notify(uow_factory: UnitOfWorkFactory, clock: FixedClock, person_id: int) -> None:
    async with uow_factory() as uow:
        services = Services(uow, clock, Texts(), ServiceConfig())
        person = await uow.people.get(person_id)
        assert person is not None
        await services.notifier.send_text(person, "one", person_id=person.id)
        await services.notifier.send_texts([TextMessage(person, "two", person_id=person.id)])
        await uow.commit()


@ON_BOTH_DATABASES
async def test_the_same_user_id_on_two_messengers_is_two_people(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    on_telegram = await _identify(uow_factory, clock, Messenger.TELEGRAM)
    on_max = await _identify(uow_factory, clock, Messenger.MAX)
    assert on_telegram.person_id != on_max.person_id
    assert on_telegram.address == Address(Messenger.TELEGRAM, USER)
    assert (on_telegram.tg_id, on_max.tg_id) == (USER, None)
    assert on_max.address == Address(Messenger.MAX, MAX_CHAT)
    again = await _identify(uow_factory, clock, Messenger.MAX)  # known now: the same person
    assert (again.person_id, again.address) == (on_max.person_id, on_max.address)


@ON_BOTH_DATABASES
async def test_a_notification_goes_to_the_messenger_the_person_uses(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    on_telegram = await _identify(uow_factory, clock, Messenger.TELEGRAM)
    on_max = await _identify(uow_factory, clock, Messenger.MAX)
    await _notify(uow_factory, clock, on_telegram.person_id)
    await _notify(uow_factory, clock, on_max.person_id)
    assert await _rows(uow_factory) == [
        (Messenger.TELEGRAM, USER, "one"),
        (Messenger.TELEGRAM, USER, "two"),
        (Messenger.MAX, MAX_CHAT, "one"),
        (Messenger.MAX, MAX_CHAT, "two"),
    ]
    async with uow_factory() as uow:  # the Telegram sender leaves MAX's rows to the MAX sender
        claimed = await uow.outbox.claim_due(clock.now(), 10, timedelta(minutes=1))
        assert {row.messenger for row in claimed} == {Messenger.TELEGRAM}


@ON_BOTH_DATABASES
async def test_a_code_from_telegram_typed_on_max_makes_one_person(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    on_telegram = await _identify(uow_factory, clock, Messenger.TELEGRAM)
    async with uow_factory() as uow:  # a mentor on Telegram: they have data, the MAX side not
        await uow.people.grant(on_telegram.person_id, Role.MENTOR, None, clock.now())
        await uow.commit()
    on_max = await _identify(uow_factory, clock, Messenger.MAX)
    code = await _code(uow_factory, clock, on_telegram)
    assert re.fullmatch(r"[A-Z2-9]{8}", code)
    assert await _redeem(uow_factory, clock, on_telegram, code) == "link-same-messenger"
    assert await _redeem(uow_factory, clock, on_max, code.lower()) is None

    me = await _identify(uow_factory, clock, Messenger.MAX)
    assert me.person_id == on_telegram.person_id and me.roles == {Role.MENTOR}
    assert me.address == Address(Messenger.MAX, MAX_CHAT)
    await _notify(uow_factory, clock, me.person_id)  # they wrote from MAX last: it goes there
    assert (await _rows(uow_factory))[-1] == (Messenger.MAX, MAX_CHAT, "two")
    back = await _identify(uow_factory, clock, Messenger.TELEGRAM)  # back on Telegram
    assert back.person_id == me.person_id
    await _notify(uow_factory, clock, me.person_id)
    assert (await _rows(uow_factory))[-1] == (Messenger.TELEGRAM, USER, "two")
    async with uow_factory() as uow:
        assert await uow.people.get(on_max.person_id) is None  # the empty MAX person is gone
        accounts = await uow.accounts.accounts_of(me.person_id)
        assert {a.messenger for a in accounts} == {Messenger.TELEGRAM, Messenger.MAX}
        actions = [e.action for e in await uow.audit.for_object("person", me.person_id)]
    assert "account.link" in actions


async def test_a_code_works_once_and_for_fifteen_minutes(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    on_telegram = await _identify(uow_factory, clock, Messenger.TELEGRAM)
    first = await _identify(uow_factory, clock, Messenger.MAX, USER + 1)
    second = await _identify(uow_factory, clock, Messenger.MAX, USER + 2)
    assert await _redeem(uow_factory, clock, first, "WRONG234") == "link-code-invalid"

    code = await _code(uow_factory, clock, on_telegram)
    clock.advance(timedelta(minutes=15, seconds=1))
    assert await _redeem(uow_factory, clock, first, code) == "link-code-invalid"  # expired

    stale = await _code(uow_factory, clock, on_telegram)
    code = await _code(uow_factory, clock, on_telegram)  # a new code replaces the one before
    assert await _redeem(uow_factory, clock, first, stale) == "link-code-invalid"
    assert await _redeem(uow_factory, clock, first, code) is None
    assert await _redeem(uow_factory, clock, second, code) == "link-code-invalid"  # spent
    async with uow_factory() as uow:  # only the hash is stored
        hashes = list(await uow.session.scalars(select(LinkCode.code_hash)))
    assert code not in hashes and all(len(h) == 64 for h in hashes)


async def test_two_people_with_data_are_not_merged_by_a_code(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    on_telegram = await _identify(uow_factory, clock, Messenger.TELEGRAM)
    on_max = await _identify(uow_factory, clock, Messenger.MAX)
    async with uow_factory() as uow:
        await uow.people.grant(on_max.person_id, Role.TUTOR, None, clock.now())
        await uow.commit()
    code = await _code(uow_factory, clock, on_telegram)
    assert await _redeem(uow_factory, clock, on_max, code) == "link-both-have-data"
    assert "проектный офис" in t("link-both-have-data")
    again = await _identify(uow_factory, clock, Messenger.MAX)
    assert again.person_id == on_max.person_id  # nothing changed
    assert await _redeem(uow_factory, clock, again, code) == "link-both-have-data"


async def test_link_dialog_gives_a_code_and_erasure_drops_it(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    m = RecordingMessenger([link.DIALOG], uow_factory, clock)
    await m.command(USER, "link")
    code = re.search(r"/link ([A-Z2-9]{8})", m.chat(USER).last.text)
    assert code is not None
    await m.command(USER, "link", code.group(1))  # typed on the same messenger: refused
    assert m.chat(USER).last.text == t("link-same-messenger")
    async with uow_factory() as uow:
        person = await uow.people.by_tg_id(USER)
        assert person is not None
        services = Services(uow, clock, Texts(), ServiceConfig())
        await erase_person(uow, services.notifier, Texts(), person.id, clock.now())
        await uow.commit()
    async with uow_factory() as uow:
        assert list(await uow.session.scalars(select(LinkCode))) == []
        assert len(await uow.accounts.accounts_of(person.id)) == 1  # the account is kept


@pytest.mark.parametrize("messenger", list(Messenger))
def test_every_messenger_has_a_name(messenger: Messenger) -> None:
    assert t(f"messenger-{messenger.value}")

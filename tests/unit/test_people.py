"""People: registration keeps no personal data; office bootstrap; the active flag."""

from __future__ import annotations

from datetime import timedelta

from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.domain import Address, Messenger, Role
from services.i18n import Texts
from storage.models import Person
from storage.uow import UnitOfWorkFactory
from tests.databases import ON_BOTH_DATABASES


async def test_first_contact_stores_only_id_and_language(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    async with uow_factory() as uow:
        me = await Services(uow, clock, Texts(), ServiceConfig()).people.identify(42, "en")
    async with uow_factory() as uow:
        person = await uow.people.by_tg_id(42)
    assert person is not None and person.id == me.person_id
    assert (person.full_name, person.username, person.language) == (None, None, "ru")
    assert person.is_active and me.roles == frozenset()


async def test_office_admins_from_settings_get_the_office_role(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    config = ServiceConfig(office_admin_ids=frozenset({7}))
    async with uow_factory() as uow:
        admin = await Services(uow, clock, Texts(), config).people.identify(7, "ru")
        other = await Services(uow, clock, Texts(), config).people.identify(8, "ru")
    assert admin.roles == {Role.OFFICE} and admin.has(Role.OFFICE, Role.MENTOR)
    assert other.roles == frozenset()
    async with uow_factory() as uow:
        rows = await uow.outbox.claim_due(clock.now(), 10, timedelta(minutes=1))
    # The new office member's command menu is refreshed once; nobody else's.
    assert [(row.chat_id, row.kind, row.payload) for row in rows] == [
        (7, "menu", {"roles": ["office"]})
    ]


@ON_BOTH_DATABASES  # reaches repository statements only this test runs on PG
async def test_blocked_person_becomes_active_when_writing_again(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    async with uow_factory() as uow:
        services = Services(uow, clock, Texts(), ServiceConfig())
        await services.people.identify(5, "ru")
        assert await services.people.mark_blocked(5)
        assert not await services.people.mark_blocked(5)  # already inactive: nothing changes
    async with uow_factory() as uow:
        assert (await uow.people.by_tg_id(5)).is_active is False  # type: ignore[union-attr]
        await Services(uow, clock, Texts(), ServiceConfig()).people.identify(5, "ru")
    async with uow_factory() as uow:
        person = await uow.session.get(Person, 1)
        assert person is not None and person.is_active


@ON_BOTH_DATABASES  # the update by a MAX account's dialog runs only here on PG
async def test_a_person_blocked_on_max_is_found_by_their_dialog(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    async with uow_factory() as uow:
        services = Services(uow, clock, Texts(), ServiceConfig())
        me = await services.people.identify(4242, "ru", Messenger.MAX, chat_id=90001)
        await services.people.identify(4242, "ru")  # the same number on Telegram: another person
        assert not await services.people.mark_blocked_at(Address(Messenger.MAX, -90001))
        assert await services.people.mark_blocked_at(Address(Messenger.MAX, 90001))
        assert not await services.people.mark_blocked_at(Address(Messenger.MAX, 90001))
    async with uow_factory() as uow:
        on_max = await uow.session.get(Person, me.person_id)
        on_telegram = await uow.people.by_tg_id(4242)
        assert on_max is not None and not on_max.is_active
        assert on_telegram is not None and on_telegram.is_active


@ON_BOTH_DATABASES  # the per-account updates and the outbox resolution run here on PG
async def test_a_max_block_does_not_silence_the_persons_telegram_account(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    """Blocking is per account: blocked on MAX, a person who linked both messengers is reached
    on Telegram; blocked on both, nothing is queued; writing on MAX again reactivates MAX."""
    from sqlalchemy import select

    from services.notify import OutboxNotifier
    from storage.models import Account, OutgoingMessage

    async with uow_factory() as uow:
        services = Services(uow, clock, Texts(), ServiceConfig())
        me = await services.people.identify(5, "ru")
        uow.session.add(  # linked (services/linking.py): the same person on MAX
            Account(person_id=me.person_id, messenger=Messenger.MAX, user_id=4242,
                    chat_id=90001, created_at=clock.now(), last_seen_at=clock.now())
        )  # fmt: skip
        await uow.commit()
        await services.people.identify(4242, "ru", Messenger.MAX, chat_id=90001)  # uses MAX now
        assert await services.people.mark_blocked_at(Address(Messenger.MAX, 90001))

    async def notify(text: str) -> bool:
        async with uow_factory() as uow:
            person = await uow.session.get(Person, me.person_id)
            assert person is not None
            queued = await OutboxNotifier(uow.outbox, clock).send_text(person, text)
            await uow.commit()
            return queued

    async def where(text: str) -> list[tuple[Messenger, int]]:
        async with uow_factory() as uow:
            rows = await uow.session.execute(
                select(OutgoingMessage.messenger, OutgoingMessage.chat_id).where(
                    OutgoingMessage.payload["text"].as_string() == text
                )
            )
            return [(messenger, chat_id) for messenger, chat_id in rows]

    assert await notify("one") and await where("one") == [(Messenger.TELEGRAM, 5)]
    async with uow_factory() as uow:
        person = await uow.session.get(Person, me.person_id)
        assert person is not None and person.is_active  # Telegram still reaches them
        assert await Services(uow, clock, Texts(), ServiceConfig()).people.mark_blocked(5)
    assert not await notify("two") and await where("two") == []
    async with uow_factory() as uow:
        person = await uow.session.get(Person, me.person_id)
        assert person is not None and not person.is_active  # no account reaches them
        await Services(uow, clock, Texts(), ServiceConfig()).people.identify(
            4242, "ru", Messenger.MAX, chat_id=90001
        )
    assert await notify("three") and await where("three") == [(Messenger.MAX, 90001)]

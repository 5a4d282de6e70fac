"""A parent consents from their own account through a one-time link: the link works for 7 days
and once, is refused from the child's own account, the consent row names the parent's account
and the link; a parent withdraws from the same account; the threshold rules; erasure drops the
links never used."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import TypeVar

import pytest
from sqlalchemy import select

from services.applications import ApplicationService
from services.applications.parents import (
    PARENT_LINK_VALIDITY,
    IssuedParentLink,
    consent_age,
    needs_parent,
    only_id_until_parent,
    parent_code_hash,
    parent_consent_in,
)
from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.domain import ApplicationStatus, ConsentKind, Messenger
from services.errors import DomainError
from services.i18n import Texts
from services.people import Identity
from services.seasons import load_config
from storage.models import Application, Consent, ParentLink
from storage.uow import UnitOfWorkFactory
from tests.example_season import import_example
from tests.texts import said

TEXTS = Texts()
CHILD, PARENT = 5101, 5102
T = TypeVar("T")


async def _as(
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    tg_id: int,
    call: Callable[[ApplicationService, Identity], Awaitable[T]],
) -> T:
    async with uow_factory() as uow:
        services = Services(uow, clock, TEXTS, ServiceConfig())
        me = await services.people.identify(tg_id, "ru")
        return await call(services.applications, me)


async def _refused(awaitable: Awaitable[object]) -> str:
    with pytest.raises(DomainError) as caught:
        await awaitable
    return caught.value.key


async def _child_with_link(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> IssuedParentLink:
    await import_example(uow_factory, clock)
    await _as(uow_factory, clock, CHILD, lambda s, me: s.open(me))
    return await _as(uow_factory, clock, CHILD, lambda s, me: s.parent_link(me))


async def _confirm(uow_factory: UnitOfWorkFactory, clock: FixedClock, tg_id: int, code: str) -> int:
    return await _as(
        uow_factory, clock, tg_id,
        lambda s, me: s.parent_confirm(
            me, code, name="Иванова Елена Сергеевна", relation="mother", phone="+79131002030"
        ),
    )  # fmt: skip


async def _consents(uow_factory: UnitOfWorkFactory) -> list[Consent]:
    async with uow_factory() as uow:
        return list(await uow.session.scalars(select(Consent)))


async def test_the_parent_sees_for_whom_and_confirms_from_their_own_account(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    issued = await _child_with_link(uow_factory, clock)
    assert issued.start_argument == "pc_" + issued.code
    assert issued.expires_at == clock.now() + timedelta(days=7)
    async with uow_factory() as uow:
        [link] = await uow.session.scalars(select(ParentLink))
    assert link.code_hash == parent_code_hash(issued.code) and issued.code not in link.code_hash

    request = await _as(uow_factory, clock, PARENT, lambda s, me: s.parent_request(me, issued.code))
    assert request.text_version == "2026.1" and request.consent_text and request.programme
    child = await _confirm(uow_factory, clock, PARENT, issued.code)

    async with uow_factory() as uow:
        [application] = await uow.session.scalars(select(Application))
        [link] = await uow.session.scalars(select(ParentLink))
    assert child == application.person_id
    [consent] = await _consents(uow_factory)
    assert (consent.kind, consent.parent_messenger, consent.parent_user_id) == (
        ConsentKind.REPRESENTATIVE, Messenger.TELEGRAM, PARENT,
    )  # fmt: skip
    assert (consent.parent_link_id, consent.given_at, consent.text_version) == (
        link.id, clock.now(), "2026.1",
    )  # fmt: skip
    assert (consent.representative_name, consent.representative_phone) == (
        "Иванова Елена Сергеевна", "+79131002030",
    )  # fmt: skip
    assert (link.used_at, link.parent_messenger, link.parent_user_id) == (
        clock.now(), Messenger.TELEGRAM, PARENT,
    )  # fmt: skip
    assert parent_consent_in(consent)


async def test_a_link_works_once(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> None:
    issued = await _child_with_link(uow_factory, clock)
    await _confirm(uow_factory, clock, PARENT, issued.code)
    assert await _refused(_confirm(uow_factory, clock, PARENT, issued.code)) == (
        "parent-link-invalid"
    )
    assert await _refused(_confirm(uow_factory, clock, PARENT + 1, issued.code)) == (
        "parent-link-invalid"
    )


async def test_a_link_expires_after_seven_days(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    issued = await _child_with_link(uow_factory, clock)
    clock.advance(PARENT_LINK_VALIDITY - timedelta(seconds=1))
    await _as(uow_factory, clock, PARENT, lambda s, me: s.parent_request(me, issued.code))
    clock.advance(timedelta(seconds=1))
    refused = await _refused(_confirm(uow_factory, clock, PARENT, issued.code))
    assert refused == "parent-link-invalid"
    assert "истекла" in TEXTS.get(refused)
    assert await _consents(uow_factory) == []


async def test_a_resend_replaces_the_unused_link(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    first = await _child_with_link(uow_factory, clock)
    second = await _as(uow_factory, clock, CHILD, lambda s, me: s.parent_link(me))
    assert await _refused(_confirm(uow_factory, clock, PARENT, first.code)) == (
        "parent-link-invalid"
    )
    await _confirm(uow_factory, clock, PARENT, second.code)


async def test_the_childs_own_account_cannot_confirm(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    issued = await _child_with_link(uow_factory, clock)
    refused = await _refused(_confirm(uow_factory, clock, CHILD, issued.code))
    assert refused == "parent-link-own-account"
    assert "аккаунта родителя" in said(refused)
    assert await _consents(uow_factory) == []
    # The link is not spent by the refusal: the parent can still use it.
    await _confirm(uow_factory, clock, PARENT, issued.code)


async def test_a_parent_withdraws_from_their_own_account(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    issued = await _child_with_link(uow_factory, clock)
    await _confirm(uow_factory, clock, PARENT, issued.code)
    assert await _refused(_as(uow_factory, clock, PARENT + 1, lambda s, me: s.parent_withdraw(me)))
    children = await _as(uow_factory, clock, PARENT, lambda s, me: s.parent_withdraw(me))
    assert children == 1
    async with uow_factory() as uow:
        [application] = await uow.session.scalars(select(Application))
    assert application.status is ApplicationStatus.WITHDRAWN
    [consent] = await _consents(uow_factory)
    # Kept as the proof of who agreed, marked withdrawn, without the phone.
    assert consent.withdrawn_at == clock.now() and not consent.valid
    assert consent.parent_user_id == PARENT and consent.representative_phone is None


async def test_erasure_drops_the_links_never_used(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await _child_with_link(uow_factory, clock)
    await _as(uow_factory, clock, CHILD, lambda s, me: s.withdraw_consent(me))
    async with uow_factory() as uow:
        assert list(await uow.session.scalars(select(ParentLink))) == []


async def test_the_threshold_rules(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> None:
    await import_example(uow_factory, clock)
    async with uow_factory() as uow:
        season = await uow.seasons.current()
        assert season is not None
        config = await load_config(uow, season)
    assert config is not None and config.representative_only_under == 14
    today = date(2026, 9, 1)
    assert consent_age(date(2012, 9, 2), today) == 13
    assert consent_age(date(2012, 9, 1), today) == 14
    assert only_id_until_parent(config, 13) and not only_id_until_parent(config, 14)
    assert needs_parent(config, 14) and needs_parent(config, 17)
    assert not needs_parent(config, config.adult_age)
    assert not parent_consent_in(None)

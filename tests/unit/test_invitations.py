"""Invitations: a role granted once per link, with clear refusals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.i18n import Texts
from services.invitations import (
    InvitationExpired,
    InvitationUnknown,
    InvitationUsed,
    Redeemed,
)
from storage.models import OutgoingMessage, Role, Season
from storage.uow import UnitOfWork, UnitOfWorkFactory

TEXTS = Texts()


def _services(uow: UnitOfWork, clock: FixedClock) -> Services:
    return Services(uow, clock, TEXTS, ServiceConfig())


async def _invite(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, role: Role, **options: Any
) -> str:
    async with uow_factory() as uow:
        [payload] = await _services(uow, clock).invitations.create(role, **options)
    return payload


async def _redeem(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, tg_id: int, payload: str
) -> Redeemed:
    async with uow_factory() as uow:
        services = _services(uow, clock)
        me = await services.people.identify(tg_id, "ru")
        return await services.invitations.redeem(me, payload, "Ирина Петрова", "irina")


async def _roles(uow_factory: UnitOfWorkFactory, clock: FixedClock, tg_id: int) -> frozenset[Role]:
    async with uow_factory() as uow:
        me = await _services(uow, clock).people.identify(tg_id, "ru")
        return me.roles


async def test_link_grants_its_role_once(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> None:
    payload = await _invite(uow_factory, clock, Role.OFFICE)
    assert payload.startswith("inv_") and len(payload) == 20

    first = await _redeem(uow_factory, clock, 1001, payload)
    assert first.role is Role.OFFICE and first.newly_granted
    assert await _roles(uow_factory, clock, 1001) == {Role.OFFICE}
    async with uow_factory() as uow:
        office_worker = await uow.people.by_tg_id(1001)
    assert office_worker is not None and office_worker.full_name == "Ирина Петрова"

    # The same person tapping the link again is told they have it; nothing new is granted.
    again = await _redeem(uow_factory, clock, 1001, payload)
    assert not again.newly_granted

    # Anybody else is refused, and gets no role.
    with pytest.raises(InvitationUsed):
        await _redeem(uow_factory, clock, 1002, payload)
    assert await _roles(uow_factory, clock, 1002) == frozenset()

    async with uow_factory() as uow:
        audit = await uow.audit.for_object("invitation", 1)
        outbox = (await uow.session.execute(OutgoingMessage.__table__.select())).all()
    assert [entry.action for entry in audit] == ["invitation.redeem"]
    # The new role's command menu is queued for that person's chat, exactly once.
    assert [(row.chat_id, row.kind, row.payload) for row in outbox] == [
        (1001, "menu", {"roles": ["office"]})
    ]


async def test_unknown_and_expired_links_are_refused(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    with pytest.raises(InvitationUnknown):
        await _redeem(uow_factory, clock, 1001, "inv_doesnotexist000")
    payload = await _invite(uow_factory, clock, Role.OFFICE, valid_for=timedelta(days=1))
    clock.advance(timedelta(days=1, seconds=1))
    with pytest.raises(InvitationExpired) as caught:
        await _redeem(uow_factory, clock, 1001, payload)
    assert TEXTS.get(caught.value.key).startswith("Срок действия")


async def test_seasonal_role_belongs_to_the_current_season(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    async with uow_factory() as uow:
        for code in ("2025", "2026"):
            await uow.seasons.add(
                Season(
                    code=code,
                    name=code,
                    region="Тестовая область",
                    timezone="Europe/Moscow",
                    created_at=clock.now(),
                )
            )
        await uow.commit()
    payload = await _invite(uow_factory, clock, Role.MENTOR)
    await _redeem(uow_factory, clock, 2001, payload)
    async with uow_factory() as uow:
        me = await _services(uow, clock).people.identify(2001, "ru")
        current = await uow.seasons.by_code("2026")
    assert current is not None
    assert me.has_in_season(Role.MENTOR, current.id)
    assert not me.has_in_season(Role.MENTOR, current.id - 1)

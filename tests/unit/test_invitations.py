"""Invitations: a role granted once per link, with clear refusals."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select

from services.access import Revoked
from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.domain import Role
from services.i18n import Texts
from services.invitations import (
    InvitationExpired,
    InvitationRevoked,
    InvitationUnknown,
    InvitationUsed,
    Redeemed,
)
from services.season_import import ImportReport, SeasonImportService, read_season_file
from storage.migrate import upgrade
from storage.models import OutgoingMessage, Season, Site
from storage.uow import UnitOfWork, UnitOfWorkFactory
from tests.databases import ON_BOTH_DATABASES
from tests.example_season import EXAMPLE
from tests.texts import opening, said

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
    assert [entry.action for entry in audit] == ["invitation.create", "invitation.redeem"]
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
    assert TEXTS.get(caught.value.key, **caught.value.args_for_text).startswith("Срок действия")


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


# --- expiry, revocation, the office's lists (issue 10) -------------------------------------


async def _import_season(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, **season: Any
) -> ImportReport:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["season"].update(season)
    async with uow_factory() as uow:
        return await SeasonImportService(uow, clock).import_text(
            yaml.safe_dump(data, allow_unicode=True)
        )


def _access(uow: UnitOfWork, clock: FixedClock, admins: frozenset[int] = frozenset()) -> Any:
    return Services(uow, clock, TEXTS, ServiceConfig(office_admin_ids=admins)).access


async def test_an_invitation_expires_after_its_seasons_valid_days(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await _import_season(uow_factory, clock, invitation_valid_days=3)
    payload = await _invite(uow_factory, clock, Role.MENTOR)
    late = await _invite(uow_factory, clock, Role.MENTOR)
    clock.advance(timedelta(days=3) - timedelta(seconds=1))
    assert (await _redeem(uow_factory, clock, 1001, payload)).newly_granted
    clock.advance(timedelta(seconds=2))
    with pytest.raises(InvitationExpired) as caught:
        await _redeem(uow_factory, clock, 1002, late)
    # When, in the season's zone (Asia/Tomsk), and whom to ask.
    assert TEXTS.get(caught.value.key, **caught.value.args_for_text) == said(
        "invite-expired", expired="04.09.2026 14:00"
    )


async def test_an_invitation_without_a_season_expires_after_the_default_14_days(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    payload = await _invite(uow_factory, clock, Role.OFFICE)
    clock.advance(timedelta(days=14, seconds=1))
    with pytest.raises(InvitationExpired):
        await _redeem(uow_factory, clock, 1001, payload)


def test_the_season_file_checks_invitation_valid_days() -> None:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    for value, problem in ((0, "должно быть больше 0"), (400, "должно быть не больше 365")):
        data["season"]["invitation_valid_days"] = value
        _, errors = read_season_file(yaml.safe_dump(data, allow_unicode=True))
        assert errors == [f"season.invitation_valid_days: {problem}"]
    del data["season"]["invitation_valid_days"]
    spec, errors = read_season_file(yaml.safe_dump(data, allow_unicode=True))
    assert errors == [] and spec is not None and spec.season.invitation_valid_days == 14


async def test_a_used_invitation_is_not_revoked_but_its_role_is(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    payload = await _invite(uow_factory, clock, Role.OFFICE)
    await _redeem(uow_factory, clock, 1001, payload)
    async with uow_factory() as uow:
        assert await _access(uow, clock).revoke_invitation_code(payload) is Revoked.USED
        revoked = await _access(uow, clock).revoke_role(1001, Role.OFFICE, None)
    assert revoked.revoked == 1
    assert await _roles(uow_factory, clock, 1001) == frozenset()
    async with uow_factory() as uow:
        outbox = list(await uow.session.scalars(select(OutgoingMessage)))
        [audit] = await uow.audit.for_object("person", revoked.person_id)
    assert audit.action == "role.revoke" and audit.details["source"] == "cli"
    # The menu is refreshed to the roles left, and the person is told.
    assert [(m.kind, m.payload.get("roles")) for m in outbox][-2:] == [
        ("menu", []),
        ("text", None),
    ]
    assert outbox[-1].payload["text"].startswith(opening("access-your-role-revoked"))
    # Tapping the old link again does not pretend the role is still there.
    with pytest.raises(InvitationRevoked):
        await _redeem(uow_factory, clock, 1001, payload)


@ON_BOTH_DATABASES  # reaches repository statements only this test runs on PG
async def test_reimport_gives_an_idea_a_new_mentor_link_when_the_old_one_cannot_be_used(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    first = {
        link.idea_code: link for link in (await _import_season(uow_factory, clock)).mentor_links
    }
    assert first["peat-monitor"].valid_until is not None
    assert first["peat-monitor"].valid_until.isoformat() == "2026-09-15T14:00:00+07:00"
    await _redeem(uow_factory, clock, 1001, first["peat-monitor"].payload)
    async with uow_factory() as uow:
        revoked = await _access(uow, clock).revoke_invitation_code(first["river-clean"].payload)
        assert revoked is Revoked.DONE
    clock.advance(timedelta(days=1))
    again = {
        link.idea_code: link for link in (await _import_season(uow_factory, clock)).mentor_links
    }
    assert again["peat-monitor"].payload == first["peat-monitor"].payload  # its mentor holds it
    assert again["peat-monitor"].used
    assert again["river-clean"].payload != first["river-clean"].payload  # revoked: a new link
    assert again["yard-lab"].payload == first["yard-lab"].payload  # still open: the same

    async with uow_factory() as uow:
        await _access(uow, clock).revoke_role(1001, Role.MENTOR, "tomsk-2026")
    clock.advance(timedelta(days=13))  # day 14: the unused links of the first import expired
    last = {
        link.idea_code: link for link in (await _import_season(uow_factory, clock)).mentor_links
    }
    assert last["peat-monitor"].payload != first["peat-monitor"].payload  # its mentor lost it
    assert not last["peat-monitor"].used
    assert last["yard-lab"].payload != first["yard-lab"].payload  # expired: a new link
    assert last["river-clean"].payload == again["river-clean"].payload  # new, still in date


@ON_BOTH_DATABASES  # reaches repository statements only this test runs on PG
async def test_revoking_a_site_contacts_role_unbinds_the_site(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await _import_season(uow_factory, clock)
    async with uow_factory() as uow:
        season = await uow.seasons.current()
        assert season is not None
        [payload] = await Services(uow, clock, TEXTS, ServiceConfig()).invitations.create(
            Role.SITE_CONTACT, label="site:lab"
        )
    async with uow_factory() as uow:
        await uow.sites.add(
            Site(
                season_id=season.id, code="lab", organisation="Лаборатория", address="—",
                direction="—", created_at=clock.now(), updated_at=clock.now(),
            )
        )  # fmt: skip
        await uow.commit()
    await _redeem(uow_factory, clock, 1001, payload)
    async with uow_factory() as uow:
        [site] = await uow.session.scalars(select(Site))
        assert site.contact_person_id is not None
        await _access(uow, clock).revoke_role(1001, Role.SITE_CONTACT, None)
    async with uow_factory() as uow:
        [site] = await uow.session.scalars(select(Site))
    assert site.contact_person_id is None


def test_links_made_before_expiry_existed_expire_14_days_after_the_upgrade(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    upgrade(f"sqlite:///{path}", "0007_outbox_subject")
    made = "2026-01-10 09:00:00.000000"
    with sqlite3.connect(path) as connection:
        connection.executemany(
            "INSERT INTO invitations (code, role, created_at, used_at) VALUES (?, ?, ?, ?)",
            [("open", "mentor", made, None), ("used", "mentor", made, made)],
        )
    before = datetime.now(UTC).replace(tzinfo=None)
    upgrade(f"sqlite:///{path}", "0008_invitations")
    with sqlite3.connect(path) as connection:
        rows = dict(connection.execute("SELECT code, expires_at FROM invitations").fetchall())
    assert rows["used"] is None  # an opened link has nothing left to expire
    deadline = datetime.fromisoformat(rows["open"]) - timedelta(days=14)
    assert before <= deadline <= datetime.now(UTC).replace(tzinfo=None)

"""A small programme for the booking tests: the ИУП world (season «s1», team «alpha» with mentor
201, tutor 202, students 301 and 302) plus students 303–305, two sites imported from data and
a site contact (501) who opened the first site's invitation link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete

from services.clock import FixedClock
from services.domain import Role, TeamRole
from storage.models import OutgoingMessage
from storage.uow import UnitOfWorkFactory
from tests.plans_world import World, build_world, local, services

MSK = "Europe/Moscow"
CONTACT, OTHER_CONTACT = 501, 502
STUDENT3, STUDENT4, STUDENT5 = 303, 304, 305
NOW = local(MSK, 2026, 9, 1, 10, 0)  # a Tuesday morning
SLOT_START = local(MSK, 2026, 9, 3, 10, 0)  # Thursday of the same week
SLOT_END = local(MSK, 2026, 9, 3, 14, 0)


def sites_data(capacity: int = 2, auto_confirm: bool = False) -> dict[str, Any]:
    return {
        "season": "s1",
        "sites": [
            {
                "code": "zavod",
                "organisation": "АО «Завод»",
                "address": "ул. Ленина, 1",
                "direction": "Промышленность",
                "auto_confirm": auto_confirm,
                "slots": [
                    {
                        "kind": "internship",
                        "start": "2026-09-03 10:00",
                        "end": "2026-09-03 14:00",
                        "capacity": capacity,
                        "requirements": "Сменная обувь",
                        "directions": ["Экология"],
                    },
                    {
                        "kind": "professional_trial",
                        "start": "2026-09-10 10:00",
                        "end": "2026-09-10 12:00",
                        "capacity": 5,
                    },
                ],
            },
            {
                "code": "lab",
                "organisation": "Лаборатория «Кванториум»",
                "address": "пр. Мира, 5",
                "direction": "Высокие технологии",
                "slots": [
                    {
                        "kind": "internship",
                        "start": "2026-09-03 12:00",
                        "end": "2026-09-03 16:00",
                        "capacity": 3,
                    }
                ],
            },
        ],
    }


@dataclass
class BookingWorld(World):
    slot_id: int = 0  # zavod, Thursday 10:00–14:00
    trial_id: int = 0  # zavod, next Thursday
    lab_slot_id: int = 0  # lab, Thursday 12:00–16:00 (overlaps slot_id)
    site_id: int = 0
    lab_invitation: str = ""

    async def slot_of(self, site_code: str, start: datetime) -> int:
        async with self.uow_factory() as uow:
            site = await uow.sites.by_code(self.season_id, site_code)
            assert site is not None
            for kind in ("internship", "professional_trial"):
                slot = await uow.slots.by_natural_key(site.id, kind, start)
                if slot is not None:
                    return slot.id
        raise AssertionError("no such slot")


async def build_booking_world(
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    capacity: int = 2,
    auto_confirm: bool = False,
) -> BookingWorld:
    base = await build_world(uow_factory, clock, MSK)
    world = BookingWorld(
        base.uow_factory, base.clock, base.season_id, base.team_id, base.other_team_id
    )
    async with uow_factory() as uow:
        svc = services(uow, clock)
        report = await svc.internships.import_sites(sites_data(capacity, auto_confirm))
        assert report.errors == [], report.errors
        links = dict(report.contacts)
    async with uow_factory() as uow:
        teams = services(uow, clock).teams
        for tg_id in (STUDENT3, STUDENT4, STUDENT5):
            await teams.add_member("beta", tg_id, TeamRole.STUDENT)
    contact = await world.me(CONTACT)
    async with uow_factory() as uow:
        payload = links["zavod"]
        assert payload is not None
        redeemed = await services(uow, clock).invitations.redeem(contact, payload, "Иван Петров")
        assert redeemed.role is Role.SITE_CONTACT
    world.slot_id = await world.slot_of("zavod", SLOT_START)
    world.trial_id = await world.slot_of("zavod", local(MSK, 2026, 9, 10, 10, 0))
    world.lab_slot_id = await world.slot_of("lab", local(MSK, 2026, 9, 3, 12, 0))
    world.lab_invitation = links["lab"] or ""
    async with uow_factory() as uow:
        site = await uow.sites.by_code(world.season_id, "zavod")
        assert site is not None
        world.site_id = site.id
        await uow.session.execute(delete(OutgoingMessage))
        await uow.commit()
    return world

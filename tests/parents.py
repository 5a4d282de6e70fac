"""A parent consents from their own, second account, at the service: the child's one-time link,
then the parent's confirmation. For scenarios whose subject is something else; the parent's own
conversation is walked in tests/unit/test_parent_dialog.py and tests/e2e/test_parent_consent.py."""

from __future__ import annotations

from services.clock import Clock
from services.container import ServiceConfig, Services
from services.i18n import Texts
from storage.uow import UnitOfWorkFactory

TEXTS = Texts()
# The parent's Telegram id: the child's plus this, so every child in a test has their own parent.
PARENT_ID_OFFSET = 1_000_000
PARENT_NAME, PARENT_PHONE = "Иванова Елена Сергеевна", "+79131002030"


async def parent_consents(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    child_tg_id: int,
    *,
    name: str = PARENT_NAME,
    phone: str = PARENT_PHONE,
) -> int:
    """The child asks for a link and the parent confirms it; returns the parent's Telegram id."""
    async with uow_factory() as uow:
        services = Services(uow, clock, TEXTS, ServiceConfig())
        child = await services.people.identify(child_tg_id, "ru")
        issued = await services.applications.parent_link(child)
    parent_id = child_tg_id + PARENT_ID_OFFSET
    async with uow_factory() as uow:
        services = Services(uow, clock, TEXTS, ServiceConfig())
        parent = await services.people.identify(parent_id, "ru")
        await services.applications.parent_confirm(
            parent, issued.code, name=name, relation="mother", phone=phone
        )
    return parent_id

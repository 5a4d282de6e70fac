"""The office's /invite, /people and /upload through the messenger with no aiogram
(tests/recording_messenger.py): a link for a staff role with its expiry in the season's zone,
audited with who asked; a person found by name (any case, ё as е), application number or
@username with their roles and applications, the applicant's card view audited, a role revoked
through /access's confirmation; a broken season file listed with its paths and nothing
written; a good one summarised, then applied on «Применить»; a sites file likewise. A student
is refused every command and every forged press."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from dialogs import office_access, people_admin, start
from services.actions import PeopleAdminAction, PeopleAdminVerb
from services.clock import FixedClock
from services.container import ServiceConfig
from services.domain import AccessKind, ApplicationStatus, Role
from services.i18n import Texts
from storage.models import (
    AccessRecord,
    Application,
    AuditEntry,
    Base,
    Invitation,
    Person,
    ProjectIdea,
    RoleGrant,
    Season,
    Site,
)
from storage.uow import UnitOfWorkFactory
from tests.example_season import EXAMPLE, import_example
from tests.recording_messenger import RecordingMessenger

t = Texts().for_language("ru")
OFFICE, STUDENT, MENTOR = 501, 502, 503
BROKEN_SEASON = """\
season:
  code: tomsk-2026
  name: Сезон
  region: Томская область
  timezone: Asia/Tomsk
  applications_open: 2026-09-01
  applications_close: 2026-08-01
consent:
  applicant: {version: "1", text: Согласие}
  representative: {version: "1", text: Согласие родителя}
municipalities: [Томск]
ideas:
  - code: Bad Code
    title: Идея
    short: Кратко
    description: Описание
    capacity: {students: 0, tutors: 1}
questions:
  - code: why
    text: Почему?
"""
SITES = """\
sites:
  - code: zavod
    organisation: АО «Завод»
    address: ул. Ленина, 1
    direction: Промышленность
    slots:
      - start: 2026-12-03 10:00
        end: 2026-12-03 14:00
        capacity: 5
"""


def messenger(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> RecordingMessenger:
    config = ServiceConfig(office_admin_ids=frozenset({OFFICE}))
    dialogs = [start.DIALOG, office_access.DIALOG, people_admin.DIALOG]
    return RecordingMessenger(dialogs, uow_factory, clock, config)


# The bot's own bookkeeping of the updates it took (deduplication), not the programme's data.
BOOKKEEPING = ("processed_updates",)


async def everything(uow_factory: UnitOfWorkFactory) -> dict[str, list[Any]]:
    """Every row of every table: what "changes nothing" compares."""
    async with uow_factory() as uow:
        return {
            table.name: [tuple(row) for row in await uow.session.execute(select(table))]
            for table in Base.metadata.sorted_tables
            if table.name not in BOOKKEEPING
        }


async def test_invite_gives_a_link_with_its_expiry_and_audits_who_asked(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await import_example(uow_factory, clock)
    m = messenger(uow_factory, clock)
    chat = m.chat(OFFICE)
    await m.command(OFFICE, "invite")
    assert chat.last.text == t("pa-invite-pick-role")
    await m.press(OFFICE, t("role-mentor"))
    text = chat.last.text
    assert "https://messenger.test/bot?start=inv_" in text
    async with uow_factory() as uow:
        invitation = await uow.session.scalar(select(Invitation).order_by(Invitation.id.desc()))
        office = await uow.people.by_tg_id(OFFICE)
        audit = await uow.session.scalar(
            select(AuditEntry).where(
                AuditEntry.action == "invitation.create", AuditEntry.object_id == invitation.id
            )
        )
    assert invitation is not None and invitation.role is Role.MENTOR and office is not None
    assert audit is not None and audit.actor_id == office.id
    from zoneinfo import ZoneInfo

    local = invitation.expires_at.astimezone(ZoneInfo("Asia/Tomsk")).strftime("%d.%m.%Y %H:%M")
    assert local in text and "tomsk-2026" in text

    # The link's revoke button asks first, then switches it off (/access's own path).
    await m.press(OFFICE, t("pa-btn-revoke-link"))
    await m.press(OFFICE, t("access-btn-confirm-invitation"))
    async with uow_factory() as uow:
        revoked = await uow.invitations.get(invitation.id, fresh=True)
    assert revoked is not None and revoked.revoked_at is not None

    await m.command(OFFICE, "invite", "student")
    assert chat.last.text == t("pa-invite-bad-role")
    await m.command(OFFICE, "invite", "site_contact")
    assert t("role-site_contact") in chat.last.text


async def _applicant(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> tuple[int, int]:
    """A submitted applicant with a name and a number, and a mentor with a username."""
    await import_example(uow_factory, clock)
    async with uow_factory() as uow:
        season = await uow.session.scalar(select(Season))
        assert season is not None
        child = Person(tg_id=STUDENT, full_name="Алёна Сергеевна Ёлкина", created_at=clock.now(),
                       updated_at=clock.now())  # fmt: skip
        mentor = Person(tg_id=MENTOR, full_name="Пётр Наставников", username="Petr_M",
                        created_at=clock.now(), updated_at=clock.now())  # fmt: skip
        uow.session.add_all([child, mentor])
        await uow.session.flush()
        application = Application(
            season_id=season.id, person_id=child.id, role=Role.STUDENT,
            status=ApplicationStatus.SUBMITTED, number="TOMSK-2026-00077",
            created_at=clock.now(), updated_at=clock.now(),
        )  # fmt: skip
        uow.session.add(application)
        await uow.people.grant(child.id, Role.STUDENT, season.id, clock.now())
        await uow.people.grant(mentor.id, Role.MENTOR, season.id, clock.now())
        await uow.commit()
        return child.id, application.id


async def test_people_finds_by_name_number_and_username_and_audits_the_card(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    child_id, application_id = await _applicant(uow_factory, clock)
    m = messenger(uow_factory, clock)
    chat = m.chat(OFFICE)

    await m.command(OFFICE, "people", "ЕЛКИНА")  # another case, е for ё
    text = chat.last.text
    assert "Алёна Сергеевна Ёлкина" in text and "TOMSK-2026-00077" in text
    assert t("pa-status-submitted") in text and t("role-student") in text
    assert chat.last.rows == []  # a student's role has no revoke button here
    async with uow_factory() as uow:
        office = await uow.people.by_tg_id(OFFICE)
        records = list(await uow.session.scalars(select(AccessRecord)))
    assert office is not None
    assert [(r.staff_id, r.kind, r.subject_person_id, r.application_id) for r in records] == [
        (office.id, AccessKind.CARD, child_id, application_id)
    ]

    await m.command(OFFICE, "people", "tomsk-2026-00077")
    assert "Ёлкина" in chat.last.text
    await m.command(OFFICE, "people", "TOMSK-2026-99999")
    assert chat.last.text == t("pa-people-none-number", query="TOMSK-2026-99999")
    await m.command(OFFICE, "people", "Никтович")
    assert chat.last.text.startswith(t("pa-people-none-name", query="Никтович")[:20])
    await m.command(OFFICE, "people", "")
    assert chat.last.text == t("pa-people-usage")

    await m.command(OFFICE, "people", "@petr_m")
    assert "Пётр Наставников (@Petr_M)" in chat.last.text and t("role-mentor") in chat.last.text
    await m.press(OFFICE, t("pa-btn-revoke-role", n=1, name="Пётр Наставников",
                            role=t("role-mentor")))  # fmt: skip
    await m.press(OFFICE, t("access-btn-confirm-grant"))
    async with uow_factory() as uow:
        mentor = await uow.people.by_tg_id(MENTOR)
        assert mentor is not None
        held = await uow.session.scalar(
            select(func.count())
            .select_from(RoleGrant)
            .where(RoleGrant.person_id == mentor.id, RoleGrant.revoked_at.is_(None))
        )
        audit = await uow.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "role.revoke")
        )
    assert held == 0 and audit is not None and audit.actor_id == office.id


async def test_a_broken_season_file_lists_its_errors_and_changes_nothing(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await import_example(uow_factory, clock)
    m = messenger(uow_factory, clock)
    chat = m.chat(OFFICE)
    await m.command(OFFICE, "upload")
    assert chat.last.text == t("pa-upload-prompt")
    before = await everything(uow_factory)

    await m.send_document(OFFICE, "broken", BROKEN_SEASON.encode())
    text = chat.last.text
    assert text.startswith(t("pa-upload-errors-season", count=3)[:20])
    assert "ideas[0].code:" in text and "ideas[0].capacity.students:" in text
    assert "season.applications_close:" in text
    assert t("pa-upload-nothing-changed") in text and chat.last.rows == []

    await m.send_document(OFFICE, "garbage", b"season: [unclosed")
    assert "строка" in chat.last.text or "line" in chat.last.text.lower()
    await m.send_document(OFFICE, "binary", b"\xff\xfe\x00bad")
    assert t("pa-upload-not-utf8") in chat.last.text
    assert await everything(uow_factory) == before


async def test_a_good_season_file_is_summarised_then_applied_on_confirm(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await import_example(uow_factory, clock)
    m = messenger(uow_factory, clock)
    chat = m.chat(OFFICE)
    content = EXAMPLE.read_text(encoding="utf-8").replace(
        "  - code: ", "  - code: new-idea\n    title: Новая идея\n    short: Кратко\n"
        "    description: Описание\n    capacity: {students: 3, tutors: 1}\n  - code: ", 1
    )  # fmt: skip
    assert content != EXAMPLE.read_text(encoding="utf-8")
    await m.command(OFFICE, "upload")
    before = await everything(uow_factory)
    await m.send_document(OFFICE, "good", content.encode())
    summary = chat.last.text
    assert t("pa-upload-valid-season") in summary
    assert t("pa-upload-season-update", season="tomsk-2026") in summary
    assert await everything(uow_factory) == before  # nothing before the press

    await m.press(OFFICE, t("pa-btn-apply"))
    assert chat.last.text.startswith(t("pa-upload-applied-season"))
    async with uow_factory() as uow:
        codes = list(await uow.session.scalars(select(ProjectIdea.code)))
        audit = await uow.session.scalar(
            select(AuditEntry)
            .where(AuditEntry.action == "season.import")
            .order_by(AuditEntry.id.desc())
        )
        office = await uow.people.by_tg_id(OFFICE)
    assert "new-idea" in codes and audit is not None and office is not None
    assert audit.actor_id == office.id
    await m.press_again(OFFICE)  # the confirmation replayed: the cursor is gone, refused
    assert chat.notices[-1] == (t("pa-upload-stale"), True)


async def test_a_sites_file_is_summarised_and_applied_and_cancel_changes_nothing(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await import_example(uow_factory, clock)
    m = messenger(uow_factory, clock)
    chat = m.chat(OFFICE)
    await m.command(OFFICE, "upload")
    before = await everything(uow_factory)
    await m.send_document(OFFICE, "sites", SITES.encode())
    assert t("pa-upload-sites-summary", sites_new=1, sites_updated=0, slots_new=1,
             slots_updated=0) in chat.last.text  # fmt: skip
    assert await everything(uow_factory) == before  # the summary's dry run rolled back
    await m.press(OFFICE, t("pa-btn-cancel"))
    assert chat.last.text == t("pa-upload-cancelled")
    assert await everything(uow_factory) == before

    await m.command(OFFICE, "upload")
    await m.send_document(OFFICE, "sites", SITES.encode())
    await m.press(OFFICE, t("pa-btn-apply"))
    assert chat.last.text.startswith(t("pa-upload-applied-sites"))
    assert "zavod: https://messenger.test/bot?start=inv_" in chat.last.text
    async with uow_factory() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Site)) == 1


@pytest.mark.parametrize(
    "action",
    [
        PeopleAdminAction(verb=PeopleAdminVerb.INVITE, role="office"),
        PeopleAdminAction(verb=PeopleAdminVerb.APPLY_FILE, stamp="0123456789abcdef"),
        PeopleAdminAction(verb=PeopleAdminVerb.CANCEL_FILE),
    ],
)
async def test_a_student_is_refused_every_office_press(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, action: PeopleAdminAction
) -> None:
    await import_example(uow_factory, clock)
    m = messenger(uow_factory, clock)
    before = await everything(uow_factory)
    await m.press_forged(STUDENT, action)
    assert m.chat(STUDENT).notices == [(t("error-not-allowed"), True)]
    after = await everything(uow_factory)
    assert {k: v for k, v in after.items() if k not in ("people", "accounts")} == {
        k: v for k, v in before.items() if k not in ("people", "accounts")
    }


async def test_a_student_is_refused_the_commands(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await _applicant(uow_factory, clock)
    m = messenger(uow_factory, clock)
    chat = m.chat(STUDENT)
    for name, args in (("invite", "office"), ("people", "Ёлкина"), ("upload", "")):
        await m.command(STUDENT, name, args)
        assert chat.last.text == t("error-not-allowed")
    assert m.cursors[STUDENT].state is None
    async with uow_factory() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(AccessRecord)) == 0

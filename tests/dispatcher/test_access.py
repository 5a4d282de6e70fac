"""Invitations and roles through the real Dispatcher: links expire and say whom to ask, an
idea's mentor is welcomed to that idea, and the office's /access lists open links and staff
roles and revokes them (confirmation first; every press re-checked; a double tap revokes once;
a revoked role is gone at the person's next update and leaves their menu)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from services.actions import AccessAction, AccessVerb, encode
from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.domain import Role
from services.i18n import Texts
from storage.models import AuditEntry, Invitation, ProjectIdea, RoleGrant
from tests.databases import ON_BOTH_DATABASES
from tests.dispatcher.harness import Harness, build_harness
from tests.example_season import import_example
from tests.selection_world import MENTOR_A, OFFICE, build_world
from tests.texts import opening, said

SETTINGS_ADMIN = 777
NEWCOMER = 4242
NOT_ALLOWED = "Недостаточно прав для этого действия."


@pytest.fixture
async def harness(db_url: str, clock: FixedClock, bot_token: str) -> AsyncIterator[Harness]:
    harness = build_harness(
        db_url,
        clock,
        bot_token,
        office_admin_ids=str(SETTINGS_ADMIN),
        throttle_rate_per_second=1000,
    )
    yield harness
    await harness.app.engine.dispose()


async def _invite(harness: Harness, role: Role, **options: Any) -> str:
    async with harness.app.uow_factory() as uow:
        services = Services(uow, harness.app.sender.clock, Texts(), ServiceConfig())
        [payload] = await services.invitations.create(role, **options)
    return payload


async def _idea_link(harness: Harness, code: str) -> tuple[str, str]:
    """The payload of the idea's mentor link, and the idea's title."""
    async with harness.app.uow_factory() as uow:
        idea = await uow.session.scalar(select(ProjectIdea).where(ProjectIdea.code == code))
        assert idea is not None and idea.mentor_invitation_id is not None
        invitation = await uow.session.get(Invitation, idea.mentor_invitation_id)
        assert invitation is not None
        return f"inv_{invitation.code}", idea.title


def _buttons(markup: Any) -> dict[str, str]:
    """Button text -> callback data."""
    if markup is None:
        return {}
    return {b.text: b.callback_data for row in markup.inline_keyboard for b in row}


def _last_sent(harness: Harness, chat_id: int) -> Any:
    return [m for m in harness.session.of("SendMessage") if int(m.chat_id) == chat_id][-1]


def _last_edit(harness: Harness) -> Any:
    return harness.session.of("EditMessageText")[-1]


async def _audit(harness: Harness, action: str) -> list[AuditEntry]:
    async with harness.app.uow_factory() as uow:
        return list(
            await uow.session.scalars(select(AuditEntry).where(AuditEntry.action == action))
        )


async def _mentor_grant_id(harness: Harness, person_tg: int) -> int:
    async with harness.app.uow_factory() as uow:
        person = await uow.people.by_tg_id(person_tg)
        assert person is not None
        grant_id = await uow.session.scalar(
            select(RoleGrant.id).where(
                RoleGrant.person_id == person.id, RoleGrant.role == Role.MENTOR
            )
        )
    assert grant_id is not None
    return grant_id


@ON_BOTH_DATABASES  # reaches statements only this test runs on PG
async def test_an_expired_invitation_link_is_refused_and_says_whom_to_ask(
    harness: Harness, clock: FixedClock
) -> None:
    await import_example(harness.app.uow_factory, clock)
    payload, _ = await _idea_link(harness, "peat-monitor")
    clock.advance(timedelta(days=14, minutes=1))  # the season's default validity has passed

    await harness.send(NEWCOMER, f"/start {payload}")
    [refusal] = harness.session.texts_to(NEWCOMER)
    # Made at 07:00 UTC on 1 September: 14:00 in Tomsk, the season's zone.
    assert refusal == said("invite-expired", expired="15.09.2026 14:00")
    await harness.send(NEWCOMER, "/review")
    assert harness.session.texts_to(NEWCOMER)[-1] == said("sel-review-none")
    async with harness.app.uow_factory() as uow:
        person = await uow.people.by_tg_id(NEWCOMER)
        assert person is not None and await uow.people.roles_of(person.id) == set()


async def test_a_mentor_joining_by_an_ideas_link_is_welcomed_to_that_idea(
    harness: Harness, clock: FixedClock
) -> None:
    await import_example(harness.app.uow_factory, clock)
    payload, title = await _idea_link(harness, "peat-monitor")
    await harness.send(NEWCOMER, f"/start {payload}")
    await harness.send(NEWCOMER, f"/start {payload}")  # the link tapped again
    welcome, again = harness.session.texts_to(NEWCOMER)
    assert welcome.startswith(f"Готово: вы — наставник идеи «{title}».")
    assert "/review" in welcome
    assert again == f"Вы уже наставник идеи «{title}». Заявки на неё — в /review."


async def test_the_office_lists_open_invitations_and_staff_roles(
    harness: Harness, clock: FixedClock
) -> None:
    world = await build_world(harness.app.uow_factory, clock)  # mentors A, B, C opened links
    await harness.send(SETTINGS_ADMIN, "/start")
    await _invite(harness, Role.OFFICE, label="для Марии")
    async with harness.app.uow_factory() as uow:  # a student's role is not the office's list
        student = await uow.people.ensure(NEWCOMER, "ru", clock.now())
        await uow.people.grant(student.id, Role.STUDENT, world.season_id, clock.now())
        await uow.commit()

    await harness.send(SETTINGS_ADMIN, "/access")
    first = _last_sent(harness, SETTINGS_ADMIN)
    # The 9 idea links nobody opened and the office link; office 7009 and 777, three mentors.
    assert said("access-summary", invitations=10, grants=5) in first.text
    assert said("access-page", page=1, pages=2) in first.text
    assert "Мониторинг торфяных пожаров" not in first.text  # opened by mentor A
    assert "1. наставник, идея «Безбарьерный маршрут» — действует до 15.09.2026 14:00" in (
        first.text
    )
    buttons = _buttons(first.reply_markup)
    assert sum(text.startswith("✖") for text in buttons) == 8 and said("access-btn-next") in buttons

    await harness.press(SETTINGS_ADMIN, buttons["Дальше ▶"])
    second = _last_edit(harness)
    assert "10. сотрудник регионального проектного офиса, «для Марии» — действует до" in (
        second.text
    )
    assert (
        "12. без имени, Telegram id 777 — сотрудник регионального проектного офиса "
        "(назначен в настройках OFFICE_ADMIN_IDS — снять можно только там)"
    ) in second.text
    assert (
        "13. Наставник 7001 — наставник, набор tomsk-2026, идеи: Мониторинг торфяных пожаров "
        "с дронов"
    ) in second.text
    revoke = [text for text in _buttons(second.reply_markup) if text.startswith("✖")]
    # Two links, office 7009 and the three mentors; not the admin from the settings.
    assert revoke == [
        said("access-btn-revoke-invitation", n=9, role="наставник"),
        said("access-btn-revoke-invitation", n=10, role="сотрудник регионального…"),
        "✖ 11. 7009: сотрудник регионального…",
        "✖ 13. Наставник 7001: наставник",
        "✖ 14. Наставник 7002: наставник",
        "✖ 15. Наставник 7003: наставник",
    ]


@ON_BOTH_DATABASES  # reaches statements only this test runs on PG
async def test_a_revoked_invitation_no_longer_opens_and_a_double_tap_revokes_once(
    harness: Harness, clock: FixedClock
) -> None:
    payload = await _invite(harness, Role.MENTOR, label="для Ивана")
    await harness.send(SETTINGS_ADMIN, "/access")
    [ask] = [d for t, d in _buttons(_last_sent(harness, SETTINGS_ADMIN).reply_markup).items()
             if t.startswith("✖ 1.")]  # fmt: skip
    await harness.press(SETTINGS_ADMIN, ask)
    confirm = _last_edit(harness)
    assert confirm.text.startswith("Отозвать ссылку-приглашение (наставник, «для Ивана»")
    yes = _buttons(confirm.reply_markup)["Да, отозвать ссылку"]

    await harness.press(SETTINGS_ADMIN, yes)
    await harness.press(SETTINGS_ADMIN, yes)  # a double tap
    answers = [a.text for a in harness.session.of("AnswerCallbackQuery")][-2:]
    assert answers == [said("access-invitation-revoked"), said("access-already-revoked")]
    assert "Неиспользованных ссылок-приглашений: 0." in _last_edit(harness).text
    assert len(await _audit(harness, "invitation.revoke")) == 1

    await harness.send(NEWCOMER, f"/start {payload}")
    assert harness.session.texts_to(NEWCOMER) == [said("invite-revoked")]


@ON_BOTH_DATABASES  # reaches statements only this test runs on PG
async def test_a_revoked_role_is_gone_at_once_and_leaves_the_menu(
    harness: Harness, clock: FixedClock
) -> None:
    await build_world(harness.app.uow_factory, clock)
    await harness.send(MENTOR_A, "/review")
    assert harness.session.texts_to(MENTOR_A)[-1].startswith(opening("sel-review-title"))
    grant_id = await _mentor_grant_id(harness, MENTOR_A)

    await harness.press(
        OFFICE, encode(AccessAction(verb=AccessVerb.ASK_REVOKE_ROLE, item=grant_id))
    )
    confirm = _last_edit(harness)
    assert confirm.text.startswith(
        said(
            "access-confirm-grant",
            role="наставник",
            season=", набор tomsk-2026",
            name="Наставник 7001",
        )
    )
    yes = _buttons(confirm.reply_markup)["Да, отозвать роль"]
    await harness.press(OFFICE, yes)
    await harness.press(OFFICE, yes)  # a double tap
    answers = [a.text for a in harness.session.of("AnswerCallbackQuery")][-2:]
    assert answers == [said("access-role-revoked"), said("access-already-revoked")]
    [audit] = await _audit(harness, "role.revoke")
    assert audit.details["role"] == "mentor"

    # The very next update of the former mentor no longer carries the role.
    await harness.send(MENTOR_A, "/review")
    assert harness.session.texts_to(MENTOR_A)[-1] == said("sel-review-none")
    await harness.deliver()
    [menu] = [m for m in harness.session.of("SetMyCommands") if m.scope.chat_id == MENTOR_A]
    assert "review" not in [c.command for c in menu.commands]
    assert harness.session.texts_to(MENTOR_A)[-1].startswith(
        said("access-your-role-revoked", role="наставник")
    )


async def test_presses_the_office_may_not_make_are_refused_and_change_nothing(
    harness: Harness, clock: FixedClock
) -> None:
    """Not in the office at all; one's own office role; an office admin from the settings."""
    await build_world(harness.app.uow_factory, clock)
    await harness.send(SETTINGS_ADMIN, "/start")
    mentor_grant = await _mentor_grant_id(harness, MENTOR_A)
    async with harness.app.uow_factory() as uow:
        invitation_id = await uow.session.scalar(
            select(Invitation.id).where(Invitation.used_at.is_(None)).limit(1)
        )
        office = {
            person.tg_id: grant.id
            for grant, person, _ in await uow.people.active_grants([Role.OFFICE])
        }
    assert invitation_id is not None
    for data in (
        encode(AccessAction(verb=AccessVerb.SHOW_PAGE)),
        encode(AccessAction(verb=AccessVerb.REVOKE_ROLE, item=mentor_grant)),
        encode(AccessAction(verb=AccessVerb.REVOKE_INVITATION, item=invitation_id)),
    ):
        await harness.press(MENTOR_A, data)
    await harness.send(MENTOR_A, "/access")
    assert harness.session.alerts() == [NOT_ALLOWED] * 3
    assert harness.session.texts_to(MENTOR_A) == [NOT_ALLOWED]

    await harness.press(
        OFFICE, encode(AccessAction(verb=AccessVerb.ASK_REVOKE_ROLE, item=office[OFFICE]))
    )
    await harness.press(
        OFFICE, encode(AccessAction(verb=AccessVerb.REVOKE_ROLE, item=office[OFFICE]))
    )
    await harness.press(
        OFFICE, encode(AccessAction(verb=AccessVerb.REVOKE_ROLE, item=office[SETTINGS_ADMIN]))
    )
    own, own_confirmed, settings = harness.session.alerts()[3:]
    refusal = "Свою роль проектного офиса отозвать нельзя: попросите об этом другого сотрудника"
    assert own == own_confirmed == refusal + " офиса."
    assert settings.startswith(said("access-role-from-settings"))
    assert await _audit(harness, "role.revoke") == []
    assert await _audit(harness, "invitation.revoke") == []
    [granted] = await _audit(harness, "role.grant")  # the settings admin's, when they wrote
    assert granted.details == {"role": "office", "source": "settings"}

    # Another office member may revoke it: the office always keeps someone.
    await harness.press(
        SETTINGS_ADMIN, encode(AccessAction(verb=AccessVerb.REVOKE_ROLE, item=office[OFFICE]))
    )
    assert len(await _audit(harness, "role.revoke")) == 1
    await harness.send(OFFICE, "/access")
    assert harness.session.texts_to(OFFICE)[-1] == NOT_ALLOWED

"""Teams and team chats on both databases: binding rules, invite links, join requests,
removal and moves, chat migration, forming a team idempotently, the roster and contact opt-in."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from services.clock import FixedClock
from services.domain import ChatState, TeamRole
from services.errors import Conflict, DomainError, NotAllowed
from services.team_chat import BotChatChange, BotRights
from storage.models import AuditEntry, OutgoingMessage, Team, TeamMember
from storage.uow import UnitOfWorkFactory
from tests.databases import ON_BOTH_DATABASES
from tests.plans_world import (
    MENTOR,
    OTHER_TUTOR,
    OUTSIDER,
    STUDENT,
    STUDENT2,
    TUTOR,
    World,
    build_world,
    services,
)
from tests.texts import said

GROUP, OTHER_GROUP, SUPERGROUP = -500, -600, -1000500
FULL = BotRights(True, True, True)


@pytest.fixture
async def world(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> World:
    return await build_world(uow_factory, clock, chat_id=None)


async def outbox(world: World) -> list[OutgoingMessage]:
    async with world.uow_factory() as uow:
        return list(await uow.session.scalars(select(OutgoingMessage).order_by(OutgoingMessage.id)))


async def clear_outbox(world: World) -> None:
    async with world.uow_factory() as uow:
        from sqlalchemy import delete

        await uow.session.execute(delete(OutgoingMessage))
        await uow.commit()


async def bind(world: World, tg_id: int, chat_id: int = GROUP, rights: BotRights = FULL) -> Any:
    me = await world.me(tg_id)
    async with world.uow_factory() as uow:
        return await services(uow, world.clock).team_chat.bind(
            me, "alpha", chat_id, "Альфа чат", rights
        )


async def team(world: World, team_id: int) -> Team:
    async with world.uow_factory() as uow:
        found = await uow.teams.get(team_id)
        assert found is not None
        return found


async def chat_states(world: World) -> dict[int, ChatState | None]:
    async with world.uow_factory() as uow:
        rows = await uow.teams.members(world.team_id)
        return {person.tg_id: member.chat_state for member, person in rows}


async def test_a_tutor_binds_the_group_and_every_other_member_gets_a_personal_link(
    world: World,
) -> None:
    result = await bind(world, TUTOR)
    assert (result.already, result.invited) == (False, 3)
    bound = await team(world, world.team_id)
    assert (bound.chat_id, bound.chat_title) == (GROUP, "Альфа чат")
    rows = await outbox(world)
    invites = [r for r in rows if r.kind == "invite_link"]
    assert sorted(r.chat_id for r in invites) == sorted([MENTOR, STUDENT, STUDENT2])
    assert {r.payload["group_chat_id"] for r in invites} == {GROUP}
    assert invites[0].payload["button"] == said("team-invite-button")
    assert said("team-invite", team="Альфа") in invites[0].payload["text"]
    [welcome] = [r for r in rows if r.chat_id == GROUP]
    assert welcome.payload["text"].startswith(said("team-chat-bound", team="Альфа"))
    assert await chat_states(world) == {
        MENTOR: ChatState.INVITED,
        TUTOR: ChatState.JOINED,
        STUDENT: ChatState.INVITED,
        STUDENT2: ChatState.INVITED,
    }
    # Sending /bind again changes nothing and queues nothing.
    again = await bind(world, TUTOR)
    assert again.already and len(await outbox(world)) == len(rows)


async def test_binding_says_exactly_which_rights_are_missing(world: World) -> None:
    with pytest.raises(DomainError) as error:
        await bind(world, TUTOR, rights=BotRights(True, False, True))
    assert error.value.key == "team-chat-rights"
    assert error.value.args_for_text["missing"] == said("team-right-invite")
    with pytest.raises(DomainError) as error:
        await bind(world, TUTOR, rights=BotRights(False, False, False))
    assert error.value.args_for_text["missing"] == (
        "бот не администратор группы, «Пригласительные ссылки» (приглашать участников), "
        "«Блокировка участников» (удалять участников)"
    )
    assert (await team(world, world.team_id)).chat_id is None
    assert await outbox(world) == []


async def test_only_staff_bind_one_group_per_team_and_rebinding_is_the_mentors(
    world: World,
) -> None:
    with pytest.raises(NotAllowed) as refused:
        await bind(world, STUDENT)
    assert refused.value.key == "team-bind-not-staff"
    await bind(world, TUTOR)
    # The group is taken: another team's tutor cannot bind it.
    me = await world.me(OTHER_TUTOR)
    async with world.uow_factory() as uow:
        with pytest.raises(Conflict) as taken:
            await services(uow, world.clock).team_chat.bind(me, "beta", GROUP, "x", FULL)
    assert taken.value.args_for_text == {"other": "Альфа"}
    with pytest.raises(NotAllowed) as tutor_rebind:
        await bind(world, TUTOR, OTHER_GROUP)
    assert tutor_rebind.value.key == "team-rebind-mentor-only"
    await clear_outbox(world)
    result = await bind(world, MENTOR, OTHER_GROUP)
    assert result.invited == 3 and (await team(world, world.team_id)).chat_id == OTHER_GROUP
    rows = await outbox(world)
    assert [r.payload["text"] for r in rows if r.chat_id == GROUP] == [
        said("team-chat-unbound", team="Альфа")
    ]
    async with world.uow_factory() as uow:
        audit = await uow.audit.for_object("team", world.team_id)
    assert [(a.action, a.details["chat_id"]) for a in audit if a.action == "team.bind_chat"] == [
        ("team.bind_chat", GROUP),
        ("team.bind_chat", OTHER_GROUP),
    ]


async def test_join_requests_are_approved_for_the_roster_only(world: World) -> None:
    await bind(world, TUTOR)
    async with world.uow_factory() as uow:
        chats = services(uow, world.clock).team_chat
        assert await chats.join_request(GROUP, STUDENT) is True
    async with world.uow_factory() as uow:
        chats = services(uow, world.clock).team_chat
        assert await chats.join_request(GROUP, OUTSIDER) is False
        assert await chats.join_request(OTHER_GROUP, STUDENT) is False  # not a team's group
    assert (await chat_states(world))[STUDENT] is ChatState.APPROVED
    async with world.uow_factory() as uow:
        decisions = [
            a.details["approved"]
            for a in await uow.audit.for_object("team", world.team_id)
            if a.action == "team.join_request"
        ]
    assert decisions == [True, False]


async def test_a_removed_member_is_taken_out_of_the_chat_and_declined_later(
    world: World,
) -> None:
    await bind(world, TUTOR)
    async with world.uow_factory() as uow:
        await services(uow, world.clock).team_chat.join_request(GROUP, STUDENT)
    await clear_outbox(world)
    async with world.uow_factory() as uow:
        await services(uow, world.clock).teams.remove_member("alpha", STUDENT)
    rows = await outbox(world)
    kicks = [(r.chat_id, r.payload) for r in rows if r.kind == "chat_kick"]
    assert kicks == [(GROUP, {"user_id": STUDENT})]
    texts = {r.chat_id: r.payload.get("text") for r in rows if r.kind == "text"}
    assert texts[GROUP] == said("team-chat-member-removed", name="Участник №3", team="Альфа")
    assert texts[STUDENT].startswith(said("team-you-removed", team="Альфа"))
    async with world.uow_factory() as uow:
        chats = services(uow, world.clock).team_chat
        assert await chats.join_request(GROUP, STUDENT) is False
        # Removing twice does nothing more.
        with pytest.raises(DomainError):
            await services(uow, world.clock).teams.remove_member("alpha", STUDENT)
    assert len([r for r in await outbox(world) if r.kind == "chat_kick"]) == 1


@ON_BOTH_DATABASES  # reaches repository statements only this test runs on PG
async def test_the_office_moves_a_student_to_another_team(world: World) -> None:
    await bind(world, TUTOR)
    async with world.uow_factory() as uow:
        await services(uow, world.clock).team_chat.member_joined(GROUP, STUDENT2)
        await services(uow, world.clock).teams.bind_chat("beta", OTHER_GROUP)
    await clear_outbox(world)
    async with world.uow_factory() as uow:
        await services(uow, world.clock).teams.move_member(STUDENT2, "alpha", "beta")
    student = await world.person_id(STUDENT2)
    async with world.uow_factory() as uow:
        assert await uow.teams.role_in(world.team_id, student) is None
        assert await uow.teams.role_in(world.other_team_id, student) is TeamRole.STUDENT
    rows = await outbox(world)
    assert [(r.kind, r.chat_id) for r in rows if r.kind in ("chat_kick", "invite_link")] == [
        ("chat_kick", GROUP),
        ("invite_link", STUDENT2),
    ]
    assert [r.payload["group_chat_id"] for r in rows if r.kind == "invite_link"] == [OTHER_GROUP]
    to_groups = sorted(
        (r.chat_id, r.payload["text"]) for r in rows if r.chat_id < 0 and r.kind == "text"
    )
    assert to_groups == [
        (
            OTHER_GROUP,
            said("team-chat-member-added", team="Бета", name="Участник №4", role="Обучающийся"),
        ),
        (GROUP, said("team-chat-member-removed", name="Участник №4", team="Альфа")),
    ]


async def test_a_member_leaving_the_chat_is_noted_and_staff_are_told(world: World) -> None:
    await bind(world, TUTOR)
    async with world.uow_factory() as uow:
        await services(uow, world.clock).team_chat.member_joined(GROUP, STUDENT)
    await clear_outbox(world)
    async with world.uow_factory() as uow:
        assert await services(uow, world.clock).team_chat.member_left(GROUP, STUDENT) is True
    async with world.uow_factory() as uow:
        assert await services(uow, world.clock).team_chat.member_left(GROUP, STUDENT) is False
    assert (await chat_states(world))[STUDENT] is ChatState.LEFT
    told = sorted((r.chat_id, r.payload["text"]) for r in await outbox(world))
    assert told == [
        (MENTOR, said("team-member-left-chat", name="Участник №3", team="Альфа")),
        (TUTOR, said("team-member-left-chat", name="Участник №3", team="Альфа")),
    ]


async def test_a_migrated_group_stays_bound_and_its_queue_follows(world: World) -> None:
    await bind(world, TUTOR)
    pending_to_group = [r.id for r in await outbox(world) if r.chat_id == GROUP]
    assert pending_to_group
    for _ in range(2):  # the old chat's and the new chat's service messages
        async with world.uow_factory() as uow:
            await services(uow, world.clock).team_chat.migrate(GROUP, SUPERGROUP)
    assert (await team(world, world.team_id)).chat_id == SUPERGROUP
    moved = {r.id: r.chat_id for r in await outbox(world)}
    assert {moved[i] for i in pending_to_group} == {SUPERGROUP}
    async with world.uow_factory() as uow:
        assert await services(uow, world.clock).team_chat.join_request(SUPERGROUP, STUDENT)
        audit = await uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "team.chat_migrated")
        )
        assert len(list(audit)) == 1


async def test_announcements_are_the_mentors(world: World) -> None:
    mentor, tutor = await world.me(MENTOR), await world.me(TUTOR)
    async with world.uow_factory() as uow:
        with pytest.raises(DomainError) as no_chat:
            await services(uow, world.clock).team_chat.announce(mentor, world.team_id, "Привет")
    assert no_chat.value.key == "team-no-chat"
    await bind(world, TUTOR)
    await clear_outbox(world)
    async with world.uow_factory() as uow:
        with pytest.raises(NotAllowed):
            await services(uow, world.clock).team_chat.announce(tutor, world.team_id, "Привет")
        await services(uow, world.clock).team_chat.announce_in_chat(
            mentor, GROUP, "Встреча в 16:00"
        )
    assert [(r.chat_id, r.payload["text"]) for r in await outbox(world)] == [
        (GROUP, said("team-announcement", text="Встреча в 16:00"))
    ]


async def test_form_team_is_idempotent(world: World) -> None:
    ids = {tg: await world.person_id(tg) for tg in (MENTOR, TUTOR, STUDENT, OUTSIDER)}
    for _ in range(2):
        async with world.uow_factory() as uow:
            formed = await services(uow, world.clock).teams.form_team(
                "Чистый воздух",
                season_id=world.season_id,
                source_key="idea:7",
                mentor_id=ids[MENTOR],
                tutor_ids=[ids[TUTOR]],
                student_ids=[ids[STUDENT], ids[OUTSIDER]],
            )
    async with world.uow_factory() as uow:
        teams = list(await uow.session.scalars(select(Team).where(Team.source_key == "idea:7")))
        assert [t.id for t in teams] == [formed.id]
        members = await uow.session.scalars(
            select(TeamMember).where(TeamMember.team_id == formed.id)
        )
        assert sorted((m.person_id, m.role) for m in members) == sorted(
            [
                (ids[MENTOR], TeamRole.MENTOR),
                (ids[TUTOR], TeamRole.TUTOR),
                (ids[STUDENT], TeamRole.STUDENT),
                (ids[OUTSIDER], TeamRole.STUDENT),
            ]
        )
    joined = [
        r for r in await outbox(world) if "Вы в проектной команде" in r.payload.get("text", "")
    ]
    assert sorted(r.chat_id for r in joined) == sorted([MENTOR, TUTOR, STUDENT, OUTSIDER])


@ON_BOTH_DATABASES  # reaches repository statements only this test runs on PG
async def test_roster_puts_staff_first_and_shows_only_opted_in_contacts(world: World) -> None:
    async with world.uow_factory() as uow:
        # A staff name, kept from the invitation.
        mentor = await uow.people.by_tg_id(MENTOR)
        assert mentor is not None
        await uow.people.set_profile(mentor.id, "Иван Петров", "ivan_p", world.clock.now())
        await uow.commit()
    student = await world.me(STUDENT)
    async with world.uow_factory() as uow:
        roster = await services(uow, world.clock).teams.roster(student, world.team_id)
    assert [(line.role, line.name, line.contact) for line in roster.lines] == [
        (TeamRole.MENTOR, "Иван Петров", None),
        (TeamRole.TUTOR, said("plan-person-anon", id=2), None),
        (TeamRole.STUDENT, said("plan-person-anon", id=3), None),
        (TeamRole.STUDENT, said("plan-person-anon", id=4), None),
    ]
    async with world.uow_factory() as uow:
        with pytest.raises(DomainError) as no_username:
            await services(uow, world.clock).teams.set_share_contact(
                student, world.team_id, True, None
            )
        assert no_username.value.key == "team-share-no-username"
        roster = await services(uow, world.clock).teams.set_share_contact(
            student, world.team_id, True, "masha_k"
        )
    assert roster.sharing and [line.contact for line in roster.lines] == [
        None,
        None,
        "@masha_k",
        None,
    ]
    mentor_me = await world.me(MENTOR)
    async with world.uow_factory() as uow:
        await services(uow, world.clock).teams.set_share_contact(
            mentor_me, world.team_id, True, "ivan_p"
        )
        roster = await services(uow, world.clock).teams.set_share_contact(
            student, world.team_id, False, "masha_k"
        )
    assert [line.contact for line in roster.lines] == ["@ivan_p", None, None, None]
    outsider = await world.me(OUTSIDER)
    async with world.uow_factory() as uow:
        with pytest.raises(NotAllowed):
            await services(uow, world.clock).teams.roster(outsider, world.team_id)


async def bot_status(
    world: World,
    chat_id: int,
    before: BotRights | None,
    after: BotRights | None,
    at: datetime = datetime(2026, 9, 1, 9, 0, tzinfo=UTC),
) -> BotChatChange:
    async with world.uow_factory() as uow:
        return await services(uow, world.clock).team_chat.bot_status_changed(
            chat_id, before, after, at=at, by_tg_id=MENTOR
        )


@ON_BOTH_DATABASES  # reaches repository statements only this test runs on PG
async def test_the_bot_removed_from_the_group_unbinds_it_and_tells_the_staff_once(
    world: World,
) -> None:
    await bind(world, TUTOR)
    async with world.uow_factory() as uow:
        await services(uow, world.clock).team_chat.join_request(GROUP, STUDENT)
    await clear_outbox(world)
    first = await bot_status(world, GROUP, FULL, None)
    again = await bot_status(world, GROUP, FULL, None)  # the same update delivered twice
    assert (first.unbound, first.told) == (True, 2)
    assert (again.unbound, again.told) == (False, 0)
    bound = await team(world, world.team_id)
    assert (bound.chat_id, bound.chat_title, bound.chat_bound_at) == (None, None, None)
    # The team keeps its members; nobody is in a team chat any more.
    assert await chat_states(world) == {MENTOR: None, TUTOR: None, STUDENT: None, STUDENT2: None}
    told = sorted((r.chat_id, r.payload["text"]) for r in await outbox(world))
    assert [chat for chat, _ in told] == [MENTOR, TUTOR]
    assert told[0][1] == told[1][1]
    assert told[0][1].startswith(said("team-bot-removed", team="Альфа", code="alpha"))
    assert told[0][1].endswith(said("team-bot-removed", team="Альфа", code="alpha"))
    async with world.uow_factory() as uow:
        lost = [a for a in await uow.audit.for_object("team", world.team_id)]
        mentor_id = await world.person_id(MENTOR)
    assert [(a.action, a.actor_id, a.details) for a in lost if a.action == "team.chat_lost"] == [
        ("team.chat_lost", mentor_id, {"chat_id": GROUP})
    ]
    # The mentor can bind a group again.
    assert (await bind(world, MENTOR, OTHER_GROUP)).invited == 3
    assert (await team(world, world.team_id)).chat_id == OTHER_GROUP


async def test_the_bot_losing_its_rights_keeps_the_binding_and_says_what_is_missing(
    world: World,
) -> None:
    await bind(world, TUTOR)
    await clear_outbox(world)
    no_invite = BotRights(True, False, True)
    for _ in range(2):  # the same update delivered twice
        change = await bot_status(world, GROUP, FULL, no_invite)
    assert (change.unbound, change.told) == (False, 0)
    assert (await team(world, world.team_id)).chat_id == GROUP
    told = sorted((r.chat_id, r.payload["text"]) for r in await outbox(world))
    assert told == [
        (
            chat,
            said(
                "team-bot-rights-lost",
                team="Альфа",
                missing="«Пригласительные ссылки» (приглашать участников)",
            ),
        )
        for chat in (MENTOR, TUTOR)
    ]
    # Another right changes but nothing more is lost: nobody is told again.
    later = datetime(2026, 9, 1, 10, 0, tzinfo=UTC)
    assert (await bot_status(world, GROUP, no_invite, no_invite, later)).told == 0
    # Demoted to a plain member later: told again, with every missing right.
    await clear_outbox(world)
    assert (
        await bot_status(world, GROUP, no_invite, BotRights(False, False, False), later)
    ).told == 2
    [text, _] = [r.payload["text"] for r in await outbox(world)]
    assert "не хватает прав — бот не администратор группы, «Пригласительные ссылки»" in text
    assert (await team(world, world.team_id)).chat_id == GROUP
    async with world.uow_factory() as uow:
        audit = await uow.audit.for_object("team", world.team_id)
    assert [a.details["missing"] for a in audit if a.action == "team.chat_rights_lost"] == [
        ["invite"],
        ["admin", "invite", "restrict"],
    ]


async def test_the_bot_status_in_an_unbound_group_changes_nothing(world: World) -> None:
    for before, after in ((FULL, None), (FULL, BotRights(False, False, False)), (None, FULL)):
        change = await bot_status(world, GROUP, before, after)
        assert change == BotChatChange(None, unbound=False, told=0)
    assert await outbox(world) == []
    async with world.uow_factory() as uow:
        audit = await uow.audit.for_object("team", world.team_id)
    assert [a.action for a in audit if a.action.startswith("team.chat_")] == []

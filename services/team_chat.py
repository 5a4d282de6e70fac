"""Team chats: binding a group (Telegram or MAX) to a team, letting the members in, join
requests, members leaving or removed, the bot removed from the group or losing its rights there,
a group migrating to a supergroup, and the mentor's announcements.

The handlers ask their messenger for the bot's rights in the group and pass them in; everything
the bot must do there afterwards (create an invite link or add a member on MAX, remove a member,
post to the group) is queued in the outbox in the same transaction, so it survives a restart
and the group's rate limit is kept by the sender. A group is named by its id and messenger.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.chat_outbox import ChatOutbox, chat_address
from services.clock import Clock
from services.domain import Address, ChatState, Messenger, TeamRole
from services.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound
from services.i18n import Texts
from services.notify import Notifier
from services.people import Identity, display_name
from services.text_fit import trim, visible_length
from storage.models import Person, Team, TeamMember
from storage.uow import UnitOfWork

BIND_PREFIX = "bind_"
STAFF = (TeamRole.MENTOR, TeamRole.TUTOR)
MAX_ANNOUNCEMENT = 3500


@dataclass(frozen=True)
class BotRights:
    """What the bot may do in the group (Telegram's getChatMember of the bot itself; on MAX
    its membership, where adding and removing members is one permission)."""

    is_admin: bool
    can_invite_users: bool
    can_restrict_members: bool

    def missing(self) -> list[str]:
        missing = [] if self.is_admin else ["admin"]
        if not self.can_invite_users:
            missing.append("invite")
        if not self.can_restrict_members:
            missing.append("restrict")
        return missing


def right_key(right: str, messenger: Messenger) -> str:
    """The text naming a missing right: MAX has one right for adding and removing members."""
    if messenger is Messenger.MAX and right != "admin":
        return "team-right-members-max"
    return f"team-right-{right}"


@dataclass(frozen=True)
class BindResult:
    team: Team
    already: bool
    invited: int


@dataclass(frozen=True)
class BotChatChange:
    """What a change of the bot's own status in a group did."""

    team: Team | None  # the team bound to the group, if any
    unbound: bool  # the bot left or was removed: the team's chat binding was cleared now
    told: int  # private notices queued to the team's mentor and tutors


class TeamChatService:
    def __init__(self, uow: UnitOfWork, clock: Clock, notifier: Notifier, texts: Texts) -> None:
        self.uow = uow
        self.clock = clock
        self.notifier = notifier
        self.texts = texts
        self.chat = ChatOutbox(uow, clock, notifier, texts)

    # Binding.

    async def bind(
        self,
        me: Identity,
        code: str,
        chat_id: int,
        chat_title: str | None,
        rights: BotRights,
        messenger: Messenger = Messenger.TELEGRAM,
    ) -> BindResult:
        """Bind the group to the team named by its code (the mentor or a tutor of the team).

        A group binds to one team; moving a team to another group is the mentor's. The
        members are let in as the group's messenger allows (services/chat_outbox.py).
        """
        chat = Address(messenger, chat_id)
        team = await self._team_to_bind(me, code, chat, rights)
        old_chat = chat_address(team)
        if old_chat == chat:
            return BindResult(team, already=True, invited=0)
        now = self.clock.now()
        if not await self.uow.teams.bind_chat(team.id, chat_id, chat_title, now, messenger):
            return BindResult(team, already=True, invited=0)
        team.chat_id, team.chat_title, team.chat_bound_at = chat_id, chat_title, now
        team.chat_messenger = messenger
        # A new group: nobody is in it yet, except whoever bound it.
        await self.uow.teams.reset_chat_states(team.id)
        invited = 0
        for member, person in await self.uow.teams.members(team.id):
            if person.id == me.person_id:
                await self.uow.teams.set_chat_state(team.id, person.id, ChatState.JOINED)
            else:
                invited += await self.chat.invite(team, member, person)
        await self.chat.post(
            team, "team-chat-bound" if messenger is Messenger.TELEGRAM else "team-chat-bound-max"
        )
        if old_chat is not None:
            await self.chat.post_to(old_chat, team, "team-chat-unbound")
        await self.uow.audit.record(
            now,
            me.person_id,
            "team.bind_chat",
            "team",
            team.id,
            chat_id=chat_id,
            messenger=messenger.value,
            previous_chat_id=old_chat.chat_id if old_chat is not None else None,
        )
        await self.uow.commit()
        return BindResult(team, already=False, invited=invited)

    async def _team_to_bind(
        self, me: Identity, code: str, chat: Address, rights: BotRights
    ) -> Team:
        """The team `code` names, once the rules allow `me` to bind it to the group."""
        if chat.messenger is Messenger.TELEGRAM and chat.chat_id >= 0:
            raise InvalidInput("team-bind-private")  # the MAX adapter passes group chats only
        code = code.strip().lower()
        if code.startswith(BIND_PREFIX):
            code = code[len(BIND_PREFIX) :]
        if not code:
            raise InvalidInput("team-bind-usage")
        team = await self.uow.teams.by_code(code)
        if team is None:
            raise NotFound("team-unknown", code=code)
        role = await self.uow.teams.role_in(team.id, me.person_id)
        if role not in STAFF:
            raise NotAllowed("team-bind-not-staff")
        other = await self.uow.teams.by_chat(chat.chat_id, chat.messenger)
        if other is not None and other.id != team.id:
            raise Conflict("team-chat-taken", other=other.name)
        old_chat = chat_address(team)
        if old_chat is not None and old_chat != chat and role is not TeamRole.MENTOR:
            raise NotAllowed("team-rebind-mentor-only")
        missing = rights.missing()
        if missing:
            keys = dict.fromkeys(right_key(m, chat.messenger) for m in missing)
            names = ", ".join(self.texts.get(key, me.language) for key in keys)
            raise DomainError("team-chat-rights", missing=names)
        return team

    async def migrate(self, old_chat_id: int, new_chat_id: int) -> bool:
        """The group became a supergroup: the team stays bound, queued messages follow it.

        Called for both service messages (and by the sender when Telegram says so): the
        second call finds nothing to move.
        """
        moved = await self.uow.teams.migrate_chat(old_chat_id, new_chat_id)
        await self.uow.outbox.move_chat(old_chat_id, new_chat_id)
        for team_id in moved:
            await self.uow.audit.record(
                self.clock.now(),
                None,
                "team.chat_migrated",
                "team",
                team_id,
                old_chat_id=old_chat_id,
                new_chat_id=new_chat_id,
            )
        await self.uow.commit()
        return bool(moved)

    # The bot's own status in the group.

    async def bot_status_changed(
        self,
        chat_id: int,
        before: BotRights | None,
        after: BotRights | None,
        *,
        at: datetime,
        by_tg_id: int | None = None,
        messenger: Messenger = Messenger.TELEGRAM,
    ) -> BotChatChange:
        """The bot's status in a group changed (`None`: the bot is not in the group).

        Removed from a team's group: the team keeps its members, its chat is unbound (so
        /bind works again) and the mentor and tutors are told privately. Still in the group
        but a right newly lost: the binding stays and they are told what is missing.
        Replays do nothing: the unbinding is a conditional update, and the rights notices
        are keyed by the time Telegram gives the change (`at`).
        """
        team = await self.uow.teams.by_chat(chat_id, messenger)
        if team is None:
            return BotChatChange(None, unbound=False, told=0)
        if after is None:
            return await self._bot_removed(team, chat_id, by_tg_id)
        lost = set(after.missing()) - set(before.missing() if before is not None else ())
        if not lost:
            return BotChatChange(team, unbound=False, told=0)
        missing = after.missing()
        stamp = int(at.timestamp())
        told = 0
        for member, person in await self.uow.teams.members(team.id):
            if member.role not in STAFF:
                continue
            names = ", ".join(self.texts.get(f"team-right-{m}", person.language) for m in missing)
            told += await self.notifier.send_text(
                person,
                self.texts.get(
                    "team-bot-rights-lost", person.language, team=team.name, missing=names
                ),
                person_id=person.id,
                dedupe_key=f"team-bot-rights:{chat_id}:{stamp}:{person.id}",
            )
        if told:
            actor = await self.uow.people.by_tg_id(by_tg_id) if by_tg_id is not None else None
            await self.uow.audit.record(
                self.clock.now(),
                actor.id if actor is not None else None,
                "team.chat_rights_lost",
                "team",
                team.id,
                chat_id=chat_id,
                missing=missing,
            )
            await self.uow.commit()
        return BotChatChange(team, unbound=False, told=told)

    async def _bot_removed(self, team: Team, chat_id: int, by_tg_id: int | None) -> BotChatChange:
        if not await self.uow.teams.unbind_chat(team.id, chat_id):
            return BotChatChange(team, unbound=False, told=0)
        team.chat_id, team.chat_title, team.chat_bound_at = None, None, None
        # Nobody is in the team's chat any more; old invite links point to the lost group.
        await self.uow.teams.reset_chat_states(team.id)
        told = 0
        for member, person in await self.uow.teams.members(team.id):
            if member.role not in STAFF:
                continue
            told += await self.notifier.send_text(
                person,
                self.texts.get("team-bot-removed", person.language, team=team.name, code=team.code),
                person_id=person.id,
            )
        actor = await self.uow.people.by_tg_id(by_tg_id) if by_tg_id is not None else None
        await self.uow.audit.record(
            self.clock.now(),
            actor.id if actor is not None else None,
            "team.chat_lost",
            "team",
            team.id,
            chat_id=chat_id,
        )
        await self.uow.commit()
        return BotChatChange(team, unbound=True, told=told)

    # Joining and leaving.

    async def join_request(self, chat_id: int, tg_id: int) -> bool:
        """Approve a roster member of the group's team; anyone else is declined."""
        team = await self.uow.teams.by_chat(chat_id)
        found = await self.uow.teams.member_by_tg(team.id, tg_id) if team is not None else None
        approve = found is not None
        if team is not None and found is not None:
            await self.uow.teams.set_chat_state(team.id, found[1].id, ChatState.APPROVED)
        if team is not None:
            await self.uow.audit.record(
                self.clock.now(),
                found[1].id if found else None,
                "team.join_request",
                "team",
                team.id,
                approved=approve,
            )
            await self.uow.commit()
        return approve

    async def _roster_member(
        self, chat_id: int, user_id: int, messenger: Messenger
    ) -> tuple[Team | None, tuple[TeamMember, Person] | None]:
        """The group's team and the roster member behind a user of the group's messenger."""
        team = await self.uow.teams.by_chat(chat_id, messenger)
        if team is None:
            return None, None
        if messenger is Messenger.TELEGRAM:
            return team, await self.uow.teams.member_by_tg(team.id, user_id)
        return team, await self.uow.teams.member_by_account(team.id, messenger, user_id)

    async def member_joined(
        self, chat_id: int, user_id: int, messenger: Messenger = Messenger.TELEGRAM
    ) -> bool:
        team, found = await self._roster_member(chat_id, user_id, messenger)
        if team is None or found is None:
            return False
        changed = await self.uow.teams.set_chat_state(
            team.id,
            found[1].id,
            ChatState.JOINED,
            only_from={None, ChatState.INVITED, ChatState.APPROVED, ChatState.LEFT},
        )
        if changed:
            await self.uow.commit()
        return changed

    async def member_left(
        self, chat_id: int, user_id: int, messenger: Messenger = Messenger.TELEGRAM
    ) -> bool:
        """A roster member left the chat on their own: noted, and the team's staff are told."""
        team, found = await self._roster_member(chat_id, user_id, messenger)
        if team is None or found is None:
            return False
        _, person = found
        changed = await self.uow.teams.set_chat_state(
            team.id,
            person.id,
            ChatState.LEFT,
            only_from={None, ChatState.INVITED, ChatState.APPROVED, ChatState.JOINED},
        )
        if not changed:
            return False
        now = self.clock.now()
        await self.uow.audit.record(now, person.id, "team.left_chat", "team", team.id)
        for _, staff in await self.uow.teams.members(team.id):
            if staff.id == person.id:
                continue
            role = await self.uow.teams.role_in(team.id, staff.id)
            if role not in STAFF:
                continue
            await self.notifier.send_text(
                staff,
                self.texts.get(
                    "team-member-left-chat",
                    staff.language,
                    name=display_name(person, self.texts, staff.language),
                    team=team.name,
                ),
                person_id=staff.id,
            )
        await self.uow.commit()
        return True

    # Announcements.

    async def announce_teams(self, me: Identity) -> list[Team]:
        teams = [t for t, _ in await self.uow.teams.teams_of(me.person_id, [TeamRole.MENTOR])]
        if not teams:
            raise NotAllowed("team-announce-not-mentor")
        return teams

    async def check_announce(self, me: Identity, team_id: int) -> Team:
        team = await self.uow.teams.get(team_id)
        if team is None:
            raise NotFound("team-unknown", code=str(team_id))
        if await self.uow.teams.role_in(team.id, me.person_id) is not TeamRole.MENTOR:
            raise NotAllowed()
        if team.chat_id is None:
            raise DomainError("team-no-chat", team=team.name)
        return team

    async def announce(self, me: Identity, team_id: int, text: str) -> Team:
        team = await self.check_announce(me, team_id)
        text = trim(text)
        if not visible_length(text):
            raise InvalidInput("team-announce-empty")
        if len(text) > MAX_ANNOUNCEMENT:
            raise InvalidInput("team-announce-long", limit=str(MAX_ANNOUNCEMENT))
        now = self.clock.now()
        await self.chat.post(team, "team-announcement", text=text)
        await self.uow.audit.record(now, me.person_id, "team.announce", "team", team.id)
        await self.uow.commit()
        return team

    async def announce_in_chat(
        self, me: Identity, chat_id: int, text: str, messenger: Messenger = Messenger.TELEGRAM
    ) -> Team:
        team = await self.uow.teams.by_chat(chat_id, messenger)
        if team is None:
            raise NotFound("team-chat-not-bound")
        return await self.announce(me, team.id, text)

"""What a team's group chat is sent, queued in the outbox: posts, personal invite links,
removals. Like services/notify.py it holds no feature's rules: the team roster (services/teams.py),
the chat's binding (services/team_chat.py) and the roadmap's decisions all post through it.

Never commits: the caller's action does.
"""

from __future__ import annotations

from services.clock import Clock
from services.domain import ChatState
from services.i18n import Texts
from services.notify import Notifier
from storage.models import Person, Team, TeamMember
from storage.uow import UnitOfWork

IN_CHAT = {ChatState.APPROVED, ChatState.JOINED}


class ChatOutbox:
    """Queues what a team's chat is sent and keeps the members' chat states in step."""

    def __init__(self, uow: UnitOfWork, clock: Clock, notifier: Notifier, texts: Texts) -> None:
        self.uow = uow
        self.clock = clock
        self.notifier = notifier
        self.texts = texts

    async def post(self, team: Team, key: str, **args: str) -> bool:
        """A message to the team chat, if the team has one. No dedupe key: every caller posts
        in the transaction of a conditional change, which happens once."""
        if team.chat_id is None:
            return False
        return await self.post_to(team.chat_id, team, key, **args)

    async def post_to(self, chat_id: int, team: Team, key: str, **args: str) -> bool:
        text = self.texts.get(key, None, team=team.name, **args)
        return await self.notifier.send_text(chat_id, text)

    async def invite(self, team: Team, member: TeamMember, person: Person) -> bool:
        """Queue a personal invite link unless the member already has one or is in the chat."""
        if team.chat_id is None or person.tg_id is None:
            # Team chats are Telegram groups for now: one only on MAX is not invited there.
            return False
        changed = await self.uow.teams.set_chat_state(
            team.id,
            person.id,
            ChatState.INVITED,
            only_from={None, ChatState.LEFT, ChatState.REMOVED},
        )
        if not changed:
            return False
        lang = person.language
        await self.notifier.send_invite_link(
            person.tg_id,
            team.chat_id,
            name=f"team {team.id} member {person.id}",
            text=self.texts.get("team-invite", lang, team=team.name),
            button=self.texts.get("team-invite-button", lang),
            member_id=member.id,
            person_id=person.id,
        )
        return True

    async def remove(self, team: Team, person: Person) -> bool:
        """The person left the team: take them out of the chat too."""
        member = await self.uow.teams.member(team.id, person.id, active=False)
        if member is None or team.chat_id is None:
            return False
        was_in = member.chat_state in IN_CHAT
        changed = await self.uow.teams.set_chat_state(
            team.id,
            person.id,
            ChatState.REMOVED,
            only_from={ChatState.INVITED, ChatState.APPROVED, ChatState.JOINED},
        )
        if changed and was_in and person.tg_id is not None:
            await self.notifier.remove_from_chat(
                team.chat_id,
                person.tg_id,
            )
        return changed

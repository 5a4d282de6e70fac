"""What a team's group chat is sent, queued in the outbox: posts, personal invite links (a
Telegram group), members added by the bot (a MAX group), removals. Like services/notify.py it
holds no feature's rules: the team roster (services/teams.py), the chat's binding
(services/team_chat.py) and the roadmap's decisions all post through it.

Never commits: the caller's action does.
"""

from __future__ import annotations

from services.clock import Clock
from services.domain import Address, ChatState, Messenger
from services.i18n import Texts
from services.notify import Notifier
from storage.models import Person, Team, TeamMember
from storage.uow import UnitOfWork

IN_CHAT = {ChatState.APPROVED, ChatState.JOINED}
MESSENGER_NAMES = {Messenger.TELEGRAM: "Telegram", Messenger.MAX: "MAX"}


def chat_address(team: Team) -> Address | None:
    """The team's group chat on its messenger, if it has one."""
    if team.chat_id is None:
        return None
    return Address(Messenger(team.chat_messenger or Messenger.TELEGRAM), team.chat_id)


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
        chat = chat_address(team)
        if chat is None:
            return False
        return await self.post_to(chat, team, key, **args)

    async def post_to(self, chat: Address, team: Team, key: str, **args: str) -> bool:
        text = self.texts.get(key, None, team=team.name, **args)
        return await self.notifier.send_text(chat, text)

    async def user_id_on(self, person: Person, messenger: Messenger) -> int | None:
        """The person's user id on the messenger of a group, None when they are not on it."""
        if messenger is Messenger.TELEGRAM:
            return person.tg_id
        accounts = await self.uow.accounts.accounts_of(person.id)
        return next((a.user_id for a in accounts if a.messenger == messenger), None)

    async def invite(self, team: Team, member: TeamMember, person: Person) -> bool:
        """Let the member into the chat unless they are already invited or in it: a personal
        invite link in a Telegram group, the bot adding them itself in a MAX group. One who is
        not on the group's messenger is told where the chat is instead."""
        chat = chat_address(team)
        if chat is None:
            return False
        user_id = await self.user_id_on(person, chat.messenger)
        if user_id is None:
            await self._tell_elsewhere(team, chat, person)
            return False
        on_max = chat.messenger is Messenger.MAX
        changed = await self.uow.teams.set_chat_state(
            team.id,
            person.id,
            # The bot adds them on MAX: admitted at once, as an approved join request is.
            ChatState.APPROVED if on_max else ChatState.INVITED,
            only_from={None, ChatState.LEFT, ChatState.REMOVED},
        )
        if not changed:
            return False
        if on_max:
            await self.notifier.add_to_chat(chat, user_id)
            return True
        lang = person.language
        await self.notifier.send_invite_link(
            user_id,
            chat.chat_id,
            name=f"team {team.id} member {person.id}",
            text=self.texts.get("team-invite", lang, team=team.name),
            button=self.texts.get("team-invite-button", lang),
            member_id=member.id,
            person_id=person.id,
        )
        return True

    async def _tell_elsewhere(self, team: Team, chat: Address, person: Person) -> None:
        """Once per group: the person cannot be let in from here, so they learn where it is."""
        await self.notifier.send_text(
            person,
            self.texts.get(
                "team-chat-elsewhere",
                person.language,
                team=team.name,
                messenger=MESSENGER_NAMES[chat.messenger],
            ),
            person_id=person.id,
            dedupe_key=f"team-chat-elsewhere:{team.id}:{chat.messenger}:{chat.chat_id}:{person.id}",
        )

    async def remove(self, team: Team, person: Person) -> bool:
        """The person left the team: take them out of the chat too."""
        member = await self.uow.teams.member(team.id, person.id, active=False)
        chat = chat_address(team)
        if member is None or chat is None:
            return False
        was_in = member.chat_state in IN_CHAT
        changed = await self.uow.teams.set_chat_state(
            team.id,
            person.id,
            ChatState.REMOVED,
            only_from={ChatState.INVITED, ChatState.APPROVED, ChatState.JOINED},
        )
        user_id = await self.user_id_on(person, chat.messenger) if changed and was_in else None
        if user_id is not None:
            await self.notifier.remove_from_chat(chat, user_id)
        return changed

"""What every roadmap use case shares: the actor's place in the team, the review buttons,
messages to the team's mentors or tutors, the return comment's check."""

from __future__ import annotations

from services.actions import RoadmapAction, RoadmapVerb
from services.chat_outbox import ChatOutbox
from services.clock import Clock
from services.domain import TeamRole
from services.errors import InvalidInput, NotAllowed
from services.i18n import Texts
from services.notify import Button, Keyboard, Notifier
from services.people import Identity
from services.reminders import ReminderService
from services.roadmap.views import COMMENT_LIMIT
from services.text_fit import trim, visible_length
from storage.models import Team
from storage.uow import UnitOfWork


class RoadmapBase:
    """The service's state and the helpers its use cases share."""

    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        notifier: Notifier,
        texts: Texts,
        reminders: ReminderService,
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.notifier = notifier
        self.texts = texts
        self.reminders = reminders
        self.chat = ChatOutbox(uow, clock, notifier, texts)

    async def teams(self, me: Identity) -> list[Team]:
        return [team for team, _ in await self.uow.teams.teams_of(me.person_id)]

    async def _role(self, me: Identity, team_id: int) -> tuple[Team, TeamRole]:
        team = await self.uow.teams.get(team_id)
        role = await self.uow.teams.role_in(team_id, me.person_id) if team else None
        if team is None or role is None:
            raise NotAllowed()
        return team, role

    async def _require(self, me: Identity, team_id: int, role: TeamRole) -> Team:
        team, actual = await self._role(me, team_id)
        if actual is not role:
            raise NotAllowed()
        return team

    def _review_buttons(
        self, approve: RoadmapVerb, ask_return: RoadmapVerb, object_id: int
    ) -> Keyboard:
        # Texts are filled per recipient's language in _send.
        return [
            [
                Button.doing("roadmap-btn-approve", RoadmapAction(verb=approve, item=object_id)),
                Button.doing("roadmap-btn-return", RoadmapAction(verb=ask_return, item=object_id)),
            ]
        ]

    async def _to_mentors(
        self, team: Team, key: str, buttons: Keyboard, subject: str | None = None, **args: str
    ) -> None:
        await self._send(team, TeamRole.MENTOR, key, buttons, subject, **args)

    async def _to_tutors(self, team: Team, key: str, buttons: Keyboard, **args: str) -> None:
        await self._send(team, TeamRole.TUTOR, key, buttons, **args)

    async def _send(
        self,
        team: Team,
        role: TeamRole,
        key: str,
        buttons: Keyboard,
        subject: str | None = None,
        **args: str,
    ) -> None:
        for _, person in await self.uow.teams.members(team.id, role):
            lang = person.language
            labels = {
                "": self.texts.get("roadmap-btn-open", lang),
            }
            keyboard = [
                [
                    Button(
                        labels.get(b.text) or self.texts.get(b.text, lang),
                        b.action,
                        dict(b.args),
                    )
                    for b in row
                ]
                for row in buttons
            ]
            await self.notifier.send_text(
                person,
                self.texts.get(key, lang, team=team.name, **args),
                buttons=keyboard,
                person_id=person.id,
                subject=subject,
            )


def checked_comment(comment: str) -> str:
    comment = trim(comment)
    if visible_length(comment) < 2:
        raise InvalidInput("roadmap-comment-short")
    if len(comment) > COMMENT_LIMIT:
        raise InvalidInput("roadmap-comment-long", limit=str(COMMENT_LIMIT))
    return comment

"""How services ask for a message to be sent: the Notifier protocol and its outbox implementation.

Services describe *what* to send (text, media, buttons as named actions) and *to whom*: a
person (`Person`: reached on the messenger they use, through their accounts) or an `Address`
(a chat on a messenger, a team's group say); a bare int is a Telegram chat. The
sender of each messenger in `bot/` decides *how* (its methods, callback-data encoding, rate
limits, retries); each outbox row records its messenger.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from services.actions import Action
from services.clock import Clock
from services.domain import Address, OutboxStatus, Role
from services.file_payload import file_content
from storage.models import OutgoingMessage, Person
from storage.repositories.outbox import OutboxRepo

# Whom a message goes to: a person (on the messenger they use), a chat on a messenger, or a
# Telegram chat by its id.
Recipient = Person | Address | int


@dataclass(frozen=True)
class Button:
    """An inline button: either an action of the bot (its callback prefix and ids) or a URL."""

    text: str
    action: str | None = None
    args: dict[str, Any] = field(default_factory=dict)
    url: str | None = None

    @classmethod
    def doing(cls, text: str, action: Action) -> Button:
        """A button carrying a typed action (services/actions.py), stored by its prefix and
        fields and encoded by the one codec when sent."""
        return cls(text, action.prefix, action.args())


Keyboard = list[list[Button]]

# Messages `Notifier.retract` can take back: what carries text, media or buttons.
RETRACTABLE_KINDS = frozenset({"text", "media", "file"})
# In the payload of a message too long for one Telegram message: the ids of its parts already
# sent, in order, but the last (that one is the row's telegram_message_id). The sender goes on
# from there after a retry; a retraction reaches every part.
SENT_PARTS = "sent_parts"
# In the payload of a message sent on MAX: its id there, a string ("mid.…") that the row's
# integer telegram_message_id cannot hold.
SENT_REF = "sent_ref"
# In a payload: this message is sent at most once (a broadcast's). The sender records
# IN_FLIGHT in its own commit right before the call and clears it when the call surely failed
# (a 429); a row claimed again with IN_FLIGHT set had its sender die during the call, and it
# is recorded as uncertain instead of being sent a second time.
AT_MOST_ONCE = "at_most_once"
IN_FLIGHT = "in_flight"


@dataclass(frozen=True)
class TextMessage:
    """One text message of a batch (see `Notifier.send_texts`)."""

    to: Recipient
    text: str
    buttons: Keyboard | None = None
    person_id: int | None = None
    dedupe_key: str | None = None
    subject: str | None = None


def _text_payload(text: str, buttons: Keyboard | None) -> dict[str, Any]:
    payload: dict[str, Any] = {"text": text}
    if buttons:
        # The shape of dataclasses.asdict(button), built directly: asdict deep-copies (slow in
        # a sweep of a thousand reminders).
        payload["buttons"] = [
            [{"text": b.text, "action": b.action, "args": dict(b.args), "url": b.url} for b in row]
            for row in buttons
        ]
    return payload


class Notifier(Protocol):
    async def send_text(
        self,
        to: Recipient,
        text: str,
        *,
        buttons: Keyboard | None = None,
        person_id: int | None = None,
        dedupe_key: str | None = None,
        not_before: datetime | None = None,
        subject: str | None = None,
    ) -> bool:
        """Queue a text message. With a dedupe key, asking twice sends once. True if queued.

        `subject` names what the message is about ("application:12"), for `retract`."""
        ...

    async def send_texts(self, messages: Sequence[TextMessage]) -> int:
        """Queue many text messages at once (a reminder sweep); a message whose dedupe key was
        queued before is skipped. Returns how many were asked for."""
        ...

    async def retract(
        self,
        subject: str,
        *,
        delete: bool,
        placeholder: str = "",
        keep: tuple[int, int] | None = None,
    ) -> int:
        """Take back what was sent about `subject`: its buttons (`delete=False`: a decision was
        taken) or the messages themselves (`delete=True`: the person's data was erased; where
        Telegram no longer allows deleting, the text or caption is replaced by `placeholder`).
        Messages not sent yet lose their buttons, or are not sent at all. Returns how many.

        `keep` (chat id, message id) is left alone: the message whose button took the decision,
        which the action itself redraws (with the buttons that fit the new state)."""
        ...

    async def send_media(
        self,
        to: Recipient,
        media_type: str,
        file_id: str,
        *,
        caption: str | None = None,
        person_id: int | None = None,
        dedupe_key: str | None = None,
        subject: str | None = None,
    ) -> bool:
        """Queue a photo, video, document, voice… already on Telegram's servers (by file_id)."""
        ...

    async def send_file(
        self,
        to: Recipient,
        filename: str,
        content: bytes,
        *,
        caption: str | None = None,
        person_id: int | None = None,
        dedupe_key: str | None = None,
        not_before: datetime | None = None,
        subject: str | None = None,
    ) -> bool:
        """Queue a small generated file (an .ics, an export); `not_before` as for a text."""
        ...

    async def refresh_menu(self, to: Recipient, roles: frozenset[Role]) -> None:
        """Queue an update of the person's command menu to match their roles."""
        ...

    async def edit_text(
        self,
        to: Address,
        message_ref: int | str,
        text: str,
        *,
        buttons: Keyboard | None = None,
        subject: str | None = None,
        dedupe_key: str | None = None,
    ) -> bool:
        """Queue replacing the text (and buttons) of a message sent earlier in chat `to`
        (a broadcast's progress); the text must fit one message."""
        ...

    async def send_invite_link(
        self,
        to: Recipient,
        group_chat_id: int,
        *,
        name: str,
        text: str,
        button: str,
        member_id: int,
        person_id: int | None = None,
        dedupe_key: str | None = None,
    ) -> bool:
        """Queue a personal invite link to a group: the sender creates it (join requests on)
        and sends `text` privately with a URL button labelled `button`."""
        ...

    async def remove_from_chat(
        self, group: Address | int, user_id: int, *, dedupe_key: str | None = None
    ) -> bool:
        """Queue removing a user (by their id on the group's messenger) from a group; on
        Telegram banned and at once unbanned: they may return through a new invitation."""
        ...

    async def add_to_chat(self, group: Address, user_id: int) -> bool:
        """Queue the bot adding a user (by their MAX user id) to a MAX group it administers:
        MAX has no join requests, an admin adds members directly."""
        ...


class OutboxNotifier:
    """Writes outbox rows in the caller's transaction: nothing is sent unless the action commits."""

    def __init__(self, outbox: OutboxRepo, clock: Clock) -> None:
        self.outbox = outbox
        self.clock = clock

    async def address(self, to: Recipient) -> Address | None:
        """Where a message to `to` goes: a person on the messenger they use now, else on their
        other account; None when every account of theirs blocked the bot."""
        if isinstance(to, Address):
            return to
        if isinstance(to, int):
            return Address.telegram(to)
        return (await self.outbox.addresses_of([to])).get(to.id)

    async def _queue(self, to: Recipient, kind: str, payload: dict[str, Any], now: datetime,
                     **options: Any) -> bool:  # fmt: skip
        """Queue one message for `to`; nothing for a person no messenger lets the bot reach."""
        address = await self.address(to)
        return address is not None and await self.outbox.add(address, kind, payload, now, **options)

    async def send_text(
        self,
        to: Recipient,
        text: str,
        *,
        buttons: Keyboard | None = None,
        person_id: int | None = None,
        dedupe_key: str | None = None,
        not_before: datetime | None = None,
        subject: str | None = None,
    ) -> bool:
        return await self._queue(
            to,
            "text",
            _text_payload(text, buttons),
            self.clock.now(),
            person_id=person_id,
            dedupe_key=dedupe_key,
            not_before=not_before,
            subject=subject,
        )

    async def send_texts(self, messages: Sequence[TextMessage]) -> int:
        # Every person of the batch resolved at once (a sweep of a thousand reminders).
        people = {m.to.id: m.to for m in messages if isinstance(m.to, Person)}
        addresses = await self.outbox.addresses_of(list(people.values()))
        return await self.outbox.add_many(
            [
                dict(
                    address=addresses[m.to.id] if isinstance(m.to, Person) else m.to,
                    kind="text",
                    payload=_text_payload(m.text, m.buttons),
                    person_id=m.person_id,
                    dedupe_key=m.dedupe_key,
                    subject=m.subject,
                )
                for m in messages
                # A person no messenger lets the bot reach is skipped.
                if not isinstance(m.to, Person) or m.to.id in addresses
            ],
            self.clock.now(),
        )

    async def send_media(
        self,
        to: Recipient,
        media_type: str,
        file_id: str,
        *,
        caption: str | None = None,
        person_id: int | None = None,
        dedupe_key: str | None = None,
        subject: str | None = None,
    ) -> bool:
        payload = {"media_type": media_type, "file_id": file_id, "caption": caption}
        return await self._queue(
            to,
            "media",
            payload,
            self.clock.now(),
            person_id=person_id,
            dedupe_key=dedupe_key,
            subject=subject,
        )

    async def send_file(
        self,
        to: Recipient,
        filename: str,
        content: bytes,
        *,
        caption: str | None = None,
        person_id: int | None = None,
        dedupe_key: str | None = None,
        not_before: datetime | None = None,
        subject: str | None = None,
    ) -> bool:
        payload = {"filename": filename, **file_content(content), "caption": caption}
        return await self._queue(
            to,
            "file",
            payload,
            self.clock.now(),
            person_id=person_id,
            dedupe_key=dedupe_key,
            not_before=not_before,
            subject=subject,
        )

    async def retract(
        self,
        subject: str,
        *,
        delete: bool,
        placeholder: str = "",
        keep: tuple[int, int] | None = None,
    ) -> int:
        retracted = 0
        for row in await self.outbox.about(subject):
            if row.kind not in RETRACTABLE_KINDS:
                continue
            if keep is not None and (row.chat_id, row.telegram_message_id) == keep:
                continue  # the message just pressed: its handler redraws it
            # The parts of a long message already out, in order (a pending row may be half
            # sent after a failed try); only the last part carries buttons.
            sent: list[int | str] = list(row.payload.get(SENT_PARTS) or [])
            last = sent_message_ref(row)
            if row.status == OutboxStatus.PENDING:
                retracted += await self.outbox.withdraw_pending(
                    row.id, drop_only_buttons=not delete
                )
                if not delete:
                    continue
            elif row.status == OutboxStatus.SENT and last is not None:
                if not delete and not row.payload.get("buttons"):
                    continue
                sent = [*sent, last] if delete else [last]
            else:
                continue
            retracted += await self.retract_messages(
                row, sent, delete=delete, placeholder=placeholder
            )
        return retracted

    async def retract_messages(
        self,
        row: OutgoingMessage,
        message_ids: Sequence[int | str],
        *,
        delete: bool,
        placeholder: str,
    ) -> int:
        """Queue taking back the messages (the parts, in order) that outbox `row` became."""
        action = "delete" if delete else "buttons"
        queued = 0
        for index, message_id in enumerate(message_ids):
            queued += await self.outbox.add(
                Address(row.messenger, row.chat_id),
                "retract",
                {
                    "message_id": message_id,
                    "delete": delete,
                    "placeholder": placeholder,
                    # The media (or file) goes first: its caption is replaced, not a text.
                    "caption": index == 0 and row.kind in ("media", "file"),
                },
                self.clock.now(),
                # A one-part message keeps the key it always had.
                dedupe_key=f"retract:{action}:{row.id}" + (f":{index}" if index else ""),
            )
        return queued

    async def edit_text(
        self,
        to: Address,
        message_ref: int | str,
        text: str,
        *,
        buttons: Keyboard | None = None,
        subject: str | None = None,
        dedupe_key: str | None = None,
    ) -> bool:
        payload = {**_text_payload(text, buttons), "message_id": message_ref}
        return await self.outbox.add(
            to, "edit", payload, self.clock.now(), dedupe_key=dedupe_key, subject=subject
        )

    async def refresh_menu(self, to: Recipient, roles: frozenset[Role]) -> None:
        await self._queue(
            to,
            "menu",
            {"roles": sorted(role.value for role in roles)},
            self.clock.now(),
        )

    async def send_invite_link(
        self,
        to: Recipient,
        group_chat_id: int,
        *,
        name: str,
        text: str,
        button: str,
        member_id: int,
        person_id: int | None = None,
        dedupe_key: str | None = None,
    ) -> bool:
        payload = {
            "group_chat_id": group_chat_id,
            "name": name[:32],
            "text": text,
            "button": button,
            "member_id": member_id,
        }
        return await self._queue(
            to,
            "invite_link",
            payload,
            self.clock.now(),
            person_id=person_id,
            dedupe_key=dedupe_key,
        )

    async def remove_from_chat(
        self, group: Address | int, user_id: int, *, dedupe_key: str | None = None
    ) -> bool:
        return await self.outbox.add(
            group,
            "chat_kick",
            {"user_id": user_id},
            self.clock.now(),
            dedupe_key=dedupe_key,
        )

    async def add_to_chat(self, group: Address, user_id: int) -> bool:
        return await self.outbox.add(group, "chat_add", {"user_id": user_id}, self.clock.now())


def sent_message_ref(row: OutgoingMessage) -> int | str | None:
    """The id of the message (its last part) a sent row became, on its messenger."""
    if row.telegram_message_id is not None:
        return row.telegram_message_id
    ref = row.payload.get(SENT_REF)
    return ref if isinstance(ref, int | str) else None

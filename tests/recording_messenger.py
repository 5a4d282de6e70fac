"""A second messenger adapter, for tests only, with no aiogram: it drives the dialogs (dialogs/)
the way the Telegram adapter does — commands, typed messages, presses of the buttons on the
screens it was shown — and records every screen. If a dialog works here, a new messenger's
adapter is only an adapter.

A press goes through the one codec both ways (the button's action encoded into a payload, the
payload decoded back), as a real messenger's button would. A turn is one unit of work, like one
update in the bot.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from dialogs.screen import Dialog, MemoryCursor, Profile, Screen, Turn
from services.actions import Action, build, decode, encode
from services.clock import Clock
from services.container import ServiceConfig, Services
from services.errors import DomainError
from services.i18n import Texts
from services.notify import Button
from services.questionnaire import Input
from storage.uow import UnitOfWorkFactory

OUTBOX_BATCH = 1000
OUTBOX_LEASE = timedelta(minutes=1)


@dataclass
class Shown:
    """One message in the recorded chat: the screen it shows now (a redraw replaces it)."""

    id: int
    screen: Screen


@dataclass
class RecordedChat:
    """A person's private chat with the bot: the messages, the alerts, the keys shown under the
    input field."""

    messages: list[Shown] = field(default_factory=list)
    notices: list[tuple[str | None, bool]] = field(default_factory=list)
    keys: list[list[str]] | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def last(self) -> Screen:
        return self.messages[-1].screen

    def by_id(self, message_id: int) -> Shown | None:
        return next((m for m in self.messages if m.id == message_id), None)

    def button(self, text: str) -> tuple[Shown, Button]:
        """The newest message carrying a button with this text, and the button."""
        for message in reversed(self.messages):
            for row in message.screen.rows:
                for button in row:
                    if button.text == text:
                        return message, button
        raise AssertionError(f"no button {text!r} on screen")


class TurnChat:
    """The `Chat` of one turn: new messages go to the end, a redraw replaces the pressed one."""

    def __init__(
        self,
        chat: RecordedChat,
        pressed: Shown | None,
        chat_id: int = 0,
        files: dict[str, bytes] | None = None,
    ) -> None:
        self.chat = chat
        self.pressed = pressed
        self.chat_id = chat_id
        self.files = files if files is not None else {}
        self.answered = False

    async def show(self, screen: Screen) -> None:
        self.chat.messages.append(Shown(next(self.chat._ids), screen))
        if screen.keys is not None:
            self.chat.keys = [[key.text for key in row] for row in screen.keys]
        elif screen.remove_keys:
            self.chat.keys = None

    async def redraw(self, screen: Screen) -> None:
        if self.pressed is None:
            await self.show(screen)
        else:
            self.pressed.screen = screen

    async def close_buttons(self) -> None:
        if self.pressed is not None:
            self.pressed.screen = Screen(self.pressed.screen.text)

    def pressed_message(self) -> tuple[int, int] | None:
        return (self.chat_id, self.pressed.id) if self.pressed is not None else None

    async def redraw_message(self, message_id: int, screen: Screen) -> None:
        shown = self.chat.by_id(message_id)
        if shown is not None:
            shown.screen = screen

    async def notice(self, text: str | None = None, *, alert: bool = False) -> None:
        if self.pressed is None:
            if text:
                await self.show(Screen(text))
        elif not self.answered:
            self.answered = True
            self.chat.notices.append((text, alert))

    async def group_link(self, payload: str) -> str | None:
        return f"https://messenger.test/add-bot?start={payload}"

    async def start_link(self, payload: str) -> str | None:
        return f"https://messenger.test/bot?start={payload}"

    async def download(self, file_id: str) -> bytes:
        return self.files[file_id]


class RecordingMessenger:
    """People talking to the dialogs: `command`, `type` and `press` are what a person does."""

    def __init__(
        self,
        dialogs: Sequence[Dialog],
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        config: ServiceConfig | None = None,
    ) -> None:
        self.dialogs = list(dialogs)
        self.uow_factory = uow_factory
        self.clock = clock
        self.texts = Texts()
        self.config = config or ServiceConfig()
        self.chats: dict[int, RecordedChat] = {}
        self.cursors: dict[int, MemoryCursor] = {}
        self.last_press: dict[int, tuple[Shown, str]] = {}
        # How the messenger names a person, when a test gives them a username.
        self.profiles: dict[int, Profile] = {}
        # The files people sent, by file id: what a dialog's `chat.download` gets.
        self.files: dict[str, bytes] = {}

    def chat(self, person: int) -> RecordedChat:
        return self.chats.setdefault(person, RecordedChat())

    async def command(self, person: int, name: str, args: str = "") -> None:
        for dialog in self.dialogs:
            if name in dialog.commands:
                handler = dialog.commands[name]
                await self._turn(person, None, lambda turn, handler=handler: handler(turn, args))
                return
        raise AssertionError(f"no dialog answers /{name}")

    async def type(self, person: int, text: str) -> None:
        """Type a message (or press a key under the input field, which types its text)."""
        await self._message(person, Input("command" if text.startswith("/") else "text", text=text))

    async def share_contact(self, person: int, phone: str) -> None:
        await self._message(person, Input("contact", text=phone, contact_is_own=True))

    async def send(self, person: int, given: Input) -> None:
        """Send any message: a photo, a file, a sticker… as the adapter would convert it."""
        await self._message(person, given)

    async def send_document(self, person: int, file_id: str, data: bytes) -> None:
        """Send a file as a document; the dialog downloads `data` by its id."""
        self.files[file_id] = data
        await self._message(
            person,
            Input("document", file_id=file_id, file_size=len(data), mime_type="application/yaml"),
        )

    async def press_forged(self, person: int, action: Action) -> None:
        """Press a button the bot never showed this person (a forged or replayed payload, or a
        button another feature's screen carries): a message with it is put in their chat."""
        shown = Shown(next(self.chat(person)._ids), Screen("", [[Button.doing("forged", action)]]))
        self.chat(person).messages.append(shown)
        await self._press(person, shown, encode(action))

    async def press(self, person: int, text: str) -> None:
        """Press the newest button with this text in the person's chat."""
        message, button = self.chat(person).button(text)
        assert button.action is not None
        await self._press(person, message, encode(build(button.action, button.args)))

    async def press_again(self, person: int) -> None:
        """The same press once more, as a double tap delivers it before the first is drawn."""
        message, payload = self.last_press[person]
        await self._press(person, message, payload)

    async def _press(self, person: int, message: Shown, payload: str) -> None:
        self.last_press[person] = (message, payload)
        action = decode(payload)
        for dialog in self.dialogs:
            if isinstance(action, dialog.action) and action.verb in dialog.actions:
                handler = dialog.actions[action.verb]
                await self._turn(
                    person, message, lambda turn, handler=handler: handler(turn, action)
                )
                return
        raise AssertionError(f"no dialog handles {payload}")

    async def _message(self, person: int, given: Input) -> None:
        state = self.cursors.setdefault(person, MemoryCursor()).state
        for dialog in self.dialogs:
            passes = given.kind == "command" and not dialog.commands_in_states
            if state in dialog.states and not passes:
                handler = dialog.states[state]
                await self._turn(person, None, lambda turn, handler=handler: handler(turn, given))
                return
        raise AssertionError(f"no dialog expects a message in state {state}")

    async def _turn(self, person: int, pressed: Shown | None, run: Any) -> None:
        profile = self.profiles.get(person, Profile(f"Person {person}", None))
        chat = TurnChat(self.chat(person), pressed, person, self.files)
        async with self.uow_factory() as uow:
            services = Services(uow, self.clock, self.texts, self.config)
            me = await services.people.identify(person, "ru")
            t = self.texts.for_language(me.language)
            cursor = self.cursors.setdefault(person, MemoryCursor())
            try:
                await run(Turn(me, services, t, chat, cursor, profile))
            except DomainError as refused:  # what the bot's error handler does with one
                await chat.notice(t(refused.key, **refused.args_for_text), alert=True)
        await chat.notice()

    async def deliver(self) -> int:
        """What the services queued in the outbox, delivered as the bot's sender would: a text
        (or a file, by its caption) becomes a message in its chat, recorded as sent under that
        message's id; a retraction takes its message's buttons off, or the message away."""
        async with self.uow_factory() as uow:
            rows = await uow.outbox.claim_due(self.clock.now(), OUTBOX_BATCH, OUTBOX_LEASE)
            for row in rows:
                message_id = self._deliver(self.chat(row.chat_id), row.kind, row.payload)
                await uow.outbox.mark_sent(row.id, message_id, self.clock.now())
            await uow.commit()
        return len(rows)

    @staticmethod
    def _deliver(chat: RecordedChat, kind: str, payload: dict[str, Any]) -> int | None:
        if kind in ("text", "media", "file"):
            text = payload.get("text") or payload.get("caption") or f"[{kind}]"
            buttons = [[Button(**button) for button in row] for row in payload.get("buttons", [])]
            chat.messages.append(Shown(next(chat._ids), Screen(text, buttons)))
            return chat.messages[-1].id
        if kind == "edit":  # a broadcast's progress message brought up to date
            shown = chat.by_id(int(payload["message_id"]))
            if shown is not None:
                rows = payload.get("buttons", [])
                shown.screen = Screen(payload["text"], [[Button(**b) for b in row] for row in rows])
            return None
        if kind == "retract":
            shown = chat.by_id(int(payload["message_id"]))
            if shown is not None and payload["delete"]:
                chat.messages.remove(shown)
            elif shown is not None:
                shown.screen = Screen(shown.screen.text)
        return None  # menus, invitation links, group chat kicks: nothing in a chat to record

"""What a conversation shows and what it is given, in no messenger's terms.

A feature's dialog (dialogs/<feature>.py) answers a person's command, message or button press
by drawing `Screen`s on a `Chat`; one adapter per messenger turns its updates into calls of the
dialog and its screens into that messenger's send and edit calls (handlers/telegram.py for
Telegram, max_adapter/ for MAX, tests/recording_messenger.py for the tests' messenger with no
messenger library at all).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from services.actions import Action
from services.container import Services
from services.i18n import Translator
from services.notify import Button, Keyboard
from services.people import Identity
from services.questionnaire import Input

__all__ = ["Button", "Keyboard"]


@dataclass(frozen=True)
class Key:
    """A button of the keyboard under the input field: pressing it types its text (or, with
    `share_contact`, shares the person's own phone number)."""

    text: str
    share_contact: bool = False


@dataclass(frozen=True)
class Screen:
    """One thing the person sees: a text already rendered from Fluent and the buttons under it,
    each carrying a typed action. `keys` replaces the keyboard under the input field;
    `remove_keys` takes it away. A text too long for one message is split by the adapter, the
    buttons going with the last part."""

    text: str
    buttons: Keyboard = field(default_factory=list)
    keys: list[list[Key]] | None = None
    remove_keys: bool = False

    @property
    def rows(self) -> Keyboard:
        """The rows of buttons that have any (a screen may build an empty row of optional
        buttons); none at all means no buttons."""
        return [row for row in self.buttons if row]


def rows_of(buttons: list[Button], width: int) -> Keyboard:
    """Buttons laid out `width` to a row."""
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


def doing(text: str, action: Action) -> Button:
    """A button that performs `action` when pressed."""
    return Button.doing(text, action)


class Named(Protocol):
    """A record a person picks by its name (a team, say): all a screen needs of it, so dialogs
    do not depend on how storage keeps it."""

    @property
    def id(self) -> int: ...

    @property
    def name(self) -> str: ...


class Chat(Protocol):
    """Where a turn's screens go: the chat the person wrote in or pressed a button in."""

    async def show(self, screen: Screen) -> None:
        """A new message (several, in order, when the text is too long for one)."""

    async def redraw(self, screen: Screen) -> None:
        """The pressed message replaced by `screen`; after a typed message, a new message."""

    async def close_buttons(self) -> None:
        """The pressed message keeps its text and loses its buttons (a decision was made)."""

    async def notice(self, text: str | None = None, *, alert: bool = False) -> None:
        """The short answer to a press (a toast, or with `alert` a box to dismiss); after a typed
        message, `text` comes as a message. A press answered by nothing else gets an empty one."""

    async def group_link(self, payload: str) -> str | None:
        """A link that adds the bot to a group chat the person picks and hands it `payload`
        there (how a team's chat is bound); None where the messenger has no such link."""

    async def start_link(self, payload: str) -> str | None:
        """A link that opens the bot's private chat with `/start payload` (a parent's consent
        link); None where the messenger has none: `/start payload` is typed there."""

    async def download(self, file_id: str) -> bytes:
        """The bytes of a file the person sent in this turn's message (its `Input.file_id`);
        the caller checks the size the message announced first."""

    def pressed_message(self) -> tuple[int, int] | None:
        """Where the pressed message is (chat id, message id), as the outbox records what it
        sent; None after a typed message."""

    async def redraw_message(self, message_id: int, screen: Screen) -> None:
        """A message of this chat shown before (its id from `pressed_message`) replaced by
        `screen`, whose text fits one message; one gone or too old to edit stays as it is."""


class Cursor(Protocol):
    """Where the person stands in a conversation: a state name and a little data, kept by the
    messenger adapter per chat (aiogram's FSMContext fits as it is)."""

    async def get_state(self) -> str | None: ...

    async def set_state(self, state: str | None = None) -> None: ...

    async def get_data(self) -> dict[str, Any]: ...

    async def set_data(self, data: Mapping[str, Any]) -> None: ...

    async def clear(self) -> None: ...


@dataclass
class MemoryCursor:
    """A cursor kept in memory: what an adapter without a store (or a test) gives a person."""

    state: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    async def get_state(self) -> str | None:
        return self.state

    async def set_state(self, state: str | None = None) -> None:
        self.state = state

    async def get_data(self) -> dict[str, Any]:
        return dict(self.data)

    async def set_data(self, data: Mapping[str, Any]) -> None:
        self.data = dict(data)

    async def clear(self) -> None:
        self.state, self.data = None, {}


@dataclass(frozen=True)
class Profile:
    """How the messenger names the person (their own profile, not what they told the bot)."""

    full_name: str
    username: str | None = None


@dataclass
class Turn:
    """One action of one person: who, the services of this action's one transaction, their
    language, the chat to draw on and their cursor; `profile` when the messenger gives one."""

    me: Identity
    services: Services
    t: Translator
    chat: Chat
    cursor: Cursor
    profile: Profile | None = None


# A command gets what follows it ("" for none): `/start inv-…` gives "inv-…".
CommandHandler = Callable[[Turn, str], Awaitable[None]]
MessageHandler = Callable[[Turn, Input], Awaitable[None]]
ActionHandler = Callable[[Turn, Any], Awaitable[None]]


@dataclass(frozen=True)
class Dialog:
    """A feature's conversation, declared once for every messenger: its commands, what a typed
    message means in each of its states, and one handler per action verb. `private_only`: its
    commands and messages are answered in a private chat only (presses anywhere). A command
    typed in one of its states goes to whoever owns that command, unless `commands_in_states`
    (then the state's handler gets it as an `Input` of kind "command")."""

    name: str
    action: type[Action]
    private_only: bool = True
    commands_in_states: bool = False
    commands: Mapping[str, CommandHandler] = field(default_factory=dict)
    states: Mapping[str, MessageHandler] = field(default_factory=dict)
    actions: Mapping[Any, ActionHandler] = field(default_factory=dict)

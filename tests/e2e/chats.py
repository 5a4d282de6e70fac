"""A person in a private chat with the bot, on either messenger's emulator, so one scenario's
code drives Telegram and MAX alike: `say` a text, `press` a button by the beginning of its
text, and wait for the bot's answer containing some words.

`TelegramChat` reads the Bot API emulator (tests/e2e/botapi_emulator.py), `MaxChat` the MAX
one (tests/e2e/max_emulator.py); `Applicant` is the scenario's side of a teenager applying,
written once over either.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

from tests.applicants import ABOUT, EXPERIENCE, WHY
from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.max_emulator import MaxApiEmulator
from tests.parents import PARENT_ID_OFFSET


class PersonChat(Protocol):
    """What a scenario does and sees in one person's private chat with the bot."""

    user_id: int

    def texts(self) -> list[str]: ...

    def send_text(self, text: str) -> None: ...

    def press_button(self, prefix: str) -> None:
        """Press the newest button whose text starts with `prefix` (AssertionError: none)."""

    async def wait_for_text(self, contains: str | None, since: int) -> str:
        """The first new message (after `since` messages) containing `contains`."""

    async def wait_for_any(self, contains: str) -> str:
        """A message, new or redrawn in place, containing `contains`."""

    def share_contact(self, phone: str) -> None:
        """Share the person's own phone by the contact key."""

    def other(self, user_id: int, first_name: str) -> PersonChat:
        """Another person's chat with the bot, on the same messenger."""


class TelegramChat:
    def __init__(self, emulator: BotApiEmulator, user_id: int, first_name: str = "Петя") -> None:
        self.emulator, self.user_id = emulator, user_id
        emulator.user(user_id, first_name=first_name)

    def texts(self) -> list[str]:
        return [m.get("text") or m.get("caption") or "" for m in self._messages()]

    def _messages(self) -> list[dict[str, Any]]:
        return self.emulator.messages_to(self.user_id)

    def send_text(self, text: str) -> None:
        self.emulator.send_text(self.user_id, text)

    def share_contact(self, phone: str) -> None:
        self.emulator.send_message(
            self.user_id, contact={"phone_number": phone, "user_id": self.user_id}
        )

    def other(self, user_id: int, first_name: str) -> TelegramChat:
        return TelegramChat(self.emulator, user_id, first_name)

    def press_button(self, prefix: str) -> None:
        for message in reversed(self._messages()):
            markup = message.get("reply_markup") or {}
            for row in markup.get("inline_keyboard", []):
                for button in row:
                    if button["text"].startswith(prefix):
                        self.emulator.press_button(
                            self.user_id, message["message_id"], button["callback_data"]
                        )
                        return
        raise AssertionError(f"no button {prefix!r} in chat {self.user_id}")

    async def wait_for_text(self, contains: str | None, since: int) -> str:
        message = await self.emulator.wait_for_message(self.user_id, contains=contains, since=since)
        return str(message.get("text") or message.get("caption") or "")

    async def wait_for_any(self, contains: str) -> str:
        found = await self.emulator.wait_for(lambda: [t for t in self.texts() if contains in t])
        return str(found[-1])


class MaxChat:
    def __init__(self, emulator: MaxApiEmulator, user_id: int, first_name: str = "Петя") -> None:
        self.emulator, self.user_id = emulator, user_id
        emulator.user(user_id, first_name)

    def texts(self) -> list[str]:
        return self.emulator.texts_to(self.user_id)

    def send_text(self, text: str) -> None:
        self.emulator.send_text(self.user_id, text)

    def share_contact(self, phone: str) -> None:
        self.emulator.share_contact(self.user_id, phone)

    def other(self, user_id: int, first_name: str) -> MaxChat:
        return MaxChat(self.emulator, user_id, first_name)

    def press_button(self, prefix: str) -> None:
        for message in reversed(self.emulator.messages_to(self.user_id)):
            for row in self.emulator.keyboard(message["body"]["mid"]) or []:
                for button in row:
                    if button.get("type") == "callback" and button["text"].startswith(prefix):
                        self.emulator.press(self.user_id, button["payload"], message["body"]["mid"])
                        return
        raise AssertionError(f"no button {prefix!r} in the dialog with {self.user_id}")

    async def wait_for_text(self, contains: str | None, since: int) -> str:
        def found() -> str | None:
            for text in self.texts()[since:]:
                if contains is None or contains in text:
                    return text
            return None

        return str(await self.emulator.wait_for(found, timeout=10.0))

    async def wait_for_any(self, contains: str) -> str:
        found = await self.emulator.wait_for(lambda: [t for t in self.texts() if contains in t])
        return str(found[-1])


class Applicant:
    """A teenager applying, in words and taps, on whichever messenger `chat` is."""

    def __init__(self, chat: PersonChat) -> None:
        self.chat = chat

    async def say(self, text: str, expect: str | None = None) -> str:
        since = len(self.chat.texts())
        self.chat.send_text(text)
        return await self.chat.wait_for_text(expect, since)

    async def press(self, prefix: str, expect: str | None = None) -> str:
        since = len(self.chat.texts())
        self.chat.press_button(prefix)
        return await self.chat.wait_for_text(expect, since)

    async def press_in_place(self, prefix: str, expect: str) -> str:
        """A button that redraws its own message (the idea list)."""
        self.chat.press_button(prefix)
        return await self.chat.wait_for_any(expect)

    async def share_contact(self, phone: str, expect: str) -> str:
        since = len(self.chat.texts())
        self.chat.share_contact(phone)
        return await self.chat.wait_for_text(expect, since)

    async def parent_confirms(
        self, name: str = "Петрова Ольга Ивановна", phone: str = "+79131112233"
    ) -> None:
        """On the parent's step: the child asks for the link; the parent, from their own
        account on the same messenger, opens it, shares their phone, names themselves, picks
        the relation and confirms."""
        shown = await self.press("🔗 Ссылка для родителя", "Ждём согласия родителя")
        found = re.search(r"pc_[\w-]+", shown)
        assert found is not None, shown
        parent = Applicant(self.chat.other(self.chat.user_id + PARENT_ID_OFFSET, "Ольга"))
        await parent.say(f"/start {found.group(0)}", "поделитесь своим номером")
        await parent.share_contact(phone, "Введите ваши фамилию")
        await parent.say(name, "Кем вы приходитесь")
        await parent.press_in_place("мать", "Проверьте и подтвердите")
        await parent.press("Даю согласие", "Согласие записано")

    async def through_parents_consent(self) -> None:
        """Under 14: role, age group, then the parent's step (3 of 19), which the parent passes
        from their own account."""
        await self.say("/start", "Кадры будущего для регионов")
        await self.press("📝 Подать заявку", "Шаг 1 из 20")
        await self.press("обучающийся", "Шаг 2 из 20")
        await self.press("младше 14", "Шаг 3 из 19")
        await self.parent_confirms()
        await self.press("✅ Родитель подтвердил", "Шаг 4 из 19")

    async def fill_and_submit(self, born: str) -> str:
        """Every step after the consents, the review and Submit; the bot's last answer."""
        await self.say(born, "Шаг 5 из 19")
        await self.say("Петров Пётр Петрович", "Шаг 6 из 19")
        await self.say("Том", "Выберите ваш муниципалитет из найденного")
        await self.press("Томск", "Шаг 7 из 19")
        await self.press("школа", "Шаг 8 из 19")
        await self.say("МАОУ СОШ № 32 г. Томска", "Шаг 9 из 19")
        await self.say("7", "Шаг 10 из 19")
        await self.say("+7 913 555-44-33", "Шаг 11 из 19")
        await self.press("Пропустить", "Шаг 12 из 19")
        await self.press("Пропустить", "Шаг 13 из 19")
        await self.press("Пропустить", "Шаг 14 из 19")
        await self.say(ABOUT, "Шаг 15 из 19")
        await self.say(ABOUT + " Ещё я веду блог о науке.", "Шаг 16 из 19")
        await self.say(WHY, "Шаг 17 из 19")
        await self.say(EXPERIENCE, "Шаг 18 из 19")
        await self.press("4", "Шаг 19 из 19")
        await self.press_in_place("▫️ Мониторинг торфяных", "✅ 1 Мониторинг торфяных")
        await self.press_in_place("▫️ Двор, в котором", "✅ 2 Двор, в котором")
        await self.press("Готово", "Проверьте заявку перед отправкой")
        return await self.press("📨 Отправить заявку", "Заявка отправлена!")

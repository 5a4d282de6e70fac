"""A MAX message as a dialog sees it: a command, a text, a shared contact or a file.

MAX gives no MIME type with a file, so it is guessed from the file's name (the questionnaire
checks a document's type against the same list as on Telegram). A MAX "audio" is a voice
message (there is no separate voice kind)."""

from __future__ import annotations

import mimetypes
import re
from typing import Any

from maxapi.types import Message

from services.questionnaire import Input

# A vCard's phone line: "TEL;TYPE=cell:+79130001122" or "TEL:+7 913 000-11-22".
_VCARD_PHONE = re.compile(r"^TEL[^:]*:(.+)$", re.MULTILINE | re.IGNORECASE)


def is_command(text: str) -> bool:
    return text.startswith("/") and len(text) > 1 and not text[1].isspace()


def command_of(text: str) -> tuple[str, str]:
    """("start", "inv-…") for "/start inv-…"; a "/name@bot" form loses its "@bot". The name
    ends at any whitespace: "/event_new" with a YAML on the next lines gives that YAML."""
    head, *rest = re.split(r"\s", text[1:], maxsplit=1)
    return head.split("@", 1)[0].lower(), rest[0].strip() if rest else ""


def to_input(message: Message) -> Input:
    body = message.body
    attachments = list(body.attachments or []) if body is not None else []
    caption = body.text if body is not None and body.text else None
    for attachment in attachments:
        given = _attachment_input(attachment, message, caption)
        if given is not None:
            return given
    if caption is not None:
        return Input("command" if is_command(caption) else "text", text=caption)
    return Input("other")


def _attachment_input(attachment: Any, message: Message, caption: str | None) -> Input | None:
    kind = str(getattr(attachment, "type", ""))
    payload = getattr(attachment, "payload", None)
    if kind == "contact":
        return _contact_input(payload, message)
    if kind == "sticker":
        return Input("sticker")
    if kind == "image":
        token = getattr(payload, "token", None) or getattr(payload, "url", None)
        return Input("photo", file_id=token, file_unique_id=token, mime_type="image/jpeg",
                     caption=caption)  # fmt: skip
    if kind in ("video", "audio", "file"):
        token = getattr(attachment, "token", None) or getattr(payload, "token", None)
        name = getattr(attachment, "filename", None)
        return Input(
            {"video": "video", "audio": "voice", "file": "document"}[kind],
            file_id=token or getattr(payload, "url", None),
            file_unique_id=token,
            file_size=getattr(attachment, "size", None),
            mime_type=mimetypes.guess_type(name)[0] if name else None,
            duration=getattr(attachment, "duration", None),
            caption=caption,
        )
    return None


def _contact_input(payload: Any, message: Message) -> Input:
    vcard = getattr(payload, "vcf_info", None) or ""
    found = _VCARD_PHONE.search(vcard)
    phone = found.group(1).strip() if found else None
    owner = getattr(payload, "max_info", None)
    sender = message.sender
    own = owner is not None and sender is not None and owner.user_id == sender.user_id
    return Input("contact", text=phone, contact_is_own=own)

"""A MAX message as the questionnaire reads it (max_adapter/inputs.py), in the shapes MAX (and
the emulator, tests/e2e/max_emulator.py) sends."""

from __future__ import annotations

from typing import Any

from maxapi.types import Message

from max_adapter.inputs import command_of, is_command, to_input

USER = {"user_id": 4242, "first_name": "Анна", "is_bot": False}
DIALOG = {"chat_id": 700000001, "chat_type": "dialog", "user_id": 9000001}


def message(text: str | None = None, *attachments: dict[str, Any]) -> Message:
    body = {"mid": "mid.1", "seq": 1, "text": text, "attachments": list(attachments)}
    return Message.model_validate(
        {"sender": USER, "recipient": DIALOG, "timestamp": 1, "body": body}
    )


def test_text_and_commands() -> None:
    assert to_input(message("привет")).kind == "text"
    assert to_input(message("/start inv-1")).kind == "command"
    assert command_of("/start inv-1") == ("start", "inv-1")
    assert command_of("/Apply@kadry_bot") == ("apply", "")
    assert command_of("/event_new\ntitle: Школа\nagenda:\n  - at: 1") == (
        "event_new",
        "title: Школа\nagenda:\n  - at: 1",
    )
    assert not is_command("/ ") and not is_command("/")


def contact(vcard: str, owner: dict[str, Any]) -> dict[str, Any]:
    return {"type": "contact", "payload": {"vcf_info": vcard, "max_info": owner}}


def test_a_shared_contact_is_own_only_when_it_is_the_sender() -> None:
    vcard = "BEGIN:VCARD\r\nVERSION:3.0\r\nTEL;TYPE=cell:+79135554433\r\nEND:VCARD"
    own = to_input(message(None, contact(vcard, USER)))
    assert (own.kind, own.text, own.contact_is_own) == ("contact", "+79135554433", True)
    theirs = to_input(message(None, contact(vcard, {**USER, "user_id": 1})))
    assert theirs.kind == "contact" and not theirs.contact_is_own


def test_files_carry_their_token_size_type_and_caption() -> None:
    url = "https://files.example/x"
    file = {"type": "file", "payload": {"url": url, "token": "tok-1"}, "filename": "essay.pdf"}
    document = to_input(message("моё эссе", {**file, "size": 1234}))
    assert (document.kind, document.file_id, document.file_size) == ("document", "tok-1", 1234)
    assert (document.mime_type, document.caption) == ("application/pdf", "моё эссе")
    photo = to_input(
        message(None, {"type": "image", "payload": {"photo_id": 1, "token": "p", "url": url}})
    )
    assert (photo.kind, photo.file_id, photo.mime_type) == ("photo", "p", "image/jpeg")
    video = to_input(message(None, {"type": "video", "payload": {"url": url, "token": "v"}}))
    assert (video.kind, video.file_id) == ("video", "v")
    voice = to_input(message(None, {"type": "audio", "payload": {"url": url, "token": "a"}}))
    assert (voice.kind, voice.file_id) == ("voice", "a")
    assert to_input(message(None)).kind == "other"

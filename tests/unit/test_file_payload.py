"""A generated file in an outbox row's JSON payload: text stays readable (a queued .ics, and the
rows queued before binary files existed), anything else goes as base64 and comes back intact."""

from __future__ import annotations

import json

from services.file_payload import FILE_BASE64, FILE_TEXT, file_bytes, file_content


def test_text_stays_text_and_reads_back() -> None:
    ics = "BEGIN:VCALENDAR\r\nSUMMARY:Встреча\r\nEND:VCALENDAR\r\n".encode()
    payload = file_content(ics)
    assert payload == {FILE_TEXT: ics.decode()}
    assert file_bytes(json.loads(json.dumps(payload))) == ics


def test_binary_and_nul_go_as_base64_and_read_back_intact() -> None:
    for content in (b"%PDF-1.3\n\xe2\xe3\xcf\xd3\xff\x00", b"text with a NUL \x00 inside"):
        payload = file_content(content)
        assert set(payload) == {FILE_BASE64}
        assert file_bytes(json.loads(json.dumps(payload))) == content

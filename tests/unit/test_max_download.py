"""A dialog on MAX gets the bytes of a file the person sent (max_adapter/chat.py): the
attachment's URL, found by the `file_id` max_adapter/inputs.py gave it, is fetched over HTTP; a
file id not in the turn's message is refused."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web

from max_adapter.chat import MaxChat
from max_adapter.inputs import to_input
from tests.unit.test_max_inputs import message

CONTENT = b"season:\n  code: tomsk-2026\n"


async def _serve(request: web.Request) -> web.Response:
    return web.Response(body=CONTENT)


async def test_a_document_is_downloaded_from_its_url(unused_tcp_port: int) -> None:
    app = web.Application()
    app.router.add_get("/files/season.yaml", _serve)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", unused_tcp_port)
    await site.start()
    try:
        url = f"http://127.0.0.1:{unused_tcp_port}/files/season.yaml"
        file: dict[str, Any] = {"type": "file", "payload": {"url": url, "token": "tok-9"},
                                "filename": "season.yaml", "size": len(CONTENT)}  # fmt: skip
        sent = message(None, file)
        given = to_input(sent)
        assert given.kind == "document" and given.file_id == "tok-9"
        chat = MaxChat(bot=None, chat_id=1, message=sent)  # type: ignore[arg-type]
        assert await chat.download(given.file_id) == CONTENT
        with pytest.raises(LookupError):
            await chat.download("another")
    finally:
        await runner.cleanup()

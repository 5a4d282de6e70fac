"""A small round-robin reverse proxy, standing for the nginx in front of several
`python -m bot webhook` processes (used by tests/e2e/test_multiprocess.py and
benchmarks/webhook_scale.py).

Each request goes to the next backend in turn. As nginx's `proxy_next_upstream error http_503`
would, a backend that refuses the connection (stopped) or answers 503 (shutting down: the
update was not taken) is skipped and the request tried on the next one; when none takes it the
caller gets 502 and Telegram delivers the update again later."""

from __future__ import annotations

import itertools
import socket
from collections import Counter

from aiohttp import ClientError, ClientSession, ClientTimeout, TCPConnector, web

HOP_HEADERS = {"host", "content-length", "transfer-encoding", "connection", "keep-alive"}


class RoundRobinProxy:
    def __init__(self, backends: list[str], timeout: float = 30.0) -> None:
        """`backends`: base URLs (http://127.0.0.1:PORT); the request's path is kept."""
        self.backends = list(backends)
        self.timeout = timeout
        self.port = 0
        self.forwarded: Counter[str] = Counter()  # answered (2xx-4xx) by backend
        self.skipped: Counter[str] = Counter()  # refused or 503, tried on the next
        self._turn = itertools.count()
        self._runner: web.AppRunner | None = None
        self._client: ClientSession | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_route("*", "/{path:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(self._runner, sock).start()
        self.port = sock.getsockname()[1]
        self._client = ClientSession(
            connector=TCPConnector(limit=200), timeout=ClientTimeout(total=self.timeout)
        )

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._client is not None:
            await self._client.close()

    async def __aenter__(self) -> RoundRobinProxy:
        await self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.stop()

    async def _forward(self, request: web.Request) -> web.StreamResponse:
        assert self._client is not None
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS}
        backends = list(self.backends)
        if not backends:
            return web.Response(status=502, text="no backend")
        first = next(self._turn)
        for step in range(len(backends)):
            backend = backends[(first + step) % len(backends)]
            try:
                async with self._client.request(
                    request.method, backend + request.path_qs, data=body, headers=headers
                ) as answer:
                    payload = await answer.read()
                    if answer.status == 503:
                        self.skipped[backend] += 1
                        continue
                    self.forwarded[backend] += 1
                    kept = {k: v for k, v in answer.headers.items() if k.lower() not in HOP_HEADERS}
                    return web.Response(status=answer.status, body=payload, headers=kept)
            except (TimeoutError, ClientError, OSError):
                # Refused or cut off before an answer: a stopped backend. (Cut off after
                # taking the update is possible too; the bot's update dedupe covers it.)
                self.skipped[backend] += 1
                continue
        return web.Response(status=502, text="no backend took the request")

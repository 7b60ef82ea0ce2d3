"""A partner's webhook receiver, for the tests and the bench: a real HTTP server on
127.0.0.1 (uvicorn, its own thread and event loop) that verifies each request with the
`standardwebhooks` package, reads its body with the official `cloudevents` SDK, and answers
as a test scripts it."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import uvicorn
from cloudevents.core.bindings import http
from cloudevents.core.v1.event import CloudEvent
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

# (webhook-id, how many times this id came before) -> (status, headers)
Script = Callable[[str, int], tuple[int, dict[str, str]]]


def accept(webhook_id: str, earlier: int) -> tuple[int, dict[str, str]]:
    return 204, {}


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes
    status: int  # what the receiver answered
    verified_with: frozenset[str]  # the secrets (of those it knows) whose signature matched
    at: float  # time.monotonic()

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]

    def cloud_event(self) -> CloudEvent:
        """Read as a partner would: structured mode, through the SDK."""
        event = http.from_structured_event(http.HTTPMessage(self.headers, self.body))
        assert isinstance(event, CloudEvent)
        return event


@dataclass
class Receiver:
    secrets: list[str] = field(default_factory=list)  # the `whsec_...` secrets it verifies with
    script: Script = accept
    received: list[Received] = field(default_factory=list)
    url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def _handle(self, request: Request) -> Response:
        body = await request.body()
        headers = dict(request.headers)
        verified = frozenset(s for s in list(self.secrets) if _verifies(s, body, headers))
        with self._lock:
            earlier = sum(1 for r in self.received if r.webhook_id == headers.get("webhook-id"))
            status, answer_headers = self.script(headers.get("webhook-id", ""), earlier)
            self.received.append(Received(headers, body, status, verified, at=time.monotonic()))
        return Response(status_code=status, headers=answer_headers)

    def successes(self) -> Counter[str]:
        return Counter(r.webhook_id for r in self.received if 200 <= r.status < 300)

    def of(self, webhook_id: str) -> list[Received]:
        return [r for r in self.received if r.webhook_id == webhook_id]


def _verifies(secret: str, body: bytes, headers: dict[str, str]) -> bool:
    try:
        Webhook(secret).verify(body, headers)
    except WebhookVerificationError:
        return False
    return True


@contextlib.contextmanager
def running(receiver: Receiver) -> Iterator[Receiver]:
    """Serve `receiver` on 127.0.0.1 (a free port) until the block ends."""
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    app = Starlette(routes=[Route("/{path:path}", receiver._handle, methods=["POST"])])
    config = uvicorn.Config(app, log_level="warning", access_log=False, backlog=4096)
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=lambda: asyncio.run(server.serve(sockets=[listening])), daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise AssertionError("the receiver did not start")
        time.sleep(0.01)
    receiver.url = f"http://127.0.0.1:{port}/hooks"
    try:
        yield receiver
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listening.close()

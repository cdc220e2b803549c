"""A hospital's system as the tests play it: a real HTTP server on loopback that verifies
each delivery's signature with the Standard Webhooks library, as an integrator would, and
keeps what it accepted. Its answers can be scripted: a status, or a delay."""

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from shared.testing import free_port


@dataclass
class Received:
    webhook_id: str
    body: dict[str, Any]


@dataclass
class Receiver:
    port: int
    secret: str = ""
    # Scripted answers, used up one per request; then `status`.
    script: list[int] = field(default_factory=list)
    status: int = 200
    delay: float = 0.0
    accepted: list[Received] = field(default_factory=list)
    refused_signatures: int = 0
    requests: int = 0
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    @property
    def ids(self) -> list[str]:
        return [r.webhook_id for r in self.accepted]

    async def handle(self, request: Request) -> Response:
        self.requests += 1
        body = await request.body()
        try:
            Webhook(self.secret).verify(body, dict(request.headers))
        except WebhookVerificationError:
            self.refused_signatures += 1
            return Response(status_code=400)
        if self.delay:
            await asyncio.sleep(self.delay)
        status = self.script.pop(0) if self.script else self.status
        if 200 <= status < 300:
            self.accepted.append(Received(request.headers["webhook-id"], json.loads(body)))
            self.arrived.set()
        return Response(status_code=status)

    async def wait_for(self, count: int, timeout: float = 20.0) -> list[Received]:
        """The first `count` accepted deliveries, waiting for them up to `timeout`."""
        async with asyncio.timeout(timeout):
            while len(self.accepted) < count:
                self.arrived.clear()
                await self.arrived.wait()
        return self.accepted[:count]


@asynccontextmanager
async def receiving() -> AsyncIterator[Receiver]:
    receiver = Receiver(free_port())
    app = Starlette(routes=[Route("/hook", receiver.handle, methods=["POST"])])
    config = uvicorn.Config(app, host="127.0.0.1", port=receiver.port, log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
        await asyncio.sleep(0.01)
    try:
        yield receiver
    finally:
        server.should_exit = True
        await task

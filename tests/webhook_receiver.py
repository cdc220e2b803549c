"""A hospital's system as the tests play it: a real HTTP server on loopback that verifies
each delivery's signature with the Standard Webhooks library, as an integrator would, and
keeps what it accepted. Its answers can be scripted: a status, or a delay. With it, what
the webhook tests of every service share: subscribing, and the worker run in-process."""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from shared.db import get_transactions
from shared.testing import free_port
from shared.webhooks.sending import RetryPolicy
from shared.webhooks.source import EventSource
from shared.webhooks.tables import WebhookTables
from shared.webhooks.worker import DeliveryWorker, WorkerSettings


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


SUBSCRIPTIONS = "/api/v1/webhooks/subscriptions"


async def subscribe(
    client: httpx.AsyncClient, headers: dict[str, str], receiver: Receiver, types: list[str]
) -> dict[str, Any]:
    """Subscribe `receiver` to `types` through the API, and give it the secret to verify."""
    answer = await client.post(
        SUBSCRIPTIONS,
        json={"url": receiver.url, "event_types": types},
        headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    receiver.secret = created["secret"]
    return created


@contextmanager
def allow_loopback(app: FastAPI) -> Iterator[None]:
    """The receivers listen on 127.0.0.1, which the API refuses unless configured."""
    settings = app.state.settings
    settings.webhook_allow_private_targets = True
    try:
        yield
    finally:
        settings.webhook_allow_private_targets = False


def delivery_worker(
    app: FastAPI,
    tables: WebhookTables,
    source: EventSource,
    http: httpx.AsyncClient,
    *,
    timeout: float = 2.0,
    allow_private: bool = True,
    **retry: float,
) -> DeliveryWorker:
    """The worker's own code, with quick retries, on the test's transaction
    (shared.testing.use_session), where the test's requests wrote."""
    settings = WorkerSettings(
        timeout=timeout,
        poll=0.05,
        concurrency=8,
        allow_private=allow_private,
        retry=RetryPolicy(**{"first": 0.05, "max_delay": 0.1, "retry_for": 30.0, **retry}),
    )
    transactions = app.dependency_overrides[get_transactions]()
    return DeliveryWorker(transactions, tables, source, settings, http)


async def run_until(
    worker: DeliveryWorker, done: Callable[[], Awaitable[bool]], rounds: int = 100
) -> None:
    """Rounds of the worker until `done()` holds."""
    for _ in range(rounds):
        await worker.run_once()
        if await done():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the worker never got there")

"""Stop a request's work when its client goes away before the answer.

Left alone, a request whose client has hung up runs to its end: a heavy query keeps a
database core busy for nobody. This middleware owns the connection's receive channel: once
a request has run a little while, a listener takes over the channel, hands the rest of the
body to the app as usual, and waits for `http.disconnect`. If that comes before the
response is complete it cancels the request's task: asyncpg sends PostgreSQL a cancel for
the statement in flight, and the request's transaction rolls back.

Most requests are answered in a few milliseconds, and a task per request to listen costs
more than a primary-key read (bench/README.md), so the listener starts only for requests
still running after `LISTEN_AFTER_SECONDS`. Until then the app reads the channel itself.
"""

import asyncio
from collections import deque

from starlette.types import ASGIApp, Message, Receive, Scope, Send

DISCONNECT: Message = {"type": "http.disconnect"}
LISTEN_AFTER_SECONDS = 0.05


class _Request:
    """One request's receive channel, as the app sees it, and whether it may be cancelled."""

    def __init__(self, task: asyncio.Task[object], receive: Receive) -> None:
        self.task = task
        self.channel = receive
        self.body: deque[Message] = deque()
        self.arrived = asyncio.Event()  # a body part, or the disconnect
        self.gone = False
        self.settled = False  # answered, or the app is done: nothing left to stop
        self.cancelled = False
        self.reading = False  # the app is waiting on the channel itself
        self.listening: asyncio.Future[None] | None = None
        self.timer = asyncio.get_running_loop().call_later(LISTEN_AFTER_SECONDS, self.listen)

    async def receive(self) -> Message:
        if self.listening is None:
            self.reading = True
            try:
                return await self.channel()
            finally:
                self.reading = False
        while not self.body:
            if self.gone:
                return DISCONNECT
            self.arrived.clear()
            await self.arrived.wait()
        return self.body.popleft()

    def wrap_send(self, send: Send) -> Send:
        async def app_send(message: Message) -> None:
            if message["type"] == "http.response.body" and not message.get("more_body"):
                self.settled = True
            await send(message)

        return app_send

    def listen(self) -> None:
        if self.settled:
            return
        if self.reading:  # the app hears a disconnect itself while it reads; look again later
            self.timer = asyncio.get_running_loop().call_later(LISTEN_AFTER_SECONDS, self.listen)
            return
        self.listening = asyncio.ensure_future(self._listen())

    async def _listen(self) -> None:
        """Pass the rest of the body on as it comes, then wait for the client to leave."""
        while True:
            message = await self.channel()
            if message["type"] == "http.disconnect":
                self.gone = True
                self.arrived.set()
                if not self.settled:
                    self.cancelled = True
                    self.task.cancel()
                return
            self.body.append(message)
            self.arrived.set()

    def close(self) -> None:
        self.settled = True
        self.timer.cancel()
        if self.listening is not None:
            self.listening.cancel()


class CancelOnDisconnect:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        task = asyncio.current_task()
        if scope["type"] != "http" or task is None:
            await self.app(scope, receive, send)
            return
        request = _Request(task, receive)
        try:
            await self.app(scope, request.receive, request.wrap_send(send))
        except asyncio.CancelledError:
            # Ours only if we asked for it and nobody else did too (a shutdown).
            if not request.cancelled or task.uncancel() > 0:
                raise
        finally:
            request.close()

"""Stop a request's work when its client goes away before the answer.

Left alone, a request whose client has hung up runs to its end: a heavy query keeps a
database core busy for nobody. This middleware owns the connection's receive channel: it
hands the request body to the app as usual, then listens for `http.disconnect`, and if that
comes before the response is complete it cancels the app. asyncpg sends PostgreSQL a cancel
for the statement in flight, and the request's transaction rolls back.
"""

import asyncio
from collections import deque

from starlette.types import ASGIApp, Message, Receive, Scope, Send

DISCONNECT: Message = {"type": "http.disconnect"}


class CancelOnDisconnect:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body: deque[Message] = deque()
        arrived = asyncio.Event()  # a body part, or the disconnect
        gone = asyncio.Event()
        answered = False

        async def app_receive() -> Message:
            while not body:
                if gone.is_set():
                    return DISCONNECT
                arrived.clear()
                await arrived.wait()
            return body.popleft()

        async def app_send(message: Message) -> None:
            nonlocal answered
            if message["type"] == "http.response.body" and not message.get("more_body"):
                answered = True
            await send(message)

        work = asyncio.ensure_future(self.app(scope, app_receive, app_send))
        listening = asyncio.ensure_future(_listen(receive, body, arrived, gone))
        try:
            await asyncio.wait({work, listening}, return_when=asyncio.FIRST_COMPLETED)
            if not work.done() and gone.is_set() and not answered:
                work.cancel()
            try:
                await work
            except asyncio.CancelledError:
                if not gone.is_set():
                    raise  # cancelled from outside (shutdown): not ours to swallow
        finally:
            listening.cancel()


async def _listen(
    receive: Receive, body: deque[Message], arrived: asyncio.Event, gone: asyncio.Event
) -> None:
    """Pass the body on as it comes, then wait for the client to leave."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            gone.set()
            arrived.set()
            return
        body.append(message)
        arrived.set()

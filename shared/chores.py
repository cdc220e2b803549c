"""Work a service needs done on a timer rather than on a request, run by `ctxh worker`
beside the webhook deliveries: escalating overdue referrals, for one. A chore takes an idle
connection, commits what it does itself, and must be safe with another worker running the
same chore at the same moment; it answers how many things it did, for the log."""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = structlog.get_logger("ctxh.chores")


@dataclass(frozen=True, slots=True)
class Chore:
    name: str
    every_seconds: float
    run: Callable[[AsyncConnection], Awaitable[int]]


async def run_chore(engine: AsyncEngine, chore: Chore, stop: asyncio.Event) -> None:
    """Run `chore` every `every_seconds` until `stop`; a failure is logged and tried again
    at the next turn, never the end of the worker."""
    while not stop.is_set():
        try:
            async with engine.connect() as connection:
                done = await chore.run(connection)
            if done:
                log.info("chore_done", chore=chore.name, count=done)
        except Exception:
            log.exception("chore_failed", chore=chore.name)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), chore.every_seconds)

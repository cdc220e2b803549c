"""The demo's only way in: each service's public HTTP API, a bounded number of requests in
flight, an Idempotency-Key on every POST, and a loud failure naming the request that failed.

Keys are derived from the demo's parameters and the record's place in the plan, so loading
the same demo again (say after a network error) replays what was already created instead of
creating it twice.
"""

import asyncio
from collections.abc import Awaitable, Iterable
from typing import Any, TypeVar

import httpx

from tools.demo.casework import Ref

T = TypeVar("T")
Ids = dict[str, list[str]]  # "facility" / "worker" → the ids the service gave, by plan index
BODY_EXCERPT = 600


class DemoLoadError(RuntimeError):
    """A request of the demo load failed; the load stops at the first failure."""

    def __init__(self, method: str, url: str, status: int | None, body: str) -> None:
        self.method, self.url, self.status = method, url, status
        shown = "no response" if status is None else f"HTTP {status}"
        super().__init__(f"{method} {url} failed: {shown}: {body[:BODY_EXCERPT]}")


def replayed(response: httpx.Response) -> bool:
    """The service answered from its idempotency record: the record existed before this run."""
    return bool(response.headers.get("Idempotent-Replayed") == "true")


RETRIES = 5


class Api:
    """One service's API as the demo uses it."""

    def __init__(
        self, client: httpx.AsyncClient, token: str, limit: asyncio.Semaphore, key_prefix: str
    ) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}
        self.limit = limit
        self.key_prefix = key_prefix

    async def send(
        self, method: str, path: str, *, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> httpx.Response:
        url = f"{self.client.base_url}{path}"
        for attempt in range(RETRIES + 1):
            async with self.limit:
                try:
                    response = await self.client.request(
                        method, path, headers={**self.headers, **(headers or {})}, **kwargs
                    )
                except httpx.HTTPError as exc:
                    failed = f"{type(exc).__name__}: {exc}"
                    raise DemoLoadError(method, url, None, failed) from exc
            # On SQLite, a writer that waited too long for the lock is answered 503 with
            # Retry-After; nothing was written, and the Idempotency-Key makes a retry safe.
            if response.status_code != 503 or attempt == RETRIES:
                break
            await asyncio.sleep(min(float(response.headers.get("Retry-After", 1)), 5.0))
        if response.is_error:
            raise DemoLoadError(
                method, str(response.request.url), response.status_code, response.text
            )
        return response

    async def post(
        self, path: str, body: dict[str, Any], key: str, *, if_match: str | None = None, **kw: Any
    ) -> httpx.Response:
        headers = {"Idempotency-Key": f"{self.key_prefix}:{key}"}
        if if_match is not None:
            headers["If-Match"] = if_match
        return await self.send("POST", path, json=body, headers=headers, **kw)

    async def patch(self, path: str, body: dict[str, Any], if_match: str) -> httpx.Response:
        return await self.send("PATCH", path, json=body, headers={"If-Match": if_match})

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.send("GET", path, **kwargs)


def resolve(value: Any, ids: Ids) -> Any:
    """`value` with every Ref replaced by the id the service gave that record."""
    if isinstance(value, Ref):
        return ids[value.kind][value.index]
    if isinstance(value, dict):
        return {k: resolve(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, ids) for v in value]
    return value


async def run_all(jobs: Iterable[Awaitable[T]]) -> list[T]:
    """Run the jobs together (the semaphore bounds the requests); on the first failure cancel
    the rest and raise that failure itself, not a group of them."""
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(_awaited(job)) for job in jobs]
    except BaseExceptionGroup as failures:
        first = failures.exceptions[0]
        while isinstance(first, BaseExceptionGroup):
            first = first.exceptions[0]
        raise first from None
    return [task.result() for task in tasks]


async def _awaited(job: Awaitable[T]) -> T:
    return await job

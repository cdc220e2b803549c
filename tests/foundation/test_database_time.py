"""How long a request may keep the database: until its client leaves, or its statement
timeout passes."""

import asyncio
import time
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from starlette.types import Message

from shared.db import Database, Limits, make_engine
from shared.testing import server_url
from tests.foundation.apps import probe_app


def _get(path: str, query: bytes) -> dict:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "headers": [(b"host", b"probe")],
        "client": ("127.0.0.1", 50000),
        "server": ("probe", 80),
        "root_path": "",
    }


async def _sleeping_queries(probe: FastAPI) -> int:
    async with probe.state.database.engine.connect() as connection:
        found = await connection.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE state = 'active' AND query LIKE 'SELECT pg_sleep%'"
            )
        )
        return int(found.scalar_one())


async def test_a_client_that_leaves_cancels_its_query(probe: FastAPI) -> None:
    sent: list[Message] = []
    messages: list[Message] = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> Message:
        if messages:
            return messages.pop(0)
        await asyncio.sleep(0.5)  # the client waits a little, then closes the connection
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    started = time.monotonic()
    await probe(_get("/api/v1/slow-query", b"seconds=20"), receive, send)
    assert time.monotonic() - started < 5
    assert not sent  # nobody is left to answer
    if server_url():
        await asyncio.sleep(0.2)
        assert await _sleeping_queries(probe) == 0, "PostgreSQL is still running the query"


async def test_a_request_whose_client_stays_is_answered(
    probe_client: httpx.AsyncClient,
) -> None:
    answer = await probe_client.get("/api/v1/slow-query", params={"seconds": 0.2})
    assert answer.status_code == 200
    assert answer.json() == {"slept": 0.2}


async def test_a_statement_past_its_timeout_is_503_with_retry_after(
    database_urls: dict[str, str], dev_key_path: Path
) -> None:
    if not server_url():
        pytest.skip("statement timeouts are PostgreSQL's")
    limits = Limits(statement_timeout_ms=300)
    engine = make_engine(database_urls["cases"], pool_size=1, limits=limits)
    database = Database(engine, limits=limits)
    transport = httpx.ASGITransport(app=probe_app(database, dev_key_path))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://probe") as client:
            answer = await client.get("/api/v1/slow-query", params={"seconds": 3})
            assert answer.status_code == 503
            assert answer.headers["Retry-After"] == "5"
            assert answer.json()["code"] == "service_unavailable"
            # The connection went back to the pool usable.
            quick = await client.get("/api/v1/slow-query", params={"seconds": 0.01})
            assert quick.status_code == 200
    finally:
        await database.dispose()

"""The demo's client against a busy SQLite: a 503 with Retry-After is tried again."""

import asyncio

import httpx
import pytest

from tools.demo.client import RETRIES, Api, DemoLoadError


def _api(answers: list[int]) -> tuple[Api, list[httpx.Request]]:
    asked: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request)
        status = answers[min(len(asked), len(answers)) - 1]
        return httpx.Response(status, headers={"Retry-After": "0"}, json={})

    client = httpx.AsyncClient(base_url="http://cases", transport=httpx.MockTransport(handler))
    return Api(client, "token", asyncio.Semaphore(1), "demo"), asked


async def test_a_write_refused_for_a_busy_database_is_sent_again_with_its_key() -> None:
    api, asked = _api([503, 503, 201])
    response = await api.post("/api/v1/persons", {"name": "A"}, "person-1")
    assert response.status_code == 201
    assert len(asked) == 3
    assert {r.headers["Idempotency-Key"] for r in asked} == {"demo:person-1"}


async def test_the_load_stops_when_the_database_stays_busy() -> None:
    api, asked = _api([503])
    with pytest.raises(DemoLoadError, match="HTTP 503"):
        await api.post("/api/v1/persons", {"name": "A"}, "person-1")
    assert len(asked) == RETRIES + 1


async def test_other_failures_are_not_retried() -> None:
    api, asked = _api([409])
    with pytest.raises(DemoLoadError, match="HTTP 409"):
        await api.post("/api/v1/persons", {"name": "A"}, "person-1")
    assert len(asked) == 1

"""The reporting service's own token, from a client-credentials provider on loopback: one
request however many calls need it, renewed ahead of expiry in proportion to its life, renewed
once when a source refuses it, and every failure of the token endpoint named in the draft."""

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import date

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel, SecretStr

from services.reporting.clients.sources import Sources, SourceUnavailable
from services.reporting.clients.tokens import renewal_margin
from services.reporting.settings import ReportingSettings
from shared.testing import free_port
from tests.provider_server import KeyServer, new_key, serving
from tests.reporting.conftest import ServiceRouter


class Answer(BaseModel):
    ok: bool


@pytest.fixture
def provider() -> Iterator[KeyServer]:
    yield from serving(KeyServer(keys=[new_key()]))


def oidc(settings: ReportingSettings, token_url: str, secret: str) -> ReportingSettings:
    return settings.model_copy(
        update={
            "auth_mode": "oidc",
            "service_token_url": token_url,
            "service_client_id": "ctxh-reporting",
            "service_client_secret": SecretStr(secret),
        }
    )


class Cases:
    """A source that refuses the tokens in `refused` (as after a key withdrawal)."""

    def __init__(self) -> None:
        self.refused: set[str] = set()
        self.refuse_all = False
        self.seen: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        token = request.headers["Authorization"].removeprefix("Bearer ")
        self.seen.append(token)
        if self.refuse_all or token in self.refused:
            return httpx.Response(401, json={"code": "unauthorized"})
        return httpx.Response(200, json={"ok": True})


@pytest.fixture
def cases() -> Cases:
    return Cases()


@pytest.fixture
async def sources(
    apps: dict[str, FastAPI], provider: KeyServer, cases: Cases
) -> AsyncIterator[Sources]:
    routes = {"127.0.0.1": httpx.AsyncHTTPTransport(), "cases": httpx.MockTransport(cases)}
    settings = oidc(apps["reporting"].state.settings, provider.token_url, provider.client[1])
    sources = Sources(settings, httpx.AsyncClient(transport=ServiceRouter(routes)))
    yield sources
    await sources.close()


async def ask(sources: Sources) -> Answer:
    return await sources.cases.get("/stats/anything", [], Answer)


async def test_calls_needing_a_token_at_once_share_one_request(
    sources: Sources, provider: KeyServer
) -> None:
    await asyncio.gather(*(ask(sources) for _ in range(8)))
    assert provider.token_requests == 1


def test_renewal_comes_a_quarter_of_the_life_early_and_at_most_a_minute() -> None:
    assert renewal_margin(60) == 15
    assert renewal_margin(3600) == 60


async def test_a_sixty_second_token_serves_many_reports_not_one(
    sources: Sources, provider: KeyServer
) -> None:
    provider.lifetime = 60
    for _ in range(5):
        await ask(sources)
    assert provider.token_requests == 1


async def test_a_token_the_sources_refuse_is_renewed_once_for_all_calls(
    sources: Sources, provider: KeyServer, cases: Cases
) -> None:
    await ask(sources)
    cases.refused.add(cases.seen[0])  # as when the key that signed it is withdrawn
    answers = await asyncio.gather(*(ask(sources) for _ in range(4)))
    assert all(answer.ok for answer in answers)
    assert provider.token_requests == 2
    assert len(set(cases.seen)) == 2


async def test_a_source_refusing_the_new_token_too_is_named_not_retried_forever(
    sources: Sources, provider: KeyServer, cases: Cases
) -> None:
    cases.refuse_all = True
    with pytest.raises(SourceUnavailable, match=r"cases refused the request \(401\)"):
        await ask(sources)
    assert provider.token_requests == 2
    assert len(cases.seen) == 2


@pytest.mark.parametrize(
    ("breakage", "named"),
    [
        (
            "wrong secret",
            "could not sign in to cases: the token endpoint answered 401 invalid_client",
        ),
        ("provider down", "cases is unavailable: the token endpoint answered 503"),
        ("unreachable", "cases is unavailable: the token endpoint failed: ConnectError"),
    ],
)
async def test_a_token_endpoint_failure_is_a_named_source_failure_never_a_500(
    apps: dict[str, FastAPI], provider: KeyServer, breakage: str, named: str
) -> None:
    url = provider.token_url
    if breakage == "unreachable":
        url = f"http://127.0.0.1:{free_port()}/token"
    provider.down = breakage == "provider down"
    secret = "wrong" if breakage == "wrong secret" else provider.client[1]
    settings = oidc(apps["reporting"].state.settings, url, secret)
    sources = Sources(settings, httpx.AsyncClient())
    try:
        with pytest.raises(SourceUnavailable, match=named) as failed:
            await sources.cases.people_supported(date(2025, 1, 1), date(2025, 12, 31), [])
        assert failed.value.extensions["source"] == "cases"
    finally:
        await sources.close()


async def test_a_draft_without_a_service_token_is_incomplete_naming_both_sources(
    apps: dict[str, FastAPI],
    reporting_client: httpx.AsyncClient,
    plans: dict,
    officer_31: dict,
) -> None:
    app = apps["reporting"]
    original = app.state.sources
    unreachable = f"http://127.0.0.1:{free_port()}/token"
    settings = oidc(app.state.settings, unreachable, "any")
    app.state.sources = Sources(settings, httpx.AsyncClient())
    try:
        response = await reporting_client.post(
            "/api/v1/reports",
            headers=officer_31,
            json={"plan_id": plans["HD-2025"], "period": "2025"},
        )
    finally:
        await app.state.sources.close()
        app.state.sources = original
    assert response.status_code == 201, response.text
    assert response.json()["complete"] is False
    assert response.json()["missing_sources"] == ["cases", "workforce"]

"""Reporting tests run against the real cases and workforce apps, in process: the reporting
service's HTTP clients are routed to them (each inside its test's rolled-back session)."""

from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi import FastAPI

from services.reporting.clients.sources import Sources
from services.reporting.plan.service import seed_plans
from shared.auth import Role
from tests.conftest import TokenFactory


class ServiceRouter(httpx.AsyncBaseTransport):
    """Sends each request to the transport named by its host ("cases", "workforce")."""

    def __init__(self, routes: dict[str, httpx.AsyncBaseTransport]) -> None:
        self.routes = routes

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.routes[request.url.host].handle_async_request(request)


@pytest.fixture
def use_sources(
    apps: dict[str, FastAPI],
) -> Iterator[Callable[[dict[str, httpx.AsyncBaseTransport]], None]]:
    """Point the reporting app at the given transports for this test."""
    app = apps["reporting"]
    original = app.state.sources

    def install(routes: dict[str, httpx.AsyncBaseTransport]) -> None:
        client = httpx.AsyncClient(transport=ServiceRouter(routes))
        app.state.sources = Sources(app.state.settings, client)
        app.state.sources.count_with(app.state.metrics)  # as the app's own are counted

    yield install
    app.state.sources = original


@pytest.fixture
async def live_sources(
    apps: dict[str, FastAPI],
    cases_client: httpx.AsyncClient,
    workforce_client: httpx.AsyncClient,
    use_sources: Callable,
) -> None:
    """Cases and workforce answer for real (the test's clients hold their sessions)."""
    use_sources(
        {
            "cases": httpx.ASGITransport(app=apps["cases"]),
            "workforce": httpx.ASGITransport(app=apps["workforce"]),
        }
    )


@pytest.fixture
async def plans(reporting_client: httpx.AsyncClient, token: TokenFactory) -> dict[str, str]:
    """The seed plans, created through the API as an admin would."""
    admin = token(Role.ADMIN)
    ids = {}
    for plan in seed_plans():
        response = await reporting_client.post(
            "/api/v1/plans", json=plan.model_dump(mode="json"), headers=admin
        )
        assert response.status_code == 201, response.text
        ids[plan.code] = response.json()["id"]
    return ids


@pytest.fixture
def officer_31(token: TokenFactory) -> dict[str, str]:
    return token(Role.PROVINCE_OFFICER, province_code="31", scopes=["sensitive:read"])


@pytest.fixture
def officer_52(token: TokenFactory) -> dict[str, str]:
    return token(Role.PROVINCE_OFFICER, province_code="52", scopes=["sensitive:read"])

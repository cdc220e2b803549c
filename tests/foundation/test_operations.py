"""Health, readiness, metrics and the OpenAPI document of each service."""

import re
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families

from shared.auth import Role
from shared.db import Database
from tests.conftest import TokenFactory
from tests.foundation.apps import probe_app


async def test_healthz_answers_ok(any_client: httpx.AsyncClient) -> None:
    response = await any_client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_answers_ready_when_database_reachable(any_client: httpx.AsyncClient) -> None:
    response = await any_client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


async def test_readyz_is_503_problem_when_database_unreachable(dev_key_path) -> None:
    database = Database.from_url("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    app = probe_app(database, dev_key_path)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
    assert "nobody" not in response.text
    await database.dispose()


async def test_metrics_count_requests_by_route_template(
    any_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    await any_client.get("/api/v1/me", headers=token(Role.ADMIN))
    await any_client.get("/api/v1/unknown/12345")
    response = await any_client.get("/metrics")
    assert response.status_code == 200
    counts = {
        (sample.labels["route"], sample.labels["status"]): sample.value
        for family in text_string_to_metric_families(response.text)
        if family.name == "http_requests"
        for sample in family.samples
        if sample.name == "http_requests_total"
    }
    assert counts[("/api/v1/me", "200")] >= 1
    assert counts[("unmatched", "404")] >= 1
    assert "http_request_duration_seconds_bucket" in response.text
    # The raw path never becomes a label (timestamps in the text may hold any digits).
    assert not any("12345" in route for route, _ in counts)


def _operations(app: FastAPI) -> list[dict]:
    document = app.openapi()
    return [op for item in document["paths"].values() for op in item.values()]


async def test_openapi_has_stable_operation_ids_and_problem_responses(
    apps: dict[str, FastAPI],
) -> None:
    for app in apps.values():
        operations = _operations(app)
        ids = [op["operationId"] for op in operations]
        assert len(ids) == len(set(ids)), "operation ids must be unique"
        me = next(op for op in operations if op["operationId"] == "get_me")
        assert (
            me["summary"]
            == "The caller as this service sees it: roles, unit scope, facility and scopes"
        )
        for status in ("401", "403", "422", "500"):
            assert set(me["responses"][status]["content"]) == {"application/problem+json"}


async def test_openapi_is_served_with_docs(any_client: httpx.AsyncClient) -> None:
    assert (await any_client.get("/openapi.json")).json()["openapi"].startswith("3.")
    assert (await any_client.get("/docs")).status_code == 200


def _page_assets(html: str) -> list[str]:
    """Every script, stylesheet and icon a page loads."""
    return re.findall(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""", html)


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("/docs", {".js": "javascript", ".css": "text/css", ".png": "image/png"}),
        ("/redoc", {".js": "javascript", ".png": "image/png"}),
    ],
)
async def test_the_docs_pages_load_everything_from_the_service_itself(
    any_client: httpx.AsyncClient, page: str, expected: dict[str, str]
) -> None:
    """Closed networks reach no CDN: every file the page loads is a local path, served."""
    response = await any_client.get(page)
    assert response.status_code == 200
    assets = [url for url in _page_assets(response.text) if url != "/openapi.json"]
    assert {Path(url).suffix for url in assets} >= set(expected), assets
    for url in assets:
        assert url.startswith("/"), f"{page} loads {url} from elsewhere"
        served = await any_client.get(url)
        assert served.status_code == 200, url
        assert expected[Path(url).suffix] in served.headers["content-type"], url
        assert len(served.content) > 1000, url


def _references(node: object) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_references(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_references(item) for item in node))
    return set()


def test_every_reference_in_the_documents_resolves(apps: dict[str, FastAPI]) -> None:
    """A generated client stops at a $ref to a schema the document does not define."""
    for name, app in apps.items():
        document = app.openapi()
        defined = {f"#/components/schemas/{key}" for key in document["components"]["schemas"]}
        assert _references(document) - defined == set(), name


def test_a_503_declares_when_to_retry(apps: dict[str, FastAPI]) -> None:
    for app in apps.values():
        for item in app.openapi()["paths"].values():
            for operation in item.values():
                unavailable = operation["responses"].get("503")
                if unavailable is not None:
                    assert unavailable["headers"]["Retry-After"]["required"] is True

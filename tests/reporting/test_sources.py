"""When cases or workforce cannot answer: named in the draft, never a silently wrong number."""

import asyncio
from datetime import date

import httpx
import pytest
from fastapi import FastAPI

from services.reporting.clients.sources import Sources, SourceUnavailable
from shared.auth import Role
from tests.conftest import TokenFactory
from tests.reporting.helpers import value


def _down(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


async def _slow(request: httpx.Request) -> httpx.Response:
    await asyncio.sleep(10)  # longer than the 3 s the tests' settings allow
    return httpx.Response(200, json={})


@pytest.fixture
def workforce_down(apps: dict[str, FastAPI], cases_client: httpx.AsyncClient, use_sources) -> None:
    use_sources(
        {"cases": httpx.ASGITransport(app=apps["cases"]), "workforce": httpx.MockTransport(_down)}
    )


async def test_draft_with_a_source_down_is_marked_incomplete(
    reporting_client: httpx.AsyncClient, plans: dict, officer_31: dict, workforce_down: None
) -> None:
    response = await reporting_client.post(
        "/api/v1/reports", headers=officer_31, json={"plan_id": plans["HD-2025"], "period": "2025"}
    )
    assert response.status_code == 201
    report = response.json()
    assert report["complete"] is False
    assert report["missing_sources"] == ["workforce"]
    facilities = value(report, "I01")
    assert (facilities["status"], facilities["source"], facilities["value"]) == (
        "source_unavailable",
        "workforce",
        None,
    )
    assert value(report, "I05")["source"] is None  # cases answered (it has no children yet)
    refused = await reporting_client.post(
        f"/api/v1/reports/{report['id']}/submission", headers={**officer_31, "If-Match": '"1"'}
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "report_incomplete"


def _upstream_count(metrics: str, upstream: str, outcome: str) -> float:
    series = (
        f'upstream_requests_total{{outcome="{outcome}",service="reporting",upstream="{upstream}"}}'
    )
    for line in metrics.splitlines():
        if line.startswith(series + " "):
            return float(line.split()[-1])
    return 0.0


async def test_calls_to_sources_are_counted_by_outcome_for_the_operators(
    reporting_client: httpx.AsyncClient, plans: dict, officer_31: dict, workforce_down: None
) -> None:
    before = (await reporting_client.get("/metrics")).text
    drafted = await reporting_client.post(
        "/api/v1/reports", headers=officer_31, json={"plan_id": plans["HD-2025"], "period": "2025"}
    )
    assert drafted.status_code == 201
    after = (await reporting_client.get("/metrics")).text
    for upstream, outcome in (("workforce", "unavailable"), ("cases", "ok")):
        counted = _upstream_count(after, upstream, outcome) - _upstream_count(
            before, upstream, outcome
        )
        assert counted >= 1, (upstream, outcome)
    assert _upstream_count(after, "workforce", "ok") == _upstream_count(before, "workforce", "ok")


async def test_dashboard_with_a_source_down_is_503_naming_it(
    reporting_client: httpx.AsyncClient, plans: dict, officer_31: dict, workforce_down: None
) -> None:
    response = await reporting_client.get(
        f"/api/v1/plans/{plans['HD-2025']}/dashboard", headers=officer_31
    )
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "source_unavailable"
    assert response.json()["source"] == "workforce"


async def test_a_slow_source_times_out_instead_of_hanging(
    reporting_client: httpx.AsyncClient,
    plans: dict,
    officer_31: dict,
    apps: dict,
    cases_client: httpx.AsyncClient,
    use_sources,
) -> None:
    use_sources(
        {
            "cases": httpx.MockTransport(_slow),
            "workforce": httpx.ASGITransport(app=apps["workforce"]),
        }
    )
    response = await reporting_client.post(
        "/api/v1/reports", headers=officer_31, json={"plan_id": plans["HD-2025"], "period": "2025"}
    )
    assert response.json()["missing_sources"] == ["cases"]


async def test_submitted_report_stays_readable_with_both_sources_down(
    reporting_client: httpx.AsyncClient,
    plans: dict,
    officer_31: dict,
    live_sources: None,
    use_sources,
    token: TokenFactory,
) -> None:
    created = (
        await reporting_client.post(
            "/api/v1/reports",
            headers=officer_31,
            json={"plan_id": plans["HD-2025"], "period": "2025"},
        )
    ).json()
    await reporting_client.post(
        f"/api/v1/reports/{created['id']}/submission", headers={**officer_31, "If-Match": '"1"'}
    )
    use_sources({"cases": httpx.MockTransport(_down), "workforce": httpx.MockTransport(_down)})
    again = await reporting_client.get(f"/api/v1/reports/{created['id']}", headers=officer_31)
    assert again.status_code == 200
    assert again.json()["status"] == "submitted"
    pulled = await reporting_client.get(
        "/api/v1/ministry/indicator-values", headers=token(Role.MINISTRY)
    )
    assert len(pulled.json()["items"]) == len(created["values"])


async def test_one_deadline_covers_a_whole_report_retries_included(
    reporting_client: httpx.AsyncClient,
    plans: dict,
    officer_31: dict,
    apps: dict,
    cases_client: httpx.AsyncClient,
    use_sources,
) -> None:
    """Each attempt may take the source timeout (3 s here) and is retried once; the report's
    deadline still ends the whole computation after half a second."""
    use_sources({"cases": httpx.MockTransport(_slow), "workforce": httpx.MockTransport(_slow)})
    apps["reporting"].state.sources.report_deadline_seconds = 0.5
    started = asyncio.get_running_loop().time()
    response = await reporting_client.post(
        "/api/v1/reports", headers=officer_31, json={"plan_id": plans["HD-2025"], "period": "2025"}
    )
    elapsed = asyncio.get_running_loop().time() - started
    assert response.status_code == 201
    assert response.json()["missing_sources"] == ["cases", "workforce"]
    assert elapsed < 1.5, elapsed


def _identity_provider(status: int, body: dict) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/token":
            return httpx.Response(status, json=body)
        return httpx.Response(200, json={"items": []})

    return httpx.MockTransport(answer)


@pytest.mark.parametrize(
    ("status", "body"), [(401, {"error": "invalid_client"}), (200, {"token_type": "Bearer"})]
)
async def test_a_refused_service_token_is_a_source_unavailable_not_a_500(
    apps: dict[str, FastAPI], status: int, body: dict
) -> None:
    settings = apps["reporting"].state.settings.model_copy(
        update={"auth_mode": "oidc", "service_token_url": "http://idp/token"}
    )
    sources = Sources(settings, httpx.AsyncClient(transport=_identity_provider(status, body)))
    try:
        with pytest.raises(SourceUnavailable) as refused:
            await sources.cases.people_supported(date(2025, 1, 1), date(2025, 12, 31), [])
        assert refused.value.extensions["source"] == "cases"
    finally:
        await sources.close()


def test_the_apps_own_sources_count_into_its_metrics(apps: dict[str, FastAPI]) -> None:
    reporting = apps["reporting"].state
    assert reporting.sources.cases.metrics is reporting.metrics
    assert reporting.sources.workforce.metrics is reporting.metrics

"""The /stats answers reporting reads are declared once, in contracts/: the producing service
serves each with that model, and reporting parses the real answers into the same one.

A field renamed or retyped on either side then fails here (and in mypy), not later as a
report that says "source unavailable"."""

from collections.abc import Callable
from datetime import date, timedelta

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel

from contracts import cases_stats, workforce_stats
from services.reporting.clients.sources import Sources, SourceUnavailable
from shared.auth import Role
from shared.dates import today_in_vietnam
from tests.conftest import TokenFactory
from tests.reporting.conftest import ServiceRouter
from tests.reporting.helpers import HD_WARD, child, facility, refer, staff

READ = {"cases": cases_stats.READ_BY_REPORTING, "workforce": workforce_stats.READ_BY_REPORTING}
START, END = date(2025, 1, 1), date(2025, 12, 31)
UNITS = [("province_code", "31")]


def _served_with(app: FastAPI, path: str) -> type | None:
    for route in iter_route_contexts(app.routes):
        if route.path_format == f"/api/v1{path}" and "GET" in (route.methods or ()):
            return route.response_model
    return None


@pytest.mark.parametrize(("service", "path"), [(s, p) for s, paths in READ.items() for p in paths])
def test_the_producer_serves_each_answer_with_its_contract(
    apps: dict[str, FastAPI], service: str, path: str
) -> None:
    assert _served_with(apps[service], path) is READ[service][path]


def test_the_documents_name_each_contract_for_its_answer(apps: dict[str, FastAPI]) -> None:
    for service, paths in READ.items():
        document = apps[service].openapi()
        for path, model in paths.items():
            answer = document["paths"][f"/api/v1{path}"]["get"]["responses"]["200"]
            schema = answer["content"]["application/json"]["schema"]
            assert schema == {"$ref": f"#/components/schemas/{model.__name__}"}, path


@pytest.fixture
async def recorded(
    apps: dict[str, FastAPI],
    cases_client: httpx.AsyncClient,
    workforce_client: httpx.AsyncClient,
    token: TokenFactory,
) -> tuple[Sources, list[str]]:
    """Sources wired to the real cases and workforce apps, with records to break down, and the
    paths they were asked."""
    officer = token(Role.PROVINCE_OFFICER, province_code="31", scopes=["sensitive:read"])
    officer["X-Access-Purpose"] = "contract test"
    served = await child(
        cases_client, officer, HD_WARD, "abandoned_child", [("socialised", "2025-03-01")]
    )
    await refer(cases_client, officer, served["case"])
    centre = await facility(workforce_client, officer, HD_WARD)
    await staff(workforce_client, officer, centre["id"], 5_000_000)
    asked: list[str] = []

    async def record(request: httpx.Request) -> None:
        asked.append(request.url.path.removeprefix("/api/v1"))

    router = ServiceRouter(
        {
            "cases": httpx.ASGITransport(app=apps["cases"]),
            "workforce": httpx.ASGITransport(app=apps["workforce"]),
        }
    )
    client = httpx.AsyncClient(transport=router, event_hooks={"request": [record]})
    return Sources(apps["reporting"].state.settings, client), asked


async def test_reporting_reads_each_real_answer_into_its_contract(
    recorded: tuple[Sources, list[str]],
) -> None:
    sources, asked = recorded
    today = today_in_vietnam()  # the referral was made now
    calls: list[Callable] = [
        lambda: sources.cases.priority_children(START, END, UNITS),
        lambda: sources.cases.people_supported(START, END, UNITS),
        lambda: sources.cases.referrals(today - timedelta(days=1), today, UNITS),
        lambda: sources.workforce.facilities(END, UNITS),
        lambda: sources.workforce.workers(END, START, END, UNITS),
        lambda: sources.workforce.training(START, END, UNITS),
        lambda: sources.workforce.service_staff(START, END, UNITS),
    ]
    answers: list[BaseModel] = [await call() for call in calls]
    expected = {**cases_stats.READ_BY_REPORTING, **workforce_stats.READ_BY_REPORTING}
    assert sorted(asked) == sorted(expected), "every answer reporting reads is in contracts/"
    for path, answer in zip(asked, answers, strict=True):
        assert type(answer) is expected[path]
    children, supported, referrals, facilities = answers[0], answers[1], answers[2], answers[3]
    assert isinstance(children, cases_stats.PriorityChildren)
    assert isinstance(supported, cases_stats.PeopleSupported)
    assert isinstance(referrals, cases_stats.ReferralStats)
    assert isinstance(facilities, workforce_stats.FacilityStats)
    # The records above reach the rows, so the rows' shapes were read too, not only the totals.
    assert children.all_groups.served_socialised == 1
    assert [row.key for row in children.by_ward] == [HD_WARD]
    assert supported.total == 1
    assert supported.items[0].key == "counselling"
    assert referrals.totals.made == 1
    assert [(row.key, row.made) for row in referrals.by_ward] == [(HD_WARD, 1)]
    assert facilities.totals.with_ctxh_staff == 1
    assert facilities.by_kind_sector[0].kind == "social_assistance"


async def test_an_answer_outside_the_contract_is_a_named_unavailable_source(
    apps: dict[str, FastAPI],
) -> None:
    """A producer deployed with other contracts: the report names it instead of guessing."""
    renamed = {"date_from": "2025-01-01", "date_to": "2025-12-31", "province_code": "31"}
    client = httpx.AsyncClient(
        transport=httpx.MockTransport(lambda request: httpx.Response(200, json=renamed))
    )
    sources = Sources(apps["reporting"].state.settings, client)
    with pytest.raises(SourceUnavailable) as raised:
        await sources.workforce.training(START, END, UNITS)
    assert raised.value.extensions["source"] == "workforce"
    assert "outside the contract" in str(raised.value.detail)

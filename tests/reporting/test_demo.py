"""The demo province loads through the public APIs and gives the reports something to count."""

from datetime import date
from typing import Any

import httpx

from services.cases.reference.codes import PRIORITY_CHILD_CATEGORIES
from services.workforce.reference.codes import FacilityKind
from shared.admin_units import legacy_territory
from shared.auth import Role
from shared.dates import today_in_vietnam
from tests.conftest import TokenFactory
from tools.demo.province import DemoSummary, describe, load_demo_province, plan_demo

# Fixed so the demo is the same on every run; never after the real today (dates must be past).
TODAY = min(today_in_vietnam(), date(2026, 11, 23))
PEOPLE, WORKERS = 60, 20  # a small workforce keeps the test fast; every facility kind stays


async def _all(client: httpx.AsyncClient, path: str, headers: dict[str, str]) -> list[Any]:
    items: list[Any] = []
    params: dict[str, Any] = {"limit": 200}
    while True:
        response = await client.get(path, params=params, headers=headers)
        assert response.status_code == 200, response.text
        items += response.json()["items"]
        if not (cursor := response.json()["next_cursor"]):
            return items
        params["cursor"] = cursor


async def _stats(client: httpx.AsyncClient, path: str, headers: dict, **params: str) -> Any:
    response = await client.get(f"/api/v1/stats/{path}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def _check_workforce(
    client: httpx.AsyncClient, summary: DemoSummary, officer: dict, service: dict
) -> None:
    facilities = await _all(client, "/api/v1/facilities", officer)
    assert len(facilities) == summary.facilities >= 55
    assert {f["kind"] for f in facilities} == set(FacilityKind)
    on = {"on": TODAY.isoformat(), "province": "31"}
    totals = (await _stats(client, "facilities", service, **on))["totals"]
    staffed, paid = totals["with_ctxh_staff"], totals["paid_minimum_wage"]
    assert 0 < paid < staffed  # some facilities pay the minimum wage, others do not
    assert totals["wage_region_unresolved"] == 0  # the demo loads regions for its wards
    window = {"from": "2021-01-01", "to": TODAY.isoformat(), "province": "31"}
    training = (await _stats(client, "training", service, **window))["totals"]
    assert 0 < training["people"] < training["turns"]


async def _check_cases(
    client: httpx.AsyncClient, summary: DemoSummary, officer: dict, service: dict
) -> None:
    people = await _all(client, "/api/v1/persons", officer)
    cases = await _all(client, "/api/v1/cases", officer)
    assert (len(people), len(cases)) == (summary.people, summary.cases)
    assert len({c["stage"] for c in cases}) >= 4
    former_hai_duong = legacy_territory("30").ward_codes
    share = sum(p["ward_code"] in former_hai_duong for p in people) / len(people)
    assert 0.45 <= share <= 0.75
    for category in PRIORITY_CHILD_CATEGORIES:
        params = {"category": category, "purpose": "kiểm tra dữ liệu mẫu"}
        found = await client.get("/api/v1/persons", params=params, headers=officer)
        assert found.json()["items"], f"nobody in {category}"
    window = {"from": "2025-01-01", "to": "2025-12-14", "province": "31"}
    children = (await _stats(client, "priority-children", service, **window))["all_groups"]
    assert children["served_any"] >= children["served_socialised"] > 0


async def test_small_demo_fills_both_services_and_their_stats(
    cases_client: httpx.AsyncClient,
    workforce_client: httpx.AsyncClient,
    token: TokenFactory,
) -> None:
    officer = token(Role.PROVINCE_OFFICER, province_code="31", scopes=["sensitive:read"])
    progress: list[str] = []
    summary = await load_demo_province(
        "http://test",
        "http://test",
        officer["Authorization"].removeprefix("Bearer "),
        people=PEOPLE,
        workers=WORKERS,
        clients=(cases_client, workforce_client),
        concurrency=1,  # the in-process apps share one database connection per service
        today=TODAY,
        progress=progress.append,
    )

    # What `make dev` shows while it loads: each step, and the people as they go in.
    assert progress[:3] == [
        f"facilities: {summary.facilities}",
        f"workers and their positions: {summary.workers}",
        f"training courses: {summary.courses}",
    ]
    assert progress[3:] == [f"people and their cases: {n} of {PEOPLE}" for n in range(6, 61, 6)]
    assert f"{summary.people} people with {summary.cases} cases" in describe(summary)
    assert summary == plan_demo(PEOPLE, 2025, TODAY, WORKERS).summary()
    assert (summary.people, summary.workers, summary.courses) == (PEOPLE, WORKERS, 12)
    assert 0.65 * PEOPLE <= summary.cases <= 0.95 * PEOPLE
    assert summary.assignments >= WORKERS
    assert summary.participations > 0
    assert summary.services >= summary.cases
    service = token(Role.SERVICE)
    await _check_workforce(workforce_client, summary, officer, service)
    await _check_cases(cases_client, summary, officer, service)

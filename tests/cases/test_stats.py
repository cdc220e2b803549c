"""Aggregates for reporting, checked against a hand-counted fixture."""

import httpx
import pytest

from shared.auth import Role
from tests.cases.factories import (
    WARD_A,
    WARD_B,
    WARD_GL,
    create_case,
    create_person,
    officer,
    post_ok,
)
from tests.conftest import TokenFactory

WINDOW = {"from": "2026-01-01", "to": "2026-10-31", "province": "31"}


async def _person_with_service(
    client: httpx.AsyncClient, headers: dict, *, service: tuple | None, **person: object
) -> None:
    created = await create_person(client, headers, **person)
    if service is None:
        return
    case = await create_case(client, headers, created["id"], opened_date="2025-11-01")
    service_type, funding, on = service
    await post_ok(
        client,
        f"/api/v1/cases/{case['id']}/services",
        headers,
        {"service_type": service_type, "funding_source": funding, "delivered_on": on},
    )


@pytest.fixture
async def province(cases_client: httpx.AsyncClient, token: TokenFactory) -> None:
    """Hand-counted: see each person's comment."""
    hp, gl = officer(token, sensitive=True), officer(token, province="52")
    add = _person_with_service
    # A, 10, orphan, counselled from socialised resources in the window
    await add(
        cases_client,
        hp,
        full_name="A",
        sex="male",
        birth_date="2016-01-01",
        categories=["orphan_without_support"],
        service=("counselling", "socialised", "2026-03-15"),
    )
    # B, 5, orphan with severe disability, health care from the state budget in the window
    await add(
        cases_client,
        hp,
        full_name="B",
        sex="female",
        birth_date="2021-01-01",
        categories=["orphan_without_support", "child_severe_disability"],
        service=("health_care", "state_budget", "2026-04-01"),
    )
    # C, 12, abandoned, served only before the window
    await add(
        cases_client,
        hp,
        full_name="C",
        sex="male",
        birth_date="2014-01-01",
        categories=["abandoned_child"],
        service=("counselling", "socialised", "2025-12-01"),
    )
    # D, 8, living with HIV, not served
    await add(
        cases_client,
        hp,
        full_name="D",
        sex="female",
        birth_date="2018-01-01",
        categories=["child_with_hiv"],
        service=None,
    )
    # E, older person, counselled in the window: supported, but not a child
    await add(
        cases_client,
        hp,
        full_name="E",
        sex="female",
        birth_date="1956-01-01",
        categories=["older_person"],
        service=("counselling", "state_budget", "2026-05-05"),
    )
    # F, 17 at the window's end: an orphan, but no longer a child
    await add(
        cases_client,
        hp,
        full_name="F",
        sex="male",
        birth_date="2009-06-01",
        categories=["orphan_without_support"],
        service=None,
    )
    # G, another province: never counted for 31
    await add(
        cases_client,
        gl,
        full_name="G",
        sex="male",
        birth_date="2016-01-01",
        ward_code=WARD_GL,
        categories=["orphan_without_support"],
        service=("counselling", "socialised", "2026-03-15"),
    )


async def test_priority_children_by_group_and_source(
    cases_client: httpx.AsyncClient, token: TokenFactory, province: None
) -> None:
    response = await cases_client.get(
        "/api/v1/stats/priority-children", params=WINDOW, headers=token(Role.SERVICE)
    )
    assert response.status_code == 200
    body = response.json()
    groups = {
        g["category"]: (g["children"], g["served_any"], g["served_socialised"])
        for g in body["groups"]
    }
    assert groups == {
        "orphan_without_support": (2, 2, 1),
        "abandoned_child": (1, 0, 0),
        "child_with_hiv": (1, 0, 0),
        "child_toxic_chemical_victim": (0, 0, 0),
        "child_severe_disability": (1, 1, 0),
        "child_disaster_affected": (0, 0, 0),
    }
    all_groups = body["all_groups"]
    assert (all_groups["children"], all_groups["served_any"], all_groups["served_socialised"]) == (
        4,
        2,
        1,
    )
    assert body["sensitive_counted"] is True


async def test_people_supported_in_window_by_service_type(
    cases_client: httpx.AsyncClient, token: TokenFactory, province: None
) -> None:
    body = (
        await cases_client.get(
            "/api/v1/stats/people-supported", params=WINDOW, headers=token(Role.SERVICE)
        )
    ).json()
    assert body["total"] == 3  # A, B, E
    assert {i["key"]: i["count"] for i in body["items"]} == {"counselling": 2, "health_care": 1}
    assert body["items"][0]["label_vi"] == "Tư vấn"


async def test_people_by_sex_and_age_band(
    cases_client: httpx.AsyncClient, token: TokenFactory, province: None
) -> None:
    by_sex = (
        await cases_client.get(
            "/api/v1/stats/people",
            params={**WINDOW, "group_by": "sex"},
            headers=token(Role.SERVICE),
        )
    ).json()
    assert {i["key"]: i["count"] for i in by_sex["items"]} == {"female": 3, "male": 3}
    assert by_sex["total"] == 6
    by_age = (
        await cases_client.get(
            "/api/v1/stats/people",
            params={**WINDOW, "group_by": "age_band", "served_only": "true"},
            headers=token(Role.SERVICE),
        )
    ).json()
    assert {i["key"]: i["count"] for i in by_age["items"]} == {"0-5": 1, "6-10": 1, "60+": 1}


async def test_funding_source_counts_people_served_from_each(
    cases_client: httpx.AsyncClient, token: TokenFactory, province: None
) -> None:
    body = (
        await cases_client.get(
            "/api/v1/stats/people",
            params={**WINDOW, "group_by": "funding_source"},
            headers=token(Role.SERVICE),
        )
    ).json()
    assert {i["key"]: i["count"] for i in body["items"]} == {"socialised": 1, "state_budget": 2}


async def test_counts_never_leave_the_province(
    cases_client: httpx.AsyncClient, token: TokenFactory, province: None
) -> None:
    """The ministry gets the plans' figures from reporting, through its disclosure control;
    asked directly for any ward list, these would be differenced (A+B minus B)."""
    for path in ("people", "people-supported", "priority-children"):
        response = await cases_client.get(
            f"/api/v1/stats/{path}", params=WINDOW, headers=token(Role.MINISTRY)
        )
        assert response.status_code == 403, path


async def test_ward_lists_cannot_be_differenced_from_outside_the_province(
    cases_client: httpx.AsyncClient, token: TokenFactory, province: None
) -> None:
    """Asked for wards A and B, then for B alone, an outsider would learn A's count, however
    small: no caller outside the province gets an answer for any list of its wards."""
    outsiders = [token(Role.MINISTRY), officer(token, province="52"), token(Role.ADMIN)]
    for wards in ([WARD_A, WARD_B], [WARD_B]):
        params = {**WINDOW, "ward": wards, "group_by": "category"}
        for headers in outsiders:
            response = await cases_client.get(
                "/api/v1/stats/people", params=params, headers=headers
            )
            assert response.status_code == 403


async def test_officer_is_held_to_its_province(
    cases_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    response = await cases_client.get(
        "/api/v1/stats/people", params={**WINDOW, "province": "52"}, headers=officer(token)
    )
    assert response.status_code == 403


async def test_workers_cannot_read_stats(
    cases_client: httpx.AsyncClient, commune_worker: dict
) -> None:
    response = await cases_client.get("/api/v1/stats/people", params=WINDOW, headers=commune_worker)
    assert response.status_code == 403


async def test_window_ending_before_it_starts_is_422(
    cases_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    response = await cases_client.get(
        "/api/v1/stats/people",
        params={"from": "2026-05-01", "to": "2026-01-01"},
        headers=token(Role.SERVICE),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "to"]


async def test_a_window_outside_the_dates_the_stats_accept_is_422(
    cases_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    response = await cases_client.get(
        "/api/v1/stats/priority-children",
        params={"from": "0001-01-01", "to": "0010-01-01"},
        headers=token(Role.SERVICE),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "from"]

"""Counts do not reveal sensitive categories to whoever may not read them."""

import httpx

from tests.cases.factories import (
    PURPOSE,
    WARD_A,
    create_case,
    create_person,
    officer,
    post_ok,
)
from tests.conftest import TokenFactory

ONE_DAY = {"from": "2026-03-02", "to": "2026-03-02", "province": "31", "ward": WARD_A}


async def _served_child_with_hiv(client: httpx.AsyncClient, token: TokenFactory) -> str:
    """A named child living with HIV, served on one day in one ward: the leak's setting."""
    writer = officer(token, sensitive=True)
    child = await create_person(
        client,
        writer,
        full_name="Lê Thị Hoa",
        birth_date="2017-05-01",
        ward_code=WARD_A,
        categories=["child_with_hiv"],
    )
    case = await create_case(client, writer, child["id"], opened_date="2026-03-01")
    await post_ok(
        client,
        f"/api/v1/cases/{case['id']}/services",
        writer,
        {
            "service_type": "counselling",
            "funding_source": "socialised",
            "delivered_on": "2026-03-02",
        },
    )
    return child["id"]


async def test_an_officer_without_sensitive_read_cannot_count_a_named_child_into_hiv(
    cases_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    await _served_child_with_hiv(cases_client, token)
    plain = officer(token)
    people = await cases_client.get(
        "/api/v1/stats/people",
        params={**ONE_DAY, "group_by": "category", "served_only": "true"},
        headers=plain,
    )
    assert people.status_code == 200
    body = people.json()
    assert "child_with_hiv" not in {i["key"] for i in body["items"]}
    assert body["sensitive_counted"] is False
    children = await cases_client.get(
        "/api/v1/stats/priority-children", params=ONE_DAY, headers=plain
    )
    body = children.json()
    assert "child_with_hiv" not in {g["category"] for g in body["groups"]}
    assert body["all_groups"]["children"] == 0  # the child is in no group this reader sees
    assert body["sensitive_counted"] is False


async def test_sensitive_read_without_a_purpose_counts_as_without_the_scope(
    cases_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    await _served_child_with_hiv(cases_client, token)
    response = await cases_client.get(
        "/api/v1/stats/people",
        params={**ONE_DAY, "group_by": "category"},
        headers=officer(token, sensitive=True),
    )
    assert "child_with_hiv" not in {i["key"] for i in response.json()["items"]}


async def test_counting_hiv_with_scope_and_purpose_is_logged_for_each_child_counted(
    cases_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    child_id = await _served_child_with_hiv(cases_client, token)
    reader = officer(token, sensitive=True)
    response = await cases_client.get(
        "/api/v1/stats/priority-children", params=ONE_DAY, headers={**reader, **PURPOSE}
    )
    groups = {g["category"]: g["children"] for g in response.json()["groups"]}
    assert groups["child_with_hiv"] == 1
    log = await cases_client.get(f"/api/v1/persons/{child_id}/access-log", headers=officer(token))
    newest = log.json()["items"][0]
    assert (newest["record_type"], newest["sensitive"], newest["purpose"]) == (
        "stats",
        True,
        PURPOSE["X-Access-Purpose"],
    )

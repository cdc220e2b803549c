"""Rules 2, 10 and 11 for people (#4, #5): each person once, wards shared by two former
provinces settled by the legacy commune a person carries, and the breakdowns by current ward
and former district.

Ward 10804 took communes of Hải Dương's Kim Thành district and of Hải Phòng's Vĩnh Bảo:

| child | ward | legacy commune | groups | served in 2025 (socialised) |
|---|---|---|---|---|
| K | 10525 (former TP Hải Dương) | — | orphan and severe disability | twice, on two cases |
| H | 10804 | 10801 Tam Kỳ, Kim Thành (Hải Dương) | orphan | once |
| P | 10804 | 11890 Hòa Bình, Vĩnh Bảo (Hải Phòng) | orphan | once |
| U | 10804 | none | orphan | once |
"""

import httpx
import pytest

from shared.admin_units import legacy_territory
from shared.auth import Role
from tests.cases.factories import create_case, create_person, post_ok
from tests.conftest import TokenFactory

SPLIT = "10804"


async def _served_child(
    client: httpx.AsyncClient, headers: dict, cases: int = 1, **person: object
) -> None:
    child = await create_person(client, headers, birth_date="2016-01-01", **person)
    for _ in range(cases):
        case = await create_case(client, headers, child["id"], opened_date="2025-01-01")
        await post_ok(
            client,
            f"/api/v1/cases/{case['id']}/services",
            headers,
            {
                "service_type": "counselling",
                "funding_source": "socialised",
                "delivered_on": "2025-03-01",
            },
        )


@pytest.fixture
async def children(cases_client: httpx.AsyncClient, officer_hp: dict) -> None:
    await _served_child(
        cases_client,
        officer_hp,
        cases=2,
        categories=["orphan_without_support", "child_severe_disability"],
    )
    await _served_child(cases_client, officer_hp, ward_code=SPLIT, legacy_ward_code="10801")
    await _served_child(cases_client, officer_hp, ward_code=SPLIT, legacy_ward_code="11890")
    await _served_child(cases_client, officer_hp, ward_code=SPLIT)


def _scope(legacy: str, policy: str) -> list[tuple[str, str]]:
    params = [
        ("from", "2024-12-15"),
        ("to", "2025-12-14"),
        ("province", "31"),
        ("legacy_province", legacy),
        ("shared_wards", policy),
    ]
    return params + [("ward", w) for w in sorted(legacy_territory(legacy).ward_codes)]


async def _get(client: httpx.AsyncClient, headers: dict, what: str, params: list) -> dict:
    response = await client.get(f"/api/v1/stats/{what}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_people_once_rule_a_child_in_two_groups_with_two_cases_counts_once(
    cases_client: httpx.AsyncClient, token: TokenFactory, children: None
) -> None:
    body = await _get(
        cases_client, token(Role.SERVICE), "priority-children", _scope("30", "include")
    )
    groups = {g["category"]: g["children"] for g in body["groups"]}
    assert (groups["orphan_without_support"], groups["child_severe_disability"]) == (3, 1)
    assert (body["all_groups"]["children"], body["all_groups"]["served_socialised"]) == (3, 3)
    supported = await _get(
        cases_client, token(Role.SERVICE), "people-supported", _scope("30", "include")
    )
    assert supported["total"] == 3  # K once, though served on two cases


async def test_split_ward_rule_counts_by_legacy_commune_and_the_plan_setting(
    cases_client: httpx.AsyncClient, token: TokenFactory, children: None
) -> None:
    service = token(Role.SERVICE)

    async def children_of(legacy: str, policy: str) -> tuple[int, int]:
        body = await _get(cases_client, service, "priority-children", _scope(legacy, policy))
        return body["all_groups"]["children"], body["unmarked_in_shared_wards"]

    assert await children_of("30", "include") == (3, 1)  # K, H, U
    assert await children_of("30", "exclude") == (2, 1)  # K, H
    assert await children_of("31", "include") == (2, 1)  # P, U


async def test_breakdown_rule_people_by_current_ward_and_former_district(
    cases_client: httpx.AsyncClient, token: TokenFactory, children: None
) -> None:
    body = await _get(
        cases_client, token(Role.SERVICE), "people-supported", _scope("30", "include")
    )
    assert {i["key"]: i["count"] for i in body["by_ward"]} == {"10525": 1, SPLIT: 2}
    districts = {i["key"]: (i["count"], i["label_vi"]) for i in body["by_former_district"]}
    assert districts == {
        "288": (1, "Thành phố Hải Dương (cũ)"),
        "293": (2, "Huyện Kim Thành (cũ)"),  # H by its commune, U by the ward's HD part
    }


async def test_split_ward_rule_refuses_a_legacy_commune_that_did_not_go_into_the_ward(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    response = await cases_client.post(
        "/api/v1/persons",
        headers=officer_hp,
        params={"allow_duplicate": "true"},
        json={"full_name": "X", "sex": "male", "ward_code": SPLIT, "legacy_ward_code": "10507"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "legacy_ward_code"]

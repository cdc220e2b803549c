"""Rule 10 for facilities: ward 10804 took communes of both Hải Dương (30) and Hải Phòng (31).
A plan on a legacy province counts a facility there when the legacy commune it carries lay in
that province; one carrying none counts as the plan's setting says, and is counted apart.

| facility | legacy commune | Hải Dương plan, include | exclude | Hải Phòng, include |
|---|---|---|---|---|
| F1 | 10801 Xã Tam Kỳ (Hải Dương) | yes | yes | no |
| F2 | 11890 Xã Hòa Bình (Hải Phòng) | no | no | yes |
| F3 | none | yes | no | yes |
"""

import httpx
import pytest

from shared.admin_units import legacy_territory
from shared.auth import Role
from tests.conftest import TokenFactory
from tests.workforce.factories import facility

SPLIT = "10804"


@pytest.fixture
async def split_ward(workforce_client: httpx.AsyncClient, officer: dict) -> None:
    await facility(workforce_client, officer, code="F1", ward_code=SPLIT, legacy_ward_code="10801")
    await facility(workforce_client, officer, code="F2", ward_code=SPLIT, legacy_ward_code="11890")
    await facility(workforce_client, officer, code="F3", ward_code=SPLIT)


async def _count(
    client: httpx.AsyncClient, headers: dict, legacy: str, policy: str
) -> tuple[int, int]:
    params: list[tuple[str, str]] = [
        ("on", "2025-06-30"),
        ("province", "31"),
        ("legacy_province", legacy),
        ("shared_wards", policy),
    ]
    params += [("ward", w) for w in sorted(legacy_territory(legacy).ward_codes)]
    body = (await client.get("/api/v1/stats/facilities", params=params, headers=headers)).json()
    return body["totals"]["facilities"], body["unmarked_in_shared_wards"]


async def test_split_ward_rule_counts_by_legacy_commune_and_the_plan_setting(
    workforce_client: httpx.AsyncClient, token: TokenFactory, split_ward: None
) -> None:
    service = token(Role.SERVICE)
    assert await _count(workforce_client, service, "30", "include") == (2, 1)  # F1, F3
    assert await _count(workforce_client, service, "30", "exclude") == (1, 1)  # F1
    assert await _count(workforce_client, service, "31", "include") == (2, 1)  # F2, F3


async def test_split_ward_rule_refuses_a_legacy_commune_from_elsewhere(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    response = await workforce_client.post(
        "/api/v1/facilities",
        headers=officer,
        json={"code": "BAD", "name": "X", "kind": "school", "sector": "education",
              "ward_code": SPLIT, "legacy_ward_code": "10507"},
    )  # fmt: skip
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "legacy_ward_code"]

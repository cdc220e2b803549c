"""Workforce aggregates against a hand-counted registry."""

import httpx
import pytest

from shared.auth import Role
from tests.conftest import TokenFactory
from tests.workforce.factories import assign, create, facility, worker


def _by_kind(body: dict) -> dict[str, dict]:
    return {row["kind"]: row for row in body["rows"]}


@pytest.fixture
async def registry(workforce_client: httpx.AsyncClient, officer: dict) -> dict[str, str]:
    """Region I facilities in province 31 (see the comments for what each one holds)."""
    c = workforce_client
    # Centre: two CTXH staff; one paid 5,000,000 (≥ minimum until 2025, < minimum from 2026).
    centre = await facility(c, officer, code="CENTRE")
    # Commune: one collaborator paid 2,000,000 (≥ base wage before 07/2024, < base after).
    commune = await facility(
        c,
        officer,
        code="COMMUNE",
        kind="commune_committee",
        sector="local_government",
        in_sector=False,
        provides_services=False,
    )
    # Prison: a CTXH post that ended in 2024, so no staff in 2025.
    prison = await facility(
        c,
        officer,
        code="PRISON",
        kind="prison",
        sector="public_security",
        in_sector=False,
        provides_services=False,
        in_network_plan=True,
    )
    # Hospital: planned and providing services, staffed by a non-CTXH post only.
    hospital = await facility(
        c,
        officer,
        code="HOSP",
        kind="health_facility",
        sector="health",
        in_sector=False,
        in_network_plan=True,
    )
    a, b, d, e, f = [await worker(c, officer, full_name=n) for n in "ABDEF"]
    await assign(c, officer, a["id"], centre["id"], monthly_allowance_vnd=5_000_000)
    await assign(c, officer, b["id"], centre["id"], position_kind="part_time")
    await assign(
        c,
        officer,
        d["id"],
        commune["id"],
        position_kind="collaborator",
        start_date="2023-01-01",
        monthly_allowance_vnd=2_000_000,
    )
    await assign(c, officer, e["id"], prison["id"], end_date="2024-12-31")
    await assign(c, officer, f["id"], hospital["id"], is_ctxh=False)
    course = await create(
        c,
        "/api/v1/courses",
        officer,
        {
            "kind": "short_skills",
            "topic": "Kỹ năng tư vấn",
            "organiser": "Sở Y tế",
            "start_date": "2025-03-01",
            "end_date": "2025-03-03",
        },
    )
    degree = await create(
        c,
        "/api/v1/courses",
        officer,
        {
            "kind": "degree_university",
            "topic": "Đại học CTXH",
            "organiser": "Đại học",
            "start_date": "2021-09-01",
            "end_date": "2025-06-30",
        },
    )
    url = f"/api/v1/courses/{course['id']}/participations"
    await create(c, url, officer, {"worker_id": a["id"], "completed": True})
    await create(c, url, officer, {"worker_id": d["id"], "completed": True})
    await create(c, url, officer, {"worker_id": b["id"], "completed": False})
    await create(
        c,
        f"/api/v1/courses/{degree['id']}/participations",
        officer,
        {"worker_id": a["id"], "completed": True},
    )
    return {"centre": centre["id"], "commune": commune["id"]}


async def test_facilities_with_staff_and_wage_rule_on_a_date(
    workforce_client: httpx.AsyncClient, token: TokenFactory, registry: dict
) -> None:
    body = (
        await workforce_client.get(
            "/api/v1/stats/facilities",
            params={"on": "2025-06-30", "province": "31"},
            headers=token(Role.SERVICE),
        )
    ).json()
    rows = _by_kind(body)
    assert rows["social_assistance"]["with_ctxh_staff"] == 1
    assert rows["social_assistance"]["with_two_ctxh_staff"] == 1
    assert rows["social_assistance"]["paid_minimum_wage"] == 1  # 5,000,000 ≥ 4,960,000
    assert rows["social_assistance"]["sector_social_assistance_providing"] == 1
    assert rows["commune_committee"]["with_ctxh_staff"] == 1
    assert rows["commune_committee"]["paid_base_wage"] == 0  # 2,000,000 < 2,340,000 since 07/2024
    assert rows["prison"]["with_ctxh_staff"] == 0
    assert rows["health_facility"]["with_ctxh_staff"] == 0  # not a CTXH post
    assert sum(r["facilities"] for r in rows.values()) == 4
    assert sum(r["planned"] for r in rows.values()) == 2
    assert sum(r["planned_providing"] for r in rows.values()) == 1


async def test_wage_rule_judged_against_the_value_in_force_each_side_of_a_change(
    workforce_client: httpx.AsyncClient, token: TokenFactory, registry: dict
) -> None:
    async def rows(on: str) -> dict:
        response = await workforce_client.get(
            "/api/v1/stats/facilities",
            params={"on": on, "province": "31"},
            headers=token(Role.SERVICE),
        )
        return _by_kind(response.json())

    assert (await rows("2024-06-30"))["commune_committee"]["paid_base_wage"] == 1  # ≥ 1,800,000
    assert (await rows("2024-07-01"))["commune_committee"]["paid_base_wage"] == 0  # < 2,340,000
    assert (await rows("2025-12-31"))["social_assistance"]["paid_minimum_wage"] == 1  # ≥ 4,960,000
    assert (await rows("2026-01-01"))["social_assistance"]["paid_minimum_wage"] == 0  # < 5,310,000


async def test_workers_by_group_and_trained_in_window(
    workforce_client: httpx.AsyncClient, token: TokenFactory, registry: dict
) -> None:
    body = (
        await workforce_client.get(
            "/api/v1/stats/workers",
            params={"on": "2025-06-30", "from": "2025-01-01", "to": "2025-12-31", "province": "31"},
            headers=token(Role.SERVICE),
        )
    ).json()
    rows = {
        (r["position_kind"], r["facility_group"]): (r["workers"], r["trained"])
        for r in body["rows"]
    }
    # A (trained) and B (not completed) at the centre; D (trained) at the commune.
    assert rows == {
        ("full_time", "communes_and_sector"): (1, 1),
        ("part_time", "communes_and_sector"): (1, 0),
        ("collaborator", "communes_and_sector"): (1, 1),
    }
    assert (body["distinct_workers"], body["distinct_trained"]) == (3, 2)


async def test_training_people_and_turns_by_kind(
    workforce_client: httpx.AsyncClient, token: TokenFactory, registry: dict
) -> None:
    body = (
        await workforce_client.get(
            "/api/v1/stats/training",
            params={"from": "2025-01-01", "to": "2025-12-31"},
            headers=token(Role.SERVICE),
        )
    ).json()
    rows = {r["kind"]: (r["people"], r["turns"], r["degree"]) for r in body["rows"]}
    assert rows == {"short_skills": (2, 2, False), "degree_university": (1, 1, True)}


async def test_ministry_gets_small_worker_counts_withheld(
    workforce_client: httpx.AsyncClient, token: TokenFactory, registry: dict
) -> None:
    body = (
        await workforce_client.get(
            "/api/v1/stats/workers",
            params={"on": "2025-06-30", "from": "2025-01-01", "to": "2025-12-31", "province": "31"},
            headers=token(Role.MINISTRY),
        )
    ).json()
    assert body["suppressed"] is True
    assert body["distinct_workers"] is None

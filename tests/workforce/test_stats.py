"""Workforce aggregates against a hand-counted registry."""

import httpx
import pytest

from shared.auth import Role
from tests.conftest import TokenFactory
from tests.workforce.factories import assign, create, facility, load_regions, worker


def _by_kind(body: dict) -> dict[str, dict]:
    return {row["kind"]: row for row in body["by_kind_sector"]}


async def _stats(client: httpx.AsyncClient, headers: dict, what: str, **params: str) -> dict:
    response = await client.get(f"/api/v1/stats/{what}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


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
    body = await _stats(
        workforce_client, token(Role.SERVICE), "facilities", on="2025-06-30", province="31"
    )
    rows = _by_kind(body)
    assert rows["social_assistance"]["with_ctxh_staff"] == 1
    assert rows["social_assistance"]["with_two_ctxh_staff"] == 1
    assert rows["social_assistance"]["paid_minimum_wage"] == 1  # 5,000,000 ≥ 4,960,000 (vùng I)
    assert rows["social_assistance"]["sector_social_assistance_providing"] == 1
    assert rows["commune_committee"]["with_ctxh_staff"] == 1
    assert rows["commune_committee"]["paid_base_wage"] == 0  # 2,000,000 < 2,340,000 since 07/2024
    assert rows["prison"]["with_ctxh_staff"] == 0
    assert rows["health_facility"]["with_ctxh_staff"] == 0  # not a CTXH post
    totals = body["totals"]
    assert (totals["facilities"], totals["planned"], totals["planned_providing"]) == (4, 2, 1)
    assert totals["wage_region_unresolved"] == 0  # ward 10525 is vùng I until 31/12/2025


async def test_facilities_by_number_of_staff_and_by_kind_of_post(
    workforce_client: httpx.AsyncClient, token: TokenFactory, registry: dict
) -> None:
    body = await _stats(
        workforce_client, token(Role.SERVICE), "facilities", on="2025-06-30", province="31"
    )
    by_staff = {row["staff"]: row["facilities"] for row in body["by_staff_count"]}
    assert by_staff == {"0": 2, "1": 1, "2": 1, "3+": 0}  # prison, hospital | commune | centre
    by_kind = {row["position_kind"]: row for row in body["by_position_kind"]}
    assert by_kind["full_time"]["facilities"] == 1  # the centre (the prison's post ended)
    assert by_kind["collaborator"]["facilities"] == 1
    assert by_kind["collaborator"]["paid_base_wage"] == 0
    assert by_kind["part_time"]["paid_minimum_wage"] == 1  # the centre meets it through A


async def test_wage_rule_judged_against_the_value_in_force_each_side_of_a_change(
    workforce_client: httpx.AsyncClient, token: TokenFactory, officer: dict, registry: dict
) -> None:
    await load_regions(workforce_client, officer, [("10525", "I", "01/01/2026", "")])

    async def rows(on: str) -> dict:
        return _by_kind(
            await _stats(workforce_client, token(Role.SERVICE), "facilities", on=on, province="31")
        )

    assert (await rows("2024-06-30"))["commune_committee"]["paid_base_wage"] == 1  # ≥ 1,800,000
    assert (await rows("2024-07-01"))["commune_committee"]["paid_base_wage"] == 0  # < 2,340,000
    assert (await rows("2025-12-31"))["social_assistance"]["paid_minimum_wage"] == 1  # ≥ 4,960,000
    assert (await rows("2026-01-01"))["social_assistance"]["paid_minimum_wage"] == 0  # < 5,310,000


async def test_workers_by_group_and_trained_in_window(
    workforce_client: httpx.AsyncClient, token: TokenFactory, registry: dict
) -> None:
    body = await _stats(
        workforce_client,
        token(Role.SERVICE),
        "workers",
        on="2025-06-30",
        province="31",
        **{"from": "2025-01-01", "to": "2025-12-31"},
    )
    # A (trained) and B (not completed) at the centre; D (trained) at the commune.
    assert body["staff"] == {"workers": 3, "trained": 2}
    groups = {r["key"]: (r["workers"], r["trained"]) for r in body["by_facility_group"]}
    assert groups == {"communes_and_sector": (3, 2)}
    kinds = {r["key"]: (r["workers"], r["trained"]) for r in body["by_position_kind"]}
    assert kinds == {"full_time": (1, 1), "part_time": (1, 0), "collaborator": (1, 1)}
    assert [(r["key"], r["workers"]) for r in body["by_ward"]] == [("10525", 3)]
    assert body["volunteers"] == {"workers": 0, "trained": 0}


async def test_training_people_and_turns_by_kind(
    workforce_client: httpx.AsyncClient, token: TokenFactory, registry: dict
) -> None:
    body = await _stats(
        workforce_client,
        token(Role.SERVICE),
        "training",
        **{"from": "2025-01-01", "to": "2025-12-31"},
    )
    rows = {r["key"]: (r["people"], r["turns"]) for r in body["by_kind"]}
    assert rows == {"short_skills": (2, 2), "degree_university": (1, 1)}
    assert (body["totals"]["degree_people"], body["totals"]["short_turns"]) == (1, 2)


async def test_worker_counts_never_leave_the_province(
    workforce_client: httpx.AsyncClient, token: TokenFactory, registry: dict
) -> None:
    """The ministry gets the plans' figures from reporting, through its disclosure control."""
    window = {"on": "2025-06-30", "province": "31", "from": "2025-01-01", "to": "2025-12-31"}
    for what in ("workers", "training"):
        response = await workforce_client.get(
            f"/api/v1/stats/{what}", params=window, headers=token(Role.MINISTRY)
        )
        assert response.status_code == 403, what

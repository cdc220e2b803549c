"""Assignments and allowances: dates, overlaps, and a history that is never overwritten."""

from uuid import UUID

import httpx

from services.workforce.worker.models import worker_t
from tests.workforce.factories import assign, facility, worker


async def test_allowance_changes_keep_the_earlier_periods(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    place = await facility(workforce_client, officer)
    person = await worker(workforce_client, officer)
    created = await assign(
        workforce_client,
        officer,
        person["id"],
        place["id"],
        monthly_allowance_vnd=1_800_000,
        start_date="2023-07-01",
    )
    url = f"/api/v1/assignments/{created['id']}/allowances"
    raised = await workforce_client.post(
        url, json={"amount_vnd": 2_340_000, "start_date": "2024-07-01"}, headers=officer
    )
    assert raised.status_code == 200
    assert raised.json()["allowances"] == [
        {"amount_vnd": 1_800_000, "start_date": "2023-07-01", "end_date": "2024-06-30"},
        {"amount_vnd": 2_340_000, "start_date": "2024-07-01", "end_date": None},
    ]
    earlier = await workforce_client.post(
        url, json={"amount_vnd": 1, "start_date": "2024-01-01"}, headers=officer
    )
    assert earlier.status_code == 422


async def test_ending_an_assignment_ends_its_allowance_and_is_in_history(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    place = await facility(workforce_client, officer)
    person = await worker(workforce_client, officer)
    created = await assign(
        workforce_client, officer, person["id"], place["id"], monthly_allowance_vnd=2_000_000
    )
    ended = await workforce_client.patch(
        f"/api/v1/assignments/{created['id']}",
        json={"end_date": "2025-06-30"},
        headers={**officer, "If-Match": '"1"'},
    )
    assert ended.status_code == 200
    assert ended.json()["end_date"] == "2025-06-30"
    assert ended.json()["allowances"][0]["end_date"] == "2025-06-30"
    again = await assign(
        workforce_client,
        officer,
        person["id"],
        place["id"],
        start_date="2025-07-01",
        position_kind="collaborator",
    )
    listed = await workforce_client.get(
        f"/api/v1/workers/{person['id']}/assignments", headers=officer
    )
    assert [a["id"] for a in listed.json()["items"]] == [created["id"], again["id"]]


async def test_assignment_ending_before_it_starts_is_422(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    place = await facility(workforce_client, officer)
    person = await worker(workforce_client, officer)
    response = await workforce_client.post(
        f"/api/v1/workers/{person['id']}/assignments",
        headers=officer,
        json={
            "facility_id": place["id"],
            "position_kind": "full_time",
            "start_date": "2025-05-01",
            "end_date": "2025-01-01",
            "monthly_allowance_vnd": -3,
        },
    )
    assert response.status_code == 422
    assert {e["loc"][1] for e in response.json()["errors"]} == {"end_date", "monthly_allowance_vnd"}


async def test_overlapping_assignment_at_the_same_facility_is_409(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    place = await facility(workforce_client, officer)
    elsewhere = await facility(workforce_client, officer)
    person = await worker(workforce_client, officer)
    first = await assign(
        workforce_client, officer, person["id"], place["id"], start_date="2024-01-01"
    )
    response = await workforce_client.post(
        f"/api/v1/workers/{person['id']}/assignments",
        headers=officer,
        json={"facility_id": place["id"], "position_kind": "part_time", "start_date": "2025-01-01"},
    )
    assert response.status_code == 409
    assert response.json()["existing_id"] == first["id"]
    parallel = await assign(
        workforce_client,
        officer,
        person["id"],
        elsewhere["id"],
        start_date="2025-01-01",
        position_kind="collaborator",
    )
    assert parallel["facility_id"] == elsewhere["id"]


async def test_wage_rates_in_force_follow_their_dates(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    before = await workforce_client.get(
        "/api/v1/wage-rates/in-force", params={"on": "2025-12-31", "region": 1}, headers=officer
    )
    after = await workforce_client.get(
        "/api/v1/wage-rates/in-force", params={"on": "2026-01-01", "region": 1}, headers=officer
    )
    assert (before.json()["base"], before.json()["regional_minimum"]) == (2_340_000, 4_960_000)
    assert after.json()["regional_minimum"] == 5_310_000


async def test_only_an_admin_adds_wage_rates(
    workforce_client: httpx.AsyncClient, officer: dict, token
) -> None:
    from shared.auth import Role

    body = {"kind": "base", "region": 0, "amount_vnd": 2_600_000, "effective_from": "2027-07-01"}
    assert (
        await workforce_client.post("/api/v1/wage-rates", json=body, headers=officer)
    ).status_code == 403
    created = await workforce_client.post(
        "/api/v1/wage-rates", json=body, headers=token(Role.ADMIN)
    )
    assert created.status_code == 201
    later = await workforce_client.get(
        "/api/v1/wage-rates/in-force", params={"on": "2027-08-01", "region": 2}, headers=officer
    )
    assert later.json()["base"] == 2_600_000


async def test_worker_history_shows_positions_and_allowances_with_who(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    place = await facility(workforce_client, officer)
    person = await worker(workforce_client, officer)
    created = await assign(
        workforce_client, officer, person["id"], place["id"], monthly_allowance_vnd=1_000_000
    )
    await workforce_client.post(
        f"/api/v1/assignments/{created['id']}/allowances",
        json={"amount_vnd": 1_500_000, "start_date": "2025-01-01"},
        headers=officer,
    )
    events = (
        await workforce_client.get(f"/api/v1/workers/{person['id']}/history", headers=officer)
    ).json()["items"]
    assert [(e["entity_type"], e["action"]) for e in events] == [
        ("worker", "created"),
        ("assignment", "created"),
        ("assignment", "allowance_changed"),
    ]
    assert events[2]["changes"]["amount_vnd"] == [1_000_000, 1_500_000]
    assert {e["actor"] for e in events} == {"dev-province_officer"}


async def test_supervision_of_a_worker_is_recorded_and_listed(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    person = await worker(workforce_client, officer)
    nobody = await workforce_client.post(
        "/api/v1/supervisions",
        headers=officer,
        json={"checked_on": "2025-05-01", "finding": "compliant"},
    )
    assert nobody.status_code == 422
    created = await workforce_client.post(
        "/api/v1/supervisions",
        headers=officer,
        json={
            "worker_id": person["id"],
            "checked_on": "2025-05-01",
            "finding": "minor_issues",
            "follow_up": "Bổ sung sổ ghi chép",
            "follow_up_due": "2025-06-01",
        },
    )
    assert created.status_code == 201
    listed = await workforce_client.get(
        "/api/v1/supervisions", params={"worker_id": person["id"]}, headers=officer
    )
    assert [s["finding"] for s in listed.json()["items"]] == ["minor_issues"]


async def test_wage_rates_list_from_the_migration(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    rates = (await workforce_client.get("/api/v1/wage-rates", headers=officer)).json()["items"]
    base = [(r["amount_vnd"], r["effective_from"]) for r in rates if r["kind"] == "base"]
    assert base == [(1_490_000, "2019-07-01"), (1_800_000, "2023-07-01"), (2_340_000, "2024-07-01")]


async def test_a_post_at_another_provinces_facility_is_not_changed_by_this_province(
    workforce_client: httpx.AsyncClient, officer: dict, other_officer: dict
) -> None:
    """A worker who moved to province 52 keeps their post at a facility of 31: 52's officers
    read it with the worker, but only 31 (whose registry it is) may end it or pay it."""
    place = await facility(workforce_client, officer)
    person = await worker(workforce_client, officer)
    post = await assign(workforce_client, officer, person["id"], place["id"])
    await workforce_client.session.execute(  # type: ignore[attr-defined]
        worker_t.update().where(worker_t.c.id == UUID(person["id"])).values(province_code="52")
    )
    listed = await workforce_client.get(
        f"/api/v1/workers/{person['id']}/assignments", headers=other_officer
    )
    assert [a["id"] for a in listed.json()["items"]] == [post["id"]]
    ended = await workforce_client.patch(
        f"/api/v1/assignments/{post['id']}",
        json={"end_date": "2025-06-30"},
        headers={**other_officer, "If-Match": '"1"'},
    )
    assert ended.status_code == 403, ended.text
    paid = await workforce_client.post(
        f"/api/v1/assignments/{post['id']}/allowances",
        json={"amount_vnd": 2_340_000, "start_date": "2024-07-01"},
        headers=other_officer,
    )
    assert paid.status_code == 403, paid.text

"""Rule 1 of the plans' numbers: who is CTXH staff, on which dates, counted as people.

Hand-counted registry, all in ward 10525 (province 31), read on 30/06/2025:

| who | post | counts on 30/06/2025 |
|---|---|---|
| A | full-time at the centre AND collaborator at the commune | yes, once |
| V | volunteer at the centre | no: volunteers column |
| R | full-time at the commune, retired 31/05/2025 | no |
| X | part-time at the commune, archived today | yes (archived later) |
| Q | part-time at a centre closed on 31/03/2025 | no |
| S | full-time at a school that opens on 01/09/2025 | no |
"""

import httpx
import pytest

from shared.auth import Role
from shared.dates import today_in_vietnam
from tests.conftest import TokenFactory
from tests.workforce.factories import assign, create, facility, worker

ON = "2025-06-30"


async def _patch(client: httpx.AsyncClient, headers: dict, url: str, body: dict) -> dict:
    current = await client.get(url, headers=headers)
    response = await client.patch(
        url, json=body, headers={**headers, "If-Match": current.headers["ETag"]}
    )
    assert response.status_code == 200, response.text
    return response.json()


async def _archive(client: httpx.AsyncClient, headers: dict, url: str) -> None:
    current = await client.get(url, headers=headers)
    response = await client.post(
        f"{url}/archive", headers={**headers, "If-Match": current.headers["ETag"]}
    )
    assert response.status_code == 200, response.text


@pytest.fixture
async def staffed(workforce_client: httpx.AsyncClient, officer: dict) -> dict:
    c = workforce_client
    centre = await facility(c, officer, code="CENTRE")
    commune = await facility(
        c,
        officer,
        code="COMMUNE",
        kind="commune_committee",
        sector="local_government",
        in_sector=False,
        provides_services=False,
    )
    closed = await facility(c, officer, code="CLOSED")
    school = await facility(
        c,
        officer,
        code="SCHOOL",
        kind="school",
        sector="education",
        in_sector=False,
        active_from="2025-09-01",
    )
    people = {n: await worker(c, officer, full_name=n) for n in ("A", "V", "R", "X", "Q", "S")}
    ids = {n: p["id"] for n, p in people.items()}
    await assign(c, officer, ids["A"], centre["id"], monthly_allowance_vnd=5_000_000)
    await assign(c, officer, ids["A"], commune["id"], position_kind="collaborator")
    await assign(c, officer, ids["V"], centre["id"], position_kind="volunteer")
    r_post = await assign(c, officer, ids["R"], commune["id"])
    x_post = await assign(c, officer, ids["X"], commune["id"], position_kind="part_time")
    q_post = await assign(c, officer, ids["Q"], closed["id"], position_kind="part_time")
    await assign(c, officer, ids["S"], school["id"])
    course = await create(
        c,
        "/api/v1/courses",
        officer,
        {
            "kind": "short_skills",
            "topic": "Tư vấn",
            "organiser": "Sở Y tế",
            "start_date": "2025-03-01",
            "end_date": "2025-03-03",
        },
    )
    for name in ("A", "V"):
        await create(
            c,
            f"/api/v1/courses/{course['id']}/participations",
            officer,
            {"worker_id": ids[name], "completed": True},
        )
    await _patch(
        c,
        officer,
        f"/api/v1/workers/{ids['R']}",
        {"status": "retired", "status_date": "2025-05-31"},
    )
    await _archive(c, officer, f"/api/v1/workers/{ids['X']}")
    await _patch(c, officer, f"/api/v1/facilities/{closed['id']}", {"active_to": "2025-03-31"})
    return {
        **ids,
        "r_post": r_post["id"],
        "x_post": x_post["id"],
        "q_post": q_post["id"],
        "closed": closed["id"],
    }


async def _workers(client: httpx.AsyncClient, headers: dict, on: str) -> dict:
    params = {"on": on, "province": "31", "from": "2025-01-01", "to": "2025-12-31"}
    response = await client.get("/api/v1/stats/workers", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def _facilities(client: httpx.AsyncClient, headers: dict, on: str) -> dict:
    params = {"on": on, "province": "31"}
    response = await client.get("/api/v1/stats/facilities", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_staff_rule_counts_each_person_once_and_volunteers_apart(
    workforce_client: httpx.AsyncClient, token: TokenFactory, staffed: dict
) -> None:
    body = await _workers(workforce_client, token(Role.SERVICE), ON)
    assert body["staff"] == {"workers": 2, "trained": 1}  # A and X; A trained
    assert body["volunteers"] == {"workers": 1, "trained": 1}  # V
    kinds = {r["key"]: r["workers"] for r in body["by_position_kind"]}
    assert kinds == {"full_time": 1, "collaborator": 1, "part_time": 1}  # A twice, X
    groups = {r["key"]: r["workers"] for r in body["by_facility_group"]}
    assert groups == {"communes_and_sector": 2}  # A once, though at two facilities


async def test_staff_rule_facilities_count_staff_not_volunteers(
    workforce_client: httpx.AsyncClient, token: TokenFactory, staffed: dict
) -> None:
    body = await _facilities(workforce_client, token(Role.SERVICE), ON)
    # The closed centre and the school not yet open are not facilities on the date.
    assert body["totals"]["facilities"] == 2
    by_staff = {row["staff"]: row["facilities"] for row in body["by_staff_count"]}
    assert by_staff == {"0": 0, "1": 1, "2": 1, "3+": 0}  # centre: A (not V); commune: A, X


async def test_staff_rule_retired_worker_is_not_staff_from_the_date_and_the_post_ends(
    workforce_client: httpx.AsyncClient, officer: dict, token: TokenFactory, staffed: dict
) -> None:
    before = await _workers(workforce_client, token(Role.SERVICE), "2025-05-30")
    on_the_day = await _workers(workforce_client, token(Role.SERVICE), "2025-05-31")
    assert before["staff"]["workers"] - on_the_day["staff"]["workers"] == 1
    post = (
        await workforce_client.get(f"/api/v1/assignments/{staffed['r_post']}", headers=officer)
    ).json()
    assert post["end_date"] == "2025-05-31"
    history = (
        await workforce_client.get(f"/api/v1/workers/{staffed['R']}/history", headers=officer)
    ).json()["items"]
    ended = [e for e in history if e["action"] == "ended"]
    assert ended[0]["changes"]["because"] == "worker_retired"


async def test_staff_rule_archiving_a_worker_ends_open_posts_that_day(
    workforce_client: httpx.AsyncClient, officer: dict, token: TokenFactory, staffed: dict
) -> None:
    today = today_in_vietnam().isoformat()
    post = (
        await workforce_client.get(f"/api/v1/assignments/{staffed['x_post']}", headers=officer)
    ).json()
    assert post["end_date"] == today
    worker = (await workforce_client.get(f"/api/v1/workers/{staffed['X']}", headers=officer)).json()
    assert worker["left_on"] == today
    now = await _workers(workforce_client, token(Role.SERVICE), today)
    assert now["staff"]["workers"] == 2  # A, and S now that the school is open
    history = (
        await workforce_client.get(f"/api/v1/workers/{staffed['X']}/history", headers=officer)
    ).json()["items"]
    assert ("ended", "worker_archived") in {
        (e["action"], e["changes"].get("because")) for e in history
    }


async def test_staff_rule_closing_a_facility_ends_its_posts_on_the_closing_date(
    workforce_client: httpx.AsyncClient, officer: dict, token: TokenFactory, staffed: dict
) -> None:
    post = (
        await workforce_client.get(f"/api/v1/assignments/{staffed['q_post']}", headers=officer)
    ).json()
    assert post["end_date"] == "2025-03-31"
    while_open = await _workers(workforce_client, token(Role.SERVICE), "2025-03-15")
    assert while_open["staff"]["workers"] == 4  # A, R, X and Q
    history = (
        await workforce_client.get(
            f"/api/v1/facilities/{staffed['closed']}/history", headers=officer
        )
    ).json()["items"]
    assert history[-1]["action"] == "positions_ended"


async def test_staff_rule_no_new_post_after_leaving_or_closing(
    workforce_client: httpx.AsyncClient, officer: dict, staffed: dict
) -> None:
    after_leaving = await workforce_client.post(
        f"/api/v1/workers/{staffed['R']}/assignments",
        headers=officer,
        json={
            "facility_id": staffed["closed"],
            "position_kind": "full_time",
            "start_date": "2025-07-01",
        },
    )
    assert after_leaving.status_code == 422
    assert after_leaving.json()["errors"][0]["loc"] == ["body", "start_date"]
    after_closing = await workforce_client.post(
        f"/api/v1/workers/{staffed['A']}/assignments",
        headers=officer,
        json={
            "facility_id": staffed["closed"],
            "position_kind": "full_time",
            "start_date": "2025-04-01",
        },
    )
    assert after_closing.status_code == 422

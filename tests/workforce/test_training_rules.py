"""Rules 1, 2, 4 and 5 for training: a course counts when its participant held a CTXH staff
post on the day they completed it; people are counted once over every degree level (#6);
#8 counts people whose post that day was at a health or social service facility, whether or
not they still hold it.

| who | training | post on the day they completed | counts for |
|---|---|---|---|
| P1 | intermediate (30/06/2023) and university (30/06/2025) degrees | part-time, school | #6 once |
| P2 | university degree (30/06/2025) | part-time at the school | #6 |
| H | short course 02/05/2024 | full-time at the hospital; retired 31/01/2025 | #8, #9 |
| N | short course 02/05/2024 | full-time at the school | #9 |
| W | short course 02/05/2024 | none: joined the hospital 01/06/2024 | — |
| O | short course 02/05/2024 | volunteer at the hospital | — |
| R | short course 02/05/2024 | nurse at the hospital, not a CTXH post | #8 only |
"""

import httpx
import pytest

from shared.auth import Role
from tests.conftest import TokenFactory
from tests.workforce.factories import assign, create, facility, worker

PLAN = {"from": "2021-01-01", "to": "2025-12-31"}


async def _course(client: httpx.AsyncClient, headers: dict, kind: str, start: str, end: str):
    body = {
        "kind": kind,
        "topic": kind,
        "organiser": "Sở Y tế",
        "start_date": start,
        "end_date": end,
    }
    return await create(client, "/api/v1/courses", headers, body)


async def _completes(client: httpx.AsyncClient, headers: dict, course: dict, *ids: str) -> None:
    for worker_id in ids:
        await create(
            client,
            f"/api/v1/courses/{course['id']}/participations",
            headers,
            {"worker_id": worker_id, "completed": True},
        )


@pytest.fixture
async def trained(workforce_client: httpx.AsyncClient, officer: dict) -> dict:
    c = workforce_client
    hospital = await facility(
        c, officer, code="HOSP", kind="health_facility", sector="health", in_sector=False
    )
    school = await facility(
        c,
        officer,
        code="SCHOOL",
        kind="school",
        sector="education",
        in_sector=False,
        provides_services=True,
    )
    names = ("P1", "P2", "H", "N", "W", "O", "R")
    ids = {n: (await worker(c, officer, full_name=n))["id"] for n in names}
    for name in ("P1", "P2"):
        await assign(
            c, officer, ids[name], school["id"], start_date="2021-01-01", position_kind="part_time"
        )
    await assign(c, officer, ids["H"], hospital["id"], start_date="2022-01-01")
    await assign(c, officer, ids["N"], school["id"], start_date="2022-01-01")
    await assign(c, officer, ids["W"], hospital["id"], start_date="2024-06-01")
    await assign(
        c, officer, ids["O"], hospital["id"], start_date="2022-01-01", position_kind="volunteer"
    )
    await assign(c, officer, ids["R"], hospital["id"], start_date="2022-01-01", is_ctxh=False)
    intermediate = await _course(c, officer, "degree_intermediate", "2021-09-01", "2023-06-30")
    university = await _course(c, officer, "degree_university", "2023-09-01", "2025-06-30")
    short = await _course(c, officer, "short_skills", "2024-05-01", "2024-05-02")
    await _completes(c, officer, intermediate, ids["P1"])
    await _completes(c, officer, university, ids["P1"], ids["P2"])
    await _completes(c, officer, short, ids["H"], ids["N"], ids["W"], ids["O"], ids["R"])
    worker_url = f"/api/v1/workers/{ids['H']}"
    etag = (await c.get(worker_url, headers=officer)).headers["ETag"]
    retired = await c.patch(
        worker_url,
        json={"status": "retired", "status_date": "2025-01-31"},
        headers={**officer, "If-Match": etag},
    )
    assert retired.status_code == 200
    return ids


async def _get(client: httpx.AsyncClient, headers: dict, what: str, **params: str) -> dict:
    response = await client.get(
        f"/api/v1/stats/{what}", params={"province": "31", **params}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_degree_rule_counts_a_person_with_two_degrees_once(
    workforce_client: httpx.AsyncClient, token: TokenFactory, trained: dict
) -> None:
    body = await _get(workforce_client, token(Role.SERVICE), "training", **PLAN)
    assert body["totals"]["degree_people"] == 2  # P1 and P2, not 3
    kinds = {r["key"]: (r["people"], r["turns"]) for r in body["by_kind"]}
    assert kinds["degree_intermediate"] == (1, 1)
    assert kinds["degree_university"] == (2, 2)
    assert body["totals"]["short_turns"] == 2  # H and N: not W (no post yet), O, R (no CTXH post)


async def test_degree_rule_counts_people_of_each_year_window(
    workforce_client: httpx.AsyncClient, token: TokenFactory, trained: dict
) -> None:
    year_2023 = await _get(
        workforce_client,
        token(Role.SERVICE),
        "training",
        **{"from": "2022-12-15", "to": "2023-12-14"},
    )
    year_2025 = await _get(
        workforce_client,
        token(Role.SERVICE),
        "training",
        **{"from": "2024-12-15", "to": "2025-12-14"},
    )
    assert (year_2023["totals"]["degree_people"], year_2025["totals"]["degree_people"]) == (1, 2)


async def test_service_staff_rule_counts_people_trained_in_post_even_after_leaving(
    workforce_client: httpx.AsyncClient, token: TokenFactory, trained: dict
) -> None:
    body = await _get(workforce_client, token(Role.SERVICE), "service-staff-trained", **PLAN)
    # H, and R (the plan counts the hospital's health staff, CTXH post or not);
    # not N (school), W (not yet in post), O (volunteer).
    assert body["totals"]["people"] == 2
    assert [(r["key"], r["people"]) for r in body["by_ward"]] == [("10525", 2)]


async def test_training_counts_only_staff_on_the_day_they_completed(
    workforce_client: httpx.AsyncClient, token: TokenFactory, trained: dict
) -> None:
    body = await _get(workforce_client, token(Role.SERVICE), "training", **PLAN)
    assert (body["totals"]["people"], body["totals"]["turns"]) == (4, 5)  # P1 twice, P2, H, N
    wards = {r["key"]: r["short_turns"] for r in body["by_ward"]}
    assert wards == {"10525": 2}  # where H and N worked


async def test_a_course_code_taken_answers_its_own_conflict(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    body = {"kind": "short_skills", "topic": "Kỹ năng", "organiser": "Sở Y tế", "code": "TH-01"}
    dates = {"start_date": "2025-03-01", "end_date": "2025-03-02"}
    await create(workforce_client, "/api/v1/courses", officer, {**body, **dates})
    again = await workforce_client.post(
        "/api/v1/courses", json={**body, **dates, "topic": "Khác"}, headers=officer
    )
    assert again.status_code == 409, again.text
    assert again.json()["code"] == "course_code_exists"

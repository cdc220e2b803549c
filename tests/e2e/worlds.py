"""Two provinces built by hand through the public APIs of the real services, for the seed
plans. Every indicator is counted on paper in tests/e2e/test_reporting.py from these tables.

Bình Định (legacy 52, now in Gia Lai 52). Ward BD_WARD (Quy Nhơn) is in the territory,
GL_WARD (former Gia Lai) is not. Posts start 01/01/2022 unless said.

| facility | kind | notes |
|---|---|---|
| F1 | social assistance of the sector, provides services, in the plan | |
| F2 | commune People's Committee | |
| F3 | school, in the network plan | |
| F4 | hospital in GL_WARD, in the plan, provides | outside |
| F5 | prison | |
| F6 | social assistance, provides | closed 30/06/2025 |
| F7 | hospital, provides | |

| worker | posts | training (completed on the course's last day) |
|---|---|---|
| W1 | full-time F1, 2,500,000 | degree 30/06/2025; in-depth 03/2025; short 05/2024, 05/2025 |
| W2 | part-time F1, 1,000,000 | short 05/2023; in-depth 03/2025; short 05/2025 |
| W3 | collaborator F2, 2,000,000, and part-time F5: two posts | — |
| W4 | full-time F4 (outside), 3,000,000 | university degree; short 05/2025 |
| W5 | volunteer F2 | short 05/2025 |
| W6 | full-time F6, 3,000,000: ends when F6 closes | — |
| W7 | full-time F7; retired 31/03/2025 | short 05/2024, in post |
| W8 | part-time F1; archived today | — |
| W9 | collaborator F2 from 01/01/2021 | intermediate 30/06/2022 and university 30/06/2025 degrees |

| person | place | group | services (funding, date) |
|---|---|---|---|
| A | BD_WARD | orphan | socialised 10/03/2025 |
| B | BD_WARD | abandoned | state budget 10/03/2025 |
| C | BD_WARD | severe disability | socialised 01/02/2025 |
| D | BD_WARD | disaster | — |
| E | BD_WARD, born 1950 | older person | state budget 04/04/2025 |
| G | GL_WARD | orphan | socialised 10/03/2025 (outside) |
| X | BD_WARD | orphan | socialised 05/05/2025 on a case then archived |
| Y | BD_WARD, born 1950 | older person | state budget 01/06/2023 and 01/06/2024 |

Baseline 2020 for #4: 3 people.

Hải Dương (legacy 30, now in Hải Phòng 31). HD_WARD is former Hải Dương, HP_WARD former
Hải Phòng (outside); SPLIT (10804) took communes of both, and has no shipped wage region.

| facility | kind | place |
|---|---|---|
| H1 | commune People's Committee | HD_WARD |
| H2 | prison | HD_WARD |
| H3 | social assistance, of the sector, provides, in the plan | HD_WARD |
| H4 | social assistance, of the sector, provides | SPLIT, legacy commune 10801 (Hải Dương) |
| H5 | school | SPLIT, legacy commune 11890 (Hải Phòng): outside |
| H6 | school, in the plan | SPLIT, no legacy commune: counted (the plan includes) |
| H7 | social assistance | HP_WARD: outside |

| worker | posts | training |
|---|---|---|
| K1 | full-time H1, 5,000,000 (≥ 4,960,000, vùng I) | short 05/2025 |
| K2 | full-time H2, 1,000,000, and part-time H1: both groups | — |
| K3 | full-time H4, 6,000,000 | — |
| K4 | volunteer H1 | — |
| K5 | full-time H7 (outside) | — |
| K6 | full-time H5 (outside) | — |

| person | place | group | services |
|---|---|---|---|
| Q1 | HD_WARD | orphan | socialised 10/03/2025 |
| Q2 | HP_WARD | abandoned | — (outside) |
| Q3 | SPLIT, legacy 10801 | orphan | socialised 01/04/2025 |
| Q4 | SPLIT, legacy 11890 | orphan | socialised 01/04/2025 (outside) |
| Q5 | SPLIT, no legacy commune | orphan | state budget 01/04/2025 |
| Q6 | HD_WARD | HIV | socialised 05/05/2025 on a case then archived |
| Q7 | HD_WARD, born 1950 | older person | state budget 05/12/2025 (after 30/11) |

Baseline 2020 for #4: 3 people.
"""

from typing import Any

import httpx

from tests.reporting.helpers import (
    BD_WARD,
    GL_WARD,
    HD_WARD,
    HP_WARD,
    change,
    child,
    facility,
    post,
    post_position,
    staff,
)

SPLIT = "10804"
OUTSIDE = {"in_sector": False, "provides_services": False}


async def course(
    workforce: httpx.AsyncClient, headers: dict, kind: str, start: str, end: str, people: list
) -> None:
    body = {
        "kind": kind,
        "topic": kind,
        "organiser": "Sở Y tế",
        "start_date": start,
        "end_date": end,
    }
    created = await post(workforce, "/api/v1/courses", headers, body)
    for worker in people:
        await post(
            workforce,
            f"/api/v1/courses/{created['id']}/participations",
            headers,
            {"worker_id": worker["id"], "completed": True, "completed_on": end},
        )


async def baseline(reporting: httpx.AsyncClient, headers: dict, legacy: str, value: int) -> None:
    body = {
        "territory_scheme": "legacy",
        "territory_code": legacy,
        "metric": "people_supported",
        "period_id": "2020",
        "value": value,
    }
    response = await reporting.put("/api/v1/manual-values", headers=headers, json=body)
    assert response.status_code == 200, response.text


async def binh_dinh_workforce(w: httpx.AsyncClient, gl: dict) -> None:
    f1 = await facility(w, gl, BD_WARD, in_network_plan=True)
    f2 = await facility(
        w, gl, BD_WARD, kind="commune_committee", sector="local_government", **OUTSIDE
    )
    await facility(
        w, gl, BD_WARD, kind="school", sector="education", in_network_plan=True, **OUTSIDE
    )
    f4 = await facility(
        w, gl, GL_WARD, kind="health_facility", sector="health", in_network_plan=True
    )
    f5 = await facility(w, gl, BD_WARD, kind="prison", sector="public_security", **OUTSIDE)
    f6 = await facility(w, gl, BD_WARD)
    f7 = await facility(w, gl, BD_WARD, kind="health_facility", sector="health", in_sector=False)
    w1 = await staff(w, gl, f1["id"], 2_500_000)
    w2 = await staff(w, gl, f1["id"], 1_000_000, position_kind="part_time")
    w3 = await staff(w, gl, f2["id"], 2_000_000, position_kind="collaborator")
    await post_position(w, gl, w3, f5["id"], position_kind="part_time")
    w4 = await staff(w, gl, f4["id"], 3_000_000)
    w5 = await staff(w, gl, f2["id"], None, position_kind="volunteer")
    await staff(w, gl, f6["id"], 3_000_000)
    w7 = await staff(w, gl, f7["id"], None)
    w8 = await staff(w, gl, f1["id"], None, position_kind="part_time")
    w9 = await staff(w, gl, f2["id"], None, position_kind="collaborator", start_date="2021-01-01")
    await course(w, gl, "degree_intermediate", "2020-09-01", "2022-06-30", [w9])
    await course(w, gl, "degree_university", "2021-09-01", "2025-06-30", [w1, w4, w9])
    await course(w, gl, "in_depth_skills", "2025-03-01", "2025-03-03", [w1, w2])
    await course(w, gl, "short_skills", "2025-05-01", "2025-05-02", [w1, w2, w4, w5])
    await course(w, gl, "short_skills", "2024-05-01", "2024-05-02", [w1, w7])
    await course(w, gl, "short_skills", "2023-05-01", "2023-05-02", [w2])
    await change(w, gl, f"/api/v1/facilities/{f6['id']}", {"active_to": "2025-06-30"})
    retired = {"status": "retired", "status_date": "2025-03-31"}
    await change(w, gl, f"/api/v1/workers/{w7['id']}", retired)
    await change(w, gl, f"/api/v1/workers/{w8['id']}/archive")


async def binh_dinh_cases(c: httpx.AsyncClient, gl: dict) -> None:
    await child(c, gl, BD_WARD, "orphan_without_support", [("socialised", "2025-03-10")])
    await child(c, gl, BD_WARD, "abandoned_child", [("state_budget", "2025-03-10")])
    await child(c, gl, BD_WARD, "child_severe_disability", [("socialised", "2025-02-01")])
    await child(c, gl, BD_WARD, "child_disaster_affected")
    await child(c, gl, BD_WARD, "older_person", [("state_budget", "2025-04-04")], born="1950-01-01")
    await child(c, gl, GL_WARD, "orphan_without_support", [("socialised", "2025-03-10")])
    x = await child(c, gl, BD_WARD, "orphan_without_support", [("socialised", "2025-05-05")])
    await change(c, gl, f"/api/v1/cases/{x['case']['id']}/archive")
    services = [("state_budget", "2023-06-01"), ("state_budget", "2024-06-01")]
    await child(c, gl, BD_WARD, "older_person", services, born="1950-01-01", opened="2023-01-01")


async def hai_duong_workforce(w: httpx.AsyncClient, hp: dict) -> None:
    h1 = await facility(
        w, hp, HD_WARD, kind="commune_committee", sector="local_government", **OUTSIDE
    )
    h2 = await facility(w, hp, HD_WARD, kind="prison", sector="public_security", **OUTSIDE)
    await facility(w, hp, HD_WARD, in_network_plan=True)
    h4 = await facility(w, hp, SPLIT, legacy_ward_code="10801")
    h5 = await facility(w, hp, SPLIT, kind="school", sector="education", legacy_ward_code="11890")
    await facility(w, hp, SPLIT, kind="school", sector="education", in_network_plan=True, **OUTSIDE)
    h7 = await facility(w, hp, HP_WARD)
    k1 = await staff(w, hp, h1["id"], 5_000_000)
    k2 = await staff(w, hp, h2["id"], 1_000_000)
    await post_position(w, hp, k2, h1["id"], position_kind="part_time")
    await staff(w, hp, h4["id"], 6_000_000)
    await staff(w, hp, h1["id"], None, position_kind="volunteer")
    await staff(w, hp, h7["id"], 6_000_000)
    await staff(w, hp, h5["id"], None)
    await course(w, hp, "short_skills", "2025-05-01", "2025-05-02", [k1])


async def hai_duong_cases(c: httpx.AsyncClient, hp: dict) -> None:
    await child(c, hp, HD_WARD, "orphan_without_support", [("socialised", "2025-03-10")])
    await child(c, hp, HP_WARD, "abandoned_child")
    for legacy, funding in (
        ("10801", "socialised"),
        ("11890", "socialised"),
        (None, "state_budget"),
    ):
        await child(
            c, hp, SPLIT, "orphan_without_support", [(funding, "2025-04-01")], legacy_ward=legacy
        )
    q6 = await child(c, hp, HD_WARD, "child_with_hiv", [("socialised", "2025-05-05")])
    await change(c, hp, f"/api/v1/cases/{q6['case']['id']}/archive")
    await child(c, hp, HD_WARD, "older_person", [("state_budget", "2025-12-05")], born="1950-01-01")


async def build(clients: Any, gl: dict, hp: dict) -> None:
    await binh_dinh_workforce(clients.workforce, gl)
    await binh_dinh_cases(clients.cases, gl)
    await baseline(clients.reporting, gl, "52", 3)
    await hai_duong_workforce(clients.workforce, hp)
    await hai_duong_cases(clients.cases, hp)
    await baseline(clients.reporting, hp, "30", 3)

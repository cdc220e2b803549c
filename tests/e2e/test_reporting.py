"""Every indicator, computed by the real reporting process from the real cases and workforce
processes, against numbers counted by hand, for both seed plans' legacy territories."""

from collections.abc import AsyncIterator

import httpx
import pytest

from services.reporting.plan.service import seed_plans
from tests.e2e.conftest import Stack
from tests.reporting.helpers import (
    BD_WARD,
    GL_WARD,
    HD_WARD,
    HP_WARD,
    child,
    facility,
    post,
    staff,
    value,
)

pytestmark = pytest.mark.e2e
IN_2025 = "2025-03-10"


class Clients:
    def __init__(self, stack: Stack) -> None:
        self.cases = httpx.AsyncClient(base_url=stack.url("cases"), timeout=30)
        self.workforce = httpx.AsyncClient(base_url=stack.url("workforce"), timeout=30)
        self.reporting = httpx.AsyncClient(base_url=stack.url("reporting"), timeout=30)

    async def close(self) -> None:
        for client in (self.cases, self.workforce, self.reporting):
            await client.aclose()


def _headers(stack: Stack, *args: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {stack.ctxh('token', *args)}"}


@pytest.fixture(scope="module")
async def world(stack: Stack) -> AsyncIterator[dict]:
    clients = Clients(stack)
    admin = _headers(stack, "--role", "admin")
    gl = _headers(
        stack, "--role", "province_officer", "--province", "52", "--scope", "sensitive:read"
    )
    hp = _headers(
        stack, "--role", "province_officer", "--province", "31", "--scope", "sensitive:read"
    )
    plans = {}
    for plan in seed_plans():
        created = await post(
            clients.reporting, "/api/v1/plans", admin, plan.model_dump(mode="json")
        )
        plans[plan.code] = created["id"]
    await _binh_dinh(clients, gl)
    await _hai_duong(clients, hp)
    yield {
        "clients": clients,
        "plans": plans,
        "gl": gl,
        "hp": hp,
        "ministry": _headers(stack, "--role", "ministry"),
    }
    await clients.close()


async def _course(
    clients: Clients, headers: dict, kind: str, start: str, end: str, completed_by: list[dict]
) -> None:
    course = await post(
        clients.workforce,
        "/api/v1/courses",
        headers,
        {"kind": kind, "topic": kind, "organiser": "Sở Y tế", "start_date": start, "end_date": end},
    )
    for worker in completed_by:
        await post(
            clients.workforce,
            f"/api/v1/courses/{course['id']}/participations",
            headers,
            {"worker_id": worker["id"], "completed": True, "completed_on": end},
        )


async def _binh_dinh(clients: Clients, gl: dict) -> None:
    """Former Bình Định (BD_WARD) counts; former Gia Lai (GL_WARD) does not."""
    w = clients.workforce
    f1 = await facility(w, gl, BD_WARD, in_network_plan=True, wage_region=2)
    f2 = await facility(
        w,
        gl,
        BD_WARD,
        kind="commune_committee",
        sector="local_government",
        in_sector=False,
        provides_services=False,
    )
    await facility(
        w,
        gl,
        BD_WARD,
        kind="school",
        sector="education",
        in_sector=False,
        provides_services=False,
        in_network_plan=True,
    )
    f4 = await facility(
        w, gl, GL_WARD, kind="health_facility", sector="health", in_network_plan=True
    )
    await facility(
        w,
        gl,
        BD_WARD,
        kind="prison",
        sector="public_security",
        in_sector=False,
        provides_services=False,
    )
    w1 = await staff(w, gl, f1["id"], 2_500_000)  # ≥ base wage 2,340,000
    w2 = await staff(w, gl, f1["id"], 1_000_000, position_kind="part_time")
    await staff(w, gl, f2["id"], 2_000_000, position_kind="collaborator")  # < base, untrained
    w4 = await staff(w, gl, f4["id"], 3_000_000)  # outside the territory
    await _course(clients, gl, "degree_university", "2021-09-01", "2025-06-30", [w1, w4])
    await _course(clients, gl, "in_depth_skills", "2025-03-01", "2025-03-03", [w1, w2])
    await _course(clients, gl, "short_skills", "2025-05-01", "2025-05-02", [w1, w2, w4])
    await _course(clients, gl, "short_skills", "2024-05-01", "2024-05-02", [w1])
    c = clients.cases
    await child(c, gl, BD_WARD, "orphan_without_support", [("socialised", IN_2025)])
    await child(c, gl, BD_WARD, "abandoned_child", [("state_budget", IN_2025)])
    await child(c, gl, BD_WARD, "child_severe_disability", [("socialised", "2025-02-01")])
    await child(c, gl, BD_WARD, "child_disaster_affected")
    await child(c, gl, BD_WARD, "older_person", [("state_budget", "2025-04-04")], born="1950-01-01")
    await child(c, gl, GL_WARD, "orphan_without_support", [("socialised", IN_2025)])
    await clients.reporting.put(
        "/api/v1/manual-values",
        headers=gl,
        json={
            "territory_scheme": "legacy",
            "territory_code": "52",
            "metric": "people_supported",
            "period_id": "2020",
            "value": 3,
        },
    )


async def _hai_duong(clients: Clients, hp: dict) -> None:
    w = clients.workforce
    commune = await facility(
        w,
        hp,
        HD_WARD,
        kind="commune_committee",
        sector="local_government",
        in_sector=False,
        provides_services=False,
    )
    prison = await facility(
        w,
        hp,
        HD_WARD,
        kind="prison",
        sector="public_security",
        in_sector=False,
        provides_services=False,
    )
    await facility(w, hp, HD_WARD)  # the sector's centre, providing services, no staff
    trained = await staff(w, hp, commune["id"], 5_000_000)
    await staff(w, hp, prison["id"], 1_000_000)
    await _course(clients, hp, "short_skills", "2025-05-01", "2025-05-02", [trained])
    await child(clients.cases, hp, HD_WARD, "orphan_without_support", [("socialised", IN_2025)])
    await child(clients.cases, hp, HP_WARD, "abandoned_child")


async def _report(world: dict, plan: str, headers: dict) -> dict:
    return await post(
        world["clients"].reporting,
        "/api/v1/reports",
        headers,
        {"plan_id": world["plans"][plan], "period": "2025"},
    )


def _numbers(report: dict, indicator: str, **key: object) -> tuple:
    v = value(report, indicator, **key)
    return v["numerator"], v["denominator"], v["value"], v["met"]


async def test_binh_dinh_indicators_match_hand_counts(world: dict) -> None:
    report = await _report(world, "BD-2021-2025", world["gl"])
    assert report["complete"] is True
    assert report["territory"]["code"] == "52"
    assert _numbers(report, "I01") == (1, 4, 25.0, False)  # F1 of F1, F2, F3, F5
    assert _numbers(report, "I02") == (2, 3, 66.7, True)  # W1, W2 of W1-W3
    assert _numbers(report, "I03B") == (1, 2, 50.0, True)  # F1 of planned F1, F3
    assert _numbers(report, "I04") == (4, 3, 33.3, True)  # A, B, C, E against 3 in 2020
    assert _numbers(report, "I05") == (2, 4, 50.0, False)  # A, C of A-D
    assert _numbers(report, "I06") == (1, None, 1.0, None)  # W1 (W4 is outside); judged at the end
    assert _numbers(report, "I06", per_year=True) == (1, None, 1.0, False)
    assert _numbers(report, "I07", per_year=True) == (2, None, 2.0, True)
    assert _numbers(report, "I08", per_year=True) == (2, None, 2.0, True)
    assert _numbers(report, "I09", per_year=True) == (2, None, 2.0, False)
    assert _numbers(report, "I09") == (3, None, 3.0, None)  # plus W1's turn in 2024
    assert _numbers(report, "I10") == (2, 4, 50.0, False)  # F1, F2 of 4


async def test_hai_duong_indicators_match_hand_counts(world: dict) -> None:
    report = await _report(world, "HD-2025", world["hp"])
    assert _numbers(report, "I02", group="communes_and_sector") == (1, 1, 100.0, True)
    assert _numbers(report, "I02", group="justice_and_mass") == (0, 1, 0.0, False)
    assert _numbers(report, "I03A") == (1, 1, 100.0, True)
    assert _numbers(report, "I01") == (1, 3, 33.3, False)  # commune pays ≥ 4,960,000
    assert _numbers(report, "I05") == (1, 1, 100.0, True)  # the Hải Phòng ward is not counted


async def test_submitted_report_reaches_the_ministry_as_dhis2(world: dict) -> None:
    reporting = world["clients"].reporting
    listed = (
        await reporting.get("/api/v1/reports", headers=world["gl"], params={"period": "2025"})
    ).json()["items"]
    report = next(r for r in listed if r["plan_code"] == "BD-2021-2025")
    submitted = await reporting.post(
        f"/api/v1/reports/{report['id']}/submission",
        headers={**world["gl"], "If-Match": f'"{report["version"]}"'},
    )
    assert submitted.status_code == 200
    document = (
        await reporting.get(
            "/api/v1/ministry/indicator-values",
            params={"format": "dhis2", "province": "52"},
            headers=world["ministry"],
        )
    ).json()
    elements = {e["dataElement"]: e for e in document["dataValues"]}
    assert elements["CTXH_I01_VALUE"]["value"] == "25"
    assert elements["CTXH_I01_DEN"]["value"] == "4"
    assert "CTXH_I05_NUM" not in elements  # 2 children: withheld
    assert {e["period"] for e in elements.values()} == {"2025"}

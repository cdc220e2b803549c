"""Every indicator of both seed plans, computed by the real reporting process from the real
cases and workforce processes, against numbers counted by hand from tests/e2e/worlds.py."""

from collections.abc import AsyncIterator
from urllib.parse import quote

import httpx
import pytest

from services.reporting.plan.service import seed_plans
from tests.e2e import worlds
from tests.e2e.conftest import Stack
from tests.reporting.helpers import monitored, post, value

pytestmark = [pytest.mark.e2e, pytest.mark.once]


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


# The department reads #5's breakdowns (its groups include children living with HIV).
PURPOSE = {"X-Access-Purpose": quote("lập báo cáo kế hoạch")}


@pytest.fixture(scope="module")
async def world(stack: Stack) -> AsyncIterator[dict]:
    clients = Clients(stack)
    admin = _headers(stack, "--role", "admin")
    officer = ("--role", "province_officer", "--scope", "sensitive:read", "--province")
    gl = {**_headers(stack, *officer, "52"), **PURPOSE}
    hp = {**_headers(stack, *officer, "31"), **PURPOSE}
    plans = {}
    for plan in seed_plans():
        created = await post(
            clients.reporting, "/api/v1/plans", admin, plan.model_dump(mode="json")
        )
        plans[plan.code] = created["id"]
    await worlds.build(clients, gl, hp)
    yield {
        "clients": clients,
        "plans": plans,
        "gl": gl,
        "hp": hp,
        "ministry": _headers(stack, "--role", "ministry"),
        "reports": {},
    }
    await clients.close()


async def _report(world: dict, plan: str, period: str, as_of: str | None = None) -> dict:
    key = (plan, period, as_of)
    if key not in world["reports"]:
        headers = world["gl"] if plan.startswith("BD") else world["hp"]
        body = {"plan_id": world["plans"][plan], "period": period, "as_of": as_of}
        world["reports"][key] = await post(
            world["clients"].reporting, "/api/v1/reports", headers, body
        )
    return world["reports"][key]


def _numbers(report: dict, indicator: str, **key: object) -> tuple:
    v = value(report, indicator, **key)
    return v["numerator"], v["denominator"], v["value"], v["met"]


async def test_binh_dinh_final_annual_report_matches_hand_counts(world: dict) -> None:
    report = await _report(world, "BD-2021-2025", "2025")
    assert (report["complete"], report["closes_plan"]) == (True, True)
    # F1 of F1, F2, F3, F5, F7: F4 is outside, F6 closed on 30/06.
    assert _numbers(report, "I01") == (1, 5, 20.0, False)
    # W1, W2, W9 trained of W1, W2, W3, W8, W9: W3 once for two posts; W8 archived only today;
    # W5 volunteers; W6's post ended with F6; W7 retired.
    assert _numbers(report, "I02") == (3, 5, 60.0, True)
    assert value(report, "I02")["details"]["volunteers"] == {"workers": 1, "trained": 1}
    assert _numbers(report, "I03B") == (1, 2, 50.0, True)  # F1 of planned F1, F3
    assert _numbers(report, "I04") == (4, 3, 33.3, True)  # A, B, C, E: not X (archived case)
    assert _numbers(report, "I05") == (2, 5, 40.0, False)  # A, C of A, B, C, D, X
    assert _numbers(report, "I10") == (3, 5, 60.0, False)  # F1, F2, F5


async def test_binh_dinh_training_counts_people_once_and_by_post_at_completion(
    world: dict,
) -> None:
    report = await _report(world, "BD-2021-2025", "2025")
    # Whole-plan targets, judged in the plan's last annual report.
    assert _numbers(report, "I06") == (2, None, 2.0, False)  # W1, and W9 once for two degrees
    assert _numbers(report, "I08") == (3, None, 3.0, False)  # W1, W2 at F1; W7, since retired
    assert _numbers(report, "I09") == (5, None, 5.0, False)  # 2023: W2; 2024: W1, W7; 2025: W1, W2
    # Per-year targets, for 2025.
    assert _numbers(report, "I06", per_year=True) == (2, None, 2.0, False)
    assert _numbers(report, "I07", per_year=True) == (2, None, 2.0, True)
    assert _numbers(report, "I08", per_year=True) == (2, None, 2.0, True)  # W1, W2
    assert _numbers(report, "I09", per_year=True) == (2, None, 2.0, False)  # not W4, W5


async def test_binh_dinh_breakdowns_of_target_1(world: dict) -> None:
    details = value(await _report(world, "BD-2021-2025", "2025"), "I01")["details"]
    by_staff = {r["key"]: (r["numerator"], r["denominator"]) for r in details["by_staff_count"]}
    # F1: W1, W2, W8 | F2: W3, W9 (not W5) | F5: W3 | F3, F7: none.
    assert by_staff == {"0": (0, 2), "1": (0, 1), "2": (0, 1), "3+": (1, 1)}
    kinds = {r["key"]: (r["numerator"], r["denominator"]) for r in details["by_position_kind"]}
    assert kinds == {"full_time": (1, 1), "part_time": (1, 2), "collaborator": (0, 1)}


async def test_binh_dinh_earlier_report_shows_whole_plan_targets_pro_rata(world: dict) -> None:
    report = await _report(world, "BD-2021-2025", "2023")
    assert report["closes_plan"] is False
    degrees = value(report, "I06")
    assert (degrees["numerator"], degrees["met"], degrees["pro_rata_target"]) == (1, None, 30.0)
    assert degrees["on_track"] is False  # W9 of 3 years × 10
    assert [c["code"] for c in degrees["caveats"]] == ["judged_at_plan_end"]


async def test_binh_dinh_end_of_phase_report_gives_each_year(world: dict) -> None:
    report = await _report(world, "BD-2021-2025", "end_of_phase")
    assert (report["period_id"], report["period_kind"]) == ("2021-2025", "multi_year")
    growth = value(report, "I04")
    assert _numbers(report, "I04") == (4, 3, 33.3, True)  # 2025, the last full year
    assert (growth["window_start"], growth["window_end"]) == ("2024-12-15", "2025-12-14")
    assert [(y["year"], y["numerator"], y["value"]) for y in growth["years"]] == [
        (2021, 0, -100.0),
        (2022, 0, -100.0),
        (2023, 1, -66.7),  # Y
        (2024, 1, -66.7),  # Y
        (2025, 4, 33.3),
    ]
    degrees = value(report, "I06", per_year=True)
    assert [y["numerator"] for y in degrees["years"]] == [0, 1, 0, 0, 2]
    assert degrees["value"] == 2.0
    turns = value(report, "I09", per_year=True)
    assert [y["numerator"] for y in turns["years"]] == [0, 0, 1, 2, 2]
    assert _numbers(report, "I06") == (2, None, 2.0, False)  # whole plan, judged


async def test_hai_duong_annual_report_matches_hand_counts(world: dict) -> None:
    report = await _report(world, "HD-2025", "2025")
    # H1 of H1, H2, H3: H4 and H6 stand in a ward with no region in 2025, listed unresolved;
    # H5 and H7 are outside.
    assert _numbers(report, "I01") == (1, 3, 33.3, False)
    unresolved = value(report, "I01")["details"]["unresolved_wage_region"]
    assert len(unresolved) == 2
    # K1 of K1, K2, K3; K2 counts once in each group.
    assert _numbers(report, "I02", group="communes_and_sector") == (1, 3, 33.3, False)
    assert _numbers(report, "I02", group="justice_and_mass") == (0, 1, 0.0, False)
    assert _numbers(report, "I03A") == (2, 2, 100.0, True)  # H3, H4
    assert _numbers(report, "I03B") == (1, 2, 50.0, True)  # H3 of H3, H6
    assert _numbers(report, "I04") == (4, 3, 33.3, True)  # Q1, Q3, Q5, Q7
    assert _numbers(report, "I05") == (2, 4, 50.0, False)  # Q1, Q3 of Q1, Q3, Q5, Q6


async def test_hai_duong_states_how_split_wards_were_treated(world: dict) -> None:
    report = await _report(world, "HD-2025", "2025")
    unmarked = report["territory"]["unmarked_in_shared_wards"]
    assert (unmarked["people"], unmarked["facilities"]) == (1, 1)  # Q5, H6
    assert report["territory"]["shared_policy"] == "include"
    wards = {r["key"]: r["denominator"] for r in value(report, "I05")["details"]["by_ward"]}
    assert wards == {"10525": 2, worlds.SPLIT: 2}  # Q1, Q6 | Q3, Q5


async def test_hai_duong_report_as_of_30_november(world: dict) -> None:
    report = await _report(world, "HD-2025", "2025", as_of="2025-11-30")
    assert (report["period_id"], report["window_end"]) == ("2025@2025-11-30", "2025-11-30")
    assert (report["deadline"], report["closes_plan"]) == ("2025-11-30", True)
    growth = value(report, "I04")
    assert _numbers(report, "I04") == (3, 3, 0.0, False)  # Q7 was served on 05/12
    assert [c["code"] for c in growth["caveats"]] == ["partial_year"]
    # The real cases process answered the referral counts: none in the world, so no share.
    referrals = monitored(report, "R01")
    assert (referrals["status"], referrals["numerator"], referrals["denominator"]) == (
        "no_denominator",
        0,
        0,
    )
    assert referrals["value"] is None


async def test_as_of_report_reaches_dhis2_as_a_dated_range(world: dict) -> None:
    report = await _report(world, "HD-2025", "2025", as_of="2025-11-30")
    reporting = world["clients"].reporting
    submitted = await reporting.post(
        f"/api/v1/reports/{report['id']}/submission",
        headers={**world["hp"], "If-Match": f'"{report["version"]}"'},
    )
    assert submitted.status_code == 200, submitted.text
    document = (
        await reporting.get(
            "/api/v1/ministry/indicator-values",
            params={"format": "dhis2", "province": "31", "period": "2025@2025-11-30"},
            headers=world["ministry"],
        )
    ).json()
    elements = {e["dataElement"]: e for e in document["dataValues"]}
    assert elements["CTXH_I03A_VALUE"]["period"] == "20251130"
    assert "15/12/2024" in elements["CTXH_I03A_VALUE"]["comment"]


async def test_submitted_report_reaches_the_ministry_as_dhis2(world: dict) -> None:
    report = await _report(world, "BD-2021-2025", "2025")
    reporting = world["clients"].reporting
    submitted = await reporting.post(
        f"/api/v1/reports/{report['id']}/submission",
        headers={**world["gl"], "If-Match": f'"{report["version"]}"'},
    )
    assert submitted.status_code == 200
    document = (
        await reporting.get(
            "/api/v1/ministry/indicator-values",
            params={"format": "dhis2", "province": "52", "period": "2025"},
            headers=world["ministry"],
        )
    ).json()
    elements = {e["dataElement"]: e for e in document["dataValues"]}
    assert elements["CTXH_I01_VALUE"]["value"] == "20"
    assert elements["CTXH_I01_DEN"]["value"] == "5"
    assert "CTXH_I05_NUM" not in elements  # 2 children: withheld
    assert {e["period"] for e in elements.values()} == {"2025"}

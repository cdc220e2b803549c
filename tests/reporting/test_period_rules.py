"""Rules 6, 7 and 8: whole-plan targets judged when the plan closes, reports over several
years given year by year, reports as of a date.

Bình Định, hand-counted: one facility in BD_WARD with one full-time worker W, who completed a
university degree on 30/06/2022, a short course on 02/05/2023 and an in-depth course on
03/03/2025. One older person served on 01/06/2023, 01/06/2024 and 10/03/2025; a second one
on 10/03/2025 only. The 2020 baseline is 1 person.
"""

from urllib.parse import unquote

import httpx
import pytest

from services.reporting.plan.service import seed_plans
from shared.auth import Role
from tests.conftest import TokenFactory
from tests.reporting.helpers import BD_WARD, child, facility, post, staff, value


async def _course(client: httpx.AsyncClient, headers: dict, kind: str, end: str, worker: dict):
    course = await post(
        client,
        "/api/v1/courses",
        headers,
        {
            "kind": kind,
            "topic": kind,
            "organiser": "Sở",
            "start_date": "2021-09-01",
            "end_date": end,
        },
    )
    await post(
        client,
        f"/api/v1/courses/{course['id']}/participations",
        headers,
        {"worker_id": worker["id"], "completed": True},
    )


@pytest.fixture
async def binh_dinh(
    cases_client: httpx.AsyncClient,
    workforce_client: httpx.AsyncClient,
    reporting_client: httpx.AsyncClient,
    officer_52: dict,
    live_sources: None,
) -> None:
    centre = await facility(workforce_client, officer_52, BD_WARD)
    w = await staff(workforce_client, officer_52, centre["id"], 3_000_000, start_date="2021-01-04")
    await _course(workforce_client, officer_52, "degree_university", "2022-06-30", w)
    await _course(workforce_client, officer_52, "short_skills", "2023-05-02", w)
    await _course(workforce_client, officer_52, "in_depth_skills", "2025-03-03", w)
    served = [("state_budget", d) for d in ("2023-06-01", "2024-06-01", "2025-03-10")]
    await child(
        cases_client,
        officer_52,
        BD_WARD,
        "older_person",
        served,
        born="1950-01-01",
        opened="2023-01-01",
    )
    await child(
        cases_client,
        officer_52,
        BD_WARD,
        "older_person",
        [("state_budget", "2025-03-10")],
        born="1950-01-01",
    )
    baseline = {"territory_scheme": "legacy", "territory_code": "52", "metric": "people_supported",
                "period_id": "2020", "value": 1}  # fmt: skip
    for body in (baseline, {**baseline, "metric": "workshops", "period_id": "2025", "value": 2}):
        response = await reporting_client.put(
            "/api/v1/manual-values", json=body, headers=officer_52
        )
        assert response.status_code == 200, response.text


async def _report(
    client: httpx.AsyncClient, headers: dict, plan: str, period: str, **extra
) -> dict:
    body = {"plan_id": plan, "period": period, **extra}
    return await post(client, "/api/v1/reports", headers, body)


async def test_whole_plan_rule_judged_only_in_the_report_that_closes_the_plan(
    reporting_client: httpx.AsyncClient, plans: dict, officer_52: dict, binh_dinh: None
) -> None:
    plan = plans["BD-2021-2025"]
    early = await _report(reporting_client, officer_52, plan, "2023")
    degrees = value(early, "I06")
    assert (early["closes_plan"], degrees["numerator"], degrees["met"]) == (False, 1, None)
    assert (degrees["pro_rata_target"], degrees["on_track"]) == (30.0, False)  # 3 of 5 years
    last = await _report(reporting_client, officer_52, plan, "2025")
    degrees = value(last, "I06")
    assert (last["closes_plan"], degrees["met"], degrees["pro_rata_target"]) == (True, False, None)
    assert value(last, "I07", per_year=True)["met"] is False  # 1 turn in 2025, 2 a year


async def test_per_year_rule_a_six_month_report_shows_the_share_of_a_year(
    reporting_client: httpx.AsyncClient, plans: dict, officer_52: dict, binh_dinh: None
) -> None:
    half = await _report(reporting_client, officer_52, plans["BD-2021-2025"], "2025S1")
    in_depth = value(half, "I07", per_year=True)
    assert (in_depth["numerator"], in_depth["met"], in_depth["pro_rata_target"]) == (1, None, 1.0)
    growth = value(half, "I04")
    assert (growth["numerator"], growth["met"]) == (2, None)  # half a year: not judged
    assert [c["code"] for c in growth["caveats"]] == ["partial_year"]


async def test_multi_year_rule_compares_the_last_full_year_and_lists_each(
    reporting_client: httpx.AsyncClient, plans: dict, officer_52: dict, binh_dinh: None
) -> None:
    phase = await _report(reporting_client, officer_52, plans["BD-2021-2025"], "end_of_phase")
    growth = value(phase, "I04")
    assert (growth["numerator"], growth["denominator"], growth["value"]) == (2, 1, 100.0)
    assert [(y["year"], y["numerator"]) for y in growth["years"]] == [
        (2021, 0), (2022, 0), (2023, 1), (2024, 1), (2025, 2)
    ]  # fmt: skip
    assert phase["closes_plan"] is True
    turns = value(phase, "I09", per_year=True)
    assert [y["numerator"] for y in turns["years"]] == [0, 0, 1, 0, 0]
    mid = await _report(reporting_client, officer_52, plans["BD-2021-2025"], "mid_term")
    assert (mid["period_id"], mid["closes_plan"]) == ("2021-2023", False)
    assert value(mid, "I04")["numerator"] == 1  # 2023, its last full year


async def test_multi_year_rule_a_long_ad_hoc_window_is_split_into_reporting_years(
    reporting_client: httpx.AsyncClient, plans: dict, officer_52: dict, binh_dinh: None
) -> None:
    report = await _report(
        reporting_client, officer_52, plans["BD-2021-2025"], "2021-01-01..2025-12-31"
    )
    growth = value(report, "I04")
    assert [(y["year"], y["full"]) for y in growth["years"]] == [
        (2021, False), (2022, True), (2023, True), (2024, True), (2025, True), (2026, False)
    ]  # fmt: skip
    assert (growth["window_start"], growth["window_end"]) == ("2024-12-15", "2025-12-14")


async def test_as_of_rule_a_report_ends_on_the_date_asked(
    reporting_client: httpx.AsyncClient, plans: dict, officer_52: dict, binh_dinh: None
) -> None:
    plan = plans["BD-2021-2025"]
    cut = await _report(reporting_client, officer_52, plan, "2025", as_of="2025-03-05")
    assert (cut["period_id"], cut["window_end"], cut["as_of"]) == (
        "2025@2025-03-05", "2025-03-05", "2025-03-05"
    )  # fmt: skip
    assert cut["dhis2_period"] is None
    assert value(cut, "I07", per_year=True)["numerator"] == 1  # 03/03 is inside
    assert value(cut, "I04")["numerator"] == 0  # 10/03 is not
    assert [m["metric"] for m in cut["manual_values"]] == ["people_supported", "workshops"]
    full = await _report(reporting_client, officer_52, plan, "2025")
    assert full["id"] != cut["id"]
    before = await reporting_client.post(
        "/api/v1/reports",
        headers=officer_52,
        json={"plan_id": plan, "period": "2025", "as_of": "2024-01-01"},
    )
    assert before.status_code == 422
    assert before.json()["errors"][0]["loc"] == ["body", "as_of"]


async def test_as_of_rule_a_finished_plans_dashboard_defaults_to_its_end(
    reporting_client: httpx.AsyncClient, plans: dict, officer_52: dict, binh_dinh: None
) -> None:
    url = f"/api/v1/plans/{plans['BD-2021-2025']}/dashboard"
    board = (await reporting_client.get(url, headers=officer_52)).json()
    assert (board["as_of"], board["window_start"], board["window_end"]) == (
        "2025-12-31", "2024-12-15", "2025-12-14"
    )  # fmt: skip
    then = (
        await reporting_client.get(url, params={"as_of": "2024-06-30"}, headers=officer_52)
    ).json()
    assert (then["window_start"], then["window_end"]) == ("2023-12-15", "2024-06-30")
    growth = next(t["current"] for t in then["targets"] if t["current"]["indicator"] == "I04")
    assert growth["numerator"] == 1
    assert growth["details"]["by_ward"][0]["key"] == BD_WARD  # breakdowns on the dashboard


async def test_as_of_rule_an_ad_hoc_window_reaches_dhis2_with_its_dates(
    reporting_client: httpx.AsyncClient,
    plans: dict,
    officer_52: dict,
    token: TokenFactory,
    binh_dinh: None,
) -> None:
    report = await _report(
        reporting_client, officer_52, plans["BD-2021-2025"], "2025-01-01..2025-03-31"
    )
    submitted = await reporting_client.post(
        f"/api/v1/reports/{report['id']}/submission", headers={**officer_52, "If-Match": '"1"'}
    )
    assert submitted.status_code == 200, submitted.text
    document = (
        await reporting_client.get(
            "/api/v1/ministry/indicator-values",
            params={"format": "dhis2", "period": "2025-01-01..2025-03-31"},
            headers=token(Role.MINISTRY),
        )
    ).json()
    periods = {(e["period"], e.get("comment", "")[:40]) for e in document["dataValues"]}
    assert periods == {("20250331", "Số liệu từ 01/01/2025 đến 31/03/2025 (kỳ")}


@pytest.mark.parametrize(
    "period",
    [
        "0001",
        "9999S1",
        "2000-2100",
        "1000-01-01..2025-01-01",
        "2025-02-30..2025-03-01",
        "2025S1@0001-01-01",  # cut short before it starts
        "2025@2025-02-30",
        "2025-01-01..2025-03-31@2025-02-29",
        "2025-01-01..2025-02-29",
        "2024-02-30..2025-01-01",
        "0001-2025",
        "2025-9999",
        "0000S1",
        "٢٠٢٥",  # digits, but not ASCII ones
        "2025\n",
    ],
)
async def test_every_form_of_period_out_of_bounds_or_impossible_is_refused(
    reporting_client: httpx.AsyncClient, plans: dict, officer_52: dict, period: str
) -> None:
    response = await reporting_client.post(
        "/api/v1/reports",
        headers=officer_52,
        json={"plan_id": plans["BD-2021-2025"], "period": period},
    )
    assert response.status_code == 422, response.text
    assert [e["loc"] for e in response.json()["errors"]] == [["body", "period"]]


def _plan(code: str, *deadlines: str) -> dict:
    plan = next(p for p in seed_plans() if p.code == "BD-2021-2025").model_dump(mode="json")
    return {**plan, "code": code, "deadlines": [{"label_vi": "Hạn", "date": d} for d in deadlines]}


@pytest.mark.parametrize("deadline", ["02-30", "13-01", "00-10", "04-31", "02-29", "2025-02-29"])
async def test_a_plan_deadline_must_be_a_day_of_every_year_it_names(
    reporting_client: httpx.AsyncClient, token: TokenFactory, deadline: str
) -> None:
    response = await reporting_client.post(
        "/api/v1/plans", json=_plan("BD-X", "06-15", deadline), headers=token(Role.ADMIN)
    )
    assert response.status_code == 422, response.text
    assert [e["loc"] for e in response.json()["errors"]] == [["body", "deadlines", 1, "date"]]


async def test_a_plan_with_real_deadlines_is_reported_on_by_them(
    reporting_client: httpx.AsyncClient, token: TokenFactory, officer_52: dict, live_sources: None
) -> None:
    response = await reporting_client.post(
        "/api/v1/plans", json=_plan("BD-X", "2024-02-29", "11-30"), headers=token(Role.ADMIN)
    )
    assert response.status_code == 201, response.text
    plan = response.json()["id"]
    annual = await _report(reporting_client, officer_52, plan, "2025")
    assert annual["deadline"] == "2025-11-30"


@pytest.mark.parametrize("field", ["period_start", "period_end"])
async def test_a_plan_runs_within_the_years_reports_are_made_for(
    reporting_client: httpx.AsyncClient, token: TokenFactory, field: str
) -> None:
    plan = {**_plan("BD-X"), field: "0001-01-01" if field == "period_start" else "2101-01-01"}
    response = await reporting_client.post("/api/v1/plans", json=plan, headers=token(Role.ADMIN))
    assert response.status_code == 422, response.text
    assert [e["loc"] for e in response.json()["errors"]] == [["body", field]]


async def test_a_report_on_a_plan_with_a_vietnamese_code_downloads_under_that_name(
    reporting_client: httpx.AsyncClient, token: TokenFactory, officer_52: dict, live_sources: None
) -> None:
    code = "BĐ-Bình Định-2021–2025"
    created = await reporting_client.post(
        "/api/v1/plans", json=_plan(code, "06-15"), headers=token(Role.ADMIN)
    )
    assert created.status_code == 201, created.text
    report = await _report(reporting_client, officer_52, created.json()["id"], "2025")
    for format in ("xlsx", "csv"):
        response = await reporting_client.get(
            f"/api/v1/reports/{report['id']}/export",
            params={"format": format},
            headers=officer_52,
        )
        assert response.status_code == 200, response.text
        disposition = response.headers["Content-Disposition"]
        plain, star = disposition.removeprefix('attachment; filename="').split('"; filename*=')
        assert plain == f"bao-cao-BD-Binh Dinh-2021_2025-2025.{format}"
        assert unquote(star.removeprefix("UTF-8''")) == f"bao-cao-{code}-2025.{format}"

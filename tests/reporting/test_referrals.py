"""Referral counts in reports: read from cases, frozen with the report, shown in full to the
province and disclosed to the ministry only as the other values are; answered in
`monitoring`, beside the targets' values, so a target is a number wherever a client reads one."""

import csv
import io
import uuid
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI

from contracts.cases_stats import REFERRALS
from shared.auth import Role
from shared.dates import today_in_vietnam
from tests.cases.referrals import step_ok
from tests.conftest import MoveClock, TokenFactory
from tests.reporting.helpers import HD_WARD, HP_WARD, RECEIVER, child, monitored, refer, value

# Medium-risk referrals are answered within 72 hours (docs/referrals.md): past that, the ones
# still pending are overdue, and the accepted ones still have days to reach the person.
PAST_RESPOND_BY = 80


def _window() -> str:
    """An ad-hoc window around today, when the test's referrals are made."""
    today = today_in_vietnam()
    return f"{today - timedelta(days=7)}..{today + timedelta(days=7)}"


@pytest.fixture
def receiver(token: TokenFactory) -> dict[str, str]:
    return token(Role.FACILITY_WORKER, subject=str(uuid.uuid4()), facility_id=RECEIVER)


async def _referrals(
    cases: httpx.AsyncClient,
    officer: dict,
    receiver: dict,
    ward: str,
    accepted: int = 0,
    rejected: int = 0,
    waiting: int = 0,
) -> None:
    """Referrals made now from cases in `ward`: some accepted, some rejected (both on time),
    the rest left waiting."""
    for answer in ["accepted"] * accepted + ["rejected"] * rejected + [None] * waiting:
        person = await child(
            cases, officer, ward, "orphan_without_support", [("socialised", "2025-04-01")]
        )
        referral = await refer(cases, officer, person["case"])
        if answer is not None:
            await step_ok(cases, receiver, referral, status=answer, note="Đã xem xét")


async def _report(
    client: httpx.AsyncClient, headers: dict, plan_id: str, *, submit: bool, **body: str
) -> dict:
    created = await client.post(
        "/api/v1/reports",
        json={"plan_id": plan_id, "period": _window(), **body},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    report = created.json()
    if not submit:
        return report
    submitted = await client.post(
        f"/api/v1/reports/{report['id']}/submission",
        headers={**headers, "If-Match": f'"{report["version"]}"'},
    )
    assert submitted.status_code == 200, submitted.text
    return submitted.json()


def _counts(found: dict) -> tuple:
    return found["numerator"], found["denominator"], found["value"]


MONITORED = ("R01", "R02", "R03")


def _targets_only(values: list[dict]) -> None:
    """What /api/v1 clients read as targets: plan targets only, each with a number."""
    assert values
    assert not {v["indicator"] for v in values} & set(MONITORED)
    assert all(isinstance(v["target"], int | float) for v in values)


async def _pulled(client: httpx.AsyncClient, token: TokenFactory, **params: str) -> list[dict]:
    response = await client.get(
        "/api/v1/ministry/indicator-values", params=params, headers=token(Role.MINISTRY)
    )
    assert response.status_code == 200, response.text
    _targets_only(response.json()["items"])
    return response.json()["monitoring"]


@pytest.fixture
async def submitted(
    reporting_client: httpx.AsyncClient,
    cases_client: httpx.AsyncClient,
    plans: dict,
    officer_31: dict,
    receiver: dict,
    live_sources: None,
    clock: MoveClock,
) -> dict:
    """Ten referrals in the former Hải Dương: five accepted and three rejected on time, two
    still waiting past their deadline; the legacy plan's report on them, submitted."""
    await _referrals(cases_client, officer_31, receiver, HD_WARD, accepted=5, rejected=3, waiting=2)
    clock(hours=PAST_RESPOND_BY)
    return await _report(reporting_client, officer_31, plans["HD-2025"], submit=True)


async def test_referral_counts_flow_from_cases_into_the_report_in_full(submitted: dict) -> None:
    accepted, on_time, overdue = (monitored(submitted, code) for code in MONITORED)
    assert _counts(accepted) == (5, 10, 50.0)
    assert _counts(on_time) == (8, 10, 80.0)
    assert _counts(overdue) == (2, 10, 20.0)
    assert overdue["status"] == "ok"
    assert not {"target", "met"} & overdue.keys()
    _targets_only(submitted["values"])
    wards = [
        (row["key"], row["numerator"], row["denominator"]) for row in overdue["details"]["by_ward"]
    ]
    assert wards == [(HD_WARD, 2, 10)]
    assert "overdue_as_of" in overdue["details"]
    assert submitted["complete"] is True


async def test_submitted_referral_counts_stay_frozen(
    reporting_client: httpx.AsyncClient,
    cases_client: httpx.AsyncClient,
    submitted: dict,
    officer_31: dict,
    receiver: dict,
) -> None:
    await _referrals(cases_client, officer_31, receiver, HD_WARD, accepted=1)
    again = await reporting_client.get(f"/api/v1/reports/{submitted['id']}", headers=officer_31)
    assert _counts(monitored(again.json(), "R01")) == (5, 10, 50.0)


async def test_the_ministry_gets_small_referral_counts_withheld(
    reporting_client: httpx.AsyncClient, submitted: dict, token: TokenFactory
) -> None:
    pulled = {v["indicator"]: v for v in await _pulled(reporting_client, token)}
    assert _counts(pulled["R01"]) == (5, 10, 50.0)
    assert pulled["R01"]["suppressed"] == []
    # 8 of 10 answered on time would say that 2 were not; 2 overdue is itself small.
    for code in ("R02", "R03"):
        assert _counts(pulled[code]) == (None, 10, None), code
        # `met` is withheld as well, but this shape has none to name.
        assert pulled[code]["suppressed"] == ["numerator", "value"]
        assert not {"details", "target", "met"} & pulled[code].keys()
    reports = await reporting_client.get("/api/v1/ministry/reports", headers=token(Role.MINISTRY))
    (summary,) = reports.json()["items"]
    _targets_only(summary["values"])
    assert [(v["indicator"], v["suppressed"]) for v in summary["monitoring"]] == [
        ("R01", []),
        ("R02", ["numerator", "value"]),
        ("R03", ["numerator", "value"]),
    ]
    dhis2 = await reporting_client.get(
        "/api/v1/ministry/data-value-sets", headers=token(Role.MINISTRY)
    )
    elements = {entry["dataElement"] for entry in dhis2.json()["dataValues"]}
    assert {"CTXH_R01_NUM", "CTXH_R01_DEN", "CTXH_R03_DEN"} <= elements
    assert not {"CTXH_R02_NUM", "CTXH_R03_NUM", "CTXH_R03_VALUE"} & elements


async def test_a_province_minus_its_former_part_gives_no_referral_away(
    reporting_client: httpx.AsyncClient,
    cases_client: httpx.AsyncClient,
    plans: dict,
    officer_31: dict,
    receiver: dict,
    live_sources: None,
    token: TokenFactory,
) -> None:
    """Six referrals in the former Hải Dương, two elsewhere in Hải Phòng: Hải Phòng's eight
    minus the six the legacy plan published would single out two."""
    await _referrals(cases_client, officer_31, receiver, HD_WARD, accepted=6)
    await _referrals(cases_client, officer_31, receiver, HP_WARD, accepted=2)
    await _report(reporting_client, officer_31, plans["HD-2025"], submit=True)
    national = await _report(
        reporting_client, officer_31, plans["QD112-2021-2030"], submit=True, province_code="31"
    )
    pulled = await _pulled(reporting_client, token, province="31")
    by_plan = {(v["plan_code"], v["indicator"]): v for v in pulled}
    assert len(by_plan) == 6
    assert _counts(by_plan[("HD-2025", "R01")]) == (6, 6, 100.0)
    for code in ("R01", "R02", "R03"):
        withheld = by_plan[("QD112-2021-2030", code)]
        assert withheld["denominator"] is None, code
        assert withheld["value"] is None, code
    assert by_plan[("QD112-2021-2030", "R01")]["numerator"] is None  # 8 − 6 as well
    assert _counts(monitored(national, "R01")) == (8, 8, 100.0)  # the province sees its own


async def test_a_cases_outage_leaves_the_referral_counts_missing(
    reporting_client: httpx.AsyncClient,
    apps: dict[str, FastAPI],
    cases_client: httpx.AsyncClient,
    plans: dict,
    officer_31: dict,
    use_sources,
) -> None:
    """Cases answers everything but the referral counts: the report names it as missing."""
    cases = httpx.ASGITransport(app=apps["cases"])

    async def referrals_down(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith(REFERRALS):
            raise httpx.ConnectError("connection refused", request=request)
        return await cases.handle_async_request(request)

    use_sources(
        {
            "cases": httpx.MockTransport(referrals_down),
            "workforce": httpx.ASGITransport(app=apps["workforce"]),
        }
    )
    report = await _report(reporting_client, officer_31, plans["HD-2025"], submit=False)
    assert (report["complete"], report["missing_sources"]) == (False, ["cases"])
    for code in MONITORED:
        missing = monitored(report, code)
        assert (missing["status"], missing["source"], missing["value"]) == (
            "source_unavailable",
            "cases",
            None,
        )
    assert value(report, "I05")["status"] != "source_unavailable"


async def test_the_dashboard_shows_the_province_its_live_referral_counts(
    reporting_client: httpx.AsyncClient,
    cases_client: httpx.AsyncClient,
    plans: dict,
    officer_31: dict,
    receiver: dict,
    live_sources: None,
) -> None:
    await _referrals(cases_client, officer_31, receiver, HD_WARD, accepted=3, waiting=1)
    board = await reporting_client.get(
        f"/api/v1/plans/{plans['QD112-2021-2030']}/dashboard", headers=officer_31
    )
    assert board.status_code == 200, board.text
    _targets_only([t["current"] for t in board.json()["targets"]])
    live = {t["current"]["indicator"]: t for t in board.json()["monitoring"]}
    assert list(live) == list(MONITORED)
    assert _counts(live["R01"]["current"]) == (3, 4, 75.0)
    assert "target" not in live["R01"]["current"]


async def test_flat_exports_carry_referral_rows_with_no_target(
    reporting_client: httpx.AsyncClient, submitted: dict, officer_31: dict, token: TokenFactory
) -> None:
    """CSV has one row per value, so the monitored ones are rows of their own: no target, no
    met, withheld counts empty as in any row."""
    ministry = await reporting_client.get(
        "/api/v1/ministry/indicator-values", params={"format": "csv"}, headers=token(Role.MINISTRY)
    )
    rows = list(csv.DictReader(io.StringIO(ministry.content.decode("utf-8-sig"))))
    assert len(rows) == len(submitted["values"]) + len(MONITORED)
    assert [r["indicator"] for r in rows][-3:] == list(MONITORED)
    r02 = rows[-2]
    assert (r02["target"], r02["met"], r02["group"], r02["per_year"]) == ("", "", "", "False")
    withheld = (r02["numerator"], r02["denominator"], r02["suppressed"])
    assert withheld == ("", "10", "numerator;value")
    export = await reporting_client.get(
        f"/api/v1/reports/{submitted['id']}/export", params={"format": "csv"}, headers=officer_31
    )
    table = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    r01 = next(row for row in table if row[4] == monitored(submitted, "R01")["name_vi"])
    assert (r01[6], r01[8], r01[9], r01[10]) == ("—", "50.0", "—", "5")

"""Reports: computed from the real cases and workforce apps, frozen once submitted, reviewed."""

import httpx
import pytest

from shared.auth import Role
from tests.conftest import TokenFactory
from tests.reporting.helpers import HD_WARD, HP_WARD, child, facility, staff, value

SOCIALISED, STATE = "socialised", "state_budget"
IN_2025 = "2025-03-10"


@pytest.fixture
async def hai_duong(
    cases_client: httpx.AsyncClient,
    workforce_client: httpx.AsyncClient,
    officer_31: dict,
    live_sources: None,
) -> None:
    """Former Hải Dương wards hold what the HD plan counts; former Hải Phòng wards do not."""
    for _ in range(3):
        await child(
            cases_client, officer_31, HD_WARD, "orphan_without_support", [(SOCIALISED, IN_2025)]
        )
    await child(cases_client, officer_31, HD_WARD, "abandoned_child", [(STATE, IN_2025)])
    await child(cases_client, officer_31, HD_WARD, "child_with_hiv")
    await child(
        cases_client, officer_31, HP_WARD, "orphan_without_support", [(SOCIALISED, IN_2025)]
    )
    centre = await facility(workforce_client, officer_31, HD_WARD)
    await staff(workforce_client, officer_31, centre["id"], 5_000_000)
    await facility(
        workforce_client,
        officer_31,
        HD_WARD,
        kind="school",
        sector="education",
        in_sector=False,
        provides_services=False,
        in_network_plan=True,
    )
    await facility(workforce_client, officer_31, HP_WARD)  # outside the plan's territory


async def _draft(
    client: httpx.AsyncClient, headers: dict, plan_id: str, period: str = "2025"
) -> dict:
    response = await client.post(
        "/api/v1/reports", json={"plan_id": plan_id, "period": period}, headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_legacy_plan_counts_only_its_former_territory(
    reporting_client: httpx.AsyncClient, plans: dict, officer_31: dict, hai_duong: None
) -> None:
    report = await _draft(reporting_client, officer_31, plans["HD-2025"])
    assert report["complete"] is True
    assert (report["window_start"], report["window_end"]) == ("2024-12-15", "2025-12-14")
    assert report["deadline"] == "2025-11-30"  # Hải Dương's own
    assert report["territory"]["code"] == "30"
    assert HD_WARD in report["territory"]["ward_codes"]
    assert HP_WARD not in report["territory"]["ward_codes"]
    children = value(report, "I05")
    assert (children["numerator"], children["denominator"], children["value"]) == (3, 5, 60.0)
    assert children["met"] is False  # target 100%
    sector = value(report, "I03A")
    assert (sector["numerator"], sector["denominator"], sector["met"]) == (1, 1, True)
    paid = value(report, "I01")
    assert (paid["numerator"], paid["denominator"], paid["value"]) == (1, 2, 50.0)
    planned = value(report, "I03B")
    assert (planned["numerator"], planned["denominator"]) == (0, 1)


async def test_submitted_report_is_frozen_while_records_change(
    reporting_client: httpx.AsyncClient,
    cases_client: httpx.AsyncClient,
    plans: dict,
    officer_31: dict,
    hai_duong: None,
) -> None:
    report = await _draft(reporting_client, officer_31, plans["HD-2025"])
    url = f"/api/v1/reports/{report['id']}"
    submitted = await reporting_client.post(
        f"{url}/submission", headers={**officer_31, "If-Match": '"1"'}
    )
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    await child(cases_client, officer_31, HD_WARD, "abandoned_child", [(SOCIALISED, IN_2025)])
    refused = await reporting_client.post(
        f"{url}/recomputation", headers={**officer_31, "If-Match": '"2"'}
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "report_frozen"
    again = (await reporting_client.get(url, headers=officer_31)).json()
    assert value(again, "I05")["numerator"] == 3


async def test_a_draft_recomputes_with_new_records(
    reporting_client: httpx.AsyncClient,
    cases_client: httpx.AsyncClient,
    plans: dict,
    officer_31: dict,
    hai_duong: None,
) -> None:
    report = await _draft(reporting_client, officer_31, plans["HD-2025"])
    await child(cases_client, officer_31, HD_WARD, "abandoned_child", [(SOCIALISED, IN_2025)])
    fresh = await reporting_client.post(
        f"/api/v1/reports/{report['id']}/recomputation", headers={**officer_31, "If-Match": '"1"'}
    )
    assert fresh.status_code == 200
    assert (value(fresh.json(), "I05")["numerator"], value(fresh.json(), "I05")["denominator"]) == (
        4,
        6,
    )


async def test_ministry_accepts_or_returns_and_only_it_may(
    reporting_client: httpx.AsyncClient,
    plans: dict,
    officer_31: dict,
    token: TokenFactory,
    hai_duong: None,
) -> None:
    report = await _draft(reporting_client, officer_31, plans["HD-2025"])
    url = f"/api/v1/reports/{report['id']}"
    review = f"/api/v1/ministry/reports/{report['id']}/review"
    ministry = token(Role.MINISTRY)
    await reporting_client.post(f"{url}/submission", headers={**officer_31, "If-Match": '"1"'})
    own = await reporting_client.post(
        review, json={"decision": "accepted"}, headers={**officer_31, "If-Match": '"2"'}
    )
    assert own.status_code == 403
    seen = await reporting_client.get(f"/api/v1/ministry/reports/{report['id']}", headers=ministry)
    assert seen.headers["ETag"] == '"2"'
    returned = await reporting_client.post(
        review,
        json={"decision": "returned", "note": "Bổ sung số liệu"},
        headers={**ministry, "If-Match": seen.headers["ETag"]},
    )
    assert returned.json()["status"] == "returned"
    gone = await reporting_client.get(f"/api/v1/ministry/reports/{report['id']}", headers=ministry)
    assert gone.status_code == 404  # back in the province's hands until resubmitted
    redo = await reporting_client.post(
        f"{url}/recomputation", headers={**officer_31, "If-Match": '"3"'}
    )
    assert redo.status_code == 200
    resubmitted = await reporting_client.post(
        f"{url}/submission", headers={**officer_31, "If-Match": '"4"'}
    )
    accepted = await reporting_client.post(
        review,
        json={"decision": "accepted"},
        headers={**ministry, "If-Match": resubmitted.headers["ETag"]},
    )
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["reviewed_by"] == "dev-ministry"
    twice = await reporting_client.post(
        review, json={"decision": "returned"}, headers={**ministry, "If-Match": '"6"'}
    )
    assert twice.status_code == 409, twice.text
    assert twice.json()["code"] == "report_not_submitted"


async def test_one_report_per_plan_unit_and_period(
    reporting_client: httpx.AsyncClient, plans: dict, officer_31: dict, hai_duong: None
) -> None:
    first = await _draft(reporting_client, officer_31, plans["HD-2025"])
    again = await reporting_client.post(
        "/api/v1/reports", headers=officer_31, json={"plan_id": plans["HD-2025"], "period": "2025"}
    )
    assert again.status_code == 409
    assert again.json()["existing_id"] == first["id"]


async def test_another_province_cannot_report_on_the_plan(
    reporting_client: httpx.AsyncClient, plans: dict, officer_52: dict
) -> None:
    response = await reporting_client.post(
        "/api/v1/reports", headers=officer_52, json={"plan_id": plans["HD-2025"], "period": "2025"}
    )
    assert response.status_code == 404


async def test_report_history_names_who_did_what(
    reporting_client: httpx.AsyncClient,
    plans: dict,
    officer_31: dict,
    token: TokenFactory,
    hai_duong: None,
) -> None:
    report = await _draft(reporting_client, officer_31, plans["HD-2025"])
    url = f"/api/v1/reports/{report['id']}"
    await reporting_client.post(f"{url}/submission", headers={**officer_31, "If-Match": '"1"'})
    await reporting_client.post(
        f"/api/v1/ministry/reports/{report['id']}/review",
        json={"decision": "accepted"},
        headers={**token(Role.MINISTRY), "If-Match": '"2"'},
    )
    events = (await reporting_client.get(f"{url}/history", headers=officer_31)).json()["items"]
    assert [(e["action"], e["actor"]) for e in events] == [
        ("drafted", "dev-province_officer"),
        ("submitted", "dev-province_officer"),
        ("accepted", "dev-ministry"),
    ]

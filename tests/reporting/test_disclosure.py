"""What leaves a province: only submitted reports, only as disclosed, never differencable."""

import httpx
import pytest

from shared.auth import Role
from tests.conftest import TokenFactory
from tests.reporting.helpers import HD_WARD, HP_WARD, child

SERVED = [("socialised", "2025-04-01")]
SERVED_LATER = [("socialised", "2025-09-01")]


async def _submit(
    client: httpx.AsyncClient, headers: dict, plan_id: str, period: str = "2025", **body: str
) -> dict:
    created = await client.post(
        "/api/v1/reports", json={"plan_id": plan_id, "period": period, **body}, headers=headers
    )
    assert created.status_code == 201, created.text
    report = created.json()
    submitted = await client.post(
        f"/api/v1/reports/{report['id']}/submission",
        headers={**headers, "If-Match": f'"{report["version"]}"'},
    )
    assert submitted.status_code == 200, submitted.text
    return submitted.json()


async def _pulled(client: httpx.AsyncClient, token: TokenFactory, **params: str) -> list[dict]:
    response = await client.get(
        "/api/v1/ministry/indicator-values", params=params, headers=token(Role.MINISTRY)
    )
    assert response.status_code == 200, response.text
    return response.json()["items"]


def _i05(values: list[dict], plan: str, period: str = "2025") -> dict:
    return next(
        v
        for v in values
        if (v["plan_code"], v["period_id"], v["indicator"]) == (plan, period, "I05")
    )


async def _children(
    cases: httpx.AsyncClient, headers: dict, ward: str, n: int, **kw: object
) -> None:
    for _ in range(n):
        await child(cases, headers, ward, "orphan_without_support", **kw)  # type: ignore[arg-type]


@pytest.fixture
async def two_territories(
    reporting_client: httpx.AsyncClient,
    cases_client: httpx.AsyncClient,
    plans: dict,
    officer_31: dict,
    live_sources: None,
) -> tuple[dict, dict]:
    """Six children served in the former Hải Dương, two more elsewhere in Hải Phòng: the
    legacy plan and the national programme both report 2025 for province 31."""
    await _children(cases_client, officer_31, HD_WARD, 6, services=SERVED)
    await _children(cases_client, officer_31, HP_WARD, 2, services=SERVED)
    legacy = await _submit(reporting_client, officer_31, plans["HD-2025"])
    national = await _submit(
        reporting_client, officer_31, plans["QD112-2021-2030"], province_code="31"
    )
    return legacy, national


async def test_a_province_minus_its_former_part_does_not_give_the_rest_away(
    reporting_client: httpx.AsyncClient, two_territories: tuple, token: TokenFactory
) -> None:
    values = await _pulled(reporting_client, token, province="31")
    legacy, national = _i05(values, "HD-2025"), _i05(values, "QD112-2021-2030")
    assert (legacy["numerator"], legacy["denominator"]) == (6, 6)
    # 8 for Hải Phòng would say: two children outside the former Hải Dương.
    assert (national["numerator"], national["denominator"], national["value"]) == (None, None, None)
    assert national["suppressed"] == ["denominator", "met", "numerator", "value"]
    # The province itself still sees its numbers.
    own = next(v for v in two_territories[1]["values"] if v["indicator"] == "I05")
    assert (own["numerator"], own["denominator"]) == (8, 8)


async def test_a_year_minus_its_first_half_does_not_give_the_second_away(
    reporting_client: httpx.AsyncClient,
    cases_client: httpx.AsyncClient,
    plans: dict,
    officer_31: dict,
    live_sources: None,
    token: TokenFactory,
) -> None:
    await _children(cases_client, officer_31, HD_WARD, 5, services=SERVED)
    await _children(cases_client, officer_31, HD_WARD, 2, services=SERVED_LATER)
    await _children(cases_client, officer_31, HD_WARD, 5)
    await _submit(reporting_client, officer_31, plans["HD-2025"], "2025S1")
    await _submit(reporting_client, officer_31, plans["HD-2025"], "2025")
    values = await _pulled(reporting_client, token, plan="HD-2025")
    half, year = _i05(values, "HD-2025", "2025S1"), _i05(values, "HD-2025", "2025")
    assert (half["numerator"], half["denominator"]) == (5, 12)
    assert (year["numerator"], year["denominator"]) == (None, 12)  # 7 − 5 = 2 served later


async def test_a_resubmission_is_checked_against_what_the_ministry_already_read(
    reporting_client: httpx.AsyncClient,
    cases_client: httpx.AsyncClient,
    plans: dict,
    officer_31: dict,
    live_sources: None,
    token: TokenFactory,
) -> None:
    await _children(cases_client, officer_31, HD_WARD, 6, services=SERVED)
    first = await _submit(reporting_client, officer_31, plans["HD-2025"])
    assert _i05(await _pulled(reporting_client, token), "HD-2025")["numerator"] == 6
    ministry = token(Role.MINISTRY)
    returned = await reporting_client.post(
        f"/api/v1/ministry/reports/{first['id']}/review",
        json={"decision": "returned", "note": "Thiếu một trẻ"},
        headers={**ministry, "If-Match": f'"{first["version"]}"'},
    )
    assert returned.status_code == 200, returned.text
    assert await _pulled(reporting_client, token) == []  # returned: no longer listed
    await _children(cases_client, officer_31, HD_WARD, 1, services=SERVED)
    url = f"/api/v1/reports/{first['id']}"
    redo = await reporting_client.post(
        f"{url}/recomputation", headers={**officer_31, "If-Match": returned.headers["ETag"]}
    )
    again = await reporting_client.post(
        f"{url}/submission", headers={**officer_31, "If-Match": redo.headers["ETag"]}
    )
    assert again.status_code == 200, again.text
    i05 = _i05(await _pulled(reporting_client, token), "HD-2025")
    assert (i05["numerator"], i05["denominator"]) == (None, None)  # 7 − 6 = the child added


async def test_dhis2_never_sends_two_values_for_one_key(
    reporting_client: httpx.AsyncClient, two_territories: tuple, token: TokenFactory
) -> None:
    document = (
        await reporting_client.get(
            "/api/v1/ministry/indicator-values",
            params={"format": "dhis2"},
            headers=token(Role.MINISTRY),
        )
    ).json()["dataValues"]
    keys = [
        (
            e["dataElement"],
            e["period"],
            e["orgUnit"],
            e["categoryOptionCombo"],
            e["attributeOptionCombo"],
        )
        for e in document
    ]
    assert len(keys) == len(set(keys))
    # The former Hải Dương under its own org unit, each plan under its own attribute option
    # combo: the same data elements for the same period no longer overwrite each other.
    by_source: dict[tuple[str, str], set[str]] = {}
    for e in document:
        by_source.setdefault((e["orgUnit"], e["attributeOptionCombo"]), set()).add(e["dataElement"])
    assert set(by_source) == {("L30", "HD-2025"), ("31", "QD112-2021-2030")}
    assert by_source[("L30", "HD-2025")] & by_source[("31", "QD112-2021-2030")]


async def test_the_ministry_reads_no_province_route(
    reporting_client: httpx.AsyncClient, two_territories: tuple, plans: dict, token: TokenFactory
) -> None:
    ministry = token(Role.MINISTRY)
    report = two_territories[0]["id"]
    for url in (
        "/api/v1/reports",
        f"/api/v1/reports/{report}",
        f"/api/v1/reports/{report}/export",
        f"/api/v1/reports/{report}/history",
        f"/api/v1/plans/{plans['HD-2025']}/dashboard",
    ):
        assert (await reporting_client.get(url, headers=ministry)).status_code == 403, url


async def test_the_ministry_never_sees_a_draft(
    reporting_client: httpx.AsyncClient,
    plans: dict,
    officer_31: dict,
    live_sources: None,
    token: TokenFactory,
) -> None:
    draft = await reporting_client.post(
        "/api/v1/reports", json={"plan_id": plans["HD-2025"], "period": "2025"}, headers=officer_31
    )
    ministry = token(Role.MINISTRY)
    listed = await reporting_client.get("/api/v1/ministry/reports", headers=ministry)
    assert listed.json()["items"] == []
    one = await reporting_client.get(
        f"/api/v1/ministry/reports/{draft.json()['id']}", headers=ministry
    )
    assert one.status_code == 404


async def test_an_officer_reads_no_other_provinces_dashboard(
    reporting_client: httpx.AsyncClient, plans: dict, officer_31: dict, live_sources: None
) -> None:
    url = f"/api/v1/plans/{plans['QD112-2021-2030']}/dashboard"
    other = await reporting_client.get(url, params={"province_code": "52"}, headers=officer_31)
    assert other.status_code == 403
    bd_plan = await reporting_client.get(
        f"/api/v1/plans/{plans['BD-2021-2025']}/dashboard", headers=officer_31
    )
    assert bd_plan.status_code == 404

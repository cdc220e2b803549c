"""Helpers to put records into the cases and workforce services for reporting tests."""

import uuid
from typing import Any

import httpx

from shared.admin_units import legacy_territory

HD_WARD = "10525"  # Phường Hải Dương: a former Hải Dương commune, now in Hải Phòng (31)
HP_WARD = min(legacy_territory("31").ward_codes - legacy_territory("30").ward_codes)
BD_WARD = "21583"  # Phường Quy Nhơn: former Bình Định, now in Gia Lai (52)
GL_WARD = min(legacy_territory("64").ward_codes - legacy_territory("52").ward_codes)
RECEIVER = "00000000-0000-4000-8000-0000000000bb"  # a facility that receives referrals


async def post(
    client: httpx.AsyncClient, url: str, headers: dict, body: dict, **params: Any
) -> dict:
    response = await client.post(url, json=body, headers=headers, params=params)
    assert response.status_code in (200, 201), response.text
    return response.json()


async def child(
    cases: httpx.AsyncClient,
    headers: dict,
    ward: str,
    category: str,
    services: list[tuple[str, str]] = (),
    born: str = "2016-05-01",
    legacy_ward: str | None = None,
    opened: str = "2024-01-01",
) -> dict:
    """A child in a priority group, with services (funding source, date) on one case; the
    person is returned with that case under "case"."""
    person = await post(
        cases,
        "/api/v1/persons",
        headers,
        {
            "full_name": f"Trẻ {uuid.uuid4().hex[:6]}",
            "sex": "female",
            "birth_date": born,
            "ward_code": ward,
            "legacy_ward_code": legacy_ward,
            "categories": [category],
        },
        allow_duplicate="true",
    )
    if services:
        person["case"] = await post(
            cases,
            "/api/v1/cases",
            headers,
            {"person_id": person["id"], "intake_source": "community", "opened_date": opened},
        )
        for funding, on in services:
            await post(
                cases,
                f"/api/v1/cases/{person['case']['id']}/services",
                headers,
                {"service_type": "counselling", "funding_source": funding, "delivered_on": on},
            )
    return person


async def refer(cases: httpx.AsyncClient, headers: dict, case: dict, to: str = RECEIVER) -> dict:
    """A referral of the case's person to the facility `to`, with their consent."""
    body = {
        "to_facility_id": to,
        "reason": "Cần hỗ trợ tâm lý",
        "services_requested": ["counselling"],
        "consent_confirmed": True,
    }
    return await post(cases, f"/api/v1/cases/{case['id']}/referrals", headers, body)


async def change(
    client: httpx.AsyncClient, headers: dict, url: str, body: dict | None = None
) -> dict:
    """PATCH `url` (or POST to it when `body` is None, as for /archive) with the ETag just read
    from the record it names."""
    record = url.removesuffix("/archive")
    etag = (await client.get(record, headers=headers)).headers["ETag"]
    with_etag = {**headers, "If-Match": etag}
    if body is None:
        response = await client.post(url, headers=with_etag)
    else:
        response = await client.patch(url, json=body, headers=with_etag)
    assert response.status_code == 200, response.text
    return response.json()


async def facility(workforce: httpx.AsyncClient, headers: dict, ward: str, **fields: Any) -> dict:
    body = {
        "code": f"F-{uuid.uuid4().hex[:8]}",
        "name": "Cơ sở",
        "kind": "social_assistance",
        "sector": "social",
        "in_sector": True,
        "provides_services": True,
        "ward_code": ward,
        **fields,
    }
    return await post(workforce, "/api/v1/facilities", headers, body)


async def staff(
    workforce: httpx.AsyncClient,
    headers: dict,
    facility_id: str,
    allowance: int | None,
    **fields: Any,
) -> dict:
    worker = await post(
        workforce,
        "/api/v1/workers",
        headers,
        {"full_name": f"Cán bộ {uuid.uuid4().hex[:6]}", "sex": "male"},
    )
    await post_position(workforce, headers, worker, facility_id, allowance, **fields)
    return worker


async def post_position(
    workforce: httpx.AsyncClient,
    headers: dict,
    worker: dict,
    facility_id: str,
    allowance: int | None = None,
    **fields: Any,
) -> dict:
    return await post(
        workforce,
        f"/api/v1/workers/{worker['id']}/assignments",
        headers,
        {
            "facility_id": facility_id,
            "position_kind": "full_time",
            "start_date": "2022-01-01",
            "monthly_allowance_vnd": allowance,
            **fields,
        },
    )


def value(report: dict, indicator: str, group: str | None = None, per_year: bool = False) -> dict:
    return next(
        v
        for v in report["values"]
        if v["indicator"] == indicator and v["group"] == group and v["per_year"] == per_year
    )


def monitored(report: dict, indicator: str) -> dict:
    """A monitored indicator's value (R01–R03), which a report answers apart from its
    targets' values."""
    return next(v for v in report["monitoring"] if v["indicator"] == indicator)

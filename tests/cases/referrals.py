"""Helpers for the referral tests: a case at a risk level, a referral from it, a step with
the ETag read just before, and the lists and events they are seen in."""

from datetime import datetime
from typing import Any

import httpx

from tests.cases.factories import FACILITY_X, FACILITY_Y, create_case, create_person, post_ok


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def risky_case(
    client: httpx.AsyncClient, headers: dict, risk_level: str, **person: Any
) -> dict:
    created = await create_person(client, headers, **person)
    return await create_case(
        client, headers, created["id"], managing_facility_id=str(FACILITY_X), risk_level=risk_level
    )


async def refer(client: httpx.AsyncClient, headers: dict, case: dict) -> dict:
    body = {
        "to_facility_id": str(FACILITY_Y),
        "reason": "Cần phục hồi chức năng",
        "services_requested": ["rehabilitation", "counselling"],
        "consent_confirmed": True,
    }
    return await post_ok(client, f"/api/v1/cases/{case['id']}/referrals", headers, body)


async def step(
    client: httpx.AsyncClient, headers: dict, referral: dict, **body: Any
) -> httpx.Response:
    current = await client.get(f"/api/v1/referrals/{referral['id']}", headers=headers)
    assert current.status_code == 200, current.text
    return await client.post(
        f"/api/v1/referrals/{referral['id']}/transitions",
        json=body,
        headers={**headers, "If-Match": current.headers["ETag"]},
    )


async def step_ok(client: httpx.AsyncClient, headers: dict, referral: dict, **body: Any) -> dict:
    answer = await step(client, headers, referral, **body)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def overdue(client: httpx.AsyncClient, headers: dict, **params: Any) -> list[dict]:
    answer = await client.get("/api/v1/referrals/overdue", params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


async def events_of(client: httpx.AsyncClient, headers: dict, kind: str) -> list[dict]:
    answer = await client.get("/api/v1/events", params={"type": kind}, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]

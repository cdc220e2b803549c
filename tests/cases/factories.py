"""Plain factory functions for cases tests: valid payloads with overrides, and API helpers."""

import uuid
from typing import Any

import httpx

from shared.auth import Role
from shared.dates import today_in_vietnam

HP = "31"  # Hải Phòng (Hải Dương merged into it in 2025)
GL = "52"  # Gia Lai (Bình Định merged into it in 2025)
WARD_A = "10525"  # Phường Hải Dương
WARD_B = "10507"  # Phường Thành Đông
WARD_GL = "21583"  # Phường Quy Nhơn
FACILITY_X = uuid.UUID("00000000-0000-4000-8000-0000000000aa")
FACILITY_Y = uuid.UUID("00000000-0000-4000-8000-0000000000bb")
PURPOSE = {"X-Access-Purpose": "case review"}


def person_payload(**overrides: Any) -> dict[str, Any]:
    payload = {
        "full_name": "Nguyễn Văn Đức",
        "sex": "male",
        "birth_date": "2015-03-02",
        "ward_code": WARD_A,
        "categories": ["orphan_without_support"],
        "caregivers": [
            {"full_name": "Trần Thị Hoa", "relationship": "bà ngoại", "is_legal_guardian": True}
        ],
    }
    payload.update(overrides)
    return payload


def with_key(headers: dict[str, str], key: str | None = None) -> dict[str, str]:
    return {**headers, "Idempotency-Key": key or uuid.uuid4().hex}


async def create_person(
    client: httpx.AsyncClient, headers: dict[str, str], **overrides: Any
) -> dict:
    response = await client.post(
        "/api/v1/persons",
        json=person_payload(**overrides),
        headers=headers,
        params={"allow_duplicate": "true"},
    )
    assert response.status_code == 201, response.text
    return response.json()


async def create_case(
    client: httpx.AsyncClient, headers: dict[str, str], person_id: str, **overrides: Any
) -> dict:
    payload = {"person_id": person_id, "intake_source": "community", **overrides}
    response = await client.post("/api/v1/cases", json=payload, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def post_ok(client: httpx.AsyncClient, url: str, headers: dict[str, str], body: dict) -> dict:
    response = await client.post(url, json=body, headers=headers)
    assert response.status_code in (200, 201), response.text
    return response.json()


async def move(
    client: httpx.AsyncClient, headers: dict[str, str], case: dict, to_stage: str, **extra: Any
) -> httpx.Response:
    current = await client.get(f"/api/v1/cases/{case['id']}", headers=headers)
    return await client.post(
        f"/api/v1/cases/{case['id']}/transitions",
        json={"to_stage": to_stage, **extra},
        headers={**headers, "If-Match": current.headers["ETag"]},
    )


def assessment(kind: str = "initial_risk") -> dict[str, Any]:
    return {
        "kind": kind,
        "assessed_on": today_in_vietnam().isoformat(),
        "risk_level": "high",
        "summary": "Cháu sống cùng bà, thiếu ăn",
    }


def officer(token: Any, province: str = HP, sensitive: bool = False) -> dict[str, str]:
    scopes = ["sensitive:read"] if sensitive else []
    return token(Role.PROVINCE_OFFICER, province_code=province, scopes=scopes)

"""Plain factory functions for workforce tests."""

import csv
import io
import uuid
from typing import Any

import httpx

WARD_HP = "10525"  # Phường Hải Dương, province 31
WARD_GL = "21583"  # Phường Quy Nhơn, province 52


def facility_payload(**overrides: Any) -> dict[str, Any]:
    payload = {
        "code": f"F-{uuid.uuid4().hex[:8]}",
        "name": "Trung tâm Công tác xã hội tỉnh",
        "kind": "social_assistance",
        "sector": "social",
        "in_sector": True,
        "provides_services": True,
        "services": ["counselling", "case_management"],
        "ward_code": WARD_HP,
    }
    payload.update(overrides)
    return payload


def worker_payload(**overrides: Any) -> dict[str, Any]:
    payload = {"full_name": "Phạm Thị Hương", "sex": "female", "qualification": "university"}
    payload.update(overrides)
    return payload


async def create(client: httpx.AsyncClient, url: str, headers: dict, body: dict) -> dict:
    response = await client.post(url, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def facility(client: httpx.AsyncClient, headers: dict, **overrides: Any) -> dict:
    return await create(client, "/api/v1/facilities", headers, facility_payload(**overrides))


async def worker(client: httpx.AsyncClient, headers: dict, **overrides: Any) -> dict:
    return await create(client, "/api/v1/workers", headers, worker_payload(**overrides))


async def assign(
    client: httpx.AsyncClient, headers: dict, worker_id: str, facility_id: str, **overrides: Any
) -> dict:
    body = {
        "facility_id": facility_id,
        "position_kind": "full_time",
        "start_date": "2024-01-01",
        **overrides,
    }
    return await create(client, f"/api/v1/workers/{worker_id}/assignments", headers, body)


async def load_regions(
    client: httpx.AsyncClient,
    headers: dict,
    rows: list[tuple[str, str, str, str]],
    legal_source: str = "Nghị định 293/2025/NĐ-CP",
    dry_run: bool = False,
) -> httpx.Response:
    """Ward regions loaded as an officer does: a CSV of (ward, vùng, from, to) rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Mã xã, phường", "Vùng", "Áp dụng từ ngày", "Đến ngày", "Căn cứ pháp lý"])
    writer.writerows([*row, legal_source] for row in rows)
    response = await client.post(
        "/api/v1/imports/ward-wage-regions",
        content=buffer.getvalue().encode(),
        params={"dry_run": dry_run},
        headers={**headers, "Content-Type": "text/csv"},
    )
    assert response.status_code == 200, response.text
    return response

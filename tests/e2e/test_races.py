"""The invariants behind the plans' numbers hold under concurrent requests to the real
services: each test fires its requests at once and then checks what was stored.

The stack is shared with the hand-counted reports of test_reporting, so these tests work in
Hà Nội (province 01), which no seed plan covers."""

import asyncio
import csv
import io
import itertools
from collections.abc import AsyncIterator

import httpx
import pytest

from shared.testing import ServiceProcess
from tests.e2e.conftest import Stack
from tests.reporting.helpers import child, facility, post, staff

pytestmark = pytest.mark.e2e
TRIES = 20
PROVINCE, WARD = "01", "00004"  # Phường Ba Đình, Hà Nội


@pytest.fixture(scope="module")
async def replicas(stack: Stack, test_dir) -> AsyncIterator[dict[str, str]]:
    """A second process of cases and of workforce on the same databases, as two replicas
    behind a load balancer: requests split between them really run at the same time."""
    second = {
        name: ServiceProcess(name, stack.env, test_dir / "e2e-logs")
        for name in ("cases", "workforce")
    }
    for process in second.values():
        process.start()
    try:
        await asyncio.gather(*(p.wait_ready() for p in second.values()))
        yield {name: p.url for name, p in second.items()}
    finally:
        for process in second.values():
            process.stop()


class Split:
    """Sends request n to replica n % 2."""

    def __init__(self, first: httpx.AsyncClient, second: httpx.AsyncClient) -> None:
        self.clients = (first, second)
        self.turn = 0

    def __getattr__(self, method: str):
        self.turn += 1
        return getattr(self.clients[self.turn % 2], method)


@pytest.fixture(scope="module")
async def clients(stack: Stack, replicas: dict[str, str]) -> AsyncIterator[dict]:
    headers = {
        "Authorization": "Bearer "
        + stack.ctxh("token", "--role", "province_officer", "--province", PROVINCE)
    }
    opened = {
        (name, url): httpx.AsyncClient(base_url=url, timeout=60, headers=headers)
        for name in ("cases", "workforce")
        for url in (stack.url(name), replicas[name])
    }
    pairs = {
        name: Split(*(c for (n, _), c in opened.items() if n == name))
        for name in ("cases", "workforce")
    }
    yield {**pairs, "headers": headers}
    for client in opened.values():
        await client.aclose()


async def test_concurrent_posts_at_one_facility_never_overlap(clients: dict) -> None:
    work, headers = clients["workforce"], clients["headers"]
    place = await facility(work, headers, WARD)
    someone = await staff(
        work, headers, place["id"], None, start_date="2020-01-01", end_date="2020-12-31"
    )
    body = {"facility_id": place["id"], "position_kind": "full_time", "start_date": "2022-01-01"}
    answers = await asyncio.gather(
        *(
            work.post(f"/api/v1/workers/{someone['id']}/assignments", json=body)
            for _ in range(TRIES)
        )
    )
    assert sorted(a.status_code for a in answers) == [201] + [409] * (TRIES - 1)
    held = (await work.get(f"/api/v1/workers/{someone['id']}/assignments")).json()["items"]
    assert len(held) == 2


async def test_retiring_while_posts_are_added_leaves_no_post_open_after_leaving(
    clients: dict,
) -> None:
    work, headers = clients["workforce"], clients["headers"]
    places = [await facility(work, headers, WARD) for _ in range(TRIES)]
    someone = await post(
        work, "/api/v1/workers", headers, {"full_name": "Người nghỉ", "sex": "male"}
    )
    url = f"/api/v1/workers/{someone['id']}"
    etag = (await work.get(url)).headers["ETag"]
    posts = [
        work.post(
            f"{url}/assignments",
            json={"facility_id": p["id"], "position_kind": "full_time", "start_date": "2024-01-01"},
        )
        for p in places
    ]
    retire = work.patch(
        url, json={"status": "retired", "status_date": "2025-01-31"}, headers={"If-Match": etag}
    )
    answers = await asyncio.gather(retire, *posts)
    assert answers[0].status_code == 200
    assert {a.status_code for a in answers[1:]} <= {201, 422}
    held = (await work.get(f"{url}/assignments")).json()["items"]
    assert all(h["end_date"] is not None and h["end_date"] <= "2025-01-31" for h in held)


async def test_closing_a_case_while_services_are_added_leaves_none_after_the_close(
    clients: dict,
) -> None:
    cases, headers = clients["cases"], clients["headers"]
    person = await child(
        cases, headers, WARD, "orphan_without_support", [("socialised", "2025-01-10")]
    )
    case_url = f"/api/v1/cases/{person['case']['id']}"
    etag = (await cases.get(case_url)).headers["ETag"]
    close = cases.post(
        f"{case_url}/transitions",
        json={"to_stage": "closed", "closure_reason": "goals_met", "on_date": "2025-03-01"},
        headers={"If-Match": etag},
    )
    later = {
        "service_type": "counselling",
        "funding_source": "socialised",
        "delivered_on": "2025-05-01",
    }
    adds = [cases.post(f"{case_url}/services", json=later) for _ in range(TRIES)]
    answers = await asyncio.gather(close, *adds)
    assert {a.status_code for a in answers} <= {200, 201, 422}
    case = (await cases.get(case_url)).json()
    services = (await cases.get(f"{case_url}/services")).json()["items"]
    if case["closed_date"] is not None:
        assert all(s["delivered_on"] <= case["closed_date"] for s in services)
    else:  # the services came first, so the close was refused
        assert answers[0].status_code == 422


async def test_concurrent_region_loads_keep_one_region_per_ward_per_day(clients: dict) -> None:
    work = clients["workforce"]

    def sheet(region: str, start: str) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["Mã xã, phường", "Vùng", "Áp dụng từ ngày", "Căn cứ pháp lý"])
        writer.writerow([WARD, region, start, f"Tải đồng thời {region} {start}"])
        return buffer.getvalue().encode()

    loads = [
        work.post(
            "/api/v1/imports/ward-wage-regions",
            content=sheet("I" if n % 2 else "II", f"2026-{1 + n % 6:02d}-01"),
            headers={"Content-Type": "text/csv"},
        )
        for n in range(TRIES)
    ]
    answers = await asyncio.gather(*loads)
    assert {a.status_code for a in answers} <= {200, 409}, [
        (a.status_code, a.text[:300]) for a in answers if a.status_code not in (200, 409)
    ]
    spans = (await work.get("/api/v1/ward-wage-regions", params={"ward": WARD})).json()["items"]
    ordered = sorted((s["valid_from"], s["valid_to"] or "9999-12-31") for s in spans)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(ordered))

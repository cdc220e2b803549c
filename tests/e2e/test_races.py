"""The invariants behind the plans' numbers hold under concurrent requests to the real
services: each test fires its requests at once and then checks what was stored.

The stack is shared with the hand-counted reports of test_reporting, so these tests work in
Hà Nội (province 01), which no seed plan covers."""

import asyncio
import csv
import io
import itertools
from calendar import monthrange
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.e2e.conftest import Stack
from tests.reporting.helpers import child, facility, post, staff
from tools.processes import ServiceProcess

pytestmark = [pytest.mark.e2e, pytest.mark.once]
TRIES = 20
PROVINCE, WARD = "01", "00004"  # Phường Ba Đình, Hà Nội


@pytest.fixture(scope="module")
async def replicas(stack: Stack, test_dir) -> AsyncIterator[dict[str, str]]:
    """A second process of cases and of workforce on the same databases, as two replicas
    behind a load balancer: requests split between them really run at the same time. In a
    cluster, nginx already splits them over two processes."""
    if stack.topology is not None:
        yield {name: stack.url(name) for name in ("cases", "workforce", "reporting")}
        return
    second = {
        name: ServiceProcess(name, stack.env, test_dir / "e2e-logs")
        for name in ("cases", "workforce", "reporting")
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
        (name, turn): httpx.AsyncClient(base_url=url, timeout=60, headers=headers)
        for name in ("cases", "workforce", "reporting")
        for turn, url in enumerate((stack.url(name), replicas[name]))
    }
    pairs = {
        name: Split(*(c for (n, _), c in opened.items() if n == name))
        for name in ("cases", "workforce", "reporting")
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


def _token(stack: Stack, *args: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + stack.ctxh("token", *args)}


SAIGON_WARD = "25747"  # Hồ Chí Minh (79): no seed plan counts it either


async def test_concurrent_transfer_requests_leave_one_open(clients: dict) -> None:
    cases, headers = clients["cases"], clients["headers"]
    person = await post(
        cases,
        "/api/v1/persons",
        headers,
        {"full_name": "Người chuyển", "sex": "female", "ward_code": WARD},
    )
    body = {"ward_code": SAIGON_WARD, "reason": "Chuyển vào Nam"}
    url = f"/api/v1/persons/{person['id']}/transfers"
    answers = await asyncio.gather(*(cases.post(url, json=body) for _ in range(TRIES)))
    assert sorted(a.status_code for a in answers) == [201] + [409] * (TRIES - 1)
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"transfer_pending"}


async def test_a_transfer_accepted_and_cancelled_at_once_is_one_or_the_other(
    stack: Stack, clients: dict
) -> None:
    cases, headers = clients["cases"], clients["headers"]
    receiving = _token(stack, "--role", "province_officer", "--province", "79")
    for _ in range(5):
        person = await post(
            cases,
            "/api/v1/persons",
            headers,
            {"full_name": "Người chuyển", "sex": "male", "ward_code": WARD},
        )
        transfer = await post(
            cases,
            f"/api/v1/persons/{person['id']}/transfers",
            headers,
            {"ward_code": SAIGON_WARD, "reason": "Chuyển vào Nam"},
        )
        url = f"/api/v1/transfers/{transfer['id']}/transitions"
        accept = cases.post(
            url, json={"status": "accepted"}, headers={**receiving, "If-Match": '"1"'}
        )
        cancel = cases.post(url, json={"status": "cancelled"}, headers={"If-Match": '"1"'})
        answers = await asyncio.gather(accept, cancel)
        assert sorted(a.status_code for a in answers) in ([200, 409], [200, 412]), [
            a.text for a in answers
        ]
        won = next(a.json()["status"] for a in answers if a.status_code == 200)
        where = await cases.get(f"/api/v1/persons/{person['id']}", headers=receiving)
        assert (where.status_code == 200) == (won == "accepted")


async def test_reports_disclosed_at_once_are_checked_against_each_other(
    stack: Stack, clients: dict
) -> None:
    """Eight windows from 1 January, each a month longer and one child more, submitted
    together to two replicas: had each been checked without the others, counts a child apart
    would all leave the province, and their differences would name who was served when."""
    cases, reporting, headers = clients["cases"], clients["reporting"], clients["headers"]
    for month in range(1, 9):
        for _ in range(6 if month == 1 else 1):
            await child(
                cases,
                headers,
                WARD,
                "orphan_without_support",
                [("socialised", f"2025-{month:02d}-10")],
            )
    admin = _token(stack, "--role", "admin")
    plan = await post(
        reporting,
        "/api/v1/plans",
        admin,
        {
            "code": "HN-RACE-2025",
            "name_vi": "Kế hoạch thử Hà Nội",
            "name_en": "Hà Nội trial plan",
            "level": "province",
            "territory": {"scheme": "2025", "code": PROVINCE},
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "targets": [{"indicator": "I05", "value": 50}],
        },
    )
    ends = [f"2025-{m:02d}-{monthrange(2025, m)[1]}" for m in range(1, 9)]
    drafts = [
        await post(
            reporting,
            "/api/v1/reports",
            headers,
            {"plan_id": plan["id"], "period": f"2025-01-01..{end}"},
        )
        for end in ends
    ]
    answers = await asyncio.gather(
        *(
            reporting.post(
                f"/api/v1/reports/{d['id']}/submission", headers={**headers, "If-Match": '"1"'}
            )
            for d in drafts
        )
    )
    assert [a.status_code for a in answers] == [200] * len(drafts)
    pulled = await reporting.get(
        "/api/v1/ministry/indicator-values",
        params={"plan": "HN-RACE-2025"},
        headers=_token(stack, "--role", "ministry"),
    )
    shown = [v["numerator"] for v in pulled.json()["items"] if v["indicator"] == "I05"]
    assert len(shown) == len(drafts)
    published = [n for n in shown if n is not None]
    assert published, shown
    assert all(abs(a - b) >= 5 for a, b in itertools.combinations(published, 2)), shown

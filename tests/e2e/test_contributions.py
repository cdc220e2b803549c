"""A period on the lead department's desk, through the real reporting process: five agencies
are due (two departments, a mass organisation, two commune People's Committees); three file
on time, one late, one is returned and files again; the lead department compiles.

The plan is the stack's own (a copy of Hải Dương's tasks on Hải Phòng, 2025 scheme) for the
year after today, so that "on time" and "late" are read against the real clock."""

import asyncio
import io
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import docx
import httpx
import pytest
from openpyxl import load_workbook

from services.reporting.plan.service import seed_plans
from services.reporting.report.document import DOCX, INDICATOR_HEADERS, SECTIONS
from shared.dates import today_in_vietnam
from tests.e2e.conftest import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.once]
PROVINCE = "31"
WARDS = ("10507", "10525")


def _headers(stack: Stack, *args: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {stack.ctxh('token', *args)}"}


async def _ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return response.json()


def _plan_body() -> dict[str, Any]:
    year = today_in_vietnam().year + 1
    seed = next(p for p in seed_plans() if p.code == "HD-2025").model_dump(mode="json")
    return {
        **seed,
        "code": f"HP-{year}-{uuid.uuid4().hex[:6]}",
        "territory": {"scheme": "2025", "code": PROVINCE, "shared_wards": "include"},
        "period_start": f"{year}-01-01",
        "period_end": f"{year}-12-31",
        "deadlines": [{"label_vi": "Báo cáo kết quả năm", "date": f"{year}-12-10"}],
    }


@pytest.fixture(scope="module")
async def desk(stack: Stack) -> AsyncIterator[dict[str, Any]]:
    client = httpx.AsyncClient(base_url=stack.url("reporting") + "/api/v1", timeout=30)
    lead = _headers(stack, "--role", "province_officer", "--province", PROVINCE)
    plan = await _ok(
        await client.post("/plans", json=_plan_body(), headers=_headers(stack, "--role", "admin")),
        201,
    )
    suffix = uuid.uuid4().hex[:4]
    agencies = {
        "SYT": {"name_vi": "Sở Y tế", "kind": "department"},
        "SGDDT": {"name_vi": "Sở Giáo dục và Đào tạo", "kind": "department"},
        "HND": {"name_vi": "Hội Nông dân thành phố", "kind": "mass_organisation"},
        **{
            f"UBND-{ward}": {
                "name_vi": f"Ủy ban nhân dân phường {ward}",
                "kind": "commune_committee",
                "ward_code": ward,
            }
            for ward in WARDS
        },
    }
    today = today_in_vietnam()
    found: dict[str, Any] = {"client": client, "lead": lead, "plan": plan, "agencies": {}}
    for code, body in agencies.items():
        agency = await _ok(
            await client.post("/agencies", json={"code": f"{code}-{suffix}", **body}, headers=lead),
            201,
        )
        # The late one was due yesterday; the others a month from now.
        due = today - timedelta(days=1) if code == f"UBND-{WARDS[1]}" else today + timedelta(30)
        asked = await _ok(
            await client.post(
                "/contributions",
                json={
                    "plan_id": plan["id"],
                    "period": plan["period_start"][:4],
                    "agency_id": agency["id"],
                    "due_date": due.isoformat(),
                },
                headers={**lead, "Idempotency-Key": str(uuid.uuid4())},
            ),
            201,
        )
        found["agencies"][code] = {
            "code": agency["code"],
            "name": agency["name_vi"],
            "contribution": asked["id"],
            "headers": _headers(
                stack,
                *("--role", "agency_officer", "--province", PROVINCE, "--agency", agency["id"]),
            ),
        }
    yield found
    await client.aclose()


def _content(n: int) -> dict[str, Any]:
    return {
        "tasks": [{"task": "5", "done_vi": f"Tổ chức {n} hội nghị truyền thông"}],
        "activities": {"workshops": n, "workshop_participants": 30 * n, "trainings": 1},
        "funding": [{"source": "state_budget", "amount_vnd": 1_000_000 * n}],
        "difficulties_vi": "Kinh phí hạn hẹp",
        "proposals_vi": "Bổ sung biên chế cán bộ",
    }


async def _file(client: httpx.AsyncClient, agency: dict, body: dict) -> dict[str, Any]:
    path = f"/contributions/{agency['contribution']}"
    read = await client.get(path, headers=agency["headers"])
    edited = await _ok(
        await client.patch(
            path, json=body, headers={**agency["headers"], "If-Match": read.headers["ETag"]}
        )
    )
    return await _ok(
        await client.post(
            f"{path}/submission",
            headers={**agency["headers"], "If-Match": f'"{edited["version"]}"'},
        )
    )


async def _review(client: httpx.AsyncClient, lead: dict, agency: dict, body: dict) -> dict:
    path = f"/contributions/{agency['contribution']}"
    read = await client.get(path, headers=lead)
    return await _ok(
        await client.post(
            f"{path}/review", json=body, headers={**lead, "If-Match": read.headers["ETag"]}
        )
    )


async def test_a_period_from_request_to_compiled_report(desk: dict) -> None:
    client, lead, plan = desk["client"], desk["lead"], desk["plan"]
    agencies = desk["agencies"]
    on_time = [agencies[c] for c in ("SYT", "SGDDT", "HND")]
    returned, late = agencies[f"UBND-{WARDS[0]}"], agencies[f"UBND-{WARDS[1]}"]

    overdue = await _ok(
        await client.get(
            "/contributions", params={"plan_id": plan["id"], "overdue": "true"}, headers=lead
        )
    )
    assert [item["agency_code"] for item in overdue["items"]] == [late["code"]]

    for n, agency in enumerate(on_time, start=1):
        filed = await _file(client, agency, _content(n))
        assert (filed["status"], filed["late"]) == ("submitted", False)
    # A contributor never reads another agency's draft, nor the desk.
    await client.patch(
        f"/contributions/{returned['contribution']}",
        json={"proposals_vi": "Bản nháp"},
        headers={**returned["headers"], "If-Match": '"1"'},
    )
    other = await client.get(
        f"/contributions/{returned['contribution']}", headers=on_time[0]["headers"]
    )
    assert other.status_code == 404
    mine = await _ok(await client.get("/contributions", headers=on_time[0]["headers"]))
    assert [item["agency_code"] for item in mine["items"]] == [on_time[0]["code"]]

    await _file(client, returned, _content(4))
    sent_back = await _review(
        client, lead, returned, {"decision": "returned", "note": "Bổ sung số người tham gia"}
    )
    assert sent_back["status"] == "returned"
    still_open = await client.patch(
        f"/contributions/{late['contribution']}",
        json={"proposals_vi": "x"},
        headers={**late["headers"], "If-Match": '"1"'},
    )
    assert still_open.status_code == 200  # overdue, but open: it was never submitted
    refiled = await _file(client, returned, {**_content(4), "proposals_vi": "Đã bổ sung"})
    assert refiled["status"] == "submitted"
    filed_late = await _file(client, late, _content(5))
    assert filed_late["late"] is True

    for agency in agencies.values():
        assert (await _review(client, lead, agency, {"decision": "accepted"}))["status"] == (
            "accepted"
        )
    accepted = await client.get(f"/contributions/{late['contribution']}", headers=lead)
    after = await _ok(
        await client.post(
            f"/contributions/{late['contribution']}/submission",
            headers={**late["headers"], "If-Match": accepted.headers["ETag"]},
        ),
        409,
    )
    assert after["code"] == "contribution_frozen"

    report = await _ok(
        await client.post(
            "/reports",
            json={"plan_id": plan["id"], "period": plan["period_start"][:4]},
            headers=lead,
        ),
        201,
    )
    workshops = next(
        m
        for m in report["manual_values"]
        if m["metric"] == "workshops" and m["source"] == "contributions"
    )
    assert (workshops["value"], workshops["participants"]) == (15, 450)
    assert len(workshops["agencies"]) == 5
    assert report["funding"] == [
        {
            "source": "state_budget",
            "amount_vnd": 15_000_000,
            "agencies": sorted(a["code"] for a in agencies.values()),
        }
    ]
    await _read_back_the_filing(client, lead, report, agencies)
    history = await _ok(
        await client.get(f"/contributions/{returned['contribution']}/history", headers=lead)
    )
    assert [event["action"] for event in history["items"]] == [
        "requested",
        "updated",
        "updated",
        "submitted",
        "returned",
        "updated",
        "submitted",
        "accepted",
    ]


async def _read_back_the_filing(
    client: httpx.AsyncClient, lead: dict, report: dict, agencies: dict
) -> None:
    """The document the department signs and its annex, as an official opens them."""
    document = await client.get(f"/reports/{report['id']}/document", headers=lead)
    assert document.headers["content-type"] == DOCX
    opened = docx.Document(io.BytesIO(document.content))
    lines = [p.text for p in opened.paragraphs]
    assert [line for line in lines if line in SECTIONS] == list(SECTIONS)
    for agency in agencies.values():  # every agency's work, under task 5
        assert any(line.startswith(f"- {agency['name']}: Tổ chức") for line in lines)
    indicators = [[c.text for c in row.cells] for row in opened.tables[1].rows]
    assert indicators[0] == list(INDICATOR_HEADERS)
    assert len(indicators) == 1 + len(report["values"])
    funding = [[c.text for c in row.cells] for row in opened.tables[3].rows]
    assert funding[-1] == ["Tổng cộng", "15.000.000", ""]
    annex = await client.get(f"/reports/{report['id']}/annex", headers=lead)
    book = load_workbook(io.BytesIO(annex.content))
    summary = list(book["Tổng hợp"].iter_rows(values_only=True))
    assert sorted(row[0] for row in summary[1:]) == sorted(a["code"] for a in agencies.values())
    tasks = list(book["Nhiệm vụ"].iter_rows(values_only=True))
    assert {row[2] for row in tasks[1:]} == {"5"}


async def test_racing_requests_and_submissions_leave_one_winner(stack: Stack, desk: dict) -> None:
    """Ten requests for the same agency at once: one contribution; ten submissions from the
    same read at once: one submission, the others refused as stale."""
    client, lead = desk["client"], desk["lead"]
    agency = await _ok(
        await client.post(
            "/agencies",
            json={
                "code": f"STP-{uuid.uuid4().hex[:4]}",
                "name_vi": "Sở Tư pháp",
                "kind": "department",
            },
            headers=lead,
        ),
        201,
    )
    body = {
        "plan_id": desk["plan"]["id"],
        "period": desk["plan"]["period_start"][:4],
        "agency_id": agency["id"],
        "due_date": (today_in_vietnam() + timedelta(days=20)).isoformat(),
    }
    answers = await asyncio.gather(
        *(client.post("/contributions", json=body, headers=lead) for _ in range(10))
    )
    assert sorted(a.status_code for a in answers) == [201] + [409] * 9
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"contribution_exists"}
    created = next(a.json() for a in answers if a.status_code == 201)
    officer = _headers(
        stack, "--role", "agency_officer", "--province", PROVINCE, "--agency", agency["id"]
    )
    path = f"/contributions/{created['id']}"
    submissions = await asyncio.gather(
        *(
            client.post(f"{path}/submission", headers={**officer, "If-Match": '"1"'})
            for _ in range(10)
        )
    )
    assert sorted(s.status_code for s in submissions) == [200] + [412] * 9
    stored = await _ok(await client.get(path, headers=lead))
    assert (stored["status"], stored["version"]) == ("submitted", 2)

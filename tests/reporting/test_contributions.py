"""Contributions: the lead department asks its province's agencies, each agency's officers
draft and submit their own, and the lead department accepts or returns them."""

import io
import uuid
from datetime import date, timedelta
from typing import Any

import docx
import httpx
import pytest
from openpyxl import load_workbook

from services.reporting.report.document import DOCX, INDICATOR_HEADERS, SECTIONS
from shared.auth import Role
from shared.dates import today_in_vietnam
from tests.conftest import MoveClock, TokenFactory

WARDS = ("10507", "10525")  # two wards of Hải Phòng (31), once in Hải Dương
DUE = "2025-11-20"  # before Hải Dương's own deadline, 30/11/2025


async def _ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return response.json()


def _on(clock: MoveClock, day: date) -> None:
    """Move the apps' clock to `day` (Vietnam's), keeping the time of day."""
    clock(days=(day - today_in_vietnam()).days)


@pytest.fixture
async def desk(
    reporting_client: httpx.AsyncClient, plans: dict, officer_31: dict, token: TokenFactory
) -> dict[str, Any]:
    """Five agencies of Hải Phòng, each asked for its contribution to HD-2025 for 2025."""
    agencies = [
        {"code": "SYT", "name_vi": "Sở Y tế", "kind": "department"},
        {"code": "SGDDT", "name_vi": "Sở Giáo dục và Đào tạo", "kind": "department"},
        {"code": "HLHPN", "name_vi": "Hội Liên hiệp Phụ nữ", "kind": "mass_organisation"},
        *(
            {
                "code": f"UBND-{ward}",
                "name_vi": f"Ủy ban nhân dân phường {ward}",
                "kind": "commune_committee",
                "ward_code": ward,
            }
            for ward in WARDS
        ),
    ]
    found: dict[str, Any] = {"plan": plans["HD-2025"], "officer": officer_31}
    for agency in agencies:
        created = await _ok(
            await reporting_client.post("/api/v1/agencies", json=agency, headers=officer_31), 201
        )
        asked = await _ok(
            await reporting_client.post(
                "/api/v1/contributions",
                json={
                    "plan_id": plans["HD-2025"],
                    "period": "2025",
                    "agency_id": created["id"],
                    "due_date": DUE,
                },
                headers=officer_31,
            ),
            201,
        )
        found[agency["code"]] = {
            "agency": created["id"],
            "contribution": asked["id"],
            "headers": token(Role.AGENCY_OFFICER, province_code="31", agency_id=created["id"]),
        }
    return found


def _content(n: int) -> dict[str, Any]:
    return {
        "tasks": [
            {"task": "5", "done_vi": f"Tổ chức {n} buổi truyền thông về công tác xã hội"},
            {"task": "4", "done_vi": "Cử cán bộ dự tập huấn kỹ năng"},
        ],
        "activities": {"communication_events": n, "communication_participants": 40 * n},
        "funding": [
            {"source": "state_budget", "amount_vnd": 10_000_000 * n},
            {"source": "domestic_contributions", "amount_vnd": 2_500_000},
        ],
        "difficulties_vi": "Thiếu cộng tác viên ở thôn, tổ dân phố",
        "proposals_vi": "Bố trí kinh phí tập huấn năm 2026",
    }


async def _write(client: httpx.AsyncClient, agency: dict, body: dict) -> dict[str, Any]:
    path = f"/api/v1/contributions/{agency['contribution']}"
    current = await client.get(path, headers=agency["headers"])
    etag = {"If-Match": current.headers["ETag"], **agency["headers"]}
    return await _ok(await client.patch(path, json=body, headers=etag))


async def _submit(client: httpx.AsyncClient, agency: dict) -> dict[str, Any]:
    path = f"/api/v1/contributions/{agency['contribution']}"
    current = await client.get(path, headers=agency["headers"])
    etag = {"If-Match": current.headers["ETag"], **agency["headers"]}
    return await _ok(await client.post(f"{path}/submission", headers=etag))


async def _review(
    client: httpx.AsyncClient, officer: dict, agency: dict, body: dict
) -> httpx.Response:
    path = f"/api/v1/contributions/{agency['contribution']}"
    current = await client.get(path, headers=officer)
    etag = {"If-Match": current.headers["ETag"], **officer}
    return await client.post(f"{path}/review", json=body, headers=etag)


async def test_a_period_on_the_lead_departments_desk(
    reporting_client: httpx.AsyncClient, desk: dict, clock: MoveClock
) -> None:
    """Three file on time, one late, one is returned and files again; the desk shows who is
    due, overdue, late, and what was returned and why."""
    officer = desk["officer"]
    _on(clock, date(2025, 11, 10))
    for n, code in enumerate(("SYT", "SGDDT", "HLHPN"), start=1):
        await _write(reporting_client, desk[code], _content(n))
        await _submit(reporting_client, desk[code])
    commune, late = desk[f"UBND-{WARDS[0]}"], desk[f"UBND-{WARDS[1]}"]
    await _write(reporting_client, commune, _content(4))
    await _submit(reporting_client, commune)
    returned = await _ok(
        await _review(
            reporting_client,
            officer,
            commune,
            {"decision": "returned", "note": "Thiếu số liệu kinh phí xã hội hóa"},
        )
    )
    assert returned["status"] == "returned"
    assert returned["review_note"] == "Thiếu số liệu kinh phí xã hội hóa"

    _on(clock, date(2025, 11, 25))  # past the due date: the late one and the returned one
    listed = await reporting_client.get(
        "/api/v1/contributions",
        params={"plan_id": desk["plan"], "period": "2025", "overdue": "true"},
        headers=officer,
    )
    overdue = {item["agency_code"] for item in (await _ok(listed))["items"]}
    assert overdue == {f"UBND-{WARDS[0]}", f"UBND-{WARDS[1]}"}

    reminded = await reporting_client.post(
        "/api/v1/contribution-reminders",
        json={"plan_id": desk["plan"], "period": "2025"},
        headers=officer,
    )
    assert {item["agency_code"] for item in (await _ok(reminded))["items"]} == overdue
    seen = await _ok(
        await reporting_client.get(
            f"/api/v1/contributions/{late['contribution']}", headers=late["headers"]
        )
    )
    assert seen["reminded_at"] is not None
    assert seen["version"] == 1  # a reminder is not an edit: the agency's ETag still holds
    await _write(reporting_client, late, _content(5))
    filed_late = await _submit(reporting_client, late)
    assert filed_late["late"] is True
    assert filed_late["overdue"] is False
    await _write(reporting_client, commune, {"funding": [{"source": "other", "amount_vnd": 1}]})
    await _submit(reporting_client, commune)
    for code in ("SYT", "SGDDT", "HLHPN", f"UBND-{WARDS[0]}", f"UBND-{WARDS[1]}"):
        accepted = await _review(reporting_client, officer, desk[code], {"decision": "accepted"})
        assert (await _ok(accepted))["status"] == "accepted"

    everything = await reporting_client.get(
        "/api/v1/contributions", params={"plan_id": desk["plan"]}, headers=officer
    )
    rows = {item["agency_code"]: item for item in (await _ok(everything))["items"]}
    assert {code: (r["status"], r["late"]) for code, r in rows.items()} == {
        "SYT": ("accepted", False),
        "SGDDT": ("accepted", False),
        "HLHPN": ("accepted", False),
        f"UBND-{WARDS[0]}": ("accepted", True),  # refiled after the due date
        f"UBND-{WARDS[1]}": ("accepted", True),
    }
    history = await reporting_client.get(
        f"/api/v1/contributions/{commune['contribution']}/history", headers=officer
    )
    actions = [event["action"] for event in (await _ok(history))["items"]]
    assert actions == [
        "requested",
        "updated",
        "submitted",
        "returned",
        "reminded",
        "updated",
        "submitted",
        "accepted",
    ]


async def test_a_submitted_contribution_is_frozen_until_returned(
    reporting_client: httpx.AsyncClient, desk: dict
) -> None:
    agency = desk["SYT"]
    await _write(reporting_client, agency, _content(1))
    submitted = await _submit(reporting_client, agency)
    path = f"/api/v1/contributions/{agency['contribution']}"
    etag = {"If-Match": f'"{submitted["version"]}"', **agency["headers"]}
    edited = await reporting_client.patch(path, json={"proposals_vi": "Sửa"}, headers=etag)
    assert edited.status_code == 409
    assert edited.json()["code"] == "contribution_frozen"
    again = await reporting_client.post(f"{path}/submission", headers=etag)
    assert again.json()["code"] == "contribution_frozen"
    accepted = await _review(reporting_client, desk["officer"], agency, {"decision": "accepted"})
    assert accepted.status_code == 200
    reviewed_twice = await _review(
        reporting_client, desk["officer"], agency, {"decision": "returned", "note": "Muộn"}
    )
    assert reviewed_twice.status_code == 409
    assert reviewed_twice.json()["code"] == "contribution_not_submitted"
    stored = await _ok(await reporting_client.get(path, headers=agency["headers"]))
    assert stored["proposals_vi"] == _content(1)["proposals_vi"]


async def test_an_agency_officer_reads_and_writes_only_its_own_agencys_contributions(
    reporting_client: httpx.AsyncClient, desk: dict, token: TokenFactory
) -> None:
    mine, theirs = desk["HLHPN"], desk["SYT"]
    await _write(reporting_client, theirs, _content(2))  # a draft of another agency
    path = f"/api/v1/contributions/{theirs['contribution']}"
    assert (await reporting_client.get(path, headers=mine["headers"])).status_code == 404
    history = await reporting_client.get(f"{path}/history", headers=mine["headers"])
    assert history.status_code == 404
    listed = await _ok(await reporting_client.get("/api/v1/contributions", headers=mine["headers"]))
    assert [item["agency_code"] for item in listed["items"]] == ["HLHPN"]
    agencies = await _ok(await reporting_client.get("/api/v1/agencies", headers=mine["headers"]))
    assert [a["code"] for a in agencies["items"]] == ["HLHPN"]
    write = await reporting_client.patch(
        path, json={"proposals_vi": "x"}, headers={"If-Match": '"2"', **mine["headers"]}
    )
    assert write.status_code == 404
    # The same agency id claimed in another province reaches nothing.
    elsewhere = token(Role.AGENCY_OFFICER, province_code="52", agency_id=mine["agency"])
    own = f"/api/v1/contributions/{mine['contribution']}"
    assert (await reporting_client.get(own, headers=elsewhere)).status_code == 404
    # The lead department reviews but never writes an agency's contribution, and an agency
    # never reviews.
    officer_write = await reporting_client.patch(
        own, json={"proposals_vi": "x"}, headers={"If-Match": '"1"', **desk["officer"]}
    )
    assert officer_write.status_code == 403
    review = await reporting_client.post(
        f"{own}/review",
        json={"decision": "accepted"},
        headers={"If-Match": '"1"', **mine["headers"]},
    )
    assert review.status_code == 403


async def test_contributions_are_checked_against_the_plan_and_its_deadline(
    reporting_client: httpx.AsyncClient, desk: dict
) -> None:
    officer, agency = desk["officer"], desk["SGDDT"]
    late_due = await reporting_client.post(
        "/api/v1/contributions",
        json={
            "plan_id": desk["plan"],
            "period": "2025S1",
            "agency_id": agency["agency"],
            "due_date": "2025-12-01",
        },
        headers=officer,
    )
    assert late_due.status_code == 422
    assert "2025-06-15" in late_due.text  # the decree's six-month deadline
    twice = await reporting_client.post(
        "/api/v1/contributions",
        json={
            "plan_id": desk["plan"],
            "period": "2025",
            "agency_id": agency["agency"],
            "due_date": DUE,
        },
        headers=officer,
    )
    assert twice.status_code == 409
    assert twice.json()["code"] == "contribution_exists"
    path = f"/api/v1/contributions/{agency['contribution']}"
    unknown_task = await reporting_client.patch(
        path,
        json={"tasks": [{"task": "9", "done_vi": "Không có trong kế hoạch"}]},
        headers={"If-Match": '"1"', **agency["headers"]},
    )
    assert unknown_task.status_code == 422
    assert unknown_task.json()["errors"][0]["loc"] == ["body", "tasks", 0, "task"]
    await _write(reporting_client, agency, _content(1))
    await _submit(reporting_client, agency)
    no_reason = await _review(reporting_client, officer, agency, {"decision": "returned"})
    assert no_reason.status_code == 422


async def test_null_clears_a_part_of_a_contribution(
    reporting_client: httpx.AsyncClient, desk: dict
) -> None:
    agency = desk["SGDDT"]
    await _write(reporting_client, agency, _content(2))
    cleared = await _write(
        reporting_client, agency, {"tasks": None, "activities": None, "funding": None}
    )
    assert (cleared["tasks"], cleared["funding"]) == ([], [])
    assert set(cleared["activities"].values()) == {0}
    assert cleared["proposals_vi"] == _content(2)["proposals_vi"]


async def test_an_edit_from_a_stale_read_is_refused(
    reporting_client: httpx.AsyncClient, desk: dict
) -> None:
    agency = desk["HLHPN"]
    path = f"/api/v1/contributions/{agency['contribution']}"
    stale = {"If-Match": '"1"', **agency["headers"]}
    first = await reporting_client.patch(path, json={"proposals_vi": "Một"}, headers=stale)
    assert first.status_code == 200
    second = await reporting_client.patch(path, json={"proposals_vi": "Hai"}, headers=stale)
    assert second.status_code == 412


async def test_agencies_are_the_provinces_own_and_today_s_kinds(
    reporting_client: httpx.AsyncClient, desk: dict, officer_52: dict
) -> None:
    officer = desk["officer"]
    district = await reporting_client.post(
        "/api/v1/agencies",
        json={"code": "UBND-H", "name_vi": "UBND huyện", "kind": "district_committee"},
        headers=officer,
    )
    assert district.status_code == 422
    foreign_ward = await reporting_client.post(
        "/api/v1/agencies",
        json={
            "code": "UBND-X",
            "name_vi": "UBND xã",
            "kind": "commune_committee",
            "ward_code": "21553",  # Gia Lai's
        },
        headers=officer,
    )
    assert foreign_ward.status_code == 422
    taken = await reporting_client.post(
        "/api/v1/agencies",
        json={"code": "SYT", "name_vi": "Sở Y tế", "kind": "department"},
        headers=officer,
    )
    assert taken.json()["code"] == "agency_code_exists"
    theirs = await reporting_client.get(
        f"/api/v1/agencies/{desk['SYT']['agency']}", headers=officer_52
    )
    assert theirs.status_code == 404
    asked = await reporting_client.post(
        "/api/v1/contributions",
        json={
            "plan_id": desk["plan"],
            "period": "2025",
            "agency_id": str(uuid.uuid4()),
            "due_date": (date(2025, 11, 1) + timedelta(days=1)).isoformat(),
        },
        headers=officer,
    )
    assert asked.status_code == 404


async def test_accepted_contributions_flow_into_the_report_marked_as_such(
    reporting_client: httpx.AsyncClient, desk: dict, live_sources: None
) -> None:
    """Only accepted contributions count: a submitted one not yet reviewed adds nothing."""
    officer = desk["officer"]
    for n, code in enumerate(("SYT", "HLHPN", "SGDDT"), start=1):
        await _write(reporting_client, desk[code], _content(n))
        await _submit(reporting_client, desk[code])
    for code in ("SYT", "HLHPN"):
        await _ok(await _review(reporting_client, officer, desk[code], {"decision": "accepted"}))
    hand = {
        "territory_scheme": "legacy",
        "territory_code": "30",
        "metric": "communication_events",
        "period_id": "2025",
        "value": 7,
    }
    await _ok(await reporting_client.put("/api/v1/manual-values", json=hand, headers=officer))
    report = await _ok(
        await reporting_client.post(
            "/api/v1/reports", json={"plan_id": desk["plan"], "period": "2025"}, headers=officer
        ),
        201,
    )
    events = {
        (m["source"], m["value"], m["participants"], tuple(m["agencies"]))
        for m in report["manual_values"]
        if m["metric"] == "communication_events"
    }
    assert events == {
        ("entered", 7, None, ()),
        ("contributions", 1 + 2, 40 + 80, ("HLHPN", "SYT")),
    }
    assert report["funding"] == [
        {
            "source": "domestic_contributions",
            "amount_vnd": 5_000_000,
            "agencies": ["HLHPN", "SYT"],
        },
        {"source": "state_budget", "amount_vnd": 30_000_000, "agencies": ["HLHPN", "SYT"]},
    ]


async def _compiled(
    client: httpx.AsyncClient, desk: dict, codes: tuple[str, ...]
) -> dict[str, Any]:
    officer = desk["officer"]
    for n, code in enumerate(codes, start=1):
        await _write(client, desk[code], _content(n))
        await _submit(client, desk[code])
        await _ok(await _review(client, officer, desk[code], {"decision": "accepted"}))
    body = {"plan_id": desk["plan"], "period": "2025"}
    return await _ok(await client.post("/api/v1/reports", json=body, headers=officer), 201)


def _docx(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == DOCX
    return docx.Document(io.BytesIO(response.content))


async def test_the_compiled_document_reads_back_section_by_section(
    reporting_client: httpx.AsyncClient, desk: dict, live_sources: None
) -> None:
    report = await _compiled(reporting_client, desk, ("SYT", "HLHPN"))
    path = f"/api/v1/reports/{report['id']}"
    document = _docx(await reporting_client.get(f"{path}/document", headers=desk["officer"]))
    lines = [p.text for p in document.paragraphs]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in _cells(document.tables[0])
    assert "Độc lập - Tự do - Hạnh phúc" in _cells(document.tables[0])
    assert "SỞ Y TẾ" in _cells(document.tables[0])  # the lead department since 01/03/2025
    assert "DỰ THẢO" in lines
    assert "BÁO CÁO" in lines
    sections = [line for line in lines if line[:3] in ("I. ", "II.", "III", "IV.", "V. ", "VI.")]
    assert sections == list(SECTIONS)
    # Section I follows the plan's seven tasks, each agency's work under its task.
    headings = [line for line in lines if line[:2] in {f"{n}." for n in range(1, 8)}]
    assert [line[:2] for line in headings] == [f"{n}." for n in range(1, 8)]
    assert headings[0].startswith("1. Tổ chức thực hiện các văn bản")
    assert "- Sở Y tế: Tổ chức 1 buổi truyền thông về công tác xã hội" in lines
    assert "- Hội Liên hiệp Phụ nữ: Tổ chức 2 buổi truyền thông về công tác xã hội" in lines
    indicators = _rows(document.tables[1])
    assert indicators[0] == list(INDICATOR_HEADERS)
    assert [row[1].split(" (")[0] for row in indicators[1:]] == [
        v["name_vi"].split(" (")[0] for v in report["values"]
    ]
    funding = _rows(document.tables[3])
    assert funding[-1] == ["Tổng cộng", "35.000.000", ""]  # 10 + 20 million + 2 × 2.5 million
    assert "- Sở Y tế: Thiếu cộng tác viên ở thôn, tổ dân phố" in lines
    assert any(line.startswith("GIÁM ĐỐC") for line in _cells(document.tables[-1]))

    annex = await reporting_client.get(f"{path}/annex", headers=desk["officer"])
    book = load_workbook(io.BytesIO(annex.content))
    assert book.sheetnames == ["Tổng hợp", "Nhiệm vụ", "Khó khăn, kiến nghị"]
    summary = list(book["Tổng hợp"].iter_rows(values_only=True))
    assert [row[0] for row in summary[1:]] == ["SYT", "HLHPN"]  # departments first
    assert summary[1][3] == 1  # communication events of Sở Y tế
    assert summary[2][-4] == 20_000_000  # Hội Phụ nữ's state budget
    tasks = list(book["Nhiệm vụ"].iter_rows(values_only=True))
    assert len(tasks) == 1 + 2 * 2


async def test_a_submitted_reports_document_does_not_change(
    reporting_client: httpx.AsyncClient, desk: dict, live_sources: None
) -> None:
    officer = desk["officer"]
    report = await _compiled(reporting_client, desk, ("SYT",))
    path = f"/api/v1/reports/{report['id']}"
    await _ok(
        await reporting_client.post(
            f"{path}/submission", headers={**officer, "If-Match": f'"{report["version"]}"'}
        )
    )
    before = _docx(await reporting_client.get(f"{path}/document", headers=officer))
    await _write(reporting_client, desk["SGDDT"], _content(3))
    await _submit(reporting_client, desk["SGDDT"])
    await _ok(await _review(reporting_client, officer, desk["SGDDT"], {"decision": "accepted"}))
    after = _docx(await reporting_client.get(f"{path}/document", headers=officer))
    assert [p.text for p in after.paragraphs] == [p.text for p in before.paragraphs]
    assert "DỰ THẢO" not in [p.text for p in after.paragraphs]
    assert not any("Sở Giáo dục" in p.text for p in after.paragraphs)
    agency = desk["SYT"]["headers"]
    assert (await reporting_client.get(f"{path}/document", headers=agency)).status_code == 403


def _cells(table: Any) -> list[str]:
    return [p.text for row in table.rows for cell in row.cells for p in cell.paragraphs]


def _rows(table: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]

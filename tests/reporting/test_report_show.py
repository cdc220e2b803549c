"""`ctxh report show`: a report of the running service as a table with Vietnamese labels."""

import json
import re
from typing import Any
from uuid import UUID

import httpx
import pytest

from services.reporting.report.schemas import ReportRead
from shared.paths import PROJECT_ROOT
from shared.testing import free_port
from tools.report import ReportUnavailable, fetch_report, render_report

EXAMPLES = PROJECT_ROOT / "services" / "reporting" / "openapi_examples.json"


def _answer(operation: str) -> Any:
    """A real answer of the service, as the suite recorded it for the OpenAPI document."""
    examples = json.loads(EXAMPLES.read_text(encoding="utf-8"))
    return examples[operation]["responses"]["200"]["application/json"]


def test_a_report_reads_as_a_table_in_vietnamese() -> None:
    report = ReportRead.model_validate(_answer("get_report"))
    text = render_report(report)
    lines = text.splitlines()
    assert lines[0] == (
        f"{report.plan_code} · {report.territory.name} · {report.period_label_vi} "
        "(15/12/2024–14/12/2025)"
    )
    assert lines[1].startswith("Trạng thái: Đã gửi")
    assert lines[3].split() == ["STT", "Chỉ", "tiêu", "Mục", "tiêu", "Thực", "hiện", "Đạt"]
    first = report.values[0]
    row = next(line for line in lines if line.startswith("1 "))
    assert first.name_vi[:20] in row
    assert f"  {first.target:g} %  " in row
    assert "  50 %  " in row
    assert row.endswith("Chưa đạt")
    assert all(len(line) < 120 for line in lines)


@pytest.fixture
def as_officer(reporting_client: httpx.AsyncClient, officer_31: dict) -> httpx.AsyncClient:
    """The reporting app itself, asked as the command asks it: with the officer's token."""
    reporting_client.headers.update(officer_31)
    return reporting_client


async def test_the_newest_report_of_a_plan_and_period_is_found_by_the_plan_code(
    as_officer: httpx.AsyncClient, plans: dict, live_sources: None
) -> None:
    drafted = await as_officer.post(
        "/api/v1/reports", json={"plan_id": plans["HD-2025"], "period": "2025"}
    )
    assert drafted.status_code == 201, drafted.text
    found = await fetch_report(as_officer, None, "HD-2025", "2025")
    assert found.id == UUID(drafted.json()["id"])
    assert (await fetch_report(as_officer, found.id, None, None)).id == found.id


@pytest.mark.parametrize(
    ("plan", "report_id", "why"),
    [
        ("HD-2025", None, "no report (period=2025 plan_id={HD-2025}) yet"),
        ("XX-2030", None, "no plan 'XX-2030' for this token (plans: HD-2025, QD112-2021-2030)"),
        (None, UUID(int=1), "GET /reports/00000000-0000-0000-0000-000000000001: 404"),
    ],
)
async def test_what_is_missing_is_said_in_a_sentence(
    as_officer: httpx.AsyncClient, plans: dict, plan: str | None, report_id: UUID | None, why: str
) -> None:
    with pytest.raises(ReportUnavailable, match=re.escape(why.format_map(plans))):
        await fetch_report(as_officer, report_id, plan, "2025")


async def test_a_province_without_plans_is_told_to_wait_for_the_demo(
    as_officer: httpx.AsyncClient,
) -> None:
    with pytest.raises(ReportUnavailable, match="no plans yet; on a first `make dev`, wait"):
        await fetch_report(as_officer, None, "HD-2025", "2025")


async def test_a_service_that_is_not_running_is_named() -> None:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{free_port()}") as client:
        with pytest.raises(ReportUnavailable, match="is `make dev` running"):
            await fetch_report(client, None, None, None)

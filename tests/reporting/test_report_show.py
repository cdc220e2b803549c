"""`ctxh report show`: a report of the running service as a table with Vietnamese labels."""

import json
import re
from typing import Any
from uuid import UUID

import httpx
import pytest

from services.reporting.report.schemas import ReportRead
from shared.paths import PROJECT_ROOT
from tools.report import ReportUnavailable, fetch_report, render_report

EXAMPLES = PROJECT_ROOT / "services" / "reporting" / "openapi_examples.json"


def _answer(operation: str) -> Any:
    """A real answer of the service, as the suite recorded it for the OpenAPI document."""
    examples = json.loads(EXAMPLES.read_text(encoding="utf-8"))
    return examples[operation]["responses"]["200"]["application/json"]


def _client(handler: Any) -> httpx.Client:
    return httpx.Client(base_url="http://reporting", transport=httpx.MockTransport(handler))


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


class Service:
    """The reporting API's answers to the lookups, and the requests it was asked."""

    def __init__(self, reports: list[dict[str, Any]], plans: bool = True) -> None:
        self.reports, self.plans = reports, plans
        self.asked: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.asked.append(request)
        if request.url.path == "/api/v1/plans":
            plans = [{"id": "p-1", "code": "HD-2025"}, {"id": "p-2", "code": "BD-2025"}]
            return httpx.Response(200, json={"items": plans if self.plans else []})
        if request.url.path == "/api/v1/reports":
            return httpx.Response(200, json={"items": self.reports})
        return httpx.Response(404, json={"title": "Not Found", "detail": "No such report"})


def test_the_newest_report_of_a_plan_and_period_is_found_by_the_plan_code() -> None:
    report = _answer("get_report")
    handler = Service([report])
    with _client(handler) as client:
        found = fetch_report(client, None, "HD-2025", "2025")
    assert found.id == UUID(report["id"])
    listed = handler.asked[-1].url.params
    assert (listed["plan_id"], listed["period"]) == ("p-1", "2025")


@pytest.mark.parametrize(
    ("reports", "plan", "report_id", "why"),
    [
        ([], "HD-2025", None, "no report (period=2025 plan_id=p-1) yet"),
        ([], "XX-2030", None, "no plan 'XX-2030' for this token (plans: BD-2025, HD-2025)"),
        ([], None, UUID(int=1), "404 No such report"),
        ([], "HD-2025", None, "no plans yet; on a first `make dev`, wait for it to be ready"),
    ],
)
def test_what_is_missing_is_said_in_a_sentence(
    reports: list[dict[str, Any]], plan: str | None, report_id: UUID | None, why: str
) -> None:
    service = Service(reports, plans="no plans" not in why)
    with (
        _client(service) as client,
        pytest.raises(ReportUnavailable, match=re.escape(why)),
    ):
        fetch_report(client, report_id, plan, "2025")


def test_a_service_that_is_not_running_is_named() -> None:
    with (
        httpx.Client(base_url="http://127.0.0.1:1") as client,
        pytest.raises(ReportUnavailable, match="is `make dev` running"),
    ):
        fetch_report(client, None, None, None)

"""`ctxh report show`: one report of the running reporting service as a table a person
reads, with the Vietnamese labels of the department's own export (the same rows as
`GET /reports/{id}/export?format=csv`), instead of the API's JSON."""

import textwrap
from typing import Any
from uuid import UUID

import httpx

from services.reporting.report.export import STATUS_VI, target_rows
from services.reporting.report.schemas import ReportRead

NAME_WIDTH = 56
READY = "ready (`ctxh is ready`)"
HEADERS = ["STT", "Chỉ tiêu", "Mục tiêu", "Thực hiện", "Đạt"]


class ReportUnavailable(Exception):
    """Why no report could be shown, in a sentence for the terminal."""


async def _get(client: httpx.AsyncClient, path: str, **params: Any) -> Any:
    try:
        response = await client.get(f"/api/v1{path}", params=params)
    except httpx.TransportError as failed:
        raise ReportUnavailable(
            f"reporting does not answer at {client.base_url} ({failed}); is `make dev` running?"
        ) from None
    if response.status_code != 200:
        problem = response.json() if response.content else {}
        detail = problem.get("detail") or problem.get("title") or response.reason_phrase
        raise ReportUnavailable(f"GET {path}: {response.status_code} {detail}")
    return response.json()


async def _plan_id(client: httpx.AsyncClient, code: str) -> str:
    plans = (await _get(client, "/plans"))["items"]
    for plan in plans:
        if plan["code"] == code:
            return str(plan["id"])
    if not plans:
        raise ReportUnavailable(f"no plans yet; on a first `make dev`, wait for it to be {READY}")
    known = ", ".join(sorted(p["code"] for p in plans))
    raise ReportUnavailable(f"no plan {code!r} for this token (plans: {known})")


async def fetch_report(
    client: httpx.AsyncClient, report_id: UUID | None, plan: str | None, period: str | None
) -> ReportRead:
    """The report by id, or else the newest one of the plan and period given."""
    if report_id is not None:
        return ReportRead.model_validate(await _get(client, f"/reports/{report_id}"))
    filters = {"period": period} if period else {}
    if plan:
        filters["plan_id"] = await _plan_id(client, plan)
    found = (await _get(client, "/reports", **filters))["items"]
    if not found:
        asked = " ".join(f"{key}={value}" for key, value in filters.items()) or "any"
        raise ReportUnavailable(
            f"no report ({asked}) yet; on a first `make dev`, wait for it to be {READY}"
        )
    return ReportRead.model_validate(found[0])


def _number(value: Any) -> str:
    """Vietnamese writes a decimal comma: 45,2."""
    if value is None:
        return "—"
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def _table(rows: list[list[str]]) -> list[str]:
    widths = [
        max(len(line) for row in rows for line in row[column].splitlines() or [""])
        for column in range(len(HEADERS))
    ]
    lines = []
    for row in rows:
        cells = [cell.splitlines() or [""] for cell in row]
        for depth in range(max(len(cell) for cell in cells)):
            parts = [
                (cell[depth] if depth < len(cell) else "").ljust(width)
                for cell, width in zip(cells, widths, strict=True)
            ]
            lines.append("  ".join(parts).rstrip())
    return lines


def render_report(report: ReportRead) -> str:
    """A heading, then one row per target and monitored indicator."""
    window = f"{report.window_start:%d/%m/%Y}–{report.window_end:%d/%m/%Y}"
    heading = [
        f"{report.plan_code} · {report.territory.name} · {report.period_label_vi} ({window})",
        f"Trạng thái: {STATUS_VI[report.status]} · mã báo cáo {report.id}",
    ]
    if not report.complete:
        heading.append("Chưa đủ số liệu từ: " + ", ".join(report.missing_sources))
    rows = [HEADERS, ["—" * len(header) for header in HEADERS]]
    for number, name, group, target, unit, value, met, *_ in target_rows(report):
        label = f"{name} ({group})" if group else name
        shown_unit = "" if unit == "người/lượt" else f" {unit}"
        yearly = " /năm" if target.endswith(" /năm") else ""
        if target != "—":
            target = target.removesuffix(yearly) + shown_unit + yearly
        rows.append(
            [
                str(number),
                textwrap.fill(label, NAME_WIDTH),
                target,
                _number(value) + (shown_unit if value is not None else ""),
                met,
            ]
        )
    return "\n".join([*heading, "", *_table(rows)])

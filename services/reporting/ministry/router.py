"""HTTP for the ministry: submitted figures of every province, as JSON, CSV or DHIS2."""

import csv
import io
from datetime import datetime
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel

from services.reporting.ministry.outbound import OutboundValue, dhis2_data_values, outbound_values
from services.reporting.plan.service import plan_t
from services.reporting.report.service import report_t
from shared.auth import Principal, Role, require_roles
from shared.db import SessionDep
from shared.responses import model_response
from shared.spreadsheets import csv_safe

router = APIRouter(prefix="/ministry", tags=["ministry"])
Ministry = Annotated[Principal, Depends(require_roles(Role.MINISTRY))]


class IndicatorValues(BaseModel):
    items: list[OutboundValue]


async def _submitted(
    session: SessionDep,
    period: str | None,
    province: str | None,
    plan: str | None,
    changed_since: datetime | None,
) -> list[Any]:
    query = (
        sa.select(report_t, plan_t.c.code.label("plan_code"))
        .join(plan_t, plan_t.c.id == report_t.c.plan_id)
        .where(report_t.c.status.in_(("submitted", "accepted")))
    )
    for column, value in (
        (report_t.c.period_id, period),
        (report_t.c.province_code, province),
        (plan_t.c.code, plan),
    ):
        if value is not None:
            query = query.where(column == value)
    if changed_since is not None:
        query = query.where(report_t.c.updated_at > changed_since)
    order = (report_t.c.updated_at, report_t.c.province_code, report_t.c.period_id)
    return list((await session.execute(query.order_by(*order))).all())


def _csv(values: list[OutboundValue]) -> bytes:
    buffer = io.StringIO()
    fields = list(OutboundValue.model_fields)
    writer = csv.DictWriter(buffer, fieldnames=fields)
    writer.writeheader()
    for value in values:
        row = value.model_dump(mode="json")
        row["suppressed"] = ";".join(row["suppressed"])
        writer.writerow({key: csv_safe(cell) for key, cell in row.items()})
    return buffer.getvalue().encode("utf-8-sig")


@router.get(
    "/indicator-values",
    response_model=IndicatorValues,
    responses={
        200: {
            "content": {"text/csv": {}, "application/json": {}},
            "description": "Values as JSON, CSV or DHIS2",
        }
    },
)
async def list_indicator_values(
    session: SessionDep,
    _: Ministry,
    period: Annotated[str | None, Query(max_length=40, examples=["2025"])] = None,
    province: Annotated[str | None, Query(pattern=r"^\d{2}$")] = None,
    plan: Annotated[str | None, Query(max_length=40, description="Plan code")] = None,
    changed_since: Annotated[
        datetime | None, Query(description="Only reports changed after")
    ] = None,
    format: Literal["json", "csv", "dhis2"] = "json",
) -> Response:
    """Every target value of submitted and accepted reports, with small counts about people
    withheld and marked; `dhis2` gives a dataValueSets document to import unchanged."""
    reports = await _submitted(session, period, province, plan, changed_since)
    values = [value for report in reports for value in outbound_values(report)]
    if format == "csv":
        return Response(
            _csv(values),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="ctxh-values.csv"'},
        )
    if format == "dhis2":
        return model_response(DataValueSet(dataValues=dhis2_data_values(values)))
    return model_response(IndicatorValues(items=values))


class DataValueSet(BaseModel):
    dataValues: list[dict[str, str]]  # noqa: N815 - DHIS2's field name


class ReportSummary(BaseModel):
    province_code: str
    plan_code: str
    period_id: str
    status: str
    submitted_at: datetime | None
    reviewed_at: datetime | None
    updated_at: datetime
    values: list[OutboundValue]


class ReportSummaries(BaseModel):
    items: list[ReportSummary]


@router.get("/reports")
async def list_submitted_reports(
    session: SessionDep,
    _: Ministry,
    period: Annotated[str | None, Query(max_length=40)] = None,
    province: Annotated[str | None, Query(pattern=r"^\d{2}$")] = None,
    changed_since: datetime | None = None,
) -> ReportSummaries:
    """Submitted and accepted reports of any province, oldest change first."""
    reports = await _submitted(session, period, province, None, changed_since)
    return ReportSummaries(
        items=[
            ReportSummary(
                province_code=r.province_code,
                plan_code=r.plan_code,
                period_id=r.period_id,
                status=r.status,
                submitted_at=r.submitted_at,
                reviewed_at=r.reviewed_at,
                updated_at=r.updated_at,
                values=outbound_values(r),
            )
            for r in reports
        ]
    )

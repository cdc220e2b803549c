"""HTTP for the ministry: every province's submitted reports as disclosed, as JSON, CSV or
DHIS2, and their review."""

import csv
import io
from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import sqlalchemy as sa
from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from services.reporting.access import Ministry
from services.reporting.disclosure.service import disclosed_reports
from services.reporting.ministry.outbound import OutboundValue, dhis2_data_values, outbound_values
from services.reporting.plan.models import plan_t
from services.reporting.report import service
from services.reporting.report.models import report_t
from services.reporting.report.schemas import ReportStatus, Review
from services.reporting.territory import TerritoryScheme
from shared.auth import Principal
from shared.concurrency import IfMatchHeader, etag
from shared.dates import Instant
from shared.db import SessionDep
from shared.errors import Conflict, problem_responses
from shared.responses import BINARY, attachment, model_response
from shared.spreadsheets import csv_safe

router = APIRouter(prefix="/ministry", tags=["ministry"])
PeriodQuery = Annotated[str | None, Query(max_length=40, examples=["2025"])]
ProvinceQuery = Annotated[str | None, Query(pattern=r"^\d{2}$", description="2025 scheme")]
ChangedSinceQuery = Annotated[
    Instant | None, Query(description="Only reports changed after (ISO 8601, with offset)")
]


class IndicatorValues(BaseModel):
    items: list[OutboundValue]


async def _disclosed(
    session: SessionDep,
    principal: Principal,
    period: str | None = None,
    province: str | None = None,
    plan: str | None = None,
    changed_since: datetime | None = None,
    report_id: UUID | None = None,
) -> list[Any]:
    query = disclosed_reports(principal)
    for column, value in (
        (report_t.c.period_id, period),
        (report_t.c.province_code, province),
        (plan_t.c.code, plan),
        (report_t.c.id, report_id),
    ):
        if value is not None:
            query = query.where(column == value)
    if changed_since is not None:
        query = query.where(report_t.c.updated_at > changed_since)
    order = (report_t.c.updated_at, report_t.c.province_code, report_t.c.period_id)
    return list((await session.execute(query.order_by(*order))).all())


async def _disclosed_values(
    session: SessionDep,
    principal: Principal,
    period: str | None,
    province: str | None,
    plan: str | None,
    changed_since: datetime | None,
) -> list[OutboundValue]:
    """Every value of the reports the filters select, as disclosed."""
    reports = await _disclosed(session, principal, period, province, plan, changed_since)
    return [value for report in reports for value in outbound_values(report)]


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


class DataValueSet(BaseModel):
    dataValues: list[dict[str, str]]  # noqa: N815 - DHIS2's field name


@router.get(
    "/indicator-values",
    # Both JSON shapes are models, so the document defines both (`anyOf`).
    response_model=IndicatorValues | DataValueSet,
    responses={
        200: {
            "content": {"text/csv": BINARY},
            "description": "Values as JSON (IndicatorValues), DHIS2 (DataValueSet) or CSV",
        }
    },
)
async def list_indicator_values(
    session: SessionDep,
    principal: Ministry,
    period: PeriodQuery = None,
    province: ProvinceQuery = None,
    plan: Annotated[str | None, Query(max_length=40, description="Plan code")] = None,
    changed_since: ChangedSinceQuery = None,
    format: Literal["json", "csv", "dhis2"] = "json",
) -> Response:
    """Every target value of submitted and accepted reports as disclosed: small counts about
    people withheld and named in `suppressed`; `dhis2` gives a dataValueSets document to
    import unchanged (one value per DHIS2 key)."""
    values = await _disclosed_values(session, principal, period, province, plan, changed_since)
    if format == "csv":
        return Response(
            _csv(values),
            media_type="text/csv; charset=utf-8",
            headers=attachment("ctxh-values.csv"),
        )
    if format == "dhis2":
        return model_response(DataValueSet(dataValues=dhis2_data_values(values)))
    return model_response(IndicatorValues(items=values))


@router.get("/data-value-sets", response_model=DataValueSet)
async def get_data_value_set(
    session: SessionDep,
    principal: Ministry,
    period: PeriodQuery = None,
    province: ProvinceQuery = None,
    plan: Annotated[str | None, Query(max_length=40, description="Plan code")] = None,
    changed_since: ChangedSinceQuery = None,
) -> Response:
    """The same values as a DHIS2 dataValueSets document, to import unchanged (POST
    /api/dataValueSets): one value per DHIS2 key, small counts about people left out.
    Clients generated from this document get one type here, where `format=dhis2` on
    indicator-values answers one of two."""
    values = await _disclosed_values(session, principal, period, province, plan, changed_since)
    return model_response(DataValueSet(dataValues=dhis2_data_values(values)))


class DisclosedTerritory(BaseModel):
    scheme: TerritoryScheme
    code: str | None
    name: str
    wards: list[str] | None = Field(description="The 2025 wards; null: the whole province")


class ReportSummary(BaseModel):
    id: UUID
    province_code: str
    territory: DisclosedTerritory
    plan_code: str
    period_id: str
    window_start: date
    window_end: date
    status: ReportStatus
    submitted_at: datetime | None
    disclosed_at: datetime
    reviewed_at: datetime | None
    review_note: str | None
    version: int = Field(description="Its ETag, for If-Match on review")
    updated_at: datetime
    values: list[OutboundValue]


class ReportSummaries(BaseModel):
    items: list[ReportSummary]


def _summary(report: Any) -> ReportSummary:
    return ReportSummary(
        id=report.id,
        province_code=report.province_code,
        territory=DisclosedTerritory(**report.territory),
        plan_code=report.plan_code,
        period_id=report.period_id,
        window_start=report.window_start,
        window_end=report.window_end,
        status=report.status,
        submitted_at=report.submitted_at,
        disclosed_at=report.disclosed_at,
        reviewed_at=report.reviewed_at,
        review_note=report.review_note,
        version=report.version,
        updated_at=report.updated_at,
        values=outbound_values(report),
    )


@router.get("/reports")
async def list_submitted_reports(
    session: SessionDep,
    principal: Ministry,
    period: PeriodQuery = None,
    province: ProvinceQuery = None,
    changed_since: ChangedSinceQuery = None,
) -> ReportSummaries:
    """Submitted and accepted reports of any province as disclosed, oldest change first."""
    reports = await _disclosed(session, principal, period, province, None, changed_since)
    return ReportSummaries(items=[_summary(r) for r in reports])


async def _one(session: SessionDep, principal: Principal, report_id: UUID) -> Response:
    found = await _disclosed(session, principal, report_id=report_id)
    if not found:
        raise service.ReportNotFound()
    summary = _summary(found[0])
    return model_response(summary, headers={"ETag": etag(summary.version)})


@router.get(
    "/reports/{report_id}",
    response_model=ReportSummary,
    responses=problem_responses(service.ReportNotFound),
)
async def get_submitted_report(
    report_id: UUID, session: SessionDep, principal: Ministry
) -> Response:
    """One submitted or accepted report as disclosed, with its ETag for the review."""
    return await _one(session, principal, report_id)


class ReviewOutcome(BaseModel):
    id: UUID
    status: ReportStatus
    reviewed_at: datetime | None
    reviewed_by: str | None
    review_note: str | None
    version: int


@router.post(
    "/reports/{report_id}/review",
    response_model=ReviewOutcome,
    # Conflict: the report is not (or no longer) the submitted one a review decides on.
    responses=problem_responses(service.ReportNotFound, Conflict),
)
async def review_report(
    report_id: UUID,
    body: Review,
    session: SessionDep,
    principal: Ministry,
    if_match: IfMatchHeader,
) -> Response:
    """Accept a submitted report, or return it to the province for another draft (a returned
    report leaves your lists until resubmitted; what it disclosed stays on record, and a
    resubmission is checked against it)."""
    await service.review_report(session, principal, report_id, body, if_match)
    query = sa.select(report_t).where(report_t.c.id == report_id)
    outcome = ReviewOutcome.model_validate(
        (await session.execute(query)).one(), from_attributes=True
    )
    return model_response(outcome, headers={"ETag": etag(outcome.version)})

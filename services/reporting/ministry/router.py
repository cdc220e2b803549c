"""HTTP for the ministry: every province's submitted reports as disclosed, as JSON, CSV or
DHIS2, and their review."""

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response

from services.reporting.access import Ministry
from services.reporting.ministry import service
from services.reporting.ministry.outbound import dhis2_data_values, split, values_csv
from services.reporting.ministry.schemas import (
    DataValueSet,
    IndicatorValues,
    ReportSummaries,
    ReportSummary,
    ReviewOutcome,
)
from services.reporting.report.errors import ReportNotFound, ReportNotSubmitted
from services.reporting.report.schemas import Review
from shared.concurrency import IfMatchHeader, etag
from shared.dates import Instant
from shared.db import SessionDep
from shared.errors import problem_responses
from shared.responses import BINARY, attachment, model_response

router = APIRouter(prefix="/ministry", tags=["ministry"])
PeriodQuery = Annotated[str | None, Query(max_length=40, examples=["2025"])]
ProvinceQuery = Annotated[str | None, Query(pattern=r"^\d{2}$", description="2025 scheme")]
PlanQuery = Annotated[str | None, Query(max_length=40, description="Plan code")]
ChangedSinceQuery = Annotated[
    Instant | None, Query(description="Only reports changed after (ISO 8601, with offset)")
]


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
    plan: PlanQuery = None,
    changed_since: ChangedSinceQuery = None,
    format: Literal["json", "csv", "dhis2"] = "json",
) -> Response:
    """Every target value of submitted and accepted reports as disclosed, the monitored
    indicators' in `monitoring`: small counts about people withheld and named in
    `suppressed`; `csv` gives both kinds as rows (a monitored one with no target or met);
    `dhis2` gives a dataValueSets document to import unchanged (one value per DHIS2 key)."""
    values = await service.disclosed_values(
        session, principal, period, province, plan, changed_since
    )
    if format == "csv":
        return Response(
            values_csv(values),
            media_type="text/csv; charset=utf-8",
            headers=attachment("ctxh-values.csv"),
        )
    if format == "dhis2":
        return model_response(DataValueSet(dataValues=dhis2_data_values(values)))
    targets, monitoring = split(values)
    return model_response(IndicatorValues(items=targets, monitoring=monitoring))


@router.get("/data-value-sets", response_model=DataValueSet)
async def get_data_value_set(
    session: SessionDep,
    principal: Ministry,
    period: PeriodQuery = None,
    province: ProvinceQuery = None,
    plan: PlanQuery = None,
    changed_since: ChangedSinceQuery = None,
) -> Response:
    """The same values as a DHIS2 dataValueSets document, to import unchanged (POST
    /api/dataValueSets): one value per DHIS2 key, small counts about people left out.
    Clients generated from this document get one type here, where `format=dhis2` on
    indicator-values answers one of two."""
    values = await service.disclosed_values(
        session, principal, period, province, plan, changed_since
    )
    return model_response(DataValueSet(dataValues=dhis2_data_values(values)))


@router.get("/reports")
async def list_submitted_reports(
    session: SessionDep,
    principal: Ministry,
    period: PeriodQuery = None,
    province: ProvinceQuery = None,
    changed_since: ChangedSinceQuery = None,
) -> ReportSummaries:
    """Submitted and accepted reports of any province as disclosed, oldest change first."""
    items = await service.submitted_reports(session, principal, period, province, changed_since)
    return ReportSummaries(items=items)


@router.get(
    "/reports/{report_id}",
    response_model=ReportSummary,
    responses=problem_responses(ReportNotFound),
)
async def get_submitted_report(
    report_id: UUID, session: SessionDep, principal: Ministry
) -> Response:
    """One submitted or accepted report as disclosed, with its ETag for the review."""
    summary = await service.submitted_report(session, principal, report_id)
    return model_response(summary, headers={"ETag": etag(summary.version)})


@router.post(
    "/reports/{report_id}/review",
    response_model=ReviewOutcome,
    # Conflict: the report is not (or no longer) the submitted one a review decides on.
    responses=problem_responses(ReportNotFound, ReportNotSubmitted),
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
    outcome = await service.review_report(session, principal, report_id, body, if_match)
    return model_response(outcome, headers={"ETag": etag(outcome.version)})

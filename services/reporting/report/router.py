"""HTTP for a province's reports: draft, recompute, submit, read, export; its officers only
(the ministry reads them as disclosed, under /ministry)."""

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncConnection

from services.reporting.access import Officer, OfficerView, Viewer
from services.reporting.common import idempotency
from services.reporting.deps import SourcesDep
from services.reporting.plan.errors import PlanNotFound
from services.reporting.report import export, service
from services.reporting.report.annex import contributions_xlsx
from services.reporting.report.compute import compute_report
from services.reporting.report.document import DOCX, report_docx
from services.reporting.report.errors import (
    ReportExists,
    ReportFrozen,
    ReportIncomplete,
    ReportNotFound,
)
from services.reporting.report.filing import filing_of
from services.reporting.report.render import report_read
from services.reporting.report.schemas import (
    ReportCreate,
    ReportList,
    ReportRead,
    ReportStatus,
)
from shared.concurrency import IfMatchHeader, etag
from shared.db import SessionDep, TransactionsDep
from shared.errors import problem_responses
from shared.history import HistoryPage
from shared.idempotency import IdempotencyKeyHeader, idempotency_in, request_hash
from shared.responses import download, file_responses, model_response

router = APIRouter(prefix="/reports", tags=["reports"])
# A report of another province answers as if it did not exist.
NOT_FOUND = problem_responses(ReportNotFound)


async def _respond(session: AsyncConnection, viewer: Viewer, report_id: UUID) -> ReportRead:
    row = await service.get_report(session, viewer.principal, report_id)
    return report_read(row, sensitive=viewer.sees_sensitive)


@router.post(
    "",
    status_code=201,
    response_model=ReportRead,
    responses=problem_responses(PlanNotFound, ReportExists),
)
async def create_report(
    request: Request,
    body: ReportCreate,
    transactions: TransactionsDep,
    viewer: OfficerView,
    sources: SourcesDep,
    key: IdempotencyKeyHeader = None,
) -> Response:
    """Draft a report for a plan and period; if a source cannot answer, the draft says so
    (complete=false, missing_sources) instead of leaving a number out silently."""
    principal, fingerprint = viewer.principal, await request_hash(request)
    # The sources are asked between two short transactions: none is open while they answer.
    async with transactions.begin() as session:
        await idempotency_in(
            request, session, idempotency, principal.subject, key
        ).replay_if_answered(fingerprint)
        inputs = await service.draft_inputs(session, principal, body)
    computed = await compute_report(sources, inputs)
    async with transactions.begin() as session:
        retry = idempotency_in(request, session, idempotency, principal.subject, key)
        await retry.claim(fingerprint)
        report_id = await service.insert_report(session, principal, inputs, computed)
        item = await _respond(session, viewer, report_id)
        headers = {"ETag": etag(item.version), "Location": f"{request.url.path}/{report_id}"}
        return await retry.respond(item.model_dump(mode="json"), 201, headers)


@router.get("", response_model=ReportList)
async def list_reports(
    session: SessionDep,
    viewer: OfficerView,
    plan_id: UUID | None = None,
    period: Annotated[str | None, Query(max_length=40)] = None,
    status: ReportStatus | None = None,
) -> Response:
    """Your province's reports, newest window first."""
    rows = await service.list_reports(session, viewer.principal, plan_id, period, status)
    return model_response(
        ReportList(items=[report_read(r, sensitive=viewer.sees_sensitive) for r in rows])
    )


@router.get("/{report_id}", response_model=ReportRead, responses=NOT_FOUND)
async def get_report(report_id: UUID, session: SessionDep, viewer: OfficerView) -> Response:
    """One report with every target's value, numerator and denominator; readable whether or
    not the other services are up."""
    item = await _respond(session, viewer, report_id)
    return model_response(item, headers={"ETag": etag(item.version)})


@router.post(
    "/{report_id}/recomputation",
    response_model=ReportRead,
    responses=problem_responses(ReportNotFound, ReportFrozen),
)
async def recompute_report(
    report_id: UUID,
    transactions: TransactionsDep,
    viewer: OfficerView,
    sources: SourcesDep,
    if_match: IfMatchHeader,
) -> Response:
    """Recompute a draft (or returned) report from today's records; 409 once submitted."""
    async with transactions.begin() as session:
        current, inputs = await service.refresh_inputs(
            session, viewer.principal, report_id, if_match
        )
    computed = await compute_report(sources, inputs)
    async with transactions.begin() as session:
        await service.save_refresh(session, viewer.principal, current, inputs, computed)
        item = await _respond(session, viewer, report_id)
    return model_response(item, headers={"ETag": etag(item.version)})


@router.post(
    "/{report_id}/submission",
    response_model=ReportRead,
    responses=problem_responses(ReportNotFound, ReportFrozen, ReportIncomplete),
)
async def submit_report(
    report_id: UUID, session: SessionDep, viewer: OfficerView, if_match: IfMatchHeader
) -> Response:
    """Submit a complete report: from now on its numbers never change, and what may leave
    the province of them is disclosed to the ministry."""
    await service.submit_report(session, viewer.principal, report_id, if_match)
    item = await _respond(session, viewer, report_id)
    return model_response(item, headers={"ETag": etag(item.version)})


@router.get(
    "/{report_id}/export",
    response_class=Response,
    responses={
        **file_responses(export.XLSX, "text/csv", description="The report as a file"),
        **NOT_FOUND,
    },
)
async def export_report(
    request: Request,
    report_id: UUID,
    session: SessionDep,
    viewer: OfficerView,
    format: Literal["xlsx", "csv"] = "xlsx",
) -> Response:
    """The report as the department files it: an XLSX workbook with Vietnamese labels, or CSV."""
    item = await _respond(session, viewer, report_id)
    if format == "csv":
        content, media_type = export.report_csv(item), "text/csv; charset=utf-8"
    else:
        content, media_type = export.report_xlsx(item), export.XLSX
    name = f"bao-cao-{item.plan_code}-{item.period_id}.{format}".replace("..", "_")
    return download(request.headers.get("accept"), content, media_type, name)


@router.get(
    "/{report_id}/document",
    response_class=Response,
    responses={
        **file_responses(DOCX, description="The report as the Word document the department signs"),
        **NOT_FOUND,
    },
)
async def get_report_document(
    request: Request, report_id: UUID, session: SessionDep, principal: Officer
) -> Response:
    """The province's report as filed: a .docx in the administrative format (Decree
    30/2020), with what was done under each task, the indicator table, activity counts,
    funding by source, difficulties and proposals, and a signature block. Counts of people
    that may not leave the province are withheld in it; a draft is marked DỰ THẢO."""
    found = await filing_of(session, principal, report_id)
    content = report_docx(found.report, found.letterhead, found.withheld)
    name = f"bao-cao-{found.report.plan_code}-{found.report.period_id}.docx".replace("..", "_")
    return download(request.headers.get("accept"), content, DOCX, name)


@router.get(
    "/{report_id}/annex",
    response_class=Response,
    responses={
        **file_responses(export.XLSX, description="Each compiled contribution, as a workbook"),
        **NOT_FOUND,
    },
)
async def get_report_annex(
    request: Request, report_id: UUID, session: SessionDep, principal: Officer
) -> Response:
    """The document's annex: each accepted contribution compiled into the report (counts,
    funding, what was done per task, difficulties and proposals)."""
    found = await filing_of(session, principal, report_id)
    content = contributions_xlsx(found.report, found.task_titles)
    name = f"phu-luc-{found.report.plan_code}-{found.report.period_id}.xlsx".replace("..", "_")
    return download(request.headers.get("accept"), content, export.XLSX, name)


@router.get("/{report_id}/history", responses=NOT_FOUND)
async def get_report_history(
    report_id: UUID, session: SessionDep, principal: Officer
) -> HistoryPage:
    """Who drafted, recomputed, submitted, accepted or returned the report, and when."""
    return HistoryPage(items=await service.report_history(session, principal, report_id))

"""HTTP for spreadsheets: POST /imports/{kind} (see upload.py), GET /exports/{kind}."""

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from services.workforce.access import Manager
from services.workforce.importing import export, jobs, service
from services.workforce.importing.columns import SHEETS
from services.workforce.importing.errors import ImportRejected, RegionsChangedMeanwhile
from services.workforce.importing.schemas import (
    ImportJob,
    ImportJobList,
    ImportReport,
    JobSheetKind,
    SheetKind,
)
from shared.db import SessionDep
from shared.errors import (
    PayloadTooLarge,
    UnsupportedMediaType,
    problem_responses,
)
from shared.idempotency import IdempotencyKeyHeader
from shared.responses import download, file_responses
from shared.sheets.desk import ImportJobNotFound, job_accepted
from shared.sheets.reader import XLSX, read_sheet
from shared.sheets.upload import UPLOAD, read_upload

router = APIRouter(tags=["spreadsheets"])


@router.post(
    "/imports/{kind}",
    openapi_extra=UPLOAD,
    responses=problem_responses(
        UnsupportedMediaType,
        PayloadTooLarge,
        ImportRejected,
        RegionsChangedMeanwhile,
    ),
)
async def import_sheet(
    request: Request,
    kind: SheetKind,
    session: SessionDep,
    principal: Manager,
    dry_run: Annotated[bool, Query(description="Check every row and write nothing")] = False,
) -> ImportReport:
    """Import a department spreadsheet: every bad row is reported (row, column, reason); a real
    run writes all rows or, if any is bad, none (422)."""
    body, media_type = await read_upload(request)
    # A worker thread, so that other requests are served while the file is read.
    sheet = await run_in_threadpool(read_sheet, body, media_type, SHEETS[kind])
    return await service.import_sheet(session, principal, kind, sheet, dry_run)


@router.get(
    "/exports/{kind}",
    response_class=Response,
    responses=file_responses(XLSX, "text/csv", description="The list as a file"),
)
async def export_sheet(
    request: Request,
    kind: SheetKind,
    session: SessionDep,
    principal: Manager,
    format: Literal["xlsx", "csv"] = "xlsx",
) -> Response:
    """Export a list with Vietnamese headers, in the layout the import reads back."""
    headers, rows = await export.table(session, principal, kind)
    if format == "csv":
        content, media_type = export.to_csv(headers, rows), "text/csv; charset=utf-8"
    else:
        content, media_type = export.to_xlsx(kind, headers, rows), XLSX
    return download(request.headers.get("accept"), content, media_type, f"{kind}.{format}")


@router.post(
    "/import-jobs",
    status_code=202,
    openapi_extra=UPLOAD,
    response_class=JSONResponse,
    responses=job_accepted(ImportJob),
)
async def start_sheet_import_job(
    request: Request,
    kind: JobSheetKind,
    principal: Manager,
    idempotency_key: IdempotencyKeyHeader = None,
    dry_run: Annotated[bool, Query(description="Check every row and write nothing")] = False,
) -> JSONResponse:
    """Import a large sheet (up to 200,000 rows) off the request: 202 with the job. The job
    checks every row by the rules of POST /imports and writes all of them or, if any is bad,
    none; it lists the first 1,000 problems and counts all."""
    return await jobs.DESK.start(request, principal, kind, dry_run, idempotency_key)


@router.get("/import-jobs/{job_id}", responses=problem_responses(ImportJobNotFound))
async def get_sheet_import_job(
    request: Request, job_id: UUID, session: SessionDep, principal: Manager
) -> ImportJob:
    """One of your import jobs, with its progress."""
    return await jobs.DESK.get(request, session, principal, job_id)


@router.get("/import-jobs")
async def list_sheet_import_jobs(
    request: Request,
    session: SessionDep,
    principal: Manager,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> ImportJobList:
    """Your import jobs, newest first."""
    items, next_cursor = await jobs.DESK.page(request, session, principal, limit, cursor)
    return ImportJobList(items=items, next_cursor=next_cursor)

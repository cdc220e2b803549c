"""HTTP for spreadsheets: POST /imports/{kind} (see upload.py), GET /exports/{kind}."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from services.workforce.access import Manager
from services.workforce.importing import export, service
from services.workforce.importing.columns import SHEETS
from services.workforce.importing.errors import ImportRejected, RegionsChangedMeanwhile
from services.workforce.importing.reader import XLSX, read_sheet
from services.workforce.importing.schemas import ImportReport, SheetKind
from services.workforce.importing.upload import UPLOAD, read_upload
from shared.db import SessionDep
from shared.errors import PayloadTooLarge, UnsupportedMediaType, problem_responses
from shared.responses import download, file_responses

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

"""HTTP for spreadsheets: POST /imports/{kind} (see upload.py), GET /exports/{kind}."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from services.workforce.access import Manager
from services.workforce.importing import export
from services.workforce.importing.columns import SHEETS
from services.workforce.importing.prepare import PREPARERS
from services.workforce.importing.reader import XLSX, read_sheet
from services.workforce.importing.upload import UPLOAD, read_upload
from services.workforce.importing.write import (
    ImportRejected,
    RegionsChangedMeanwhile,
    rejection,
    write_batch,
)
from shared.db import SessionDep
from shared.errors import PayloadTooLarge, UnsupportedMediaType, problem_responses
from shared.labels import LabelledEnum, labelled
from shared.responses import download, file_responses

router = APIRouter(tags=["spreadsheets"])


class SheetKind(LabelledEnum):
    """The spreadsheets a department exchanges with the service."""

    FACILITIES = "facilities"
    WORKERS = "workers"
    PARTICIPATIONS = "participations"
    WARD_WAGE_REGIONS = "ward-wage-regions"


SHEET_KINDS = labelled(
    SheetKind,
    (SheetKind.FACILITIES, "Danh sách cơ sở", "Facilities"),
    (SheetKind.WORKERS, "Danh sách người làm CTXH", "Social workers and collaborators"),
    (SheetKind.PARTICIPATIONS, "Học viên các khóa đào tạo", "Course participants"),
    (SheetKind.WARD_WAGE_REGIONS, "Vùng lương tối thiểu của xã", "Wards' minimum-wage regions"),
)


class ImportProblem(BaseModel):
    row: int
    column: str | None
    reason: str


class ImportReport(BaseModel):
    kind: SheetKind
    dry_run: bool
    rows: int
    written: int
    errors: list[ImportProblem]


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
    batch = (
        await PREPARERS[kind](session, principal, sheet, SHEETS[kind]) if not sheet.errors else None
    )
    errors = sheet.errors + (batch.errors if batch else [])
    errors.sort(key=lambda e: (e.row, e.column or ""))
    written = 0
    if not dry_run:
        if errors:
            raise rejection(errors)
        written = await write_batch(session, principal, kind, batch.items if batch else [])
    return ImportReport(
        kind=kind,
        dry_run=dry_run,
        rows=len(sheet.rows),
        written=written,
        errors=[ImportProblem(row=e.row, column=e.column, reason=e.reason) for e in errors],
    )


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

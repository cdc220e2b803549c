"""Importing a sheet already read: every row checked, then all written or none."""

from sqlalchemy.ext.asyncio import AsyncConnection

from services.workforce.importing.columns import SHEETS
from services.workforce.importing.prepare import PREPARERS
from services.workforce.importing.schemas import ImportReport, SheetKind
from services.workforce.importing.write import rejection, write_batch
from shared.auth import Principal
from shared.sheets.jobs import ImportProblem
from shared.sheets.reader import Sheet


async def import_sheet(
    connection: AsyncConnection, principal: Principal, kind: SheetKind, sheet: Sheet, dry_run: bool
) -> ImportReport:
    """Check the rows of `sheet` and, unless `dry_run`, write them; a real run with any bad row
    writes nothing and raises ImportRejected listing them all."""
    # Rows are only checked against the database once the file itself reads cleanly.
    batch = (
        await PREPARERS[kind](connection, principal, sheet, SHEETS[kind])
        if not sheet.errors
        else None
    )
    errors = sheet.errors + (batch.errors if batch else [])
    errors.sort(key=lambda e: (e.row, e.column or ""))
    written = 0
    if not dry_run:
        if errors:
            raise rejection(errors)
        written = await write_batch(connection, principal, kind, batch.items if batch else [])
    return ImportReport(
        kind=kind,
        dry_run=dry_run,
        rows=len(sheet.rows),
        written=written,
        errors=[ImportProblem(row=e.row, column=e.column, reason=e.reason) for e in errors],
    )

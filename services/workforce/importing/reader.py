"""Reading a CSV or XLSX upload into rows keyed by column, with every header problem named."""

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook

from services.workforce.importing.columns import Column
from shared.text import search_key

MAX_ROWS = 5000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class RowError:
    row: int
    column: str | None
    reason: str


@dataclass
class Sheet:
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _raw_rows(content: bytes, media_type: str) -> list[list[Any]]:
    if media_type == XLSX or content[:2] == b"PK":
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
        finally:
            workbook.close()
    text = content.decode("utf-8-sig")
    return [list(row) for row in csv.reader(io.StringIO(text))]


def _match_headers(
    header: list[Any], columns: list[Column]
) -> tuple[list[Column | None], list[RowError]]:
    known = {search_key(c.header): c for c in columns} | {search_key(c.key): c for c in columns}
    matched: list[Column | None] = []
    errors: list[RowError] = []
    seen: set[str] = set()
    for cell in header:
        name = str(cell).strip() if cell is not None else ""
        column = known.get(search_key(name)) if name else None
        if name and column is None:
            errors.append(RowError(1, name, "unknown column"))
        elif column is not None and column.key in seen:
            errors.append(RowError(1, name, "column appears twice"))
        if column is not None:
            seen.add(column.key)
        matched.append(column)
    for column in columns:
        if column.required and column.key not in seen:
            errors.append(RowError(1, column.header, "required column is missing"))
    return matched, errors


def read_sheet(content: bytes, media_type: str, columns: list[Column]) -> Sheet:
    try:
        raw = _raw_rows(content, media_type)
    except Exception as exc:
        return Sheet(errors=[RowError(0, None, f"not a readable CSV (UTF-8) or XLSX file: {exc}")])
    # Row numbers are the spreadsheet's own, blank rows included, so errors point at the cell.
    numbered = [
        (n, row)
        for n, row in enumerate(raw, start=1)
        if any(cell not in (None, "") for cell in row)
    ]
    if not numbered:
        return Sheet(errors=[RowError(0, None, "the file has no header row")])
    if len(numbered) - 1 > MAX_ROWS:
        return Sheet(errors=[RowError(0, None, f"{len(numbered) - 1} rows; at most {MAX_ROWS}")])
    matched, errors = _match_headers(numbered[0][1], columns)
    sheet = Sheet(errors=errors)
    if errors:
        return sheet
    for number, row in numbered[1:]:
        values = {
            col.key: row[i] if i < len(row) else None
            for i, col in enumerate(matched)
            if col is not None
        }
        sheet.rows.append((number, values))
    return sheet

"""Reading a CSV or XLSX upload into rows keyed by column, with every header problem named.

Reading is CPU work on a file of up to 5 MB, so the router runs it in a worker thread. It
streams, and stops at the first row past MAX_ROWS: a file of 600,000 rows costs no more than one
of 5,001."""

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook

from services.workforce.importing.columns import Column
from shared.text import search_key

MAX_ROWS = 5000
# What a workbook may unpack to, all its parts together. A full 5,000-row sheet is a few MB of
# XML; 5 MB of DEFLATE can unpack to about 5 GB (a "zip bomb").
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_MB = 1024 * 1024


@dataclass
class RowError:
    row: int
    column: str | None
    reason: str


@dataclass
class Sheet:
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


class _Unreadable(Exception):
    """The bytes failed to read as a CSV (UTF-8) or XLSX file; the cause is the first argument."""


class _UnpacksTooLarge(Exception):
    pass


def _refuse_bombs(archive: zipfile.ZipFile) -> None:
    """The sizes in the ZIP listing are a sound bound: zipfile never gives more of a part than
    its listed size (a part that unpacks to more fails its checksum instead)."""
    unpacked = sum(part.file_size for part in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        raise _UnpacksTooLarge(
            f"the workbook unpacks to {unpacked // _MB} MB; at most {MAX_UNPACKED_BYTES // _MB} MB"
        )


@contextmanager
def _workbook_rows(content: bytes) -> Iterator[Iterator[Sequence[Any]]]:
    """The first worksheet's rows as values, read as they are asked for; the workbook is closed
    on leaving, however far the rows were read (a read-only workbook keeps its file open).

    openpyxl sizes each sheet as it opens it, which reads a sheet without a <dimension>
    element to its end: bounded by the unpacked-size check, and done in a worker thread."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            _refuse_bombs(archive)
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except _UnpacksTooLarge:
        raise
    except Exception as exc:
        raise _Unreadable(exc) from exc
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        try:
            yield rows
        finally:
            rows.close()
    finally:
        workbook.close()


@contextmanager
def _source(content: bytes, media_type: str) -> Iterator[Iterator[Sequence[Any]]]:
    if media_type == XLSX or content[:2] == b"PK":
        with _workbook_rows(content) as rows:
            yield rows
        return
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _Unreadable(exc) from exc
    yield csv.reader(io.StringIO(text))


def _non_blank(rows: Iterator[Sequence[Any]]) -> Iterator[tuple[int, Sequence[Any]]]:
    """Rows with something in them, numbered as the spreadsheet numbers them (blank rows count),
    so that errors point at the cell."""
    number = 0
    while True:
        try:
            row = next(rows, None)
        except Exception as exc:
            raise _Unreadable(exc) from exc
        if row is None:
            return
        number += 1
        if any(cell not in (None, "") for cell in row):
            yield number, row


def _match_headers(
    header: Sequence[Any], columns: list[Column]
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


def _collect(rows: Iterator[tuple[int, Sequence[Any]]], columns: list[Column]) -> Sheet:
    """Rows keyed by column, each kept as it is read, so only the cells of known columns stay in
    memory; the first row past MAX_ROWS ends the reading."""
    first = next(rows, None)
    if first is None:
        return Sheet(errors=[RowError(0, None, "the file has no header row")])
    matched, errors = _match_headers(first[1], columns)
    wanted = [(i, column) for i, column in enumerate(matched) if column is not None]
    sheet = Sheet(errors=errors)
    for count, (number, row) in enumerate(rows, start=1):
        if count > MAX_ROWS:
            too_many = f"more than {MAX_ROWS} rows; at most {MAX_ROWS}"
            return Sheet(errors=[RowError(0, None, too_many)])
        if not errors:
            values = {column.key: row[i] if i < len(row) else None for i, column in wanted}
            sheet.rows.append((number, values))
    return sheet


def read_sheet(content: bytes, media_type: str, columns: list[Column]) -> Sheet:
    """Blocking: call it from a worker thread."""
    try:
        with _source(content, media_type) as rows:
            return _collect(_non_blank(rows), columns)
    except _UnpacksTooLarge as exc:
        return Sheet(errors=[RowError(0, None, str(exc))])
    except _Unreadable as exc:
        reason = f"not a readable CSV (UTF-8) or XLSX file: {exc.args[0]}"
        return Sheet(errors=[RowError(0, None, reason)])

"""Reading a CSV or XLSX upload into rows keyed by column, with every header problem named.

Reading is CPU work, so callers run it in a worker thread. It streams: `read_sheet` (a request's
small file, in memory) stops at the first row past MAX_ROWS, and `stream_rows` (an import
job's file on disk) hands rows over as they are read, so neither holds more than it needs."""

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from openpyxl import load_workbook

from shared.sheets.cells import Column
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

    def reason(self) -> str:
        return f"not a readable CSV (UTF-8) or XLSX file: {self.args[0]}"


class _UnpacksTooLarge(Exception):
    pass


def _refuse_bombs(archive: zipfile.ZipFile, limit: int) -> None:
    """The sizes in the ZIP listing are a sound bound: zipfile never gives more of a part than
    its listed size (a part that unpacks to more fails its checksum instead)."""
    unpacked = sum(part.file_size for part in archive.infolist())
    if unpacked > limit:
        raise _UnpacksTooLarge(
            f"the workbook unpacks to {unpacked // _MB} MB; at most {limit // _MB} MB"
        )


@contextmanager
def _workbook_rows(content: BinaryIO, limit: int) -> Iterator[Iterator[Sequence[Any]]]:
    """The first worksheet's rows as values, read as they are asked for; the workbook is closed
    on leaving, however far the rows were read (a read-only workbook keeps its file open).

    openpyxl sizes each sheet as it opens it, which reads a sheet without a <dimension>
    element to its end: bounded by the unpacked-size check, and done in a worker thread."""
    try:
        with zipfile.ZipFile(content) as archive:
            _refuse_bombs(archive, limit)
        content.seek(0)
        workbook = load_workbook(content, read_only=True, data_only=True)
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
def _source(
    content: BinaryIO, media_type: str, unpacked_limit: int = MAX_UNPACKED_BYTES
) -> Iterator[Iterator[Sequence[Any]]]:
    start = content.read(2)
    content.seek(0)
    if media_type == XLSX or start == b"PK":
        with _workbook_rows(content, unpacked_limit) as rows:
            yield rows
        return
    # Decoded as it is read: a bad byte deep in the file surfaces there, as unreadable.
    text = io.TextIOWrapper(content, encoding="utf-8-sig", newline="")
    try:
        yield csv.reader(text)
    finally:
        text.detach()


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
        with _source(io.BytesIO(content), media_type) as rows:
            return _collect(_non_blank(rows), columns)
    except _UnpacksTooLarge as exc:
        return Sheet(errors=[RowError(0, None, str(exc))])
    except _Unreadable as exc:
        return Sheet(errors=[RowError(0, None, exc.reason())])


class SheetUnreadable(Exception):
    """The file stopped reading as a CSV or XLSX file part way: `reason` says where and why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class RowStream:
    """A sheet's problems with its header, and its rows keyed by column, read as asked for."""

    header_errors: list[RowError]
    rows: Iterator[tuple[int, dict[str, Any]]]


def _keyed(
    rows: Iterator[tuple[int, Sequence[Any]]], wanted: list[tuple[int, Column]]
) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        for number, row in rows:
            yield number, {c.key: row[i] if i < len(row) else None for i, c in wanted}
    except _Unreadable as exc:
        raise SheetUnreadable(exc.reason()) from None


@contextmanager
def stream_rows(
    content: BinaryIO, media_type: str, columns: list[Column], unpacked_limit: int
) -> Iterator[RowStream]:
    """Blocking, like its rows: a large file's rows, one at a time. Header problems stop the
    reading before any row; a file that stops reading part way raises SheetUnreadable."""
    try:
        with _source(content, media_type, unpacked_limit) as raw:
            rows = _non_blank(raw)
            first = next(rows, None)
            if first is None:
                yield RowStream([RowError(0, None, "the file has no header row")], iter(()))
                return
            matched, errors = _match_headers(first[1], columns)
            wanted = [(i, column) for i, column in enumerate(matched) if column is not None]
            yield RowStream(errors, iter(()) if errors else _keyed(rows, wanted))
    except _UnpacksTooLarge as exc:
        raise SheetUnreadable(str(exc)) from None
    except _Unreadable as exc:
        raise SheetUnreadable(exc.reason()) from None

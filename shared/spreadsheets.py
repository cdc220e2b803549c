"""Writing spreadsheets that always open and never run what users typed: cell values stripped
of what XLSX cannot hold, and text that a spreadsheet would read as a formula neutralised."""

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# What Excel and LibreOffice take as the start of a formula when a file is opened (OWASP
# "CSV injection"): `=HYPERLINK(...)` or `@SUM(...)` in a facility's name would run.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """A leading quote makes a spreadsheet show the text instead of evaluating it. Numbers are
    left alone: a negative amount is data and cannot call a function."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_safe(value) for value in values]


def xlsx_safe(value: Any) -> Any:
    """Control characters are valid in JSON and in our text fields, but not in a worksheet; they
    are removed first so that "\\x01=cmd" cannot turn into a formula once stripped."""
    return csv_safe(ILLEGAL_CHARACTERS_RE.sub("", value)) if isinstance(value, str) else value


def xlsx_cell(sheet: Any, value: Any) -> Any:
    """Text as a cell forced to the string type: openpyxl otherwise stores a str starting with
    "=" as a formula (and "#N/A" as an error value), so text stays text even if the
    neutralising ever changes."""
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, xlsx_safe(value))
    cell.data_type = "s"
    return cell


def xlsx_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """A row for `sheet.append`; the cells belong to `sheet`, the only one that may take them."""
    return [xlsx_cell(sheet, value) for value in values]

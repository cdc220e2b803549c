"""Writing spreadsheets that always open: cell values stripped of what XLSX cannot hold."""

from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE


def xlsx_safe(value: Any) -> Any:
    """Control characters are valid in JSON and in our text fields, but not in a worksheet."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def xlsx_row(values: list[Any]) -> list[Any]:
    return [xlsx_safe(value) for value in values]

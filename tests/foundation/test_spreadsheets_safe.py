"""Exported cells never run as formulas (OWASP "CSV injection") and always open."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from shared.spreadsheets import csv_row, csv_safe, xlsx_row, xlsx_safe

LINK = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize(
    "value", [LINK, "+1+2", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A2)", "\tx", "\r=1"]
)
def test_text_starting_like_a_formula_gets_a_quote(value: str) -> None:
    assert csv_safe(value) == "'" + value


@pytest.mark.parametrize("value", [-5, -2.5, 0, 1_000_000, None, True, "", "Trung tâm = CTXH"])
def test_numbers_and_harmless_text_are_untouched(value: object) -> None:
    assert csv_safe(value) is value


def test_csv_row_reads_back_as_text() -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(csv_row([LINK, -5, "An", None]))
    assert next(csv.reader(io.StringIO(buffer.getvalue()))) == ["'" + LINK, "-5", "An", ""]


def test_control_characters_go_before_the_check() -> None:
    assert xlsx_safe("Trung tâm\x01\x02 CTXH") == "Trung tâm CTXH"
    assert xlsx_safe("\x01=1+1") == "'=1+1"  # stripped first, so the "=" is caught
    assert xlsx_safe("\tA") == "'\tA"  # a tab is legal in XLSX, still a formula start
    assert xlsx_safe(-3) == -3


@pytest.mark.parametrize("write_only", [True, False])
def test_xlsx_text_cells_are_strings_never_formulas(write_only: bool) -> None:
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("x") if write_only else book.active
    sheet.append(xlsx_row(sheet, [LINK, "#N/A", -5, 2.5, None, "An"]))
    if not write_only:
        sheet["A1"].font = Font(bold=True)  # the cells belong to the sheet: styles still apply
    buffer = io.BytesIO()
    book.save(buffer)
    row = next(load_workbook(io.BytesIO(buffer.getvalue())).worksheets[-1].iter_rows())
    assert [(c.value, c.data_type) for c in row] == [
        ("'" + LINK, "s"),
        ("#N/A", "s"),  # text, not Excel's error value
        (-5, "n"),
        (2.5, "n"),
        (None, "n"),
        ("An", "s"),
    ]
    assert row[0].font.b is not write_only

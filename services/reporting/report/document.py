"""The province's report as the Word document the lead department signs and files, laid out
as Decree 30/2020/NĐ-CP presents an administrative document: the issuing body and the
national motto side by side, the number and the place and date, the title, the body in the
plan's order, then the recipients and a signature block left for the signer.

Everything in it comes from the report as stored (its values, activity counts, funding and
compiled contributions), so a submitted report's document never changes. It is filed beyond
the province, so counts of people are shown as they may leave it (`withheld`), and it names
agencies, never people."""

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from services.reporting.contribution.content import BUDGET_SOURCES
from services.reporting.manual.schemas import MANUAL_METRICS
from services.reporting.report.export import GROUPS_VI, UNITS_VI
from services.reporting.report.schemas import FIGURE_SOURCES, IndicatorValue, ReportRead

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"  # the decree's font; Vietnamese diacritics are in every build of it
WITHHELD = "Không công bố (dưới 5 người)"
SECTIONS = (
    "I. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ",
    "II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
    "III. HOẠT ĐỘNG TRUYỀN THÔNG, ĐÀO TẠO",
    "IV. KINH PHÍ THỰC HIỆN",
    "V. KHÓ KHĂN, VƯỚNG MẮC",
    "VI. KIẾN NGHỊ, ĐỀ XUẤT",
)
INDICATOR_HEADERS = ("STT", "Chỉ tiêu", "Mục tiêu", "Thực hiện", "Đánh giá")


@dataclass(frozen=True)
class Letterhead:
    authority_vi: str  # the body the issuer belongs to: Ủy ban nhân dân Thành phố Hải Phòng
    issuer_vi: str  # the lead department: SỞ Y TẾ
    place_vi: str  # where it is signed: Hải Phòng
    plan_name_vi: str
    tasks: list[dict[str, Any]]


def report_docx(
    report: ReportRead, head: Letterhead, withheld: dict[tuple[Any, ...], set[str]]
) -> bytes:
    """`withheld`: for each target (indicator, group, per_year), the numbers that may not
    leave the province."""
    document = Document()
    _page(document)
    _header(document, report, head)
    _tasks(document, report, head.tasks)
    _indicators(document, report, withheld)
    _activities(document, report)
    _funding(document, report)
    agencies = report.contributions
    _by_agency(document, SECTIONS[4], [(c.agency_name_vi, c.difficulties_vi) for c in agencies])
    _by_agency(document, SECTIONS[5], [(c.agency_name_vi, c.proposals_vi) for c in agencies])
    _signature(document, head)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page(document: Any) -> None:
    """A4 with the decree's margins; Times New Roman 13 throughout, East Asian runs too."""
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(6)


def _text(paragraph: Paragraph, text: str, *, bold: bool = False, italic: bool = False) -> None:
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.name = FONT


def _centred(cell_or_doc: Any, text: str, **style: Any) -> Paragraph:
    paragraph: Paragraph = cell_or_doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    _text(paragraph, text, **style)
    return paragraph


def _header(document: Any, report: ReportRead, head: Letterhead) -> None:
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.paragraphs[0].text = ""
    _centred(left, head.authority_vi.upper())
    _centred(left, head.issuer_vi.upper(), bold=True)
    _centred(left, "Số:        /BC-" + _initials(head.issuer_vi))
    _centred(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True)
    motto = _centred(right, "Độc lập - Tự do - Hạnh phúc", bold=True)
    motto.runs[0].underline = True
    _centred(
        right, f"{head.place_vi}, ngày     tháng     năm {report.window_end.year}", italic=True
    )
    if report.status in ("draft", "returned"):
        _centred(document, "DỰ THẢO", bold=True)
    _centred(document, "")
    _centred(document, "BÁO CÁO", bold=True)
    _centred(document, f"Kết quả thực hiện {head.plan_name_vi}", bold=True)
    _centred(
        document,
        f"{report.period_label_vi} ({_day(report.window_start)} – {_day(report.window_end)})",
    )
    document.add_paragraph()


def _initials(name: str) -> str:
    """SYT for Sở Y tế: the issuer's part of the document's number."""
    letters = [word[0] for word in name.replace("-", " ").split() if word[0].isalpha()]
    return "".join(letters).upper()


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _heading(document: Any, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(6)
    _text(paragraph, text, bold=True)


def _tasks(document: Any, report: ReportRead, tasks: list[dict[str, Any]]) -> None:
    """Each task of the plan's section II, in its order, with what each agency did."""
    _heading(document, SECTIONS[0])
    for task in tasks:
        _heading(document, f"{task['code']}. {task['title_vi']}")
        done = [
            (c.agency_name_vi, entry.done_vi)
            for c in report.contributions
            for entry in c.tasks
            if entry.task == task["code"]
        ]
        if not done:
            _text(document.add_paragraph(), "Chưa có cơ quan, đơn vị báo cáo.", italic=True)
        for agency, text in done:
            paragraph = document.add_paragraph()
            _text(paragraph, f"- {agency}: ", bold=True)
            _text(paragraph, text)


def _table(document: Any, headers: Iterable[str], rows: list[list[str]]) -> Table:
    headers = list(headers)
    # All rows at once: python-docx's add_row is untyped, add_table is not.
    table: Table = document.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, title in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _text(cell.paragraphs[0], title, bold=True)
    for line, row in zip(table.rows[1:], rows, strict=True):
        for cell, text in zip(line.cells, row, strict=True):
            _text(cell.paragraphs[0], text)
    return table


def _number(value: float | int | None) -> str:
    if value is None:
        return "—"
    text = (
        f"{value:,.1f}"
        if isinstance(value, float) and not value.is_integer()
        else f"{int(value):,}"
    )
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def _indicator_row(number: int, value: IndicatorValue, hidden: set[str]) -> list[str]:
    group = GROUPS_VI.get(value.group or "", "")
    name = f"{value.name_vi} ({group})" if group else value.name_vi
    unit = UNITS_VI[value.unit]
    target = f"{_number(value.target)} {unit}" + (" /năm" if value.per_year else "")
    if hidden & {"value", "numerator", "denominator"}:
        actual = WITHHELD
    elif value.status == "source_unavailable":
        actual = "Thiếu số liệu"
    else:
        actual = f"{_number(value.value)} {unit}"
        if value.numerator is not None and value.denominator is not None:
            actual += f" ({_number(value.numerator)}/{_number(value.denominator)})"
    met = {True: "Đạt", False: "Chưa đạt", None: "Chưa đánh giá"}[value.met]
    return [str(number), name, target, actual, met]


def _indicators(
    document: Any, report: ReportRead, withheld: dict[tuple[Any, ...], set[str]]
) -> None:
    _heading(document, SECTIONS[1])
    rows = [
        _indicator_row(n, v, withheld.get((v.indicator, v.group, v.per_year), set()))
        for n, v in enumerate(report.values, start=1)
    ]
    _table(document, INDICATOR_HEADERS, rows)


def _activities(document: Any, report: ReportRead) -> None:
    _heading(document, SECTIONS[2])
    rows = [
        [
            MANUAL_METRICS[m.metric].label_vi,
            _number(m.value),
            _number(m.participants),
            FIGURE_SOURCES[m.source].label_vi,
        ]
        for m in report.manual_values
        if m.period_id == report.period_id.split("@")[0]
    ]
    if not rows:
        _text(document.add_paragraph(), "Không có số liệu.", italic=True)
        return
    _table(document, ("Nội dung", "Số lượng", "Số người tham gia", "Nguồn số liệu"), rows)


def _funding(document: Any, report: ReportRead) -> None:
    _heading(document, SECTIONS[3])
    rows = [
        [BUDGET_SOURCES[f.source].label_vi, _number(f.amount_vnd), str(len(f.agencies))]
        for f in report.funding
    ]
    total = sum(f.amount_vnd for f in report.funding)
    rows.append(["Tổng cộng", _number(total), ""])
    _table(document, ("Nguồn kinh phí", "Số tiền (đồng)", "Số cơ quan, đơn vị"), rows)


def _by_agency(document: Any, title: str, entries: list[tuple[str, str | None]]) -> None:
    _heading(document, title)
    given = [(agency, text) for agency, text in entries if text]
    if not given:
        _text(document.add_paragraph(), "Không có.", italic=True)
    for agency, text in given:
        paragraph = document.add_paragraph()
        _text(paragraph, f"- {agency}: ", bold=True)
        _text(paragraph, text)


def _signature(document: Any, head: Letterhead) -> None:
    """The recipients on the left, the signer's block on the right, left blank to sign."""
    document.add_paragraph()
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    recipients = left.paragraphs[0]
    _text(recipients, "Nơi nhận:", bold=True, italic=True)
    for line in (f"- {head.authority_vi};", "- Bộ Y tế;", "- Lưu: VT."):
        paragraph = left.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        _text(paragraph, line)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _text(right.paragraphs[0], "GIÁM ĐỐC", bold=True)
    _centred(right, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True)

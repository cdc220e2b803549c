"""A report as the department files it: a workbook with Vietnamese labels, or CSV."""

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from services.reporting.contribution.content import BUDGET_SOURCES
from services.reporting.manual.schemas import MANUAL_METRICS
from services.reporting.report.schemas import (
    FIGURE_SOURCES,
    IndicatorValue,
    MonitoredValue,
    ReportRead,
)
from shared.spreadsheets import csv_row, xlsx_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNITS_VI = {"percent": "%", "growth_percent": "% so với năm 2020", "count": "người/lượt"}
STATUS_VI = {
    "draft": "Dự thảo",
    "submitted": "Đã gửi",
    "accepted": "Đã chấp nhận",
    "returned": "Trả lại",
}
GROUPS_VI = {
    "communes_and_sector": "Xã, phường và cơ sở trong ngành",
    "justice_and_mass": "Trại giam, trường giáo dưỡng, tư pháp, đoàn thể",
}
TARGET_HEADERS = [
    "STT",
    "Chỉ tiêu",
    "Nhóm",
    "Mục tiêu",
    "Đơn vị",
    "Thực hiện",
    "Đạt",
    "Tử số",
    "Mẫu số",
    "Từ ngày",
    "Đến ngày",
    "Ghi chú",
    "Mức theo tiến độ",
    "Lưu ý về số liệu",
]
BREAKDOWNS_VI = {
    "by_kind_sector": "Theo loại cơ sở và ngành",
    "by_staff_count": "Theo số người làm CTXH",
    "by_position_kind": "Theo loại vị trí",
    "by_service_type": "Theo loại dịch vụ",
    "by_ward": "Theo phường, xã hiện nay",
    "by_former_district": "Theo huyện cũ",
    "groups": "Theo nhóm trẻ em",
}
BREAKDOWN_HEADERS = ["Chỉ tiêu", "Nhóm", "Phân tổ", "Mã", "Tên", "Tử số / số lượng", "Mẫu số"]
YEAR_HEADERS = ["Chỉ tiêu", "Nhóm", "Năm", "Từ ngày", "Đến ngày", "Đủ năm", "Tử số", "Thực hiện"]


Shown = IndicatorValue | MonitoredValue


def _shown(report: ReportRead) -> list[Shown]:
    """The targets, then the monitored indicators: one table of the report's values."""
    return [*report.values, *report.monitoring]


def _met(value: Shown) -> str:
    if value.status == "source_unavailable":
        return f"Thiếu số liệu ({value.source})"
    if isinstance(value, MonitoredValue):
        return "—"
    return {True: "Đạt", False: "Chưa đạt", None: "—"}[value.met]


def _group(value: Shown) -> str:
    return "" if isinstance(value, MonitoredValue) else GROUPS_VI.get(value.group or "", "")


def target_rows(report: ReportRead) -> list[list[Any]]:
    """A row per value; a monitored indicator's has no target ("—"), note or pro-rata."""
    rows = []
    for number, value in enumerate(_shown(report), start=1):
        target, note, pro_rata = "—", "", None
        if isinstance(value, IndicatorValue):
            target = f"{value.target:g}" + (" /năm" if value.per_year else "")
            note, pro_rata = value.note_vi or "", value.pro_rata_target
        rows.append(
            [
                number,
                value.name_vi,
                _group(value),
                target,
                UNITS_VI[value.unit],
                value.value,
                _met(value),
                value.numerator,
                value.denominator,
                value.window_start.strftime("%d/%m/%Y"),
                value.window_end.strftime("%d/%m/%Y"),
                note,
                pro_rata,
                "; ".join(c.message_vi for c in value.caveats),
            ]
        )
    return rows


def _group_rows(groups: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "key": code,
            "label_vi": g.get("label_vi"),
            "numerator": g["served_socialised"],
            "denominator": g["children"],
        }
        for code, g in groups.items()
    ]


def breakdown_rows(report: ReportRead) -> list[list[Any]]:
    """Every breakdown of every value, one row per key, in the order the catalogue names."""
    rows = []
    for value in _shown(report):
        for name, title in BREAKDOWNS_VI.items():
            found = value.details.get(name)
            cells = _group_rows(found) if name == "groups" and found else found or []
            for cell in cells:
                rows.append(
                    [
                        value.name_vi,
                        _group(value),
                        title,
                        cell["key"],
                        cell.get("label_vi"),
                        cell["numerator"],
                        cell["denominator"],
                    ]
                )
        if volunteers := value.details.get("volunteers"):
            label = "Tình nguyện viên (không tính là người làm CTXH): số người / đã tập huấn"
            rows.append([value.name_vi, _group(value), label, "", "",
                         volunteers["workers"], volunteers["trained"]])  # fmt: skip
    return rows


def year_rows(report: ReportRead) -> list[list[Any]]:
    return [
        [
            value.name_vi,
            GROUPS_VI.get(value.group or "", ""),
            year.year,
            year.window_start.strftime("%d/%m/%Y"),
            year.window_end.strftime("%d/%m/%Y"),
            "Có" if year.full else "Không",
            year.numerator,
            year.value,
        ]
        for value in report.values
        for year in value.years
    ]


def _unresolved_rows(report: ReportRead) -> list[list[Any]]:
    return [
        [f["code"], f["name"], f["ward_code"]]
        for value in report.values
        for f in value.details.get("unresolved_wage_region", [])
    ]


def _heading(report: ReportRead) -> list[list[Any]]:
    return [
        ["BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH PHÁT TRIỂN CÔNG TÁC XÃ HỘI"],
        ["Kế hoạch", report.plan_code],
        ["Địa bàn", report.territory.name, f"Tỉnh/thành (2025): {report.province_code}"],
        [
            "Kỳ báo cáo",
            report.period_id,
            f"{report.window_start:%d/%m/%Y} – {report.window_end:%d/%m/%Y}",
        ],
        ["Hạn gửi", report.deadline.strftime("%d/%m/%Y") if report.deadline else ""],
        [
            "Trạng thái",
            STATUS_VI[report.status],
            "Đủ số liệu" if report.complete else "Thiếu: " + ", ".join(report.missing_sources),
        ],
        [],
    ]


def report_xlsx(report: ReportRead) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Chỉ tiêu"
    for row in _heading(report):
        sheet.append(xlsx_row(sheet, row))
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(xlsx_row(sheet, TARGET_HEADERS))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in target_rows(report):
        sheet.append(xlsx_row(sheet, row))
    sheet.column_dimensions["B"].width = 70
    for row in sheet.iter_rows(min_row=9, min_col=2, max_col=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    _sheet(book, "Phân tổ", BREAKDOWN_HEADERS, breakdown_rows(report))
    _sheet(book, "Theo năm", YEAR_HEADERS, year_rows(report))
    _sheet(
        book,
        "Cơ sở chưa xác định vùng",
        ["Mã cơ sở", "Tên cơ sở", "Mã phường, xã"],
        _unresolved_rows(report),
    )
    manual = book.create_sheet("Số liệu nhập tay")
    manual.append(
        xlsx_row(
            manual,
            ["Nội dung", "Kỳ", "Số lượng", "Số người tham gia", "Ghi chú", "Nguồn", "Cơ quan"],
        )
    )
    for entry in report.manual_values:
        manual.append(
            xlsx_row(
                manual,
                [
                    MANUAL_METRICS[entry.metric].label_vi,
                    entry.period_id,
                    entry.value,
                    entry.participants,
                    entry.note,
                    FIGURE_SOURCES[entry.source].label_vi,
                    ", ".join(entry.agencies),
                ],
            )
        )
    funding = book.create_sheet("Kinh phí")
    funding.append(xlsx_row(funding, ["Nguồn kinh phí", "Số tiền (đồng)", "Cơ quan"]))
    for spent in report.funding:
        label = BUDGET_SOURCES[spent.source].label_vi
        funding.append(xlsx_row(funding, [label, spent.amount_vnd, ", ".join(spent.agencies)]))
    area = book.create_sheet("Địa bàn")
    if unmarked := report.territory.unmarked_in_shared_wards:
        area.append(xlsx_row(area, ["Phường, xã dùng chung", unmarked.note_vi]))
    area.append(xlsx_row(area, ["Mã phường, xã (2025)", "Cũng thuộc tỉnh cũ"]))
    shared = report.territory.shared_wards
    for ward in report.territory.ward_codes:
        area.append(xlsx_row(area, [ward, ", ".join(shared.get(ward, []))]))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet(book: Workbook, title: str, headers: list[str], rows: list[list[Any]]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(xlsx_row(sheet, headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(xlsx_row(sheet, row))


def report_csv(report: ReportRead) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(csv_row(["Kế hoạch", "Tỉnh/thành", "Kỳ báo cáo", *TARGET_HEADERS]))
    for row in target_rows(report):
        writer.writerow(csv_row([report.plan_code, report.province_code, report.period_id, *row]))
    return buffer.getvalue().encode("utf-8-sig")

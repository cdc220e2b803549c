"""A report as the department files it: a workbook with Vietnamese labels, or CSV."""

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from services.reporting.report.schemas import IndicatorValue, ReportRead
from shared.spreadsheets import xlsx_row

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
]


def _met(value: IndicatorValue) -> str:
    if value.status == "source_unavailable":
        return f"Thiếu số liệu ({value.source})"
    return {True: "Đạt", False: "Chưa đạt", None: "—"}[value.met]


def target_rows(report: ReportRead) -> list[list[Any]]:
    rows = []
    for number, value in enumerate(report.values, start=1):
        target = f"{value.target:g}" + (" /năm" if value.per_year else "")
        rows.append(
            [
                number,
                value.name_vi,
                GROUPS_VI.get(value.group or "", ""),
                target,
                UNITS_VI[value.unit],
                value.value,
                _met(value),
                value.numerator,
                value.denominator,
                value.window_start.strftime("%d/%m/%Y"),
                value.window_end.strftime("%d/%m/%Y"),
                value.note_vi or "",
            ]
        )
    return rows


def _heading(report: ReportRead) -> list[list[Any]]:
    return [
        ["BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH PHÁT TRIỂN CÔNG TÁC XÃ HỘI"],
        ["Kế hoạch", report.plan_code],
        ["Địa bàn", report.territory.get("name"), f"Tỉnh/thành (2025): {report.province_code}"],
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
        sheet.append(xlsx_row(row))
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(TARGET_HEADERS)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in target_rows(report):
        sheet.append(xlsx_row(row))
    sheet.column_dimensions["B"].width = 70
    for row in sheet.iter_rows(min_row=9, min_col=2, max_col=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    manual = book.create_sheet("Số liệu nhập tay")
    manual.append(["Nội dung", "Kỳ", "Số lượng", "Số người tham gia", "Ghi chú"])
    for entry in report.manual_values:
        manual.append(
            xlsx_row(
                [
                    entry["metric"],
                    entry["period_id"],
                    entry["value"],
                    entry.get("participants"),
                    entry.get("note"),
                ]
            )
        )
    area = book.create_sheet("Địa bàn")
    area.append(["Mã phường, xã (2025)", "Cũng thuộc tỉnh cũ"])
    shared = report.territory.get("shared_wards", {})
    for ward in report.territory.get("ward_codes", []):
        area.append([ward, ", ".join(shared.get(ward, []))])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_csv(report: ReportRead) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Kế hoạch", "Tỉnh/thành", "Kỳ báo cáo", *TARGET_HEADERS])
    for row in target_rows(report):
        writer.writerow([report.plan_code, report.province_code, report.period_id, *row])
    return buffer.getvalue().encode("utf-8-sig")

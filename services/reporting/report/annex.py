"""The report's annex: each accepted contribution as compiled, in a workbook beside the
signed document (what each agency did, counted and spent, and what it asked for)."""

import io

from openpyxl import Workbook

from services.reporting.agency.kinds import AGENCY_KINDS
from services.reporting.contribution.content import BUDGET_SOURCES, BudgetSource
from services.reporting.report.schemas import ReportRead
from shared.spreadsheets import xlsx_row

ACTIVITY_HEADERS = {
    "communication_events": "Số cuộc truyền thông",
    "communication_participants": "Số người dự truyền thông",
    "materials_distributed": "Số tài liệu, tờ rơi",
    "workshops": "Số hội thảo, tọa đàm",
    "workshop_participants": "Số người dự hội thảo",
    "contests": "Số cuộc thi",
    "contest_participants": "Số người dự thi",
    "trainings": "Số lớp tập huấn",
    "training_participants": "Số người được tập huấn",
}


def contributions_xlsx(report: ReportRead, tasks: dict[str, str]) -> bytes:
    """Three sheets: the counts and funding of each agency, what it did per task, and its
    difficulties and proposals. `tasks`: the plan's task titles by code."""
    book = Workbook()
    summary = book.active
    summary.title = "Tổng hợp"
    sources = list(BudgetSource)
    summary.append(
        xlsx_row(
            summary,
            [
                "Mã cơ quan",
                "Cơ quan, đơn vị",
                "Loại",
                *ACTIVITY_HEADERS.values(),
                *(f"Kinh phí: {BUDGET_SOURCES[s].label_vi} (đồng)" for s in sources),
            ],
        )
    )
    for entry in report.contributions:
        spent = {f.source: f.amount_vnd for f in entry.funding}
        summary.append(
            xlsx_row(
                summary,
                [
                    entry.agency_code,
                    entry.agency_name_vi,
                    AGENCY_KINDS[entry.agency_kind].label_vi,
                    *(getattr(entry.activities, name) for name in ACTIVITY_HEADERS),
                    *(spent.get(source, 0) for source in sources),
                ],
            )
        )
    done = book.create_sheet("Nhiệm vụ")
    done.append(
        xlsx_row(done, ["Mã cơ quan", "Cơ quan, đơn vị", "Nhiệm vụ", "Tên nhiệm vụ", "Kết quả"])
    )
    for entry in report.contributions:
        for task in entry.tasks:
            row = [
                entry.agency_code,
                entry.agency_name_vi,
                task.task,
                tasks.get(task.task, ""),
                task.done_vi,
            ]
            done.append(xlsx_row(done, row))
    asked = book.create_sheet("Khó khăn, kiến nghị")
    asked.append(
        xlsx_row(
            asked, ["Mã cơ quan", "Cơ quan, đơn vị", "Khó khăn, vướng mắc", "Kiến nghị, đề xuất"]
        )
    )
    for entry in report.contributions:
        said = [entry.difficulties_vi, entry.proposals_vi]
        asked.append(xlsx_row(asked, [entry.agency_code, entry.agency_name_vi, *said]))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

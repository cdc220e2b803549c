"""What an integrator reads of a report's event: ids, kind, time, and the statuses."""

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from shared.labels import LabelledEnum, labelled


class ReportEventType(LabelledEnum):
    """What happened to a report: a province submitted it, or the ministry reviewed it."""

    REPORT_SUBMITTED = "report.submitted"
    REPORT_ACCEPTED = "report.accepted"
    REPORT_RETURNED = "report.returned"


REPORT_EVENT_TYPES = labelled(
    ReportEventType,
    (ReportEventType.REPORT_SUBMITTED, "Báo cáo đã được gửi", "Report submitted"),
    (ReportEventType.REPORT_ACCEPTED, "Báo cáo được Bộ chấp nhận", "Report accepted"),
    (ReportEventType.REPORT_RETURNED, "Báo cáo bị trả lại", "Report returned"),
)


class ReportEventRead(BaseModel):
    id: UUID = Field(description="The event's own id: the same in every delivery of it")
    seq: str = Field(description="Its place in the feed: pass the last one seen as `after`")
    type: ReportEventType
    occurred_at: datetime
    report_id: UUID
    report_seq: int = Field(description="1, 2, 3... for the events of one report, in order")
    data: dict[str, Any] = Field(
        description="Ids, the period and the statuses: never a number or a note (numbers "
        "leave the province only as disclosed to the ministry)"
    )


class ReportEventPage(BaseModel):
    items: list[ReportEventRead]
    next_after: str = Field(description="Pass as `after` next time")
    has_more: bool

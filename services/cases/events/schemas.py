"""What an integrator reads of an event: ids, kind, time, and the least it needs to act."""

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from shared.labels import LabelledEnum, labelled


class EventType(LabelledEnum):
    """What happened. Referrals, a case's opening, stages and closing, and consents: what a
    hospital's or school's system acts on."""

    REFERRAL_MADE = "referral.made"
    REFERRAL_ACCEPTED = "referral.accepted"
    REFERRAL_CONTACTED = "referral.contacted"
    REFERRAL_REJECTED = "referral.rejected"
    REFERRAL_COMPLETED = "referral.completed"
    REFERRAL_CANCELLED = "referral.cancelled"
    REFERRAL_OVERDUE = "referral.overdue"
    CASE_OPENED = "case.opened"
    CASE_STAGE_CHANGED = "case.stage_changed"
    CASE_CLOSED = "case.closed"
    CASE_REOPENED = "case.reopened"
    CONSENT_GIVEN = "consent.given"
    CONSENT_WITHDRAWN = "consent.withdrawn"


EVENT_TYPES = labelled(
    EventType,
    (EventType.REFERRAL_MADE, "Chuyển gửi mới", "Referral made"),
    (EventType.REFERRAL_ACCEPTED, "Chuyển gửi được tiếp nhận", "Referral accepted"),
    (
        EventType.REFERRAL_CONTACTED,
        "Cơ sở nhận đã liên hệ lần đầu với đối tượng",
        "Receiving facility made first contact",
    ),
    (EventType.REFERRAL_REJECTED, "Chuyển gửi bị từ chối", "Referral rejected"),
    (EventType.REFERRAL_COMPLETED, "Chuyển gửi đã hoàn thành", "Referral completed"),
    (EventType.REFERRAL_CANCELLED, "Chuyển gửi bị hủy", "Referral cancelled"),
    (
        EventType.REFERRAL_OVERDUE,
        "Chuyển gửi quá hạn, đã báo cấp trên",
        "Referral overdue, escalated",
    ),
    (EventType.CASE_OPENED, "Mở hồ sơ trường hợp", "Case opened"),
    (EventType.CASE_STAGE_CHANGED, "Hồ sơ chuyển bước", "Case moved to another stage"),
    (EventType.CASE_CLOSED, "Đóng hồ sơ", "Case closed"),
    (EventType.CASE_REOPENED, "Mở lại hồ sơ", "Case reopened"),
    (EventType.CONSENT_GIVEN, "Ghi nhận sự đồng ý", "Consent given"),
    (EventType.CONSENT_WITHDRAWN, "Rút lại sự đồng ý", "Consent withdrawn"),
)


class EventRead(BaseModel):
    id: UUID = Field(description="The event's own id: the same in every delivery of it")
    seq: str = Field(description="Its place in the feed: pass the last one seen as `after`")
    type: EventType
    occurred_at: datetime
    case_id: UUID
    record_type: str = Field(description="referral, case or consent")
    record_id: UUID
    record_seq: int = Field(description="1, 2, 3... for the events of one record, in order")
    data: dict[str, Any] = Field(
        description="Ids, statuses and facilities: never a name, a note or a sensitive field"
    )


class EventPage(BaseModel):
    items: list[EventRead]
    next_after: str = Field(description="Pass as `after` next time")
    has_more: bool

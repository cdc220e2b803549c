"""A worker's inbox: what waits for their action, across every list they could poll."""

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field

from shared.labels import LabelledEnum, labelled


class InboxKind(LabelledEnum):
    REFERRAL_RECEIVED = "referral_received"
    REFERRAL_OVERDUE = "referral_overdue"
    PLAN_AWAITING_APPROVAL = "plan_awaiting_approval"
    CONSENT_EXPIRING = "consent_expiring"
    FOLLOW_UP_OVERDUE = "follow_up_overdue"
    REVIEW_OVERDUE = "review_overdue"


INBOX_KINDS = labelled(
    InboxKind,
    (InboxKind.REFERRAL_RECEIVED, "Chuyển gửi mới cần tiếp nhận", "New referral to answer"),
    (InboxKind.REFERRAL_OVERDUE, "Chuyển gửi quá hạn", "Referral past its deadline"),
    (InboxKind.PLAN_AWAITING_APPROVAL, "Kế hoạch hỗ trợ chờ phê duyệt", "Plan awaiting approval"),
    (InboxKind.CONSENT_EXPIRING, "Sự đồng ý sắp hết hạn", "Consent about to expire"),
    (InboxKind.FOLLOW_UP_OVERDUE, "Theo dõi quá hạn", "Follow-up overdue"),
    (InboxKind.REVIEW_OVERDUE, "Rà soát quá hạn", "Case review overdue"),
)


class InboxItem(BaseModel):
    key: str = Field(description="Pass it to mark the item done")
    kind: InboxKind
    case_id: UUID
    record_id: UUID = Field(description="The referral, plan, consent or follow-up itself")
    since: date = Field(description="When it started waiting")
    due: date | None = Field(description="When it is (or was) due, if it has a day")
    done: bool


class Inbox(BaseModel):
    items: list[InboxItem] = Field(description="Most urgent first")
    open_count: int = Field(description="Items not marked done: the badge")
    more: bool = Field(description="More items exist than the list holds")


# As long as the keys the inbox makes (kind:record:occasion) can be, and no longer.
ItemKey = Annotated[str, Field(min_length=3, max_length=120)]


class InboxDoneRequest(BaseModel):
    keys: list[ItemKey] = Field(min_length=1, max_length=100)

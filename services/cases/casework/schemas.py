"""What clients send and receive for the records inside a case."""

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationInfo, field_validator

from services.cases.reference.codes import RiskLevel
from services.cases.validation import (
    AmountVnd,
    FundingSourceCode,
    PastDate,
    ServiceTypeCode,
)
from shared.dates import Day
from shared.labels import LabelledEnum, labelled
from shared.pagination import ListOf as ListOf  # the routers' list answers

Text = Field(min_length=1, max_length=2000)


# Named enums, one type on requests and answers, so generated clients get one each.
class AssessmentKind(LabelledEnum):
    """The first risk screen at intake, or the detailed needs assessment."""

    INITIAL_RISK = "initial_risk"
    DETAILED_NEEDS = "detailed_needs"


ASSESSMENT_KINDS = labelled(
    AssessmentKind,
    (AssessmentKind.INITIAL_RISK, "Đánh giá ban đầu, sàng lọc nguy cơ", "Initial risk screening"),
    (AssessmentKind.DETAILED_NEEDS, "Đánh giá chi tiết nhu cầu", "Detailed needs assessment"),
)


class ConsentGiver(LabelledEnum):
    """Who gave the consent: the person, their guardian, or both."""

    PERSON = "person"
    GUARDIAN = "guardian"
    BOTH = "both"


CONSENT_GIVERS = labelled(
    ConsentGiver,
    (ConsentGiver.PERSON, "Người được hỗ trợ", "The person"),
    (
        ConsentGiver.GUARDIAN,
        "Người đại diện hợp pháp (cha mẹ, người giám hộ)",
        "Legal representative (parent or guardian)",
    ),
    (
        ConsentGiver.BOTH,
        "Người được hỗ trợ và người đại diện hợp pháp",
        "The person and their legal representative",
    ),
)


class FollowUpKind(LabelledEnum):
    """A follow-up visit, or a review of the case and its plan."""

    FOLLOW_UP = "follow_up"
    REVIEW = "review"


FOLLOW_UP_KINDS = labelled(
    FollowUpKind,
    (FollowUpKind.FOLLOW_UP, "Theo dõi, thăm hỏi", "Follow-up visit"),
    (FollowUpKind.REVIEW, "Rà soát trường hợp và kế hoạch", "Case and plan review"),
)


class SupportPlanStatus(LabelledEnum):
    """A draft, the plan in force once approved, or a plan a later approval replaced."""

    DRAFT = "draft"
    APPROVED = "approved"
    SUPERSEDED = "superseded"


SUPPORT_PLAN_STATUSES = labelled(
    SupportPlanStatus,
    (SupportPlanStatus.DRAFT, "Dự thảo", "Draft"),
    (SupportPlanStatus.APPROVED, "Đã phê duyệt", "Approved"),
    (SupportPlanStatus.SUPERSEDED, "Đã được thay thế", "Superseded"),
)


class ReferralStatus(LabelledEnum):
    """Where a referral stands: pending until the receiving facility answers, accepted until
    it first reaches the person (contacted), then completed."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    CONTACTED = "contacted"
    REJECTED = "rejected"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


REFERRAL_STATUSES = labelled(
    ReferralStatus,
    (ReferralStatus.PENDING, "Chờ tiếp nhận", "Pending"),
    (ReferralStatus.ACCEPTED, "Đã tiếp nhận", "Accepted"),
    (ReferralStatus.CONTACTED, "Đã liên hệ lần đầu với đối tượng", "First contact made"),
    (ReferralStatus.REJECTED, "Từ chối tiếp nhận", "Rejected"),
    (ReferralStatus.COMPLETED, "Đã hoàn thành", "Completed"),
    (ReferralStatus.CANCELLED, "Đã hủy", "Cancelled"),
)


class ReferralStepStatus(LabelledEnum):
    """The status a step moves a referral to: any but pending, where every referral starts."""

    ACCEPTED = "accepted"
    CONTACTED = "contacted"
    REJECTED = "rejected"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


REFERRAL_STEP_STATUSES = labelled(
    ReferralStepStatus,
    *(
        (c.code, c.label_vi, c.label_en)
        for c in REFERRAL_STATUSES.values()
        if c.code != ReferralStatus.PENDING
    ),
)


class ReferralOutcome(LabelledEnum):
    """What came of a referral, recorded by the receiving facility as it completes it."""

    SERVICES_DELIVERED = "services_delivered"
    PARTIALLY_DELIVERED = "partially_delivered"
    DECLINED_BY_PERSON = "declined_by_person"
    NOT_REACHED = "not_reached"
    REFERRED_ONWARD = "referred_onward"


REFERRAL_OUTCOMES = labelled(
    ReferralOutcome,
    (ReferralOutcome.SERVICES_DELIVERED, "Đã cung cấp dịch vụ", "Services delivered"),
    (
        ReferralOutcome.PARTIALLY_DELIVERED,
        "Đã cung cấp một phần dịch vụ",
        "Some of the services delivered",
    ),
    (
        ReferralOutcome.DECLINED_BY_PERSON,
        "Đối tượng từ chối dịch vụ",
        "The person declined the services",
    ),
    (ReferralOutcome.NOT_REACHED, "Không liên hệ được với đối tượng", "The person was not reached"),
    (ReferralOutcome.REFERRED_ONWARD, "Chuyển gửi tiếp đến cơ sở khác", "Referred on elsewhere"),
)
# The outcomes that name the services delivered.
DELIVERING_OUTCOMES = frozenset(
    {ReferralOutcome.SERVICES_DELIVERED, ReferralOutcome.PARTIALLY_DELIVERED}
)


class ReferralDeadline(LabelledEnum):
    """A referral's two clocks: the answer (accept or reject), then the first contact."""

    RESPOND_BY = "respond_by"
    FIRST_CONTACT_BY = "first_contact_by"


REFERRAL_DEADLINES = labelled(
    ReferralDeadline,
    (ReferralDeadline.RESPOND_BY, "Hạn trả lời chuyển gửi", "Respond by"),
    (ReferralDeadline.FIRST_CONTACT_BY, "Hạn liên hệ lần đầu với đối tượng", "First contact by"),
)


class ConsentPurpose(LabelledEnum):
    """What the person agreed to; consent is recorded purpose by purpose."""

    SERVICES = "services"
    SHARING = "sharing"
    REPORTING = "reporting"
    PHOTOS = "photos"


CONSENT_PURPOSES = labelled(
    ConsentPurpose,
    (ConsentPurpose.SERVICES, "Nhận dịch vụ, hỗ trợ", "Receiving services"),
    (ConsentPurpose.SHARING, "Chia sẻ thông tin với cơ sở khác", "Sharing with other facilities"),
    (ConsentPurpose.REPORTING, "Sử dụng trong báo cáo, thống kê", "Reporting and statistics"),
    (ConsentPurpose.PHOTOS, "Chụp, sử dụng hình ảnh", "Photos"),
)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Out(BaseModel):
    id: UUID
    case_id: UUID
    created_by: str
    created_at: datetime


class AssessmentCreate(_In):
    kind: AssessmentKind
    assessed_on: PastDate
    risk_level: RiskLevel
    needs: list[ServiceTypeCode] = Field(default_factory=list, max_length=20)
    summary: str = Text
    findings: str | None = Field(
        default=None,
        max_length=5000,
        description="Sensitive; needs sensitive:read to write or read",
    )


class AssessmentRead(_Out):
    kind: AssessmentKind
    assessed_on: date
    risk_level: RiskLevel
    needs: list[ServiceTypeCode]
    summary: str
    findings: str | None = Field(description="Null unless the caller may read sensitive data")


class Goal(_In):
    description: str = Field(min_length=1, max_length=500)
    target_date: Day | None = None


class PlannedService(_In):
    service_type: ServiceTypeCode
    provider_facility_id: UUID | None = None
    frequency: str | None = Field(default=None, max_length=100, examples=["2 lần/tuần"])


class SupportPlanCreate(_In):
    drafted_on: PastDate
    goals: list[Goal] = Field(min_length=1, max_length=30)
    planned_services: list[PlannedService] = Field(default_factory=list, max_length=30)


class SupportPlanApproval(_In):
    approved_by: str = Field(min_length=1, max_length=200, examples=["Nguyễn Văn A"])
    approver_title: str = Field(min_length=1, max_length=200, examples=["Chủ tịch UBND xã"])
    approved_on: PastDate


class SupportPlanRead(_Out):
    drafted_on: date
    goals: list[Goal]
    planned_services: list[PlannedService]
    status: SupportPlanStatus
    approved_by: str | None
    approver_title: str | None
    approved_on: date | None


class ServiceCreate(_In):
    service_type: ServiceTypeCode
    delivered_on: PastDate
    funding_source: FundingSourceCode
    amount_vnd: AmountVnd | None = None
    provider_facility_id: UUID | None = None
    worker_id: UUID | None = None
    note: str | None = Field(default=None, max_length=1000)


class ServiceRead(_Out):
    person_id: UUID
    service_type: ServiceTypeCode
    delivered_on: date
    funding_source: FundingSourceCode
    amount_vnd: int | None
    provider_facility_id: UUID | None
    worker_id: UUID | None
    note: str | None


class FollowUpCreate(_In):
    kind: FollowUpKind = FollowUpKind.FOLLOW_UP
    start_date: Day | None = Field(default=None, description="Defaults to today")
    due_date: Day
    assigned_worker_id: UUID | None = None
    note: str | None = Field(default=None, max_length=1000)

    @field_validator("due_date")
    @classmethod
    def _due_after_start(cls, due_date: date, info: ValidationInfo) -> date:
        start = info.data.get("start_date")
        if start and due_date < start:
            raise ValueError("due_date must not be before start_date")
        return due_date


class FollowUpDone(_In):
    done_date: PastDate
    note: str | None = Field(default=None, max_length=1000)


class FollowUpRead(_Out):
    kind: FollowUpKind
    start_date: date
    due_date: date
    done_date: date | None
    assigned_worker_id: UUID | None
    note: str | None
    version: int
    overdue: bool


class NoteCreate(_In):
    body: str = Field(min_length=1, max_length=10000)
    sensitive: StrictBool = Field(default=False, description="Abuse, health or offence details")


class NoteRead(_Out):
    body: str
    sensitive: bool


class ReferralCreate(_In):
    to_facility_id: UUID
    reason: str = Field(min_length=1, max_length=1000)
    services_requested: list[ServiceTypeCode] = Field(default_factory=list, max_length=20)
    consent_confirmed: StrictBool = Field(
        description="The person (or guardian) agreed to the sharing"
    )


class ReferralStep(_In):
    status: ReferralStepStatus
    note: str | None = Field(
        default=None, max_length=1000, description="Required to reject: the reason, for the sender"
    )
    outcome: ReferralOutcome | None = Field(default=None, description="Required to complete")
    services_delivered: list[ServiceTypeCode] = Field(
        default_factory=list,
        max_length=20,
        description="On completing: required with the outcomes that deliver services",
    )


class ReferralRead(_Out):
    from_facility_id: UUID | None
    to_facility_id: UUID
    reason: str
    services_requested: list[ServiceTypeCode]
    consent_confirmed: bool
    status: ReferralStatus
    response_note: str | None
    responded_at: datetime | None = Field(description="When the latest step was taken")
    version: int
    respond_by: datetime | None = Field(
        description="Accept or reject by then, from the case's risk level; null on referrals "
        "made before deadlines were kept",
    )
    answered_at: datetime | None = Field(
        description="When the receiving facility accepted or rejected it"
    )
    first_contact_by: datetime | None = Field(
        description="Set on acceptance: reach the person by then"
    )
    first_contacted_at: datetime | None
    response_escalated_at: datetime | None = Field(
        description="When it was escalated for passing respond_by unanswered"
    )
    first_contact_escalated_at: datetime | None = Field(
        description="When it was escalated for passing first_contact_by"
    )
    outcome: ReferralOutcome | None = Field(description="Set on completion")
    services_delivered: list[ServiceTypeCode] | None = Field(description="Set on completion")


class OverdueReferral(ReferralRead):
    """A referral past a deadline it has not met yet."""

    deadline: ReferralDeadline = Field(description="The deadline it has passed")
    due_at: datetime
    escalated_at: datetime | None = Field(
        description="When it was escalated for that deadline; null until the next pass"
    )


class ConsentCreate(_In):
    purpose: ConsentPurpose
    given_by: ConsentGiver
    given_on: PastDate
    expires_on: Day | None = None
    note: str | None = Field(default=None, max_length=500)

    @field_validator("expires_on")
    @classmethod
    def _expires_after_given(cls, expires_on: date | None, info: ValidationInfo) -> date | None:
        given = info.data.get("given_on")
        if expires_on and given and expires_on < given:
            raise ValueError("expires_on must not be before given_on")
        return expires_on


class ConsentWithdrawal(_In):
    withdrawn_on: PastDate


class ConsentRead(_Out):
    purpose: ConsentPurpose
    given_by: ConsentGiver
    given_on: date
    expires_on: date | None
    withdrawn_on: date | None
    note: str | None
    active: bool

"""What clients send and receive for contributions."""

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.reporting.agency.kinds import AgencyKind
from services.reporting.contribution.content import (
    Activities,
    ActivityCounts,
    Spending,
    TaskReport,
)
from services.reporting.report.schemas import ReviewDecision
from shared.dates import Day
from shared.labels import LabelledEnum, labelled
from shared.pagination import ListOf


class ContributionStatus(LabelledEnum):
    REQUESTED = "requested"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"


CONTRIBUTION_STATUSES = labelled(
    ContributionStatus,
    (ContributionStatus.REQUESTED, "Đã yêu cầu, chưa soạn", "Requested, not started"),
    (ContributionStatus.DRAFT, "Đang soạn", "Draft"),
    (ContributionStatus.SUBMITTED, "Đã gửi", "Submitted"),
    (ContributionStatus.ACCEPTED, "Đã tiếp nhận", "Accepted"),
    (ContributionStatus.RETURNED, "Trả lại để hoàn thiện", "Returned for revision"),
)
# Written by the agency's officers in these; frozen in the others.
OPEN = (ContributionStatus.REQUESTED, ContributionStatus.DRAFT, ContributionStatus.RETURNED)


class ContributionRequest(BaseModel):
    """The lead department asks an agency for its contribution, due on a date."""

    model_config = ConfigDict(extra="forbid")

    plan_id: UUID
    period: str = Field(
        max_length=40,
        description="As for reports: 2025S1, 2025, 2021-2025, mid_term or end_of_phase",
        examples=["2025"],
    )
    agency_id: UUID
    due_date: Day = Field(
        ge=date(2000, 1, 1),
        le=date(2100, 12, 31),
        description="On or before the province's own deadline for the period",
    )


class ContributionUpdate(BaseModel):
    """The parts of a contribution given replace what was there; the others stay."""

    model_config = ConfigDict(extra="forbid")

    tasks: list[TaskReport] | None = Field(default=None, max_length=30)
    activities: Activities | None = None
    funding: list[Spending] | None = Field(default=None, max_length=10)
    difficulties_vi: str | None = Field(default=None, max_length=4000)
    proposals_vi: str | None = Field(default=None, max_length=4000)

    @model_validator(mode="after")
    def _once_each(self) -> "ContributionUpdate":
        tasks = [t.task for t in self.tasks or []]
        if len(set(tasks)) != len(tasks):
            raise ValueError("each task group is reported once")
        sources = [f.source for f in self.funding or []]
        if len(set(sources)) != len(sources):
            raise ValueError("each funding source is given once")
        return self


class ContributionReview(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: ReviewDecision
    note: str | None = Field(
        default=None, max_length=1000, description="Why it is returned: required then"
    )
    due_date: Day | None = Field(
        default=None,
        ge=date(2000, 1, 1),
        le=date(2100, 12, 31),
        description="A new due date for the revision (returned only)",
    )

    @model_validator(mode="after")
    def _reason(self) -> "ContributionReview":
        if self.decision == ReviewDecision.RETURNED and not (self.note or "").strip():
            raise ValueError("a returned contribution says why (note)")
        if self.decision == ReviewDecision.ACCEPTED and self.due_date is not None:
            raise ValueError("only a returned contribution gets a new due date")
        return self


class ContributionRead(BaseModel):
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    id: UUID
    plan_id: UUID
    plan_code: str
    period_id: str
    agency_id: UUID
    agency_code: str
    agency_name_vi: str
    agency_kind: AgencyKind
    province_code: str
    due_date: date
    status: ContributionStatus
    overdue: bool = Field(description="Not filed (or not refiled) and past its due date")
    late: bool = Field(description="Last submitted after its due date")
    tasks: list[TaskReport]
    activities: ActivityCounts
    funding: list[Spending]
    difficulties_vi: str | None
    proposals_vi: str | None
    requested_by: str
    submitted_at: datetime | None
    submitted_by: str | None
    reviewed_at: datetime | None
    reviewed_by: str | None
    review_note: str | None
    reminded_at: datetime | None = Field(
        description="When the lead department last reminded the agency it is overdue"
    )
    version: int


class ReminderRequest(BaseModel):
    """Remind every agency whose contribution to this plan and period is overdue."""

    model_config = ConfigDict(extra="forbid")

    plan_id: UUID
    period: str = Field(max_length=40, examples=["2025"])


class ContributionList(ListOf[ContributionRead]):
    pass

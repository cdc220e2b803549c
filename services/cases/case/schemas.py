"""What clients send and receive for cases."""

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from services.cases.casework.schemas import FollowUpKind
from services.cases.reference.codes import (
    CaseStatus,
    ClosureReason,
    IntakeSource,
    RiskLevel,
    Sex,
    Stage,
)
from services.cases.validation import PastDate
from shared.dates import Day
from shared.pagination import ListOf, Page
from shared.values import ClientId, left_out


class CaseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: ClientId | None = None
    person_id: UUID
    intake_source: IntakeSource
    risk_level: RiskLevel = RiskLevel.MEDIUM
    opened_date: PastDate | None = Field(default=None, description="Defaults to today")
    managing_facility_id: UUID | None = Field(
        default=None, description="Workforce facility id; a facility caller's own by default"
    )
    assigned_worker_id: UUID | None = Field(default=None, description="Workforce worker id")
    next_review_date: Day | None = None


class CaseUpdate(BaseModel):
    """Only the fields sent change. Stage and closing go through /transitions."""

    model_config = ConfigDict(extra="forbid")

    # What a case must have may be left out, but not cleared: null is a 422.
    risk_level: RiskLevel = left_out()
    status: CaseStatus = left_out(description="active or on_hold")
    managing_facility_id: UUID | None = None
    assigned_worker_id: UUID | None = None
    next_review_date: Day | None = None


class CaseTransition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to_stage: Stage
    reason: str | None = Field(default=None, max_length=1000, description="Required to reopen")
    closure_reason: ClosureReason | None = Field(default=None, description="Required to close")
    on_date: PastDate | None = Field(default=None, description="Defaults to today")


class CasePerson(BaseModel):
    id: UUID
    full_name: str
    sex: Sex
    birth_date: date | None


class CaseSummary(BaseModel):
    id: UUID
    case_number: str
    person: CasePerson
    province_code: str
    ward_code: str
    stage: Stage
    status: CaseStatus
    risk_level: RiskLevel
    opened_date: date
    closed_date: date | None
    assigned_worker_id: UUID | None
    managing_facility_id: UUID | None
    next_review_date: date | None
    archived: bool
    version: int


class CaseRead(CaseSummary):
    intake_source: IntakeSource
    closure_reason: ClosureReason | None
    closure_note: str | None
    registered_by_facility_id: UUID | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None


CasePage = Page[CaseSummary]


class OverdueItem(BaseModel):
    case_id: UUID
    case_number: str
    person_full_name: str
    kind: FollowUpKind
    follow_up_id: UUID | None
    due_date: date


class OverduePage(ListOf[OverdueItem]):
    pass

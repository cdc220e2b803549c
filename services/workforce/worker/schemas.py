"""What clients send and receive for workers."""

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from services.workforce.reference.codes import ProfessionalTitle, Qualification, WorkerStatus
from services.workforce.validation import NationalId, PastDate, Phone
from shared.dates import Day
from shared.labels import Sex
from shared.pagination import Page
from shared.values import FullName, left_out


class WorkerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    full_name: FullName
    sex: Sex
    birth_date: Day | None = None
    national_id: NationalId | None = None
    phone: Phone | None = None
    email: str | None = Field(default=None, max_length=200, pattern=r"^[^@\s]+@[^@\s]+$")
    qualification: Qualification = Qualification.NONE
    professional_title: ProfessionalTitle | None = None
    status: WorkerStatus = WorkerStatus.ACTIVE
    status_date: PastDate | None = Field(
        default=None, description="For a worker registered as retired or left: since when"
    )


class WorkerUpdate(BaseModel):
    """Only the fields sent change; what a worker must have may be left out but not cleared
    (null is a 422)."""

    model_config = ConfigDict(extra="forbid")

    full_name: FullName = left_out()
    sex: Sex = left_out()
    birth_date: Day | None = None
    national_id: NationalId | None = None
    phone: Phone | None = None
    email: str | None = Field(default=None, max_length=200, pattern=r"^[^@\s]+@[^@\s]+$")
    qualification: Qualification = left_out()
    professional_title: ProfessionalTitle | None = None
    status: WorkerStatus = left_out()
    status_date: PastDate | None = Field(
        default=None,
        description="When a worker retired or left (default today): from this day they are "
        "not staff, and their open positions end on it",
    )


class WorkerRead(BaseModel):
    id: UUID
    full_name: str
    sex: Sex
    birth_date: date | None
    national_id: str | None
    phone: str | None
    email: str | None
    qualification: Qualification
    professional_title: ProfessionalTitle | None
    status: WorkerStatus
    left_on: date | None = Field(
        description="First day not counted as staff (retired, left or archived)"
    )
    province_code: str
    archived: bool
    version: int
    created_at: datetime
    updated_at: datetime


WorkerPage = Page[WorkerRead]

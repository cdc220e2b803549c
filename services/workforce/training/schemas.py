"""What clients send and receive for courses and participations."""

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, ValidationInfo

from services.workforce.reference.codes import CourseFundingSource, CourseKind
from shared.dates import Day
from shared.pagination import ListOf


def _after_start(end: date, info: ValidationInfo) -> date:
    start = info.data.get("start_date")
    if start is not None and end < start:
        raise ValueError("must not be before start_date")
    return end


class CourseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str | None = Field(default=None, max_length=40, examples=["TH-2025-03"])
    kind: CourseKind
    topic: str = Field(min_length=1, max_length=300)
    organiser: str = Field(min_length=1, max_length=300)
    start_date: Day
    end_date: Annotated[Day, AfterValidator(_after_start)]
    funding_source: CourseFundingSource | None = None
    funder_name: str | None = Field(
        default=None,
        max_length=300,
        description="Who pays, by name: the donor, programme or sponsor (UNICEF, Đề án 112)",
    )


class CourseRead(CourseCreate):
    model_config = ConfigDict(extra="ignore")

    id: UUID
    province_code: str
    version: int


class CourseList(ListOf[CourseRead]):
    pass


class ParticipationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    worker_id: UUID
    completed: StrictBool = False
    completed_on: Day | None = None
    certificate_no: str | None = Field(default=None, max_length=60)


class ParticipationUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    completed: StrictBool | None = None
    completed_on: Day | None = None
    certificate_no: str | None = Field(default=None, max_length=60)


class ParticipationRead(BaseModel):
    id: UUID
    course_id: UUID
    worker_id: UUID
    completed: bool
    completed_on: date | None
    certificate_no: str | None
    version: int


class ParticipationList(ListOf[ParticipationRead]):
    pass

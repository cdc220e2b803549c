"""What clients send and receive for assignments and allowances."""

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, ValidationInfo

from services.workforce.reference.codes import PositionKind
from services.workforce.validation import MonthlyVnd
from shared.dates import Day
from shared.pagination import ListOf


def _not_before_start(end: date | None, info: ValidationInfo) -> date | None:
    start = info.data.get("start_date")
    if end is not None and start is not None and end < start:
        raise ValueError("must not be before start_date")
    return end


class AssignmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    facility_id: UUID
    position_kind: PositionKind
    is_ctxh: StrictBool = Field(default=True, description="The position is CTXH work")
    title: str | None = Field(default=None, max_length=200)
    start_date: Day
    end_date: Annotated[Day | None, AfterValidator(_not_before_start)] = None
    monthly_allowance_vnd: MonthlyVnd | None = Field(
        default=None, description="Allowance in force from start_date"
    )


class AssignmentEnd(BaseModel):
    model_config = ConfigDict(extra="forbid")

    end_date: Day
    title: str | None = Field(default=None, max_length=200)


class AllowanceCreate(BaseModel):
    """A new monthly allowance from `start_date`; the previous one ends the day before."""

    model_config = ConfigDict(extra="forbid")

    amount_vnd: MonthlyVnd
    start_date: Day


class AllowanceRead(BaseModel):
    amount_vnd: int
    start_date: date
    end_date: date | None


class AssignmentRead(BaseModel):
    id: UUID
    worker_id: UUID
    facility_id: UUID
    position_kind: PositionKind
    is_ctxh: bool
    title: str | None
    start_date: date
    end_date: date | None
    allowances: list[AllowanceRead]
    version: int


class AssignmentList(ListOf[AssignmentRead]):
    pass

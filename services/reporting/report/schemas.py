"""What clients send and receive for reports."""

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

ReportStatus = Literal["draft", "submitted", "accepted", "returned"]


class ReportCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    plan_id: UUID
    period: str = Field(
        description="2025S1 (six-month), 2025 (annual) or 2025-01-01..2025-03-31", examples=["2025"]
    )
    province_code: str | None = Field(
        default=None, pattern=r"^\d{2}$", description="For the national programme: whose figures"
    )


class Review(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["accepted", "returned"]
    note: str | None = Field(default=None, max_length=1000)


class IndicatorValue(BaseModel):
    indicator: str
    name_vi: str
    name_en: str
    group: str | None
    unit: str
    target: float
    per_year: bool
    window_start: date
    window_end: date
    value: float | None
    numerator: int | None
    denominator: int | None
    met: bool | None
    status: str
    source: str | None = None
    note_vi: str | None = None
    details: dict[str, Any] = {}


class ReportRead(BaseModel):
    id: UUID
    plan_id: UUID
    plan_code: str
    province_code: str
    period_id: str
    period_kind: str
    window_start: date
    window_end: date
    dhis2_period: str | None
    deadline: date | None
    status: ReportStatus
    complete: bool
    missing_sources: list[str]
    values: list[IndicatorValue]
    manual_values: list[dict[str, Any]]
    territory: dict[str, Any]
    computed_at: datetime | None
    submitted_at: datetime | None
    submitted_by: str | None
    reviewed_at: datetime | None
    reviewed_by: str | None
    review_note: str | None
    version: int
    updated_at: datetime


class ReportList(BaseModel):
    items: list[ReportRead]

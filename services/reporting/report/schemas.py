"""What clients send and receive for reports."""

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from services.reporting.indicators.results import IndicatorResult
from shared.dates import Day

ReportStatus = Literal["draft", "submitted", "accepted", "returned"]


class ReportCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    plan_id: UUID
    period: str = Field(
        max_length=40,
        description="2025S1 (six-month), 2025 (annual), 2021-2025 (reporting years 2021 to "
        "2025), mid_term or end_of_phase (of the plan's years), or 2025-01-01..2025-03-31",
        examples=["2025", "end_of_phase"],
    )
    as_of: Day | None = Field(
        default=None,
        ge=date(2000, 1, 1),
        le=date(2100, 12, 31),
        description="Cut the window short on this date: the figures as known then (Hải Dương "
        "reports its 2025 results on 2025-11-30)",
    )
    province_code: str | None = Field(
        default=None, pattern=r"^\d{2}$", description="For the national programme: whose figures"
    )


class Review(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["accepted", "returned"]
    note: str | None = Field(default=None, max_length=1000)


class IndicatorValue(IndicatorResult):
    """A target's value in a report, with the indicator's names and the plan's note."""

    name_vi: str
    name_en: str
    note_vi: str | None = None


class ReportRead(BaseModel):
    id: UUID
    plan_id: UUID
    plan_code: str
    province_code: str
    period_id: str
    period_kind: str = Field(description="six_month, annual, multi_year or custom")
    period_label_vi: str
    as_of: date | None
    closes_plan: bool = Field(description="Whole-plan targets are judged in this report")
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

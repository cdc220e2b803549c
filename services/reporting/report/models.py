"""A report: a plan's targets for a unit and a period, with the numbers behind them."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import Field

from services.reporting.models import ReportingModel
from shared.db import UTCDateTime
from shared.models import new_id, table_of, timestamp_field


class Report(ReportingModel, table=True):
    __tablename__ = "report"
    __table_args__ = (sa.UniqueConstraint("plan_id", "province_code", "period_id"),)

    id: UUID = Field(default_factory=new_id, primary_key=True)
    plan_id: UUID = Field(foreign_key="plan.id", index=True)
    province_code: str = Field(max_length=2, index=True)
    period_id: str = Field(max_length=40, index=True)
    period_kind: str = Field(max_length=10)
    window_start: date
    window_end: date
    dhis2_period: str | None = Field(default=None, max_length=10)
    status: str = Field(default="draft", max_length=10, index=True)
    complete: bool = False
    missing_sources: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    values: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    territory: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    manual_values: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    # Funding spent by source, from the accepted contributions (contribution.totals).
    funding: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    # The accepted contributions as compiled into the report (document, annex).
    contributions: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    computed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    submitted_by: str | None = Field(default=None, max_length=200)
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reviewed_by: str | None = Field(default=None, max_length=200)
    review_note: str | None = Field(default=None, max_length=1000)
    version: int = 1
    created_by: str = Field(max_length=200)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field(index=True)


# The Core tables behind the models, derived once: queries import these.
report_t = table_of(Report)

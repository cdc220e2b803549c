"""An agency's contribution to a plan's report for a period: what it did under each task,
its activity counts, the funding it spent by source, its difficulties and proposals."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import Field

from services.reporting.models import ReportingModel
from shared.db import UTCDateTime
from shared.models import new_id, table_of, timestamp_field


class Contribution(ReportingModel, table=True):
    __tablename__ = "contribution"
    # One contribution per agency, plan and period: asking twice is a 409, not a second one.
    __table_args__ = (sa.UniqueConstraint("plan_id", "period_id", "agency_id"),)

    id: UUID = Field(default_factory=new_id, primary_key=True)
    plan_id: UUID = Field(foreign_key="plan.id", index=True)
    period_id: str = Field(max_length=40)
    agency_id: UUID = Field(foreign_key="agency.id", index=True)
    province_code: str = Field(max_length=2, index=True)  # the agency's, copied for scoping
    due_date: date
    status: str = Field(default="requested", max_length=10)
    tasks: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    activities: dict[str, int] = Field(default_factory=dict, sa_type=sa.JSON)
    funding: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    difficulties_vi: str | None = Field(default=None, max_length=4000)
    proposals_vi: str | None = Field(default=None, max_length=4000)
    requested_by: str = Field(max_length=200)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    submitted_by: str | None = Field(default=None, max_length=200)
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reviewed_by: str | None = Field(default=None, max_length=200)
    review_note: str | None = Field(default=None, max_length=1000)
    # The lead department's last reminder of an overdue contribution; not a change of its
    # content, so it leaves the version (and the agency's ETag) alone.
    reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = 1
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


# The Core table behind the model, derived once: queries import it.
contribution_t = table_of(Contribution)

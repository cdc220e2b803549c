"""Assignments and allowance periods: history is added to, never overwritten."""

from datetime import date
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import Field

from services.workforce.common import Tracked
from services.workforce.models import WorkforceModel
from shared.models import new_id, table_of


class Assignment(Tracked, table=True):
    __tablename__ = "assignment"
    __table_args__ = (
        sa.Index("ix_assignment_facility_dates", "facility_id", "start_date"),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates"),
    )

    worker_id: UUID = Field(foreign_key="worker.id", index=True)
    facility_id: UUID = Field(foreign_key="facility.id")
    position_kind: str = Field(max_length=20)
    is_ctxh: bool = True
    title: str | None = Field(default=None, max_length=200)
    start_date: date
    end_date: date | None = None


class AllowancePeriod(WorkforceModel, table=True):
    """A monthly allowance in force from start_date to end_date (open-ended when null)."""

    __tablename__ = "allowance_period"
    __table_args__ = (
        sa.Index("ix_allowance_period_assignment", "assignment_id", "start_date"),
        sa.CheckConstraint("amount_vnd >= 0", name="amount"),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates"),
    )

    id: UUID = Field(default_factory=new_id, primary_key=True)
    assignment_id: UUID = Field(foreign_key="assignment.id")
    amount_vnd: int = Field(sa_type=sa.BigInteger)
    start_date: date
    end_date: date | None = None
    created_by: str = Field(max_length=200)


# The Core tables behind the models, derived once: queries import these.
assignment_t = table_of(Assignment)
allowance_t = table_of(AllowancePeriod)

"""A plan (provincial or national) and its targets."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import Field

from services.reporting.models import ReportingModel
from shared.db import UTCDateTime
from shared.models import new_id, table_of, timestamp_field


class Plan(ReportingModel, table=True):
    __tablename__ = "plan"

    id: UUID = Field(default_factory=new_id, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    name_vi: str = Field(max_length=500)
    name_en: str = Field(max_length=500)
    level: str = Field(max_length=20)  # province | national
    territory_scheme: str = Field(max_length=10)  # legacy | 2025 | national
    territory_code: str | None = Field(default=None, max_length=2)
    # The 2025 province whose officers own the plan (None for the national programme).
    province_code: str | None = Field(default=None, max_length=2, index=True)
    shared_wards: str = Field(default="include", max_length=10)
    period_start: date
    period_end: date
    deadlines: list[dict[str, str]] = Field(default_factory=list, sa_type=sa.JSON)
    source_document: str | None = Field(default=None, max_length=500)
    # Sections II and IV as the plan wrote them (services.reporting.plan.tasks): read whole,
    # with the plan, never queried into.
    tasks: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    responsibilities: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    reform: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    version: int = 1
    created_by: str = Field(max_length=200)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Target(ReportingModel, table=True):
    __tablename__ = "target"

    id: UUID = Field(default_factory=new_id, primary_key=True)
    plan_id: UUID = Field(foreign_key="plan.id", index=True)
    position: int
    indicator: str = Field(max_length=10)
    group: str | None = Field(default=None, max_length=30)
    value: float
    comparator: str = Field(default="gte", max_length=5)
    # A target for one year of the plan (None: the whole plan), or one repeated each year.
    year: int | None = None
    per_year: bool = False
    wage_basis: str | None = Field(default=None, max_length=20)
    note_vi: str | None = Field(default=None, max_length=500)


# The Core tables behind the models, derived once: queries import these.
plan_t = table_of(Plan)
target_t = table_of(Target)

"""Dated wage references: the base wage and the regional minimum wages."""

from datetime import date
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import Field

from services.workforce.common import Tracked
from services.workforce.models import WorkforceModel
from shared.models import new_id, table_of


class WageRate(WorkforceModel, table=True):
    __tablename__ = "wage_rate"
    __table_args__ = (sa.UniqueConstraint("kind", "region", "effective_from"),)

    id: UUID = Field(default_factory=new_id, primary_key=True)
    kind: str = Field(max_length=20)  # base | regional_minimum
    region: int = Field(default=0)  # 1..4 for regional minimums; 0 for the base wage
    amount_vnd: int = Field(sa_type=sa.BigInteger)
    effective_from: date
    legal_basis: str | None = Field(default=None, max_length=200)
    created_by: str = Field(max_length=200)


class WardWageRegion(Tracked, table=True):
    """The minimum-wage region (vùng I–IV) a decree sets for a 2025 ward over a span of dates.

    Spans of one ward never overlap (an exclusion constraint on Postgres); a later load that
    covers part of a span trims or replaces it, and history keeps what it said before."""

    __tablename__ = "ward_wage_region"
    __table_args__ = (
        sa.Index("ix_ward_wage_region_ward_from", "ward_code", "valid_from"),
        sa.CheckConstraint("region BETWEEN 1 AND 4", name="region"),
        sa.CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="dates"),
    )

    ward_code: str = Field(max_length=5)
    province_code: str = Field(max_length=2, index=True)
    region: int
    valid_from: date
    valid_to: date | None = None
    legal_source: str = Field(max_length=300)


# The Core tables behind the models, derived once: queries import these.
ward_region_t = table_of(WardWageRegion)
wage_t = table_of(WageRate)

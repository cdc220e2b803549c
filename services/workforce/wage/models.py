"""Dated wage references: the base wage and the regional minimum wages."""

from datetime import date
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import Field

from services.workforce.models import WorkforceModel
from shared.models import new_id


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

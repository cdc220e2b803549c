"""Manual values: the 2020 baseline and activity counts, for a territory and a period."""

from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import Field

from services.reporting.models import ReportingModel
from shared.models import new_id, table_of, timestamp_field


class ManualValue(ReportingModel, table=True):
    __tablename__ = "manual_value"
    __table_args__ = (
        sa.UniqueConstraint("territory_scheme", "territory_code", "metric", "period_id"),
    )

    id: UUID = Field(default_factory=new_id, primary_key=True)
    territory_scheme: str = Field(max_length=10)
    territory_code: str = Field(max_length=2)
    metric: str = Field(max_length=40)
    period_id: str = Field(max_length=30)  # a year (2020) or a report period id (2025S1)
    value: int = Field(sa_type=sa.BigInteger)
    participants: int | None = Field(default=None, sa_type=sa.BigInteger)
    note: str | None = Field(default=None, max_length=500)
    entered_by: str = Field(max_length=200)
    version: int = 1
    updated_at: datetime = timestamp_field()


# The Core tables behind the models, derived once: queries import these.
manual_t = table_of(ManualValue)

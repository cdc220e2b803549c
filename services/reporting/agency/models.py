"""An agency of a province that a plan asks to report: a department, a mass organisation, a
commune People's Committee, a school or a hospital."""

from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import Field

from services.reporting.models import ReportingModel
from shared.db import UTCDateTime
from shared.models import new_id, table_of, timestamp_field


class Agency(ReportingModel, table=True):
    __tablename__ = "agency"
    __table_args__ = (sa.UniqueConstraint("province_code", "code"),)

    id: UUID = Field(default_factory=new_id, primary_key=True)
    province_code: str = Field(max_length=2, index=True)  # 2025 scheme
    code: str = Field(max_length=40)  # the province's own short code, e.g. SYT
    name_vi: str = Field(max_length=300)
    kind: str = Field(max_length=30)
    ward_code: str | None = Field(default=None, max_length=5)  # a commune committee's ward
    version: int = 1
    created_by: str = Field(max_length=200)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# The Core table behind the model, derived once: queries import it.
agency_t = table_of(Agency)

"""A disclosure: what left the province when a report was submitted, kept for good."""

from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import Field

from services.reporting.models import ReportingModel
from shared.models import new_id, table_of, timestamp_field


class Disclosure(ReportingModel, table=True):
    """Every submission adds one, a resubmitted report too: what the ministry once read
    cannot be recalled, so later disclosures are checked against all of them."""

    __tablename__ = "disclosure"
    __table_args__ = (sa.Index("ix_disclosure_report", "report_id", "disclosed_at"),)

    id: UUID = Field(default_factory=new_id, primary_key=True)
    report_id: UUID = Field(foreign_key="report.id")
    report_version: int
    province_code: str = Field(max_length=2, index=True)
    # scheme, code, name, and the 2025 wards (null: the whole province)
    territory: dict[str, Any] = Field(sa_type=sa.JSON)
    # the report's values as published: withheld numbers are null and named in `suppressed`
    values: list[dict[str, Any]] = Field(sa_type=sa.JSON)
    disclosed_by: str = Field(max_length=200)
    disclosed_at: datetime = timestamp_field()


# The Core tables behind the models, derived once: queries import these.
disclosure_t = table_of(Disclosure)

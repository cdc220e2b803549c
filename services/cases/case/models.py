"""The case file and the counter behind readable case numbers."""

from datetime import date
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import Field

from services.cases.common import Tracked
from services.cases.models import CasesModel
from shared.models import table_of


class Case(Tracked, table=True):
    __tablename__ = "case_file"

    case_number: str = Field(max_length=20, unique=True)
    person_id: UUID = Field(foreign_key="person.id", index=True)
    # The person's unit when the case opened: what unit scopes filter cases on.
    province_code: str = Field(max_length=2, index=True)
    ward_code: str = Field(max_length=5, index=True)
    managing_facility_id: UUID | None = Field(default=None, index=True)
    assigned_worker_id: UUID | None = Field(default=None, index=True)
    registered_by_facility_id: UUID | None = Field(default=None, index=True)
    risk_level: str = Field(max_length=20)
    intake_source: str = Field(max_length=30)
    stage: str = Field(max_length=20, index=True)
    status: str = Field(max_length=20, index=True)
    opened_date: date = Field(index=True)
    closed_date: date | None = None
    closure_reason: str | None = Field(default=None, max_length=30)
    closure_note: str | None = Field(default=None, max_length=1000)
    next_review_date: date | None = Field(default=None, index=True)
    change_seq: int = Field(default=0, sa_type=sa.BigInteger, index=True)


class CaseNumberCounter(CasesModel, table=True):
    """Per province and year, the last case number handed out (31-2026-000123)."""

    __tablename__ = "case_number_counter"

    province_code: str = Field(max_length=2, primary_key=True)
    year: int = Field(primary_key=True)
    last_value: int = 0


# The Core tables behind the models, derived once: queries import these.
case_t = table_of(Case)
counter_t = table_of(CaseNumberCounter)

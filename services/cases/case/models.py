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
    # A ward's cases newest first, a page at a time: with any other filter (overdue,
    # category, age) only the ward's newest are read until a page is full (docs/scale.md).
    # It also serves ward_code alone. Partial indexes for open reviews are in migration 0014.
    # A province's cases newest first, the ones not yet due skipped inside the index: the
    # province's overdue list reads the table only for the cases it shows (next_due below).
    __table_args__ = (
        sa.Index("ix_case_file_ward_opened", "ward_code", "opened_date", "id"),
        sa.Index(
            "ix_case_file_province_opened_due", "province_code", "opened_date", "id", "next_due"
        ),
        # A worker's cases newest first (their list, the officer's "cases of this worker"),
        # and every caseload lookup by worker, which its first column serves.
        sa.Index("ix_case_file_worker_opened", "assigned_worker_id", "opened_date", "id"),
    )

    case_number: str = Field(max_length=20, unique=True)
    person_id: UUID = Field(foreign_key="person.id", index=True)
    # The person's unit when the case opened: what unit scopes filter cases on.
    province_code: str = Field(max_length=2, index=True)
    ward_code: str = Field(max_length=5)
    managing_facility_id: UUID | None = Field(default=None, index=True)
    assigned_worker_id: UUID | None = None
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
    # The earliest open due date: the review's unless closed, or the earliest follow-up not
    # done. Kept by triggers (migration 0015), never written here; overdue is next_due < today.
    next_due: date | None = None


class CaseNumberCounter(CasesModel, table=True):
    """Per province and year, the last case number handed out (31-2026-000123)."""

    __tablename__ = "case_number_counter"

    province_code: str = Field(max_length=2, primary_key=True)
    year: int = Field(primary_key=True)
    last_value: int = 0


class CaseloadChange(CasesModel, table=True):
    """A case entering or leaving a worker's caseload (its assigned_worker_id), numbered in
    the same transaction as the assignment: what the caseload sync (changes/caseload.py)
    reads to bring a case's older records to its new worker, and to tell its old one to
    drop it."""

    __tablename__ = "caseload_change"
    # Primary key first by worker: a caseload's entries are one range of it.
    __table_args__ = (sa.Index("ix_caseload_change_worker_seq", "worker_id", "change_seq"),)

    worker_id: UUID = Field(primary_key=True)
    case_id: UUID = Field(foreign_key="case_file.id", primary_key=True)
    change_seq: int = Field(
        sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False)
    )
    entered: bool


# The Core tables behind the models, derived once: queries import these.
case_t = table_of(Case)
counter_t = table_of(CaseNumberCounter)
caseload_t = table_of(CaseloadChange)

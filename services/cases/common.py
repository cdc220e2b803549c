"""Columns and tables every cases domain shares."""

from datetime import datetime
from uuid import UUID

from sqlmodel import Field

from services.cases.models import CasesModel, metadata
from shared.changes import change_counter_table, change_hold_table
from shared.history import history_table
from shared.idempotency import idempotency_table
from shared.models import TrackedColumns, new_id, new_record_values, timestamp_field
from shared.sheets.jobs import import_job_table

history = history_table(metadata)
idempotency = idempotency_table(metadata)
change_counter = change_counter_table(metadata)
change_holds = change_hold_table(metadata)
import_jobs = import_job_table(metadata)


class Tracked(TrackedColumns, CasesModel):
    """A cases record clients change: shared.models.TrackedColumns on the cases metadata."""


class ChildRecord(CasesModel):
    """A record inside a case (assessment, plan, service, note ...)."""

    id: UUID = Field(default_factory=new_id, primary_key=True)
    case_id: UUID = Field(foreign_key="case_file.id", index=True)
    created_by: str = Field(max_length=200)
    created_at: datetime = timestamp_field()


__all__ = [
    "ChildRecord",
    "Tracked",
    "change_counter",
    "change_holds",
    "history",
    "idempotency",
    "import_jobs",
    "new_id",
    "new_record_values",
]

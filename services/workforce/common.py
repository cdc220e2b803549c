"""Columns and tables every workforce domain shares."""

from services.workforce.models import WorkforceModel, metadata
from shared.history import history_table
from shared.idempotency import idempotency_table
from shared.models import TrackedColumns
from shared.sheets.jobs import import_job_table

history = history_table(metadata)
idempotency = idempotency_table(metadata)
import_jobs = import_job_table(metadata)


class Tracked(TrackedColumns, WorkforceModel):
    """A workforce record clients change: shared.models.TrackedColumns on its metadata."""

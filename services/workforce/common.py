"""Columns and tables every workforce domain shares."""

from datetime import datetime
from uuid import UUID

from sqlmodel import Field

from services.workforce.models import WorkforceModel, metadata
from shared.db import UTCDateTime
from shared.history import history_table
from shared.idempotency import idempotency_table
from shared.models import new_id, timestamp_field

history = history_table(metadata)
idempotency = idempotency_table(metadata)


class Tracked(WorkforceModel):
    """Who made a record and when, with the version that If-Match checks."""

    id: UUID = Field(default_factory=new_id, primary_key=True)
    version: int = Field(default=1, nullable=False)
    created_by: str = Field(max_length=200)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

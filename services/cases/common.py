"""Columns and tables every cases domain shares."""

from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import Field
from uuid_utils.compat import uuid7

from services.cases.models import CasesModel, metadata
from shared.changes import change_counter_table
from shared.db import UTCDateTime, utcnow
from shared.history import history_table
from shared.idempotency import idempotency_table

history = history_table(metadata)
idempotency = idempotency_table(metadata)
change_counter = change_counter_table(metadata)


def new_id() -> UUID:
    # Time-ordered ids keep inserts at the right edge of the primary key index.
    return uuid7()


def timestamp(**kwargs: object) -> datetime:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, **kwargs)  # type: ignore[call-overload]


def new_record_values(created_by: str) -> dict[str, object]:
    """Column values every tracked record starts with (Core inserts do not run model defaults)."""
    now = utcnow()
    return {
        "id": new_id(),
        "version": 1,
        "created_by": created_by,
        "created_at": now,
        "updated_at": now,
        "archived_at": None,
    }


class Tracked(CasesModel):
    """Who made a record, when, and the numbers that make optimistic locking and sync work."""

    id: UUID = Field(default_factory=new_id, primary_key=True)
    version: int = Field(default=1, nullable=False)
    created_by: str = Field(max_length=200)
    created_at: datetime = timestamp()
    updated_at: datetime = timestamp()
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ChildRecord(CasesModel):
    """A record inside a case (assessment, plan, service, note ...)."""

    id: UUID = Field(default_factory=new_id, primary_key=True)
    case_id: UUID = Field(foreign_key="case_file.id", index=True)
    created_by: str = Field(max_length=200)
    created_at: datetime = timestamp()


__all__ = ["ChildRecord", "Tracked", "change_counter", "history", "idempotency", "sa"]

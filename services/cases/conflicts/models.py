"""Offline edits that conflicted, queued for the worker who made them."""

from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import Field

from services.cases.models import CasesModel
from shared.db import UTCDateTime
from shared.models import new_id, table_of, timestamp_field


class EditConflictRecord(CasesModel, table=True):
    __tablename__ = "edit_conflict"
    __table_args__ = (sa.Index("ix_edit_conflict_raised_by_status", "raised_by", "status"),)

    id: UUID = Field(default_factory=new_id, primary_key=True)
    record_type: str = Field(max_length=20)  # person or case
    record_id: UUID = Field(index=True)
    # Whose data the conflict shows: every read of it is logged against this person.
    person_id: UUID
    raised_by: str = Field(max_length=200)
    raised_at: datetime = timestamp_field()
    base_version: int
    record_version: int
    # The change as sent, without sensitive values (`withheld` names them): the queue is no
    # second home for sensitive data; the resolution sends them again.
    change: dict[str, Any] = Field(sa_type=sa.JSON)
    withheld: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    conflicts: list[dict[str, Any]] = Field(sa_type=sa.JSON)
    status: str = Field(default="open", max_length=12)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolved_version: int | None = None


edit_conflict_t = table_of(EditConflictRecord)

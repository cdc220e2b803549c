"""A pair of people who look like one, waiting for (or past) a province officer's review."""

from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import Field

from services.cases.models import CasesModel
from shared.db import UTCDateTime
from shared.models import new_id, table_of, timestamp_field


class DuplicateCandidate(CasesModel, table=True):
    __tablename__ = "duplicate_candidate"
    __table_args__ = (
        # One row per pair, whichever way round it was found: the scan inserts with
        # ON CONFLICT against this, so rescans and concurrent scans never make a pair twice.
        sa.UniqueConstraint("person_a_id", "person_b_id", name="uq_duplicate_candidate_pair"),
        sa.CheckConstraint("person_a_id < person_b_id", name="ordered_pair"),
        # The review queue: a province's open pairs, highest score first.
        sa.Index("ix_duplicate_candidate_queue", "province_code", "status", "score", "id"),
    )

    id: UUID = Field(default_factory=new_id, primary_key=True)
    person_a_id: UUID = Field(foreign_key="person.id")
    person_b_id: UUID = Field(foreign_key="person.id", index=True)
    province_code: str = Field(max_length=2)
    score: int
    reasons: list[Any] = Field(default_factory=list, sa_type=sa.JSON)
    status: str = Field(default="open", max_length=20)
    found_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    reviewed_by: str | None = Field(default=None, max_length=200)
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    review_note: str | None = Field(default=None, max_length=1000)
    version: int = 1


# The Core table behind the model, derived once: queries import it.
candidate_t = table_of(DuplicateCandidate)

"""One merge of two records of a person: what it changed and moved, so that it can be undone
exactly."""

from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import Field

from services.cases.models import CasesModel
from shared.db import UTCDateTime
from shared.models import new_id, table_of, timestamp_field

ACTIVE = sa.text("status = 'merged'")


class PersonMerge(CasesModel, table=True):
    __tablename__ = "person_merge"
    # A record is merged away at most once at a time, whatever order concurrent merges
    # commit in (their person row locks already make them take turns).
    __table_args__ = (
        sa.Index(
            "uq_person_merge_active",
            "merged_id",
            unique=True,
            postgresql_where=ACTIVE,
            sqlite_where=ACTIVE,
        ),
    )

    id: UUID = Field(default_factory=new_id, primary_key=True)
    survivor_id: UUID = Field(foreign_key="person.id", index=True)
    merged_id: UUID = Field(foreign_key="person.id", index=True)
    province_code: str = Field(max_length=2, index=True)
    status: str = Field(default="merged", max_length=20)  # merged | unmerged
    # {field: "survivor" | "merged"} as the merge settled it, every choosable field named.
    kept: dict[str, str] = Field(default_factory=dict, sa_type=sa.JSON)
    changed_fields: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    # The survivor's fields and categories before and right after the merge (JSON values):
    # the undo restores `before`, and only while the survivor still reads as `after`.
    survivor_before: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    survivor_after: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    # What the merge changed on the merged record besides making it an alias (its national
    # ID, when the survivor took it over).
    merged_before: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    # The ids of every row moved to the survivor, per table.
    moved: dict[str, list[Any]] = Field(default_factory=dict, sa_type=sa.JSON)
    merged_by: str = Field(max_length=200)
    merged_at: datetime = timestamp_field()
    unmerged_by: str | None = Field(default=None, max_length=200)
    unmerged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = 1
    updated_at: datetime = timestamp_field()


# The Core table behind the model, derived once: queries import it.
merge_t = table_of(PersonMerge)

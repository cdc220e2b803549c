"""Model bases: each service gets its own metadata, so three services never share a schema."""

from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
import uuid_utils
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from shared.db import UTCDateTime, utcnow

# Named constraints make migrations reproducible and error messages mappable.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_registry() -> registry:
    return registry(metadata=sa.MetaData(naming_convention=NAMING_CONVENTION))


def new_id() -> UUID:
    """Time-ordered ids keep inserts at the right edge of the primary key index. (Built from
    the integer: a third cheaper than uuid_utils.compat's conversion, for bulk imports.)"""
    return UUID(int=uuid_utils.uuid7().int)


def new_record_values(created_by: str, now: datetime | None = None) -> dict[str, object]:
    """Column values every tracked record starts with (Core inserts do not run model defaults).
    `now` lets a bulk write stamp its records with one instant."""
    now = now or utcnow()
    return {
        "id": new_id(),
        "version": 1,
        "created_by": created_by,
        "created_at": now,
        "updated_at": now,
        "archived_at": None,
    }


def timestamp_field(**kwargs: Any) -> Any:
    """A timezone-aware UTC timestamp column defaulting to now."""
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, **kwargs)


class TrackedColumns(SQLModel):
    """Who made a record and when, and the version that If-Match checks: the columns of
    every record a client changes. Each service's `Tracked` base puts them on its own
    metadata (`class Tracked(TrackedColumns, CasesModel)`)."""

    id: UUID = Field(default_factory=new_id, primary_key=True)
    version: int = Field(default=1, nullable=False)
    created_by: str = Field(max_length=200)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


def table_of(model: type[SQLModel]) -> sa.Table:
    """The Core table behind a model, typed (SQLModel does not declare `__table__`)."""
    return model.metadata.tables[str(model.__tablename__)]

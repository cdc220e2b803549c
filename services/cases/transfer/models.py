"""A request to move a person to a ward of another province, and its answer."""

from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import Field

from services.cases.models import CasesModel
from shared.db import UTCDateTime
from shared.models import new_id, table_of, timestamp_field

PENDING = sa.text("status = 'pending'")


class PersonTransfer(CasesModel, table=True):
    __tablename__ = "person_transfer"
    # One open request per person, kept by the database against concurrent requests.
    __table_args__ = (
        sa.Index(
            "uq_person_transfer_pending",
            "person_id",
            unique=True,
            postgresql_where=PENDING,
            sqlite_where=PENDING,
        ),
    )

    id: UUID = Field(default_factory=new_id, primary_key=True)
    person_id: UUID = Field(foreign_key="person.id", index=True)
    from_province_code: str = Field(max_length=2, index=True)
    from_ward_code: str = Field(max_length=5)
    to_province_code: str = Field(max_length=2, index=True)
    to_ward_code: str = Field(max_length=5)
    to_legacy_ward_code: str | None = Field(default=None, max_length=5)
    reason: str = Field(max_length=1000)
    status: str = Field(default="pending", max_length=20, index=True)
    requested_by: str = Field(max_length=200)
    requested_at: datetime = timestamp_field()
    decided_by: str | None = Field(default=None, max_length=200)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decision_note: str | None = Field(default=None, max_length=1000)
    version: int = 1
    updated_at: datetime = timestamp_field()
    # Set when accepted: the sending side's sync learns the person left its scope.
    change_seq: int | None = Field(default=None, sa_type=sa.BigInteger, index=True)


# The Core tables behind the models, derived once: queries import these.
transfer_t = table_of(PersonTransfer)

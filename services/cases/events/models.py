"""Events for integrators: what happened to a case, its referrals and its consents, written
in the transaction of the change itself (a transactional outbox)."""

from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import Field

from services.cases.models import CasesModel
from shared.models import new_id, table_of, timestamp_field


class IntegrationEvent(CasesModel, table=True):
    __tablename__ = "integration_event"
    # A record's events are numbered 1, 2, 3...: its changes hold its row, so two cannot
    # take one number, and the constraint says so should that ever break.
    __table_args__ = (sa.UniqueConstraint("record_id", "record_seq"),)

    # The feed's cursor: taken from the change counter, in commit order (shared.changes).
    seq: int = Field(
        sa_type=sa.BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    id: UUID = Field(default_factory=new_id, unique=True)
    type: str = Field(max_length=40, index=True)
    case_id: UUID = Field(foreign_key="case_file.id", index=True)
    record_type: str = Field(max_length=20)
    record_id: UUID
    record_seq: int
    occurred_at: datetime = timestamp_field()
    data: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)


# The Core table behind the model, derived once: queries import this.
event_t = table_of(IntegrationEvent)

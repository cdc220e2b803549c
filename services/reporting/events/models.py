"""Events for integrators: a report submitted, accepted or returned, written in the
transaction of the change itself (a transactional outbox)."""

from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import Field

from services.reporting.models import ReportingModel
from shared.models import new_id, table_of, timestamp_field


class IntegrationEvent(ReportingModel, table=True):
    __tablename__ = "integration_event"
    # A report's events are numbered 1, 2, 3...: its changes hold its row, so two cannot
    # take one number, and the constraint says so should that ever break.
    __table_args__ = (sa.UniqueConstraint("report_id", "report_seq"),)

    # The feed's cursor: taken from the change counter, in commit order (shared.changes).
    seq: int = Field(
        sa_type=sa.BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    id: UUID = Field(default_factory=new_id, unique=True)
    type: str = Field(max_length=40, index=True)
    report_id: UUID = Field(foreign_key="report.id", index=True)
    report_seq: int
    # What the feed's scope reads (services.reporting.access.event_scope), as they were
    # when the event happened: an event is in a caller's scope for good, or never.
    province_code: str = Field(max_length=2, index=True)
    status: str = Field(max_length=10)
    previous_status: str = Field(max_length=10)
    occurred_at: datetime = timestamp_field()
    data: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)


# The Core table behind the model, derived once: queries import this.
event_t = table_of(IntegrationEvent)

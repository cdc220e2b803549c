"""Supervision checks of a worker or a facility."""

from datetime import date
from uuid import UUID

from sqlmodel import Field

from services.workforce.common import Tracked
from shared.models import table_of


class Supervision(Tracked, table=True):
    __tablename__ = "supervision"

    worker_id: UUID | None = Field(default=None, foreign_key="worker.id", index=True)
    facility_id: UUID | None = Field(default=None, foreign_key="facility.id", index=True)
    checked_on: date
    finding: str = Field(max_length=20)
    notes: str | None = Field(default=None, max_length=2000)
    follow_up: str | None = Field(default=None, max_length=1000)
    follow_up_due: date | None = None
    province_code: str = Field(max_length=2, index=True)


# The Core tables behind the models, derived once: queries import these.
supervision_t = table_of(Supervision)

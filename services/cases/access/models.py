"""The access log: who read which person's or case's record, when, and why."""

from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import Field

from services.cases.models import CasesModel
from shared.db import UTCDateTime, utcnow
from shared.history import BigId
from shared.models import table_of


class AccessLog(CasesModel, table=True):
    __tablename__ = "access_log"

    id: int | None = Field(default=None, sa_type=BigId, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    actor: str = Field(max_length=200)
    actor_roles: str = Field(max_length=200)
    person_id: UUID
    case_id: UUID | None = None
    record_type: str = Field(max_length=30)
    sensitive: bool
    purpose: str | None = Field(default=None, max_length=300)
    request_id: str | None = Field(default=None, max_length=64)

    __table_args__ = (sa.Index("ix_access_log_person_at", "person_id", "at"),)


# The Core tables behind the models, derived once: queries import these.
access_log_t = table_of(AccessLog)

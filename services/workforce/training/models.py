"""Training courses and participations."""

from datetime import date
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import Field

from services.workforce.common import Tracked
from shared.models import table_of


class Course(Tracked, table=True):
    __tablename__ = "course"

    code: str | None = Field(default=None, max_length=40, unique=True)
    kind: str = Field(max_length=30, index=True)
    topic: str = Field(max_length=300)
    organiser: str = Field(max_length=300)
    start_date: date = Field(index=True)
    end_date: date
    funding_source: str | None = Field(default=None, max_length=30)
    funder_name: str | None = Field(default=None, max_length=300)
    province_code: str = Field(max_length=2, index=True)


class Participation(Tracked, table=True):
    __tablename__ = "participation"
    __table_args__ = (sa.UniqueConstraint("course_id", "worker_id"),)

    course_id: UUID = Field(foreign_key="course.id", index=True)
    worker_id: UUID = Field(foreign_key="worker.id", index=True)
    completed: bool = False
    completed_on: date | None = None
    certificate_no: str | None = Field(default=None, max_length=60)


# The Core tables behind the models, derived once: queries import these.
course_t = table_of(Course)
participation_t = table_of(Participation)

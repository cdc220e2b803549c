"""What clients send and receive for supervision checks."""

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.workforce.reference.codes import Finding
from shared.dates import Day
from shared.pagination import ListOf


class SupervisionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    worker_id: UUID | None = None
    facility_id: UUID | None = None
    checked_on: Day
    finding: Finding
    notes: str | None = Field(default=None, max_length=2000)
    follow_up: str | None = Field(default=None, max_length=1000)
    follow_up_due: Day | None = None

    @model_validator(mode="after")
    def _has_subject(self) -> "SupervisionCreate":
        if self.worker_id is None and self.facility_id is None:
            raise ValueError("name the worker_id or the facility_id checked")
        return self


class SupervisionRead(SupervisionCreate):
    model_config = ConfigDict(extra="ignore")

    id: UUID
    province_code: str


class SupervisionList(ListOf[SupervisionRead]):
    pass

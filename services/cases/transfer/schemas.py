"""What clients send and receive for transfers."""

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from services.cases.reference.codes import Sex
from services.cases.validation import (
    CategoryCode,
    LegacyWardCode,
    WardCode,
    check_legacy_ward,
    check_ward,
)

TransferStatus = Literal["pending", "accepted", "declined", "cancelled"]


class TransferCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ward_code: Annotated[WardCode, AfterValidator(check_ward)] = Field(
        description="Where the person now lives: a 2025 ward of another province"
    )
    legacy_ward_code: Annotated[LegacyWardCode | None, AfterValidator(check_legacy_ward)] = None
    reason: str = Field(min_length=1, max_length=1000)


class TransferStep(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["accepted", "declined", "cancelled"] = Field(
        description="accepted or declined by the receiving province; cancelled by the sender"
    )
    note: str | None = Field(default=None, max_length=1000)


class TransferPerson(BaseModel):
    """Enough to recognise the person; nothing sensitive."""

    full_name: str
    sex: Sex
    birth_date: date | None
    national_id: str | None
    categories: list[CategoryCode] = Field(description="Non-sensitive categories")


class TransferRead(BaseModel):
    id: UUID
    person_id: UUID
    person: TransferPerson
    from_province_code: str
    from_ward_code: str
    to_province_code: str
    to_ward_code: str
    to_legacy_ward_code: str | None
    reason: str
    status: TransferStatus
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    version: int


class TransferList(BaseModel):
    items: list[TransferRead]

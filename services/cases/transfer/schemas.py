"""What clients send and receive for transfers."""

from datetime import date, datetime
from typing import Annotated
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
from shared.labels import LabelledEnum, labelled
from shared.pagination import ListOf


class TransferStatus(LabelledEnum):
    """Pending until the receiving province answers or the sending one cancels."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"


TRANSFER_STATUSES = labelled(
    TransferStatus,
    (TransferStatus.PENDING, "Chờ tỉnh nhận trả lời", "Pending"),
    (TransferStatus.ACCEPTED, "Tỉnh nhận đã tiếp nhận", "Accepted"),
    (TransferStatus.DECLINED, "Tỉnh nhận từ chối", "Declined"),
    (TransferStatus.CANCELLED, "Tỉnh chuyển đã hủy", "Cancelled"),
)


class TransferStepStatus(LabelledEnum):
    """The answer to a pending transfer."""

    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"


TRANSFER_STEP_STATUSES = labelled(
    TransferStepStatus,
    *(
        (c.code, c.label_vi, c.label_en)
        for c in TRANSFER_STATUSES.values()
        if c.code != TransferStatus.PENDING
    ),
)


class TransferCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ward_code: Annotated[WardCode, AfterValidator(check_ward)] = Field(
        description="Where the person now lives: a 2025 ward of another province"
    )
    legacy_ward_code: Annotated[LegacyWardCode | None, AfterValidator(check_legacy_ward)] = None
    reason: str = Field(min_length=1, max_length=1000)


class TransferStep(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: TransferStepStatus = Field(
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


class TransferList(ListOf[TransferRead]):
    pass

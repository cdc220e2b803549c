"""What clients send and receive for queued conflicts."""

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.errors import FieldConflict
from shared.labels import LabelledEnum, labelled
from shared.pagination import ListOf


class ConflictStatus(LabelledEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"
    # Resolving it met yet another change: a new conflict took its place.
    SUPERSEDED = "superseded"


CONFLICT_STATUSES = labelled(
    ConflictStatus,
    (ConflictStatus.OPEN, "Chờ xử lý", "Waiting for you"),
    (ConflictStatus.RESOLVED, "Đã xử lý", "Resolved"),
    (ConflictStatus.DISMISSED, "Đã bỏ, giữ giá trị hiện có", "Dismissed, the record kept"),
    (ConflictStatus.SUPERSEDED, "Được thay bằng xung đột mới", "Replaced by a newer conflict"),
)


class ConflictRecordType(LabelledEnum):
    """The kinds of record an offline edit merges into."""

    PERSON = "person"
    CASE = "case"


CONFLICT_RECORD_TYPES = labelled(
    ConflictRecordType,
    (ConflictRecordType.PERSON, "Người được hỗ trợ", "Person"),
    (ConflictRecordType.CASE, "Hồ sơ trường hợp", "Case"),
)


class ConflictRead(BaseModel):
    id: UUID
    record_type: ConflictRecordType
    record_id: UUID
    status: ConflictStatus
    raised_at: datetime
    base_version: int = Field(description="The version your change was made on")
    record_version: int = Field(description="The record's version when the conflict was found")
    change: dict[str, Any] = Field(description="Your change as you sent it, minus `withheld`")
    withheld: list[str] = Field(
        description="Sensitive fields of your change not kept here: send them again to resolve"
    )
    conflicts: list[FieldConflict]
    closed_at: datetime | None
    resolved_version: int | None = Field(description="The record's version your resolution made")


class ConflictList(ListOf[ConflictRead]):
    pass


class ConflictResolution(BaseModel):
    """The value to keep for each conflicting field (yours, theirs, or text merged from both),
    and any withheld field; with the rest of your change they apply to the record as it is
    now. A list field (caregivers) takes the whole list."""

    model_config = ConfigDict(extra="forbid")

    values: dict[str, Any] = Field(max_length=40)

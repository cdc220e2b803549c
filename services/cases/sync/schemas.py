"""What a phone sends as a batch of queued changes, and what each item gets back."""

from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from shared.errors import ProblemDetails
from shared.labels import LabelledEnum, labelled

MAX_ITEMS = 100


class BatchOperation(LabelledEnum):
    CREATE_PERSON = "create_person"
    UPDATE_PERSON = "update_person"
    CREATE_CASE = "create_case"
    UPDATE_CASE = "update_case"
    ADD_SERVICE = "add_service"
    ADD_FOLLOW_UP = "add_follow_up"
    ADD_NOTE = "add_note"


BATCH_OPERATIONS = labelled(
    BatchOperation,
    (BatchOperation.CREATE_PERSON, "Đăng ký người được hỗ trợ", "Register a person"),
    (BatchOperation.UPDATE_PERSON, "Cập nhật thông tin người được hỗ trợ", "Change a person"),
    (BatchOperation.CREATE_CASE, "Mở hồ sơ trường hợp", "Open a case"),
    (BatchOperation.UPDATE_CASE, "Cập nhật hồ sơ trường hợp", "Change a case"),
    (BatchOperation.ADD_SERVICE, "Ghi nhận dịch vụ đã cung cấp", "Record a service delivered"),
    (BatchOperation.ADD_FOLLOW_UP, "Thêm lịch theo dõi, rà soát", "Add a follow-up"),
    (BatchOperation.ADD_NOTE, "Thêm ghi chép", "Add a note"),
)


class BatchOutcome(LabelledEnum):
    APPLIED = "applied"
    MERGED = "merged"
    CONFLICT = "conflict"
    REFUSED = "refused"


BATCH_OUTCOMES = labelled(
    BatchOutcome,
    (BatchOutcome.APPLIED, "Đã ghi", "Applied"),
    (
        BatchOutcome.MERGED,
        "Đã ghi, ghép với thay đổi của người khác",
        "Merged with others' changes",
    ),
    (BatchOutcome.CONFLICT, "Xung đột, chờ xử lý", "Conflict, queued for you"),
    (BatchOutcome.REFUSED, "Bị từ chối", "Refused"),
)


class BatchItem(BaseModel):
    """One queued change, as the single operation `op` names would take it: `body` is that
    operation's body; `record_id` the person or case it changes, or the case it adds to."""

    model_config = ConfigDict(extra="forbid")

    ref: str = Field(min_length=1, max_length=64, description="The phone's name for this item")
    op: BatchOperation
    record_id: UUID | None = Field(
        default=None, description="update_*: the record; add_*: the case; create_*: none"
    )
    if_match: str | None = Field(
        default=None, max_length=200, description="update_*: the ETag the change was made on"
    )
    allow_duplicate: StrictBool = Field(default=False, description="create_person only")
    body: dict[str, Any] = Field(max_length=60)


class SyncBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[BatchItem] = Field(min_length=1, max_length=MAX_ITEMS)


class BatchItemResult(BaseModel):
    ref: str
    op: BatchOperation
    outcome: BatchOutcome
    status: int = Field(description="What the single operation would have answered")
    id: UUID | None = Field(default=None, description="The record made or changed")
    etag: str | None = Field(default=None, description="The person's or case's ETag now")
    problem: ProblemDetails | None = Field(
        default=None, description="conflict and refused: the problem, with its code"
    )


class SyncBatchResult(BaseModel):
    items: list[BatchItemResult]

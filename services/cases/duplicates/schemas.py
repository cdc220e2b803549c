"""What clients send and receive for likely duplicate people."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool

from services.cases.duplicates.matching import DuplicateReason
from services.cases.reference.codes import Sex
from services.cases.validation import CategoryCode, PastDate, WardCode, check_ward
from shared.labels import LabelledEnum, labelled
from shared.pagination import ListOf, Page
from shared.values import FullName, NationalId, Phone

MAX_CHECK_ROWS = 500
MAX_MATCHES_PER_ROW = 20


class DuplicateStatus(LabelledEnum):
    """Open until a province officer says the two are different people, or merges them."""

    OPEN = "open"
    NOT_DUPLICATE = "not_duplicate"
    MERGED = "merged"
    OUTDATED = "outdated"


DUPLICATE_STATUSES = labelled(
    DuplicateStatus,
    (DuplicateStatus.OPEN, "Chờ xem xét", "Awaiting review"),
    (DuplicateStatus.NOT_DUPLICATE, "Không phải cùng một người", "Not the same person"),
    (DuplicateStatus.MERGED, "Đã hợp nhất hồ sơ", "Merged"),
    (
        DuplicateStatus.OUTDATED,
        "Không còn giống nhau (hồ sơ đã sửa hoặc lưu trữ)",
        "No longer alike (a record was changed or archived)",
    ),
)


class ReasonRead(BaseModel):
    code: DuplicateReason
    label_vi: str
    label_en: str


class DuplicatePersonBrief(BaseModel):
    """Enough to tell the two apart in a list; nothing sensitive."""

    id: UUID
    full_name: str
    sex: Sex
    birth_date: date | None
    birth_date_estimated: bool
    ward_code: str


class DuplicateCaregiver(BaseModel):
    full_name: str
    relationship: str
    phone: str | None


class DuplicatePerson(DuplicatePersonBrief):
    """One side of a pair, as the reviewer compares it; nothing sensitive."""

    national_id: str | None
    phone: str | None
    legacy_ward_code: str | None
    address_line: str | None
    caregivers: list[DuplicateCaregiver]
    categories: list[CategoryCode] = Field(description="Non-sensitive categories")
    archived: bool
    created_by: str
    created_at: datetime


class DuplicateFields(BaseModel):
    id: UUID
    province_code: str
    score: int = Field(ge=0, le=100)
    reasons: list[ReasonRead]
    status: DuplicateStatus
    found_at: datetime
    updated_at: datetime
    reviewed_by: str | None
    reviewed_at: datetime | None
    review_note: str | None
    version: int


class DuplicateSummary(DuplicateFields):
    person_a: DuplicatePersonBrief
    person_b: DuplicatePersonBrief


class DuplicateRead(DuplicateFields):
    person_a: DuplicatePerson
    person_b: DuplicatePerson


DuplicatePage = Page[DuplicateSummary]


class DuplicateDismissal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(
        default=None, max_length=1000, description="How the reviewer knows they are two people"
    )


class DuplicateScanResult(BaseModel):
    """What one scan of a province did. Pairs a reviewer decided are never reopened."""

    province_code: str
    pairs_examined: int = Field(description="Pairs compared inside the blocks")
    found: int = Field(description="Pairs that look like one person")
    created: int = Field(description="Pairs new to the queue")
    updated: int = Field(description="Open pairs whose score or reasons changed")
    reopened: int = Field(description="Outdated pairs that look alike again")
    unchanged: int
    kept_reviewed: int = Field(description="Pairs found again that a reviewer had decided")
    outdated: int = Field(description="Open pairs that no longer look alike")


class CheckCaregiver(BaseModel):
    model_config = ConfigDict(extra="forbid")

    full_name: FullName
    relationship: str | None = Field(default=None, max_length=60)
    phone: Phone | None = None


class DuplicateCheckRow(BaseModel):
    """A would-be person, as a bulk import would register them."""

    model_config = ConfigDict(extra="forbid")

    full_name: FullName
    sex: Sex | None = None
    birth_date: PastDate | None = None
    birth_date_estimated: StrictBool = False
    ward_code: Annotated[WardCode, AfterValidator(check_ward)]
    national_id: NationalId | None = None
    phone: Phone | None = None
    caregivers: list[CheckCaregiver] = Field(default_factory=list, max_length=10)


class DuplicateCheck(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rows: list[DuplicateCheckRow] = Field(min_length=1, max_length=MAX_CHECK_ROWS)


class DuplicateMatch(BaseModel):
    person: DuplicatePersonBrief
    score: int = Field(ge=0, le=100)
    reasons: list[ReasonRead]


class DuplicateRowMatch(BaseModel):
    row: int = Field(description="Index of the other row in this request")
    score: int = Field(ge=0, le=100)
    reasons: list[ReasonRead]


class DuplicateCheckItem(BaseModel):
    row: int = Field(description="Index of the row in the request")
    matches: list[DuplicateMatch] = Field(
        description=f"People in your scope it looks like, highest score first (at most "
        f"{MAX_MATCHES_PER_ROW})"
    )
    other_rows: list[DuplicateRowMatch] = Field(
        description="Other rows of this request that look like the same person"
    )


class DuplicateCheckResult(ListOf[DuplicateCheckItem]):
    pass

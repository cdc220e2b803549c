"""What clients of the changes feed receive."""

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from services.cases.case.schemas import CaseSummary
from services.cases.person.schemas import PersonSummary


class Change(BaseModel):
    type: Literal["person", "case", "left_scope"]
    change_seq: int
    archived: bool
    person: PersonSummary | None = None
    case: CaseSummary | None = None
    person_id: UUID | None = Field(
        default=None, description="left_scope: drop this person and their cases"
    )


class ChangesPage(BaseModel):
    items: list[Change]
    next_since: str = Field(description="Pass as `since` next time")
    has_more: bool

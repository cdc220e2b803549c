"""What clients of the changes feed receive."""

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from services.cases.case.schemas import CaseSummary
from services.cases.casework.schemas import ReferralRead
from services.cases.person.schemas import PersonSummary

ChangeType = Literal["person", "case", "left_scope", "referral", "left_caseload"]
# What `GET /changes` syncs: the caller's whole unit, or only the cases assigned to it.
SyncScope = Literal["unit", "caseload"]


class Change(BaseModel):
    type: ChangeType = Field(
        description="person, case, left_scope (scope=unit); person, case, referral, "
        "left_caseload (scope=caseload)"
    )
    change_seq: int
    archived: bool
    person: PersonSummary | None = None
    case: CaseSummary | None = None
    referral: ReferralRead | None = None
    person_id: UUID | None = Field(
        default=None,
        description="left_scope: drop this person and their cases. left_caseload: drop this "
        "person too (none of your cases holds them any more); null when one still does",
    )
    case_id: UUID | None = Field(
        default=None, description="left_caseload: drop this case and its referrals"
    )


class ChangesPage(BaseModel):
    items: list[Change]
    next_since: str = Field(description="Pass as `since` next time")
    has_more: bool

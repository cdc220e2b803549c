"""What the cases /stats endpoints answer, and reporting reads. Counts are distinct people."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from contracts.categories import CategoryCode
from shared.stats import Keyed


class Count(Keyed):
    count: int


class CountTable(BaseModel):
    dimension: str
    served_only: bool
    date_from: date
    date_to: date
    province_code: str | None
    items: list[Count]
    total: int
    sensitive_counted: bool = Field(
        description="Whether sensitive categories were counted (sensitive:read and a purpose)"
    )


class PeopleSupported(CountTable):
    by_ward: list[Count]
    by_former_district: list[Count]
    unmarked_in_shared_wards: int = Field(
        description="People in wards two legacy provinces share who carry no legacy commune "
        "(with legacy_province), counted or not as shared_wards says"
    )


class ChildCounts(BaseModel):
    children: int
    served_any: int
    served_socialised: int


class PriorityGroup(ChildCounts):
    category: CategoryCode | Literal["all"] = Field(description='"all" in all_groups')
    label_vi: str
    label_en: str


class KeyedChildCounts(Keyed, ChildCounts):
    pass


class PriorityChildren(BaseModel):
    date_from: date
    date_to: date
    province_code: str | None
    groups: list[PriorityGroup]
    all_groups: PriorityGroup = Field(description="Distinct children across the six groups")
    by_ward: list[KeyedChildCounts]
    by_former_district: list[KeyedChildCounts]
    unmarked_in_shared_wards: int
    sensitive_counted: bool = Field(
        description="Whether sensitive groups (child_with_hiv) were counted; when not, they "
        "are left out and all_groups counts the other five"
    )


class ReferralCounts(BaseModel):
    made: int = Field(description="Referrals made in the window (the cohort the others count)")
    accepted: int = Field(description="Of those, accepted by the receiving facility")
    responded_on_time: int = Field(
        description="Of those, accepted or rejected by their respond_by deadline"
    )
    overdue: int = Field(
        description="Of those, the ones that missed a deadline: answered after respond_by, "
        "first contacted after first_contact_by, or still waiting past either at as_of"
    )


class KeyedReferralCounts(Keyed, ReferralCounts):
    pass


class ReferralStats(BaseModel):
    """Counts of referrals, not people: a person referred twice counts twice. Referrals made
    before deadlines were kept count in `made` and `accepted` only."""

    date_from: date
    date_to: date
    province_code: str | None
    as_of: datetime = Field(description="When the referrals still waiting were judged overdue")
    totals: ReferralCounts
    by_ward: list[KeyedReferralCounts]
    by_former_district: list[KeyedReferralCounts]


# The answers reporting reads, by path under /api/v1 of the cases service.
PRIORITY_CHILDREN = "/stats/priority-children"
PEOPLE_SUPPORTED = "/stats/people-supported"
REFERRALS = "/stats/referrals"
READ_BY_REPORTING: dict[str, type[BaseModel]] = {
    PRIORITY_CHILDREN: PriorityChildren,
    PEOPLE_SUPPORTED: PeopleSupported,
    REFERRALS: ReferralStats,
}

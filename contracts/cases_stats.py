"""What the cases /stats endpoints answer, and reporting reads. Counts are distinct people."""

from datetime import date
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


# The answers reporting reads, by path under /api/v1 of the cases service.
PRIORITY_CHILDREN = "/stats/priority-children"
PEOPLE_SUPPORTED = "/stats/people-supported"
READ_BY_REPORTING: dict[str, type[BaseModel]] = {
    PRIORITY_CHILDREN: PriorityChildren,
    PEOPLE_SUPPORTED: PeopleSupported,
}

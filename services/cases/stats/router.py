"""HTTP for aggregates: /api/v1/stats/... for the reporting service, officers and the ministry.

Counts are distinct people. The ministry's answers leave the province, so small counts are
withheld (see shared.suppression); the reporting service applies the same rule to what it
sends out.
"""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from services.cases.reference.codes import CATEGORIES, FUNDING_SOURCES, SERVICE_TYPES
from services.cases.stats.queries import Dimension, Window, count_people, priority_children
from shared.auth import Principal
from shared.db import SessionDep
from shared.errors import problem_responses
from shared.stats import DateWindowDep, StatsCaller, UnitScopeDep, leaves_province
from shared.suppression import suppress_table

router = APIRouter(prefix="/stats", tags=["stats"])
_LABELS = {**CATEGORIES, **SERVICE_TYPES, **FUNDING_SOURCES}


async def window_of(units: UnitScopeDep, dates: DateWindowDep) -> Window:
    return Window(dates.start, dates.end, units.province_code, units.ward_codes)


WindowDep = Annotated[Window, Depends(window_of)]


class Count(BaseModel):
    key: str
    label_vi: str | None = None
    label_en: str | None = None
    count: int | None = Field(description="Null when withheld as a small count")


class CountTable(BaseModel):
    dimension: str
    served_only: bool
    date_from: date
    date_to: date
    province_code: str | None
    items: list[Count]
    total: int | None
    suppressed: bool = Field(description="True when any number here was withheld")


class PriorityGroup(BaseModel):
    category: str
    label_vi: str
    label_en: str
    children: int | None
    served_any: int | None
    served_socialised: int | None


class PriorityChildren(BaseModel):
    date_from: date
    date_to: date
    province_code: str | None
    groups: list[PriorityGroup]
    all_groups: PriorityGroup = Field(description="Distinct children across the six groups")
    suppressed: bool


def _withhold(principal: Principal, values: dict[str, int], total: int | None = None):
    if leaves_province(principal):
        return suppress_table(values, total)
    return dict(values), total


@router.get("/priority-children", responses=problem_responses(403))
async def get_priority_children(
    session: SessionDep, principal: StatsCaller, window: WindowDep
) -> PriorityChildren:
    """Children in each of the six groups of target #5, and how many were served in the
    window: by any source and from socialised resources."""
    raw = await priority_children(session, window)
    groups, suppressed = [], False
    for code, numbers in raw.items():
        shown, _ = _withhold(principal, dict(zip(("c", "a", "s"), numbers, strict=True)))
        suppressed |= None in shown.values()
        label = CATEGORIES.get(code)
        groups.append(
            PriorityGroup(
                category=code,
                label_vi=label.label_vi if label else "Tất cả sáu nhóm",
                label_en=label.label_en if label else "All six groups",
                children=shown["c"],
                served_any=shown["a"],
                served_socialised=shown["s"],
            )
        )
    return PriorityChildren(
        date_from=window.start,
        date_to=window.end,
        province_code=window.province_code,
        groups=groups[:-1],
        all_groups=groups[-1],
        suppressed=suppressed,
    )


@router.get("/people", responses=problem_responses(403))
async def count_people_by(
    session: SessionDep,
    principal: StatsCaller,
    window: WindowDep,
    group_by: Dimension = "category",
    served_only: Annotated[bool, Query(description="Only people served in the window")] = False,
) -> CountTable:
    """Distinct people by a dimension; service_type and funding_source count people served
    in the window (a person served twice counts once per group)."""
    counts, total = await count_people(session, window, group_by, served_only=served_only)
    shown, shown_total = _withhold(principal, counts, total)
    items = [
        Count(
            key=k,
            label_vi=getattr(_LABELS.get(k), "label_vi", None),
            label_en=getattr(_LABELS.get(k), "label_en", None),
            count=v,
        )
        for k, v in sorted(shown.items())
    ]
    return CountTable(
        dimension=group_by,
        served_only=served_only,
        date_from=window.start,
        date_to=window.end,
        province_code=window.province_code,
        items=items,
        total=shown_total,
        suppressed=shown_total != total or None in shown.values(),
    )


@router.get("/people-supported", responses=problem_responses(403))
async def count_people_supported(
    session: SessionDep, principal: StatsCaller, window: WindowDep
) -> CountTable:
    """People in difficult circumstances counselled or supported in the window (target #4):
    distinct people with at least one service, by service type."""
    return await count_people_by(session, principal, window, "service_type", True)

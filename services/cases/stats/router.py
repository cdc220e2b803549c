"""HTTP for aggregates: /api/v1/stats/... for the reporting service, officers and the ministry.

Counts are distinct people. The ministry's answers leave the province, so small counts are
withheld (see shared.suppression); the reporting service applies the same rule to what it
sends out.
"""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from services.cases.reference.codes import CATEGORIES, FUNDING_SOURCES, SERVICE_TYPES
from services.cases.stats.queries import (
    Dimension,
    Window,
    count_people,
    people_supported,
    priority_children,
    unmarked_in_shared_wards,
)
from shared.db import SessionDep
from shared.errors import problem_responses
from shared.stats import (
    DateWindowDep,
    Keyed,
    StatsCaller,
    UnitScopeDep,
    place_label,
    withhold_breakdown,
)

router = APIRouter(prefix="/stats", tags=["stats"])
STATS_PROBLEMS = problem_responses(403, 422)
_LABELS = {**CATEGORIES, **SERVICE_TYPES, **FUNDING_SOURCES}


async def window_of(scope: UnitScopeDep, dates: DateWindowDep) -> Window:
    return Window(dates.start, dates.end, scope)


WindowDep = Annotated[Window, Depends(window_of)]


class Count(Keyed):
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


class PeopleSupported(CountTable):
    by_ward: list[Count]
    by_former_district: list[Count]
    unmarked_in_shared_wards: int = Field(
        description="People in wards two legacy provinces share who carry no legacy commune "
        "(with legacy_province), counted or not as shared_wards says"
    )


class ChildCounts(BaseModel):
    children: int | None
    served_any: int | None
    served_socialised: int | None


class PriorityGroup(ChildCounts):
    category: str
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
    suppressed: bool


def _labels(dimension: str, key: str) -> tuple[str | None, str | None]:
    if dimension in ("ward", "former_district"):
        return place_label(dimension, key)
    code = _LABELS.get(key)
    return (code.label_vi, code.label_en) if code else (None, None)


def _keyed(dimension: str, cells: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"key": key, "label_vi": vi, "label_en": en, **measures}
        for key, measures in sorted(cells.items())
        for vi, en in [_labels(dimension, key)]
    ]


@router.get("/priority-children", responses=STATS_PROBLEMS)
async def get_priority_children(
    session: SessionDep, principal: StatsCaller, window: WindowDep
) -> PriorityChildren:
    """Children in each of the six groups of target #5, and how many were served in the
    window: by any source and from socialised resources; also by ward and former district."""
    totals, by = await priority_children(session, window)
    by["category"] = {
        code: by["category"].get(code, {"children": 0, "served_any": 0, "served_socialised": 0})
        for code in CATEGORIES
        if CATEGORIES[code].priority_child
    }
    shown_totals, shown, hidden = withhold_breakdown(principal, totals, by)
    groups = [
        PriorityGroup(
            category=code, label_vi=c.label_vi, label_en=c.label_en, **shown["category"][code]
        )
        for code, c in CATEGORIES.items()
        if c.priority_child
    ]
    everyone = PriorityGroup(
        category="all", label_vi="Tất cả sáu nhóm", label_en="All six groups", **shown_totals
    )
    return PriorityChildren.model_validate(
        {
            "date_from": window.start,
            "date_to": window.end,
            "province_code": window.province_code,
            "groups": groups,
            "all_groups": everyone,
            "by_ward": _keyed("ward", shown.get("ward", {})),
            "by_former_district": _keyed("former_district", shown.get("former_district", {})),
            "unmarked_in_shared_wards": await unmarked_in_shared_wards(session, window),
            "suppressed": hidden,
        }
    )


def _count_items(dimension: str, counts: dict[str, int | None]) -> list[Count]:
    return [
        Count(key=k, label_vi=vi, label_en=en, count=v)
        for k, v in sorted(counts.items())
        for vi, en in [_labels(dimension, k)]
    ]


@router.get("/people", responses=STATS_PROBLEMS)
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
    cells: dict[str, dict[str, dict[str, int]]] = {
        group_by: {k: {"people": v} for k, v in counts.items()}
    }
    shown_total, shown, hidden = withhold_breakdown(principal, {"people": total}, cells)
    return CountTable(
        dimension=group_by,
        served_only=served_only,
        date_from=window.start,
        date_to=window.end,
        province_code=window.province_code,
        items=_count_items(group_by, {k: v["people"] for k, v in shown[group_by].items()}),
        total=shown_total["people"],
        suppressed=hidden,
    )


@router.get("/people-supported", responses=STATS_PROBLEMS)
async def count_people_supported(
    session: SessionDep, principal: StatsCaller, window: WindowDep
) -> PeopleSupported:
    """People in difficult circumstances counselled or supported in the window (target #4):
    distinct people with at least one service that counts, by service type, ward and former
    district. Services on archived cases, or dated after their case closed, do not count."""
    totals, by = await people_supported(session, window)
    shown_totals, shown, hidden = withhold_breakdown(principal, totals, by)

    def items(dimension: str) -> list[Count]:
        cells = {k: v["people"] for k, v in shown.get(dimension, {}).items()}
        return _count_items(dimension, cells)

    return PeopleSupported(
        dimension="service_type",
        served_only=True,
        date_from=window.start,
        date_to=window.end,
        province_code=window.province_code,
        items=items("service_type"),
        total=shown_totals["people"],
        by_ward=items("ward"),
        by_former_district=items("former_district"),
        unmarked_in_shared_wards=await unmarked_in_shared_wards(session, window),
        suppressed=hidden,
    )

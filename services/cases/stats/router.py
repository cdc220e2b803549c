"""HTTP for aggregates: /api/v1/stats/... for the reporting service and the province's
officers (policy `aggregates`, services.cases.access.policy).

Counts are distinct people. Sensitive categories are counted only for the reporting service
and for officers with sensitive:read who state a purpose; those officers leave an access-log
entry for each person counted in them. For any other officer the numbers are computed as if
those categories did not exist. Nobody outside the province asks: its officers may read the
people counted anyway, so nothing here is withheld, and what leaves the province goes through
reporting's disclosure control.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from contracts.cases_stats import (
    Count,
    CountTable,
    PeopleSupported,
    PriorityChildren,
    PriorityGroup,
    ReferralCounts,
    ReferralStats,
)
from services.cases.access.sensitive import AccessedRecord, AggregateReader
from services.cases.reference.codes import (
    CATEGORIES,
    FUNDING_SOURCES,
    SENSITIVE_CATEGORIES,
    SERVICE_TYPES,
)
from services.cases.stats.queries import (
    Dimension,
    Window,
    count_people,
    people_in,
    people_supported,
    priority_children,
    referral_counts,
    unmarked_in_shared_wards,
)
from shared.db import utcnow
from shared.stats import DateWindowDep, UnitScopeDep, place_label

router = APIRouter(prefix="/stats", tags=["stats"])
_LABELS = {**CATEGORIES, **SERVICE_TYPES, **FUNDING_SOURCES}


async def window_of(scope: UnitScopeDep, dates: DateWindowDep, reader: AggregateReader) -> Window:
    return Window(dates.start, dates.end, scope, reader.hidden_from_counts)


WindowDep = Annotated[Window, Depends(window_of)]


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


@router.get("/priority-children")
async def get_priority_children(reader: AggregateReader, window: WindowDep) -> PriorityChildren:
    """Children in each of the six groups of target #5, and how many were served in the
    window: by any source and from socialised resources; also by ward and former district."""
    session = reader.connection
    totals, by = await priority_children(session, window)
    empty = {"children": 0, "served_any": 0, "served_socialised": 0}
    groups = [code for code, c in CATEGORIES.items() if c.priority_child]
    by["category"] = {c: by["category"].get(c, empty) for c in groups if c not in window.hidden}
    if reader.audits_counts:
        sensitive = frozenset(groups) & SENSITIVE_CATEGORIES
        counted = await people_in(session, window, sensitive, children=True)
        await reader.read(counted, AccessedRecord.STATS, sensitive=True)
    return PriorityChildren.model_validate(
        {
            "date_from": window.start,
            "date_to": window.end,
            "province_code": window.province_code,
            "groups": [
                PriorityGroup(
                    category=code,
                    label_vi=CATEGORIES[code].label_vi,
                    label_en=CATEGORIES[code].label_en,
                    **by["category"][code],
                )
                for code in groups
                if code not in window.hidden
            ],
            "all_groups": PriorityGroup(
                category="all",
                label_vi="Tất cả sáu nhóm",
                label_en="All six groups",
                **totals,
            ),
            "by_ward": _keyed("ward", by.get("ward", {})),
            "by_former_district": _keyed("former_district", by.get("former_district", {})),
            "unmarked_in_shared_wards": await unmarked_in_shared_wards(session, window),
            "sensitive_counted": not window.hidden,
        }
    )


def _count_items(dimension: str, counts: dict[str, int]) -> list[Count]:
    return [
        Count(key=k, label_vi=vi, label_en=en, count=v)
        for k, v in sorted(counts.items())
        for vi, en in [_labels(dimension, k)]
    ]


@router.get("/people")
async def count_people_by(
    reader: AggregateReader,
    window: WindowDep,
    group_by: Dimension = "category",
    served_only: Annotated[bool, Query(description="Only people served in the window")] = False,
) -> CountTable:
    """Distinct people by a dimension; service_type and funding_source count people served
    in the window (a person served twice counts once per group)."""
    counts, total = await count_people(reader.connection, window, group_by, served_only=served_only)
    if group_by == "category" and reader.audits_counts:
        counted = await people_in(reader.connection, window, SENSITIVE_CATEGORIES, children=False)
        await reader.read(counted, AccessedRecord.STATS, sensitive=True)
    return CountTable(
        dimension=group_by,
        served_only=served_only,
        date_from=window.start,
        date_to=window.end,
        province_code=window.province_code,
        items=_count_items(group_by, counts),
        total=total,
        sensitive_counted=not window.hidden,
    )


@router.get("/people-supported")
async def count_people_supported(reader: AggregateReader, window: WindowDep) -> PeopleSupported:
    """People in difficult circumstances counselled or supported in the window (target #4):
    distinct people with at least one service that counts, by service type, ward and former
    district. Services on archived cases, or dated after their case closed, do not count."""
    totals, by = await people_supported(reader.connection, window)

    def items(dimension: str) -> list[Count]:
        cells = {k: v["people"] for k, v in by.get(dimension, {}).items()}
        return _count_items(dimension, cells)

    return PeopleSupported(
        dimension="service_type",
        served_only=True,
        date_from=window.start,
        date_to=window.end,
        province_code=window.province_code,
        items=items("service_type"),
        total=totals["people"],
        by_ward=items("ward"),
        by_former_district=items("former_district"),
        unmarked_in_shared_wards=await unmarked_in_shared_wards(reader.connection, window),
        sensitive_counted=not window.hidden,
    )


@router.get("/referrals")
async def count_referrals(reader: AggregateReader, window: WindowDep) -> ReferralStats:
    """Referrals made in the window, accepted, answered on time and overdue.

    From cases of people in the units: how many were accepted, answered by their deadline,
    and overdue (a deadline missed, or passed unmet now); also by ward and former district.
    Counts of referrals, not of people."""
    now = utcnow()
    totals, by = await referral_counts(reader.connection, window, now)
    return ReferralStats.model_validate(
        {
            "date_from": window.start,
            "date_to": window.end,
            "province_code": window.province_code,
            "as_of": now,
            "totals": ReferralCounts(**totals),
            "by_ward": _keyed("ward", by.get("ward", {})),
            "by_former_district": _keyed("former_district", by.get("former_district", {})),
        }
    )

"""Facility aggregates on a date (targets #1, #3a, #3b, #10), by kind and sector, by number of
CTXH staff, and by the kinds of position they hold."""

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.workforce.facility.models import facility_t
from services.workforce.reference.codes import FacilityKind, WageKind
from services.workforce.stats.staff import (
    STAFF_KINDS,
    active_on,
    facility_in_scope,
    positions_on,
)
from services.workforce.wage.regions import facility_region_on
from services.workforce.wage.service import rate_in_force
from shared.breakdown import Breakdown, Rows, count_if
from shared.stats import UnitScope

STAFF_BUCKETS = ("0", "1", "2", "3+")


def _regions(on: date, scope: UnitScope) -> sa.CTE:
    """Each facility's region that day and the minimum wage it sets, looked up once: a
    common table expression read twice, which PostgreSQL computes once. As a subquery it
    was merged into the join and the lookups ran for every post (19,000 at 50,000 workers,
    200 ms), not every facility."""
    region = facility_region_on(on)
    return (
        sa.select(
            facility_t.c.id,
            region.label("region"),
            rate_in_force(WageKind.REGIONAL_MINIMUM, region, on).label("minimum"),
        )
        .where(*_in_scope_on(on, scope))
        .cte("regions")
    )


def _per_facility(on: date, scope: UnitScope, regions: sa.CTE) -> sa.Subquery:
    """One row per facility with posts that day: distinct staff and volunteers, the kinds
    of staff post held, and whether one staff allowance reaches each wage."""
    held = positions_on(on, scope)
    staff = held.c.is_staff.is_(True)
    base = rate_in_force(WageKind.BASE, 0, on)

    def any_of(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.max(sa.case((condition, 1), else_=0))

    kinds = {
        f"has_{kind}": any_of(sa.and_(staff, held.c.position_kind == kind)) for kind in STAFF_KINDS
    }
    return (
        sa.select(
            held.c.facility_id,
            sa.func.count(sa.distinct(sa.case((staff, held.c.worker_id)))).label("staff"),
            sa.func.count(sa.distinct(sa.case((sa.not_(staff), held.c.worker_id)))).label(
                "volunteers"
            ),
            any_of(sa.and_(staff, held.c.amount_vnd >= base)).label("paid_base"),
            any_of(sa.and_(staff, held.c.amount_vnd >= regions.c.minimum)).label("paid_min"),
            *(value.label(name) for name, value in kinds.items()),
        )
        .select_from(held.join(regions, regions.c.id == held.c.facility_id))
        .group_by(held.c.facility_id)
        .subquery("per_facility")
    )


def _rows(on: date, scope: UnitScope) -> Rows:
    """One row per facility in scope that day, with what the measures count."""
    regions = _regions(on, scope)
    per = _per_facility(on, scope, regions)
    staff = sa.func.coalesce(per.c.staff, 0)
    social = sa.and_(
        facility_t.c.kind == FacilityKind.SOCIAL_ASSISTANCE.value, facility_t.c.in_sector.is_(True)
    )
    return sa.select(
        (facility_t.c.kind + "/" + facility_t.c.sector).label("kind_sector"),
        sa.case((staff >= 3, "3+"), else_=sa.cast(staff, sa.String)).label("staff"),
        staff.label("staff_count"),
        sa.func.coalesce(per.c.volunteers, 0).label("volunteers"),
        sa.func.coalesce(per.c.paid_base, 0).label("paid_base"),
        sa.func.coalesce(per.c.paid_min, 0).label("paid_min"),
        regions.c.region.is_(None).label("unresolved"),
        social.label("social"),
        facility_t.c.provides_services.label("providing"),
        facility_t.c.in_network_plan.label("planned"),
        *(sa.func.coalesce(per.c[f"has_{k}"], 0).label(f"has_{k}") for k in STAFF_KINDS),
    ).select_from(
        facility_t.join(regions, regions.c.id == facility_t.c.id).outerjoin(
            per, per.c.facility_id == facility_t.c.id
        )
    )


def _measures(c: Any) -> dict[str, sa.ColumnElement[Any]]:
    providing, planned = c.providing.is_(True), c.planned.is_(True)
    unresolved = c.unresolved.is_(True)
    measures: dict[str, sa.ColumnElement[Any]] = {
        "facilities": sa.func.count(),
        "with_ctxh_staff": count_if(c.staff_count >= 1),
        "with_two_ctxh_staff": count_if(c.staff_count >= 2),
        "volunteers_only": count_if(sa.and_(c.staff_count == 0, c.volunteers >= 1)),
        "paid_base_wage": count_if(c.paid_base == 1),
        "paid_minimum_wage": count_if(c.paid_min == 1),
        "wage_region_unresolved": count_if(unresolved),
        "sector_social_assistance": count_if(c.social.is_(True)),
        "sector_social_assistance_providing": count_if(sa.and_(c.social.is_(True), providing)),
        "planned": count_if(planned),
        "planned_providing": count_if(sa.and_(planned, providing)),
    }
    for kind in STAFF_KINDS:
        has = c[f"has_{kind}"] == 1
        measures[f"with_{kind}"] = count_if(has)
        measures[f"with_{kind}_paid_base_wage"] = count_if(sa.and_(has, c.paid_base == 1))
        measures[f"with_{kind}_paid_minimum_wage"] = count_if(sa.and_(has, c.paid_min == 1))
        measures[f"with_{kind}_wage_region_unresolved"] = count_if(sa.and_(has, unresolved))
    return measures


@dataclass(frozen=True)
class FacilityNumbers:
    totals: dict[str, int]
    by: dict[str, dict[str, dict[str, int]]]
    unresolved: list[dict[str, Any]]
    unmarked_in_shared_wards: int


def _in_scope_on(on: date, scope: UnitScope) -> list[sa.ColumnElement[bool]]:
    return [
        *facility_in_scope(scope),
        active_on(facility_t.c.active_from, facility_t.c.active_to, on),
    ]


async def facility_stats(
    connection: AsyncConnection, on: date, scope: UnitScope
) -> FacilityNumbers:
    breakdown = Breakdown(_rows(on, scope), _measures, ("kind_sector", "staff"))
    totals, by = await breakdown.run(connection)
    unresolved = sa.select(
        facility_t.c.id, facility_t.c.code, facility_t.c.name, facility_t.c.ward_code
    ).where(*_in_scope_on(on, scope), facility_region_on(on).is_(None))
    # Counted whatever the plan's setting, so a report can say what the setting decided.
    everyone = replace(scope, shared_policy="include")
    unmarked = (
        sa.select(sa.func.count())
        .select_from(facility_t)
        .where(
            *_in_scope_on(on, everyone),
            scope.unmarked(facility_t.c.ward_code, facility_t.c.legacy_ward_code),
        )
    )
    return FacilityNumbers(
        totals,
        by,
        [
            dict(r._mapping)
            for r in await connection.execute(unresolved.order_by(facility_t.c.code))
        ],
        (await connection.execute(unmarked)).scalar_one(),
    )

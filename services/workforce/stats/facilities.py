"""Facility aggregates on a date (targets #1, #3a, #3b, #10), by kind and sector, by number of
CTXH staff, and by the kinds of position they hold."""

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.workforce.access import facility_t
from services.workforce.reference.codes import FacilityKind, WageKind
from services.workforce.stats.staff import (
    STAFF_KINDS,
    active_on,
    facility_in_scope,
    positions_on,
)
from services.workforce.wage.regions import facility_region_on
from services.workforce.wage.service import rate_in_force
from shared.stats import Breakdown, UnitScope, count_if

STAFF_BUCKETS = ("0", "1", "2", "3+")


def _per_facility(on: date, scope: UnitScope) -> sa.Subquery:
    """One row per facility with positions that day: distinct staff and volunteers, the kinds
    of staff position held, and whether one staff allowance reaches each wage."""
    held = positions_on(on, scope)
    staff = held.c.is_staff.is_(True)
    base = rate_in_force(WageKind.BASE, 0, on)
    minimum = rate_in_force(WageKind.REGIONAL_MINIMUM, facility_region_on(on), on)

    def any_of(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.max(sa.case((condition, 1), else_=0))

    kinds = {
        f"has_{kind}": any_of(sa.and_(staff, held.c.position_kind == kind)) for kind in STAFF_KINDS
    }
    return (
        sa.select(
            facility_t.c.id,
            sa.func.count(sa.distinct(sa.case((staff, held.c.worker_id)))).label("staff"),
            sa.func.count(sa.distinct(sa.case((sa.not_(staff), held.c.worker_id)))).label(
                "volunteers"
            ),
            any_of(sa.and_(staff, held.c.amount_vnd >= base)).label("paid_base"),
            any_of(sa.and_(staff, held.c.amount_vnd >= minimum)).label("paid_min"),
            *(value.label(name) for name, value in kinds.items()),
        )
        .select_from(facility_t.join(held, held.c.facility_id == facility_t.c.id))
        .group_by(facility_t.c.id)
        .subquery("per_facility")
    )


def _measures(per: sa.Subquery, on: date) -> dict[str, sa.ColumnElement[Any]]:
    staff = sa.func.coalesce(per.c.staff, 0)
    unresolved = facility_region_on(on).is_(None)
    social = sa.and_(
        facility_t.c.kind == FacilityKind.SOCIAL_ASSISTANCE.value, facility_t.c.in_sector.is_(True)
    )
    providing = facility_t.c.provides_services.is_(True)
    planned = facility_t.c.in_network_plan.is_(True)
    measures: dict[str, sa.ColumnElement[Any]] = {
        "facilities": sa.func.count(),
        "with_ctxh_staff": count_if(staff >= 1),
        "with_two_ctxh_staff": count_if(staff >= 2),
        "volunteers_only": count_if(sa.and_(staff == 0, per.c.volunteers >= 1)),
        "paid_base_wage": count_if(per.c.paid_base == 1),
        "paid_minimum_wage": count_if(per.c.paid_min == 1),
        "wage_region_unresolved": count_if(unresolved),
        "sector_social_assistance": count_if(social),
        "sector_social_assistance_providing": count_if(sa.and_(social, providing)),
        "planned": count_if(planned),
        "planned_providing": count_if(sa.and_(planned, providing)),
    }
    for kind in STAFF_KINDS:
        has = per.c[f"has_{kind}"] == 1
        measures[f"with_{kind}"] = count_if(has)
        measures[f"with_{kind}_paid_base_wage"] = count_if(sa.and_(has, per.c.paid_base == 1))
        measures[f"with_{kind}_paid_minimum_wage"] = count_if(sa.and_(has, per.c.paid_min == 1))
        measures[f"with_{kind}_wage_region_unresolved"] = count_if(sa.and_(has, unresolved))
    return measures


def _staff_bucket(per: sa.Subquery) -> sa.ColumnElement[str]:
    staff = sa.func.coalesce(per.c.staff, 0)
    return sa.case((staff >= 3, "3+"), else_=sa.cast(staff, sa.String))


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
    per = _per_facility(on, scope)
    breakdown = Breakdown(
        facility_t.outerjoin(per, per.c.id == facility_t.c.id),
        _measures(per, on),
        {
            "kind_sector": facility_t.c.kind + "/" + facility_t.c.sector,
            "staff": _staff_bucket(per),
        },
        tuple(_in_scope_on(on, scope)),
    )
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

"""Workforce aggregates in SQL, as of a date and over a window, for a set of units."""

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.workforce.access import assignment_t, facility_t
from services.workforce.assignment.service import allowance_t
from services.workforce.reference.codes import DEGREE_COURSES, FacilityKind, WageKind
from services.workforce.training.models import Course, Participation
from services.workforce.wage.service import rate_in_force
from shared.models import table_of

course_t = table_of(Course)
participation_t = table_of(Participation)

# Hải Dương's target #2 has two groups with their own rates (50% and 30%).
JUSTICE_AND_MASS = (
    FacilityKind.PRISON,
    FacilityKind.REFORMATORY_SCHOOL,
    FacilityKind.JUDICIAL_BODY,
    FacilityKind.MASS_ORGANISATION,
)


@dataclass(frozen=True)
class Units:
    province_code: str | None
    ward_codes: tuple[str, ...] = ()

    def facility_conditions(self) -> list[sa.ColumnElement[bool]]:
        conditions: list[sa.ColumnElement[bool]] = [facility_t.c.archived_at.is_(None)]
        if self.province_code:
            conditions.append(facility_t.c.province_code == self.province_code)
        if self.ward_codes:
            conditions.append(facility_t.c.ward_code.in_(self.ward_codes))
        return conditions


def facility_group() -> sa.ColumnElement[str]:
    """communes_and_sector: communes and the sector's service facilities; justice_and_mass:
    prisons, reformatory schools, judicial bodies, mass organisations; other."""
    sector_service = sa.and_(
        facility_t.c.in_sector.is_(True), facility_t.c.provides_services.is_(True)
    )
    return sa.case(
        (
            sa.or_(facility_t.c.kind == FacilityKind.COMMUNE_COMMITTEE.value, sector_service),
            "communes_and_sector",
        ),
        (facility_t.c.kind.in_([k.value for k in JUSTICE_AND_MASS]), "justice_and_mass"),
        else_="other",
    )


def _active(start: Any, end: Any, on: date) -> sa.ColumnElement[bool]:
    return sa.and_(sa.or_(start.is_(None), start <= on), sa.or_(end.is_(None), end >= on))


def ctxh_staff_on(on: date) -> sa.Subquery:
    """CTXH positions held on a date, with the allowance in force that day (null if none)."""
    allowance_on = sa.and_(
        allowance_t.c.assignment_id == assignment_t.c.id,
        _active(allowance_t.c.start_date, allowance_t.c.end_date, on),
    )
    return (
        sa.select(
            assignment_t.c.facility_id,
            assignment_t.c.worker_id,
            assignment_t.c.position_kind,
            allowance_t.c.amount_vnd,
        )
        .select_from(assignment_t.outerjoin(allowance_t, allowance_on))
        .where(
            assignment_t.c.is_ctxh.is_(True),
            assignment_t.c.archived_at.is_(None),
            _active(assignment_t.c.start_date, assignment_t.c.end_date, on),
        )
        .subquery("staff")
    )


def _flag(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.sum(sa.case((condition, 1), else_=0))


async def facility_stats(
    connection: AsyncConnection, on: date, units: Units
) -> list[dict[str, Any]]:
    """Per kind and sector: facilities, those with 1+ and 2+ CTXH staff on the date, and those
    with at least one paid at least the base wage or the region's minimum wage that day."""
    staff = ctxh_staff_on(on)
    base = rate_in_force(WageKind.BASE, 0, on)
    minimum = rate_in_force(WageKind.REGIONAL_MINIMUM, facility_t.c.wage_region, on)
    per_facility = (
        sa.select(
            facility_t.c.id,
            sa.func.count(sa.distinct(staff.c.worker_id)).label("workers"),
            sa.func.max(sa.case((staff.c.amount_vnd >= base, 1), else_=0)).label("paid_base"),
            sa.func.max(sa.case((staff.c.amount_vnd >= minimum, 1), else_=0)).label("paid_min"),
        )
        .select_from(facility_t.join(staff, staff.c.facility_id == facility_t.c.id))
        .group_by(facility_t.c.id)
        .subquery("per_facility")
    )
    workers = sa.func.coalesce(per_facility.c.workers, 0)
    social = sa.and_(
        facility_t.c.kind == FacilityKind.SOCIAL_ASSISTANCE.value, facility_t.c.in_sector.is_(True)
    )
    query = (
        sa.select(
            facility_t.c.kind,
            facility_t.c.sector,
            sa.func.count().label("facilities"),
            _flag(workers >= 1).label("with_ctxh_staff"),
            _flag(workers >= 2).label("with_two_ctxh_staff"),
            _flag(per_facility.c.paid_base == 1).label("paid_base_wage"),
            _flag(per_facility.c.paid_min == 1).label("paid_minimum_wage"),
            _flag(social).label("sector_social_assistance"),
            _flag(sa.and_(social, facility_t.c.provides_services.is_(True))).label(
                "sector_social_assistance_providing"
            ),
            _flag(facility_t.c.in_network_plan.is_(True)).label("planned"),
            _flag(
                sa.and_(
                    facility_t.c.in_network_plan.is_(True), facility_t.c.provides_services.is_(True)
                )
            ).label("planned_providing"),
        )
        .select_from(facility_t.outerjoin(per_facility, per_facility.c.id == facility_t.c.id))
        .where(
            *units.facility_conditions(),
            _active(facility_t.c.active_from, facility_t.c.active_to, on),
        )
        .group_by(facility_t.c.kind, facility_t.c.sector)
        .order_by(facility_t.c.kind, facility_t.c.sector)
    )
    return [dict(row._mapping) for row in await connection.execute(query)]


def _placed_in_wards(wards: tuple[str, ...]) -> sa.ColumnElement[bool]:
    """The participant held a position in one of the wards when the course was completed."""
    placed = assignment_t.alias("placed")
    where = facility_t.alias("placed_facility")
    return sa.exists().where(
        placed.c.worker_id == participation_t.c.worker_id,
        placed.c.archived_at.is_(None),
        placed.c.start_date <= participation_t.c.completed_on,
        sa.or_(placed.c.end_date.is_(None), placed.c.end_date >= participation_t.c.completed_on),
        where.c.id == placed.c.facility_id,
        where.c.ward_code.in_(wards),
    )


def _trained_in(start: date, end: date, worker: Any) -> sa.ColumnElement[bool]:
    return sa.exists().where(
        participation_t.c.worker_id == worker,
        participation_t.c.completed.is_(True),
        participation_t.c.archived_at.is_(None),
        participation_t.c.completed_on >= start,
        participation_t.c.completed_on <= end,
    )


async def worker_stats(
    connection: AsyncConnection, on: date, start: date, end: date, units: Units
) -> list[dict[str, Any]]:
    """CTXH workers on the date by position kind and facility group, and how many of them
    completed training in the window; service_facility marks health and social assistance
    facilities that provide CTXH services (target #8)."""
    staff = ctxh_staff_on(on)
    service_facility = sa.and_(
        facility_t.c.provides_services.is_(True),
        facility_t.c.kind.in_(
            [FacilityKind.HEALTH_FACILITY.value, FacilityKind.SOCIAL_ASSISTANCE.value]
        ),
    )
    group = facility_group().label("facility_group")
    trained = _trained_in(start, end, staff.c.worker_id)
    query = (
        sa.select(
            staff.c.position_kind,
            group,
            service_facility.label("service_facility"),
            sa.func.count(sa.distinct(staff.c.worker_id)).label("workers"),
            sa.func.count(sa.distinct(sa.case((trained, staff.c.worker_id)))).label("trained"),
        )
        .select_from(staff.join(facility_t, facility_t.c.id == staff.c.facility_id))
        .where(*units.facility_conditions())
        .group_by(staff.c.position_kind, group, service_facility)
        .order_by(staff.c.position_kind, group)
    )
    return [dict(row._mapping) for row in await connection.execute(query)]


async def distinct_workers(
    connection: AsyncConnection, on: date, start: date, end: date, units: Units
) -> dict[str, int]:
    """Distinct CTXH workers on the date and distinct trained ones: a worker placed at two
    facilities counts once here, whatever the breakdown above shows."""
    staff = ctxh_staff_on(on)
    trained = _trained_in(start, end, staff.c.worker_id)
    query = (
        sa.select(
            sa.func.count(sa.distinct(staff.c.worker_id)).label("workers"),
            sa.func.count(sa.distinct(sa.case((trained, staff.c.worker_id)))).label("trained"),
        )
        .select_from(staff.join(facility_t, facility_t.c.id == staff.c.facility_id))
        .where(*units.facility_conditions())
    )
    row = (await connection.execute(query)).one()
    return {"workers": row.workers, "trained": row.trained}


async def training_stats(
    connection: AsyncConnection, start: date, end: date, units: Units
) -> list[dict[str, Any]]:
    """Per course kind: people (distinct workers) and turns (completed participations), for
    participations completed in the window. With wards, only workers then placed in them."""
    conditions = [
        participation_t.c.completed.is_(True),
        participation_t.c.archived_at.is_(None),
        participation_t.c.completed_on >= start,
        participation_t.c.completed_on <= end,
    ]
    if units.province_code:
        conditions.append(course_t.c.province_code == units.province_code)
    if units.ward_codes:
        conditions.append(_placed_in_wards(units.ward_codes))
    query = (
        sa.select(
            course_t.c.kind,
            sa.func.count(sa.distinct(participation_t.c.worker_id)).label("people"),
            sa.func.count().label("turns"),
        )
        .select_from(participation_t.join(course_t, course_t.c.id == participation_t.c.course_id))
        .where(*conditions)
        .group_by(course_t.c.kind)
        .order_by(course_t.c.kind)
    )
    rows = [dict(row._mapping) for row in await connection.execute(query)]
    for row in rows:
        row["degree"] = row["kind"] in {k.value for k in DEGREE_COURSES}
    return rows

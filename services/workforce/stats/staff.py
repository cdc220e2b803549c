"""Who counts as CTXH staff on a date: the one definition every workforce statistic uses.

A position counts on a day when all of these hold:
- it is CTXH work (`is_ctxh`), not archived, and held that day (start ≤ day ≤ end);
- its kind is full-time, part-time or collaborator (volunteers are reported apart);
- its facility is in the scope, not archived, and active that day (active_from/active_to);
- its holder has not left: `left_on` (retired, left or archived) is after the day.
"""

from datetime import date
from typing import Any

import sqlalchemy as sa

from services.workforce.assignment.models import allowance_t, assignment_t
from services.workforce.facility.models import facility_t
from services.workforce.reference.codes import (
    STAFF_POSITION_KINDS,
    FacilityKind,
    PositionKind,
    Sector,
    WorkerStatus,
)
from services.workforce.worker.models import worker_t
from shared.stats import UnitScope

STAFF_KINDS = [k.value for k in STAFF_POSITION_KINDS]
VOLUNTEER = PositionKind.VOLUNTEER.value

# Hải Dương's target #2 has two groups with their own rates (50% and 30%).
JUSTICE_AND_MASS = (
    FacilityKind.PRISON,
    FacilityKind.REFORMATORY_SCHOOL,
    FacilityKind.JUDICIAL_BODY,
    FacilityKind.MASS_ORGANISATION,
)


def active_on(start: Any, end: Any, on: Any) -> sa.ColumnElement[bool]:
    """Open-ended on either side when null; both ends inclusive."""
    return sa.and_(sa.or_(start.is_(None), start <= on), sa.or_(end.is_(None), end >= on))


def worker_active_on(on: Any, worker: Any = worker_t) -> sa.ColumnElement[bool]:
    still_here = sa.and_(
        worker.c.left_on.is_(None),
        worker.c.status == WorkerStatus.ACTIVE.value,
        worker.c.archived_at.is_(None),
    )
    return sa.or_(still_here, worker.c.left_on > on)


def facility_in_scope(scope: UnitScope, facility: Any = facility_t) -> list[sa.ColumnElement[bool]]:
    return [
        facility.c.archived_at.is_(None),
        *scope.conditions(
            facility.c.province_code, facility.c.ward_code, facility.c.legacy_ward_code
        ),
    ]


def facility_group(facility: Any = facility_t) -> sa.ColumnElement[str]:
    """communes_and_sector: communes and the sector's service facilities; justice_and_mass:
    prisons, reformatory schools, judicial bodies, mass organisations; other."""
    sector_service = sa.and_(facility.c.in_sector.is_(True), facility.c.provides_services.is_(True))
    return sa.case(
        (
            sa.or_(facility.c.kind == FacilityKind.COMMUNE_COMMITTEE.value, sector_service),
            "communes_and_sector",
        ),
        (facility.c.kind.in_([k.value for k in JUSTICE_AND_MASS]), "justice_and_mass"),
        else_="other",
    )


def health_or_social_service(facility: Any = facility_t) -> sa.ColumnElement[bool]:
    """A health or social facility providing CTXH services (target #8): by its kind or by
    the sector it belongs to."""
    return sa.and_(
        facility.c.provides_services.is_(True),
        sa.or_(
            facility.c.kind.in_(
                [FacilityKind.HEALTH_FACILITY.value, FacilityKind.SOCIAL_ASSISTANCE.value]
            ),
            facility.c.sector.in_([Sector.HEALTH.value, Sector.SOCIAL.value]),
        ),
    )


def positions_on(on: date, scope: UnitScope, *columns: sa.ColumnElement[Any]) -> sa.Subquery:
    """CTXH positions (staff and volunteer) held on a date that the rules above let count,
    with the allowance in force that day (null if none) and the given facility columns."""
    allowance_on = sa.and_(
        allowance_t.c.assignment_id == assignment_t.c.id,
        active_on(allowance_t.c.start_date, allowance_t.c.end_date, on),
    )
    return (
        sa.select(
            assignment_t.c.worker_id,
            assignment_t.c.facility_id,
            assignment_t.c.position_kind,
            (assignment_t.c.position_kind.in_(STAFF_KINDS)).label("is_staff"),
            allowance_t.c.amount_vnd,
            *columns,
        )
        .select_from(
            assignment_t.join(facility_t, facility_t.c.id == assignment_t.c.facility_id)
            .join(worker_t, worker_t.c.id == assignment_t.c.worker_id)
            .outerjoin(allowance_t, allowance_on)
        )
        .where(
            assignment_t.c.is_ctxh.is_(True),
            assignment_t.c.archived_at.is_(None),
            assignment_t.c.position_kind.in_([*STAFF_KINDS, VOLUNTEER]),
            active_on(assignment_t.c.start_date, assignment_t.c.end_date, on),
            active_on(facility_t.c.active_from, facility_t.c.active_to, on),
            worker_active_on(on),
            *facility_in_scope(scope),
        )
        .subquery("positions")
    )

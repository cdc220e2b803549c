"""Training completed in a window (targets #6, #7, #8, #9), in distinct people and in turns.

The plans count training of CTXH staff and collaborators, so a completed course counts when,
on the day it was completed, its participant held a CTXH staff post (not a volunteer one) at
a facility in the scope, as rule 1 defines staff (stats.staff), whether or not they still do.
The participant belongs to the wards of those facilities.

- #6 counts distinct people over every degree level: a person with two degrees counts once.
- #7 and #9 count turns (lượt): one person at three courses is three turns.
- #8 counts distinct people whose staff post that day (CTXH work or not: the plan counts
  the facility's health and social staff) was at a health or social facility providing
  services.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.workforce.assignment.models import assignment_t
from services.workforce.facility.models import facility_t
from services.workforce.reference.codes import DEGREE_COURSES, CourseKind
from services.workforce.stats.staff import (
    STAFF_KINDS,
    active_on,
    facility_in_scope,
    health_or_social_service,
    worker_active_on,
)
from services.workforce.training.models import course_t, participation_t
from services.workforce.worker.models import worker_t
from shared.breakdown import Breakdown, count_distinct_if, names
from shared.stats import UnitScope

DEGREE_KINDS = sorted(k.value for k in DEGREE_COURSES)


def _completed(start: date, end: date, scope: UnitScope) -> list[sa.ColumnElement[bool]]:
    conditions = [
        participation_t.c.completed.is_(True),
        participation_t.c.archived_at.is_(None),
        participation_t.c.completed_on >= start,
        participation_t.c.completed_on <= end,
    ]
    if scope.province_code:
        conditions.append(course_t.c.province_code == scope.province_code)
    return conditions


def _staff_posts(
    scope: UnitScope, day: Any, *, ctxh_only: bool = True
) -> tuple[sa.FromClause, list[sa.ColumnElement[bool]]]:
    """Staff posts (CTXH ones unless `ctxh_only` is off) held on `day` at facilities in
    scope: what joins a participation to the facilities that make it count."""
    source = participation_t.join(
        assignment_t, assignment_t.c.worker_id == participation_t.c.worker_id
    ).join(facility_t, facility_t.c.id == assignment_t.c.facility_id)
    source = source.join(worker_t, worker_t.c.id == participation_t.c.worker_id)
    source = source.join(course_t, course_t.c.id == participation_t.c.course_id)
    conditions = [
        assignment_t.c.is_ctxh.is_(True) if ctxh_only else sa.true(),
        assignment_t.c.archived_at.is_(None),
        assignment_t.c.position_kind.in_(STAFF_KINDS),
        active_on(assignment_t.c.start_date, assignment_t.c.end_date, day),
        active_on(facility_t.c.active_from, facility_t.c.active_to, day),
        worker_active_on(day),
        *facility_in_scope(scope),
    ]
    return source, conditions


def _places(scope: UnitScope) -> list[sa.ColumnElement[Any]]:
    return scope.places(facility_t.c.ward_code, facility_t.c.legacy_ward_code)


@dataclass(frozen=True)
class TrainingNumbers:
    totals: dict[str, int]
    by: dict[str, dict[str, dict[str, int]]]


async def training_stats(
    connection: AsyncConnection, start: date, end: date, scope: UnitScope
) -> TrainingNumbers:
    source, posts = _staff_posts(scope, participation_t.c.completed_on)
    places = _places(scope)
    rows = (
        sa.select(
            participation_t.c.id.label("turn"),
            participation_t.c.worker_id.label("worker"),
            course_t.c.kind,
            *places,
        )
        .select_from(source)
        .where(*_completed(start, end, scope), *posts)
    )

    def measures(c: Any) -> dict[str, sa.ColumnElement[Any]]:
        return {
            "people": sa.func.count(sa.distinct(c.worker)),
            "turns": sa.func.count(sa.distinct(c.turn)),
            "degree_people": count_distinct_if(c.kind.in_(DEGREE_KINDS), c.worker),
            "in_depth_turns": count_distinct_if(c.kind == CourseKind.IN_DEPTH_SKILLS.value, c.turn),
            "short_turns": count_distinct_if(c.kind == CourseKind.SHORT_SKILLS.value, c.turn),
        }

    breakdown = Breakdown(rows, measures, ("kind", *names(places)))
    return TrainingNumbers(*await breakdown.run(connection))


async def service_staff_trained(
    connection: AsyncConnection, start: date, end: date, scope: UnitScope
) -> TrainingNumbers:
    """Target #8: people trained while on the staff of a health or social service facility.
    The plan counts its health and labour-social staff ("cán bộ y tế lao động xã hội"), so
    a staff post there counts whether or not it is CTXH work; a volunteer post does not."""
    source, posts = _staff_posts(scope, participation_t.c.completed_on, ctxh_only=False)
    places = _places(scope)
    rows = (
        sa.select(participation_t.c.worker_id.label("worker"), *places)
        .select_from(source)
        .where(*_completed(start, end, scope), *posts, health_or_social_service())
    )

    def measures(c: Any) -> dict[str, sa.ColumnElement[Any]]:
        return {"people": sa.func.count(sa.distinct(c.worker))}

    return TrainingNumbers(*await Breakdown(rows, measures, names(places)).run(connection))

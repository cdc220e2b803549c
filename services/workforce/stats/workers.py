"""CTXH staff on a date and those of them trained in a window (target #2), counted as distinct
people overall and within each breakdown: facility group, position kind, ward, former
district. Volunteers are counted apart, never as staff."""

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.workforce.facility.models import facility_t
from services.workforce.stats.staff import facility_group, positions_on
from services.workforce.training.models import participation_t
from shared.breakdown import Breakdown, Rows, count_distinct_if, names
from shared.stats import UnitScope


def trained_between(start: date, end: date, worker: Any) -> sa.ColumnElement[bool]:
    """The worker completed a course in the window."""
    return sa.exists().where(
        participation_t.c.worker_id == worker,
        participation_t.c.completed.is_(True),
        participation_t.c.archived_at.is_(None),
        participation_t.c.completed_on >= start,
        participation_t.c.completed_on <= end,
    )


@dataclass(frozen=True)
class WorkerNumbers:
    totals: dict[str, int]
    by: dict[str, dict[str, dict[str, int]]]
    volunteers: dict[str, int]


async def worker_stats(
    connection: AsyncConnection,
    on: date,
    start: date,
    end: date,
    scope: UnitScope,
    group: str | None = None,
) -> WorkerNumbers:
    """Within one facility group when `group` is given (Hải Dương sets a rate for each)."""
    held = positions_on(
        on,
        scope,
        facility_group().label("facility_group"),
        facility_t.c.ward_code,
        facility_t.c.legacy_ward_code,
    )
    places = scope.places(held.c.ward_code, held.c.legacy_ward_code)
    in_group = held.c.facility_group == group if group else sa.true()
    staff_ids = sa.select(held.c.worker_id).where(held.c.is_staff.is_(True))

    def rows(*where: sa.ColumnElement[bool]) -> Rows:
        trained = trained_between(start, end, held.c.worker_id)
        return sa.select(
            held.c.worker_id.label("worker"),
            sa.case((trained, 1), else_=0).label("trained"),
            held.c.facility_group,
            held.c.position_kind,
            *places,
        ).where(in_group, *where)

    def measures(c: Any) -> dict[str, sa.ColumnElement[Any]]:
        return {
            "workers": sa.func.count(sa.distinct(c.worker)),
            "trained": count_distinct_if(c.trained == 1, c.worker),
        }

    dimensions = ("facility_group", "position_kind", *names(places))
    staff = rows(held.c.is_staff.is_(True))
    totals, by = await Breakdown(staff, measures, dimensions).run(connection)
    # Volunteers who hold no staff position that day: the separate column.
    only_volunteering = rows(held.c.is_staff.is_(False), held.c.worker_id.not_in(staff_ids))
    volunteers, _ = await Breakdown(only_volunteering, measures).run(connection)
    return WorkerNumbers(totals, by, volunteers)

"""Aggregates computed in SQL: rows are counted by the database, never loaded into Python.

A service counts for the targets (#4, #5) when it was delivered in the window on a case that
is not archived (an archived case was recorded in error) and not after the case closed.
People are counted distinct, overall and within each breakdown, in one statement
(shared.stats.Breakdown): a person in two groups counts once in each and once in the total.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from uuid import UUID

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.case.models import case_t
from services.cases.casework.models import referral_t, service_t
from services.cases.person.models import category_t, person_t
from services.cases.reference.codes import PRIORITY_CHILD_CATEGORIES
from shared.breakdown import UNKNOWN_KEY, Breakdown, count_distinct_if, names
from shared.dates import VIETNAM
from shared.stats import UnitScope

Dimension = Literal[
    "category", "sex", "age_band", "ward", "former_district", "service_type", "funding_source"
]
CHILD_AGE_LIMIT = 16
AGE_BANDS = (("0-5", 6), ("6-10", 11), ("11-15", 16), ("16-17", 18), ("18-59", 60))


@dataclass(frozen=True)
class Window:
    start: date
    end: date
    scope: UnitScope
    # Categories counted as if nobody belonged to them (sensitive ones, for most readers).
    hidden: frozenset[str] = frozenset()

    @property
    def province_code(self) -> str | None:
        return self.scope.province_code

    def people(self, scope: UnitScope | None = None) -> list[sa.ColumnElement[bool]]:
        return [
            person_t.c.archived_at.is_(None),
            *(scope or self.scope).conditions(
                person_t.c.province_code, person_t.c.ward_code, person_t.c.legacy_ward_code
            ),
        ]

    def district(self) -> sa.ColumnElement[Any] | None:
        return self.scope.former_district(person_t.c.ward_code, person_t.c.legacy_ward_code)


def counting_services(window: Window) -> sa.Subquery:
    """Services that count for the targets: in the window, on a case not archived, not dated
    after the case closed. The database keeps that answer on each service
    (`counts_for_targets`, migration 0017), so no case is read here."""
    return (
        sa.select(
            service_t.c.person_id,
            service_t.c.service_type,
            service_t.c.funding_source,
        )
        .where(
            service_t.c.delivered_on >= window.start,
            service_t.c.delivered_on <= window.end,
            service_t.c.counts_for_targets,
        )
        .subquery("counted")
    )


def _served_people(window: Window) -> sa.Subquery:
    """One row per person with a counting service in the window, and whether any of them came
    from socialised resources."""
    counted = counting_services(window)
    socialised = sa.func.max(sa.case((counted.c.funding_source == "socialised", 1), else_=0))
    return (
        sa.select(counted.c.person_id, socialised.label("socialised"))
        .group_by(counted.c.person_id)
        .subquery("served")
    )


def _child_on(end: date) -> sa.ColumnElement[bool]:
    born_after: date = end - relativedelta(years=CHILD_AGE_LIMIT)
    return person_t.c.birth_date > born_after


def _places(window: Window) -> list[sa.ColumnElement[Any]]:
    return window.scope.places(person_t.c.ward_code, person_t.c.legacy_ward_code)


Numbers = tuple[dict[str, int], dict[str, dict[str, dict[str, int]]]]


def _people(c: Any) -> dict[str, sa.ColumnElement[Any]]:
    return {"people": sa.func.count(sa.distinct(c.person))}


async def priority_children(connection: AsyncConnection, window: Window) -> Numbers:
    """Children (under 16 at the window's end) in the six groups of target #5, and those
    served in the window by any source and from socialised resources: overall (distinct
    children), by group, by ward and by former district."""
    served = _served_people(window)
    places = _places(window)
    rows = (
        sa.select(
            person_t.c.id.label("person"),
            served.c.person_id.label("served"),
            served.c.socialised,
            category_t.c.category_code.label("category"),
            *places,
        )
        .select_from(
            person_t.join(category_t, category_t.c.person_id == person_t.c.id).outerjoin(
                served, served.c.person_id == person_t.c.id
            )
        )
        .where(
            _child_on(window.end),
            category_t.c.category_code.in_(
                [c for c in PRIORITY_CHILD_CATEGORIES if c not in window.hidden]
            ),
            *window.people(),
        )
    )

    def measures(c: Any) -> dict[str, sa.ColumnElement[Any]]:
        return {
            "children": sa.func.count(sa.distinct(c.person)),
            "served_any": count_distinct_if(c.served.is_not(None), c.person),
            "served_socialised": count_distinct_if(c.socialised == 1, c.person),
        }

    return await Breakdown(rows, measures, ("category", *names(places))).run(connection)


async def people_supported(connection: AsyncConnection, window: Window) -> Numbers:
    """People with at least one counting service in the window (target #4): overall, by the
    service types they received, by ward and by former district."""
    served = counting_services(window)
    places = _places(window)
    rows = (
        sa.select(person_t.c.id.label("person"), served.c.service_type, *places)
        .select_from(person_t.join(served, served.c.person_id == person_t.c.id))
        .where(*window.people())
    )
    return await Breakdown(rows, _people, ("service_type", *names(places))).run(connection)


def _missed_a_deadline(now: datetime) -> sa.ColumnElement[bool]:
    r = referral_t.c
    answered_late = sa.or_(
        r.answered_at > r.respond_by,
        sa.and_(r.answered_at.is_(None), r.status == "pending", r.respond_by < now),
    )
    contacted_late = sa.or_(
        r.first_contacted_at > r.first_contact_by,
        sa.and_(r.first_contacted_at.is_(None), r.status == "accepted", r.first_contact_by < now),
    )
    return sa.or_(answered_late, contacted_late)


async def referral_counts(connection: AsyncConnection, window: Window, now: datetime) -> Numbers:
    """Referrals made in the window (Vietnam's days) from cases of people in the scope: how
    many were accepted, answered on time, and missed a deadline as of `now`; overall, by ward
    and by former district. A case archived as recorded in error counts nothing."""
    r = referral_t.c
    start = datetime.combine(window.start, time(), VIETNAM)
    end = datetime.combine(window.end + timedelta(days=1), time(), VIETNAM)

    def flag(condition: sa.ColumnElement[bool], name: str) -> sa.Label[int]:
        return sa.case((condition, 1), else_=0).label(name)

    rows = (
        sa.select(
            r.id.label("referral"),
            flag(sa.and_(r.answered_at.is_not(None), r.status != "rejected"), "accepted"),
            flag(r.answered_at <= r.respond_by, "on_time"),
            flag(_missed_a_deadline(now), "late"),
            *_places(window),
        )
        .select_from(
            referral_t.join(case_t, case_t.c.id == r.case_id).join(
                person_t, person_t.c.id == case_t.c.person_id
            )
        )
        .where(
            r.created_at >= start,
            r.created_at < end,
            case_t.c.archived_at.is_(None),
            *window.people(),
        )
    )

    def measures(c: Any) -> dict[str, sa.ColumnElement[Any]]:
        return {
            "made": sa.func.count(sa.distinct(c.referral)),
            "accepted": count_distinct_if(c.accepted == 1, c.referral),
            "responded_on_time": count_distinct_if(c.on_time == 1, c.referral),
            "overdue": count_distinct_if(c.late == 1, c.referral),
        }

    return await Breakdown(rows, measures, names(_places(window))).run(connection)


def _age_band(end: date) -> sa.ColumnElement[str]:
    whens = [
        (person_t.c.birth_date > end - relativedelta(years=upper), label)
        for label, upper in AGE_BANDS
    ]
    return sa.case((person_t.c.birth_date.is_(None), "unknown"), *whens, else_="60+")


async def count_people(
    connection: AsyncConnection, window: Window, dimension: Dimension, *, served_only: bool
) -> tuple[dict[str, int], int]:
    """Distinct people per value of `dimension`, and distinct people overall."""
    source: sa.FromClause = person_t
    where = window.people()
    served = counting_services(window)
    if dimension in ("service_type", "funding_source"):
        source = person_t.join(served, served.c.person_id == person_t.c.id)
    elif served_only:
        where.append(person_t.c.id.in_(sa.select(served.c.person_id)))
    keys: dict[str, sa.ColumnElement[Any]] = {
        "sex": person_t.c.sex,
        "age_band": _age_band(window.end),
        "ward": person_t.c.ward_code,
    }
    if dimension == "category":
        visible = sa.and_(
            category_t.c.person_id == person_t.c.id,
            category_t.c.category_code.not_in(sorted(window.hidden)),
        )
        source = person_t.outerjoin(category_t, visible)
        keys["category"] = category_t.c.category_code
    elif dimension in ("service_type", "funding_source"):
        keys[dimension] = served.c[dimension]
    elif dimension == "former_district":
        keys["former_district"] = window.district() or sa.literal("unknown")
    rows = (
        sa.select(person_t.c.id.label("person"), keys[dimension].label(dimension))
        .select_from(source)
        .where(*where)
    )
    totals, by = await Breakdown(rows, _people, (dimension,)).run(connection)
    counts = {key: cell["people"] for key, cell in by[dimension].items()}
    if dimension == "category":
        counts.pop(UNKNOWN_KEY, None)  # people in no category: part of the total only
    return counts, totals["people"]


async def unmarked_in_shared_wards(connection: AsyncConnection, window: Window) -> int:
    """People in wards shared by two legacy provinces who carry no legacy commune, whatever
    the plan's setting does with them."""
    everyone = replace(window.scope, shared_policy="include")
    query = (
        sa.select(sa.func.count())
        .select_from(person_t)
        .where(
            *window.people(everyone),
            window.scope.unmarked(person_t.c.ward_code, person_t.c.legacy_ward_code),
        )
    )
    return (await connection.execute(query)).scalar_one()


async def people_in(
    connection: AsyncConnection, window: Window, categories: frozenset[str], *, children: bool
) -> list[UUID]:
    """The people of the window's scope in any of these categories: who a reader of counts
    of those categories has, in effect, read about."""
    query = (
        sa.select(person_t.c.id)
        .distinct()
        .join(category_t, category_t.c.person_id == person_t.c.id)
        .where(category_t.c.category_code.in_(sorted(categories)), *window.people())
    )
    if children:
        query = query.where(_child_on(window.end))
    return list((await connection.execute(query)).scalars())

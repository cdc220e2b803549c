"""Aggregates computed in SQL: rows are counted by the database, never loaded into Python."""

from dataclasses import dataclass
from datetime import date
from typing import Literal

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.access.scope import person_t
from services.cases.casework.models import ServiceDelivery
from services.cases.person.models import PersonCategory
from services.cases.reference.codes import PRIORITY_CHILD_CATEGORIES
from shared.models import table_of

service_t = table_of(ServiceDelivery)
category_t = table_of(PersonCategory)

Dimension = Literal["category", "sex", "age_band", "ward", "service_type", "funding_source"]
CHILD_AGE_LIMIT = 16
AGE_BANDS = (("0-5", 6), ("6-10", 11), ("11-15", 16), ("16-17", 18), ("18-59", 60))


@dataclass(frozen=True)
class Window:
    start: date
    end: date
    province_code: str | None
    ward_codes: tuple[str, ...] = ()

    def person_conditions(self) -> list[sa.ColumnElement[bool]]:
        conditions: list[sa.ColumnElement[bool]] = [person_t.c.archived_at.is_(None)]
        if self.province_code:
            conditions.append(person_t.c.province_code == self.province_code)
        if self.ward_codes:
            conditions.append(person_t.c.ward_code.in_(self.ward_codes))
        return conditions

    def in_window(self) -> list[sa.ColumnElement[bool]]:
        return [service_t.c.delivered_on >= self.start, service_t.c.delivered_on <= self.end]


def _served(window: Window) -> sa.Subquery:
    """Per person served in the window: whether any service came from socialised resources."""
    socialised = sa.func.max(sa.case((service_t.c.funding_source == "socialised", 1), else_=0))
    return (
        sa.select(service_t.c.person_id, socialised.label("socialised"))
        .where(*window.in_window())
        .group_by(service_t.c.person_id)
        .subquery("served")
    )


def _child_on(end: date) -> sa.ColumnElement[bool]:
    return person_t.c.birth_date > end - relativedelta(years=CHILD_AGE_LIMIT)


async def priority_children(
    session: AsyncConnection, window: Window
) -> dict[str, tuple[int, int, int]]:
    """{category: (children, served by any source, served from socialised resources)}, plus
    the key "all" for distinct children across the six groups."""
    served = _served(window)
    base = (
        sa.select(
            sa.func.count().label("children"),
            sa.func.count(served.c.person_id).label("served_any"),
            sa.func.coalesce(sa.func.sum(served.c.socialised), 0).label("served_socialised"),
        )
        .select_from(person_t)
        .outerjoin(served, served.c.person_id == person_t.c.id)
        .where(_child_on(window.end), *window.person_conditions())
    )
    by_group = (
        base.add_columns(category_t.c.category_code)
        .join(category_t, category_t.c.person_id == person_t.c.id)
        .where(category_t.c.category_code.in_(PRIORITY_CHILD_CATEGORIES))
        .group_by(category_t.c.category_code)
    )
    result = {code: (0, 0, 0) for code in PRIORITY_CHILD_CATEGORIES}
    for row in await session.execute(by_group):
        result[row.category_code] = (row.children, row.served_any, int(row.served_socialised))
    in_any_group = sa.exists().where(
        category_t.c.person_id == person_t.c.id,
        category_t.c.category_code.in_(PRIORITY_CHILD_CATEGORIES),
    )
    total = (await session.execute(base.where(in_any_group))).one()
    result["all"] = (total.children, total.served_any, int(total.served_socialised))
    return result


def _age_band(end: date) -> sa.ColumnElement[str]:
    whens = [
        (person_t.c.birth_date > end - relativedelta(years=upper), label)
        for label, upper in AGE_BANDS
    ]
    return sa.case((person_t.c.birth_date.is_(None), "unknown"), *whens, else_="60+")


def _people_served(window: Window) -> sa.ColumnElement[bool]:
    served = service_t.alias("served")  # the outer query may join service_delivery too
    return sa.exists().where(
        served.c.person_id == person_t.c.id,
        served.c.delivered_on >= window.start,
        served.c.delivered_on <= window.end,
    )


async def count_people(
    session: AsyncConnection, window: Window, dimension: Dimension, *, served_only: bool
) -> tuple[dict[str, int], int]:
    """Distinct people per value of `dimension`, and distinct people overall."""
    conditions = window.person_conditions()
    if served_only or dimension in ("service_type", "funding_source"):
        conditions.append(_people_served(window))
    people = sa.func.count(sa.distinct(person_t.c.id))
    query = sa.select(people).select_from(person_t).where(*conditions)
    total = (await session.execute(query)).scalar_one()
    key: sa.ColumnElement[str]
    if dimension == "category":
        key = category_t.c.category_code
        query = query.join(category_t, category_t.c.person_id == person_t.c.id)
    elif dimension in ("service_type", "funding_source"):
        key = service_t.c[dimension]
        query = query.join(service_t, service_t.c.person_id == person_t.c.id).where(
            *window.in_window()
        )
    elif dimension == "age_band":
        key = _age_band(window.end)
    else:
        key = person_t.c.ward_code if dimension == "ward" else person_t.c.sex
    grouped = query.add_columns(key.label("key")).group_by(key)
    counts = {row.key: row[0] for row in await session.execute(grouped)}
    return counts, total

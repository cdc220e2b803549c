"""Listing cases with filters, and the overdue work of a caller."""

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.access.scope import case_scope, worker_id
from services.cases.case.models import case_t
from services.cases.case.service import CASE_WITH_PERSON
from services.cases.casework.models import follow_up_t
from services.cases.person.models import category_t, person_t
from services.cases.person.search import birth_date_bounds
from shared.auth import Principal
from shared.dates import today_in_vietnam
from shared.db import AnyRow
from shared.pagination import keyset_page, keyset_union_page
from shared.text import search_key

CaseSort = Literal["opened_date", "-opened_date", "case_number", "-case_number"]


@dataclass(frozen=True)
class CaseFilters:
    q: str | None = None
    categories: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    status: str | None = None
    worker_id: UUID | None = None
    facility_id: UUID | None = None
    ward_code: str | None = None
    sex: str | None = None
    age_min: int | None = None
    age_max: int | None = None
    opened_from: date | None = None
    opened_to: date | None = None
    overdue: bool | None = None
    include_archived: bool = False


def overdue_condition(today: date) -> sa.ColumnElement[bool]:
    """A review past due on a case not closed, or a follow-up not done past due: the case's
    earliest open due date (next_due, kept by the database's triggers, migration 0015) is
    before today. One column, so an index can skip the cases not yet due (docs/scale.md)."""
    return case_t.c.next_due < today


def not_overdue_condition(today: date) -> sa.ColumnElement[bool]:
    # Nothing open to be late on (no review date, or closed, and no follow-up) is not late.
    return sa.or_(case_t.c.next_due.is_(None), case_t.c.next_due >= today)


def _conditions(principal: Principal, f: CaseFilters) -> list[sa.ColumnElement[bool]]:
    conditions = [case_scope(principal)]
    for code in f.categories:
        conditions.append(
            sa.exists().where(
                category_t.c.person_id == case_t.c.person_id, category_t.c.category_code == code
            )
        )
    simple = {
        case_t.c.status: f.status,
        case_t.c.assigned_worker_id: f.worker_id,
        case_t.c.managing_facility_id: f.facility_id,
        case_t.c.ward_code: f.ward_code,
        person_t.c.sex: f.sex,
    }
    conditions += [column == value for column, value in simple.items() if value is not None]
    if f.stages:
        conditions.append(case_t.c.stage.in_(f.stages))
    conditions += birth_date_bounds(f.age_min, f.age_max, today_in_vietnam())
    if f.opened_from:
        conditions.append(case_t.c.opened_date >= f.opened_from)
    if f.opened_to:
        conditions.append(case_t.c.opened_date <= f.opened_to)
    if f.overdue is not None:
        today = today_in_vietnam()
        conditions.append(overdue_condition(today) if f.overdue else not_overdue_condition(today))
    if not f.include_archived:
        conditions.append(case_t.c.archived_at.is_(None))
    return conditions


_SORT = {"opened_date": case_t.c.opened_date, "case_number": case_t.c.case_number}


async def search_cases(
    connection: AsyncConnection,
    principal: Principal,
    filters: CaseFilters,
    *,
    sort: CaseSort,
    cursor: str | None,
    limit: int,
) -> tuple[list[AnyRow], str | None]:
    descending = sort.startswith("-")
    keys: list[sa.ColumnElement[Any]] = [_SORT[sort.lstrip("-")], case_t.c.id]
    query = CASE_WITH_PERSON.where(*_conditions(principal, filters))
    if not filters.q:
        return await keyset_page(
            connection, query, keys, cursor=cursor, limit=limit, descending=descending
        )
    # A case number, or a part of the person's name: an OR over two tables, which left the
    # planner one plan, the province's cases newest first, each one's person checked (2 s
    # for a rare name at a million people). Asked apart, the name is estimated on its own:
    # a common one walks the newest cases, a rare one starts from the trigram index.
    by_number = query.where(case_t.c.case_number == filters.q.strip())
    # autoescape: "%", "_" (and its escape character) are matched as themselves.
    by_name = query.where(person_t.c.name_key.contains(search_key(filters.q), autoescape=True))
    if connection.dialect.name == "postgresql":
        # A walk split over parallel workers reads about three times the cases, each worker
        # filling its own page for the merge: 75-130 ms against 27-40 ms (docs/scale.md).
        await connection.execute(sa.text("SET LOCAL max_parallel_workers_per_gather = 0"))
    return await keyset_union_page(
        connection, [by_number, by_name], keys, cursor=cursor, limit=limit, descending=descending
    )


async def overdue_items(
    connection: AsyncConnection, principal: Principal, *, mine: bool, limit: int
) -> list[dict[str, Any]]:
    """Past-due follow-ups and reviews in the caller's scope, oldest first."""
    today = today_in_vietnam()
    me = worker_id(principal)
    follow_ups = (
        sa.select(
            case_t.c.id.label("case_id"),
            case_t.c.case_number,
            person_t.c.full_name.label("person_full_name"),
            sa.literal("follow_up").label("kind"),
            follow_up_t.c.id.label("follow_up_id"),
            follow_up_t.c.due_date,
        )
        .join(case_t, case_t.c.id == follow_up_t.c.case_id)
        .join(person_t, person_t.c.id == case_t.c.person_id)
        .where(
            case_scope(principal),
            follow_up_t.c.done_date.is_(None),
            follow_up_t.c.due_date < today,
            case_t.c.archived_at.is_(None),
        )
    )
    reviews = (
        sa.select(
            case_t.c.id.label("case_id"),
            case_t.c.case_number,
            person_t.c.full_name.label("person_full_name"),
            sa.literal("review").label("kind"),
            # Typed: inside a subquery of its own, a bare NULL would be text, not a uuid.
            sa.cast(sa.null(), follow_up_t.c.id.type).label("follow_up_id"),
            case_t.c.next_review_date.label("due_date"),
        )
        .join(person_t, person_t.c.id == case_t.c.person_id)
        .where(
            case_scope(principal),
            case_t.c.next_review_date < today,
            case_t.c.status != "closed",
            case_t.c.archived_at.is_(None),
        )
    )
    if mine:
        follow_ups = follow_ups.where(
            sa.func.coalesce(follow_up_t.c.assigned_worker_id, case_t.c.assigned_worker_id) == me
        )
        reviews = reviews.where(case_t.c.assigned_worker_id == me)
    # Each kind's first page on its own, then the two merged: each reads its partial index
    # (open reviews, open follow-ups, in due order) for `limit` rows, where sorting the union
    # would read every late item of the province first (docs/scale.md).
    firsts = [
        sa.select(q.order_by(due, case_t.c.case_number).limit(limit).subquery())
        for q, due in ((follow_ups, follow_up_t.c.due_date), (reviews, case_t.c.next_review_date))
    ]
    union = sa.union_all(*firsts).subquery()
    query = sa.select(union).order_by(union.c.due_date, union.c.case_number).limit(limit)
    return [dict(row._mapping) for row in await connection.execute(query)]

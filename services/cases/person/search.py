"""Listing and searching people: by name (diacritic-insensitive), national ID or phone."""

from dataclasses import dataclass
from datetime import date
from typing import Literal

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.access.scope import person_scope
from services.cases.person.models import category_t, person_t
from services.cases.person.service import CATEGORY_CODES
from shared.auth import Principal
from shared.dates import today_in_vietnam
from shared.db import AnyRow
from shared.pagination import keyset_page
from shared.text import digits, search_key

PersonSort = Literal["name", "-name", "created_at", "-created_at"]


@dataclass(frozen=True)
class PersonFilters:
    q: str | None = None
    categories: tuple[str, ...] = ()
    ward_code: str | None = None
    sex: str | None = None
    age_min: int | None = None
    age_max: int | None = None
    include_archived: bool = False


def birth_date_bounds(
    age_min: int | None, age_max: int | None, today: date
) -> list[sa.ColumnElement[bool]]:
    """Ages in whole years on `today` as conditions on birth_date."""
    conditions = []
    if age_min is not None:
        conditions.append(person_t.c.birth_date <= today - relativedelta(years=age_min))
    if age_max is not None:
        conditions.append(person_t.c.birth_date > today - relativedelta(years=age_max + 1))
    return conditions


def text_condition(q: str) -> sa.ColumnElement[bool]:
    number = digits(q)
    if number and len(number) == len(q.replace(" ", "").lstrip("+")):
        if len(number) == 12:
            return person_t.c.national_id == number
        if number.startswith("84"):
            number = "0" + number[2:]
        return person_t.c.phone.in_((number, "+84" + number[1:]))
    # autoescape: "%", "_" (and its escape character) in the text are matched as themselves.
    return person_t.c.name_key.contains(search_key(q), autoescape=True)


def _conditions(principal: Principal, filters: PersonFilters) -> list[sa.ColumnElement[bool]]:
    conditions = [person_scope(principal)]
    if filters.q:
        conditions.append(text_condition(filters.q))
    for code in filters.categories:
        conditions.append(
            sa.exists().where(
                category_t.c.person_id == person_t.c.id, category_t.c.category_code == code
            )
        )
    if filters.ward_code:
        conditions.append(person_t.c.ward_code == filters.ward_code)
    if filters.sex:
        conditions.append(person_t.c.sex == filters.sex)
    conditions += birth_date_bounds(filters.age_min, filters.age_max, today_in_vietnam())
    if not filters.include_archived:
        conditions.append(person_t.c.archived_at.is_(None))
    return conditions


_SORT_COLUMNS = {"name": person_t.c.name_key, "created_at": person_t.c.created_at}


async def search_people(
    connection: AsyncConnection,
    principal: Principal,
    filters: PersonFilters,
    *,
    sort: PersonSort,
    cursor: str | None,
    limit: int,
) -> tuple[list[AnyRow], str | None]:
    descending = sort.startswith("-")
    column = _SORT_COLUMNS[sort.lstrip("-")]
    query = sa.select(person_t, CATEGORY_CODES).where(*_conditions(principal, filters))
    return await keyset_page(
        connection,
        query,
        [column, person_t.c.id],
        cursor=cursor,
        limit=limit,
        descending=descending,
    )

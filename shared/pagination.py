"""Cursor (keyset) pagination: stable under inserts, and as fast on page 1,000 as on page 1."""

import base64
import hmac
import json
import secrets
from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any, Generic, TypeVar, TypeVarTuple

import sqlalchemy as sa
from fastapi import Query
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.db import AnyRow, Model, load_all
from shared.errors import ValidationFailed, field_error

Ts = TypeVarTuple("Ts")

T = TypeVar("T")

LimitQuery = Annotated[int, Query(ge=1, le=200, description="Page size")]
CursorQuery = Annotated[
    str | None, Query(max_length=512, description="`next_cursor` of the previous page")
]


class ListOf(BaseModel, Generic[T]):
    """A whole list, too short to page. Every list answers an object with `items`, so a
    field can be added beside them later without breaking clients."""

    items: list[T]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        description="Pass as `cursor` to get the next page; null at the end"
    )


# Cursors are signed, so that a tampered one is refused before any of it reaches a query.
# One key per process, set by build_app from the service's settings (shared by replicas).
_cursor_key = secrets.token_bytes(32)


def use_cursor_key(key: bytes) -> None:
    global _cursor_key
    _cursor_key = key


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode((text + "=" * (-len(text) % 4)).encode())


def _signature(payload: str) -> str:
    return _b64(hmac.digest(_cursor_key, payload.encode(), "sha256")[:16])


def _invalid_cursor() -> ValidationFailed:
    return ValidationFailed([field_error(["query", "cursor"], "Invalid cursor", "invalid_cursor")])


def encode_cursor(values: list[Any]) -> str:
    payload = _b64(json.dumps(values, separators=(",", ":"), default=str).encode())
    return f"{payload}.{_signature(payload)}"


def decode_cursor(cursor: str, width: int) -> list[Any]:
    if not cursor.isascii():  # ours are base64url; compare_digest refuses other text
        raise _invalid_cursor()
    payload, _, signature = cursor.partition(".")
    if not hmac.compare_digest(signature, _signature(payload)):
        raise _invalid_cursor()
    try:
        values = json.loads(_unb64(payload))
    except (ValueError, UnicodeDecodeError):
        values = None
    if not isinstance(values, list) or len(values) != width:
        raise _invalid_cursor()
    return values


def _coerce(column: sa.ColumnElement[Any], value: Any) -> Any:
    """Cursor values travel as JSON text; turn them back into the column's Python type."""
    # A TypeDecorator (UTCDateTime) answers for its underlying type.
    type_ = getattr(column.type, "impl", column.type)
    try:
        python_type = type_.python_type
    except NotImplementedError:
        return value
    if value is None or isinstance(value, python_type):
        return value
    if python_type is datetime:
        return datetime.fromisoformat(value)
    if python_type is date:
        return date.fromisoformat(value)
    return python_type(value)


def after_cursor(
    columns: Sequence[sa.ColumnElement[Any]], cursor: str | None, *, descending: bool = False
) -> sa.ColumnElement[bool] | None:
    """The WHERE clause that starts a page after `cursor`, for rows ordered by `columns`."""
    if cursor is None:
        return None
    values = decode_cursor(cursor, len(columns))
    try:
        typed = [
            sa.literal(_coerce(column, value), type_=column.type)
            for column, value in zip(columns, values, strict=True)
        ]
    except (TypeError, ValueError):
        raise _invalid_cursor() from None
    left, right = sa.tuple_(*columns), sa.tuple_(*typed)
    return left < right if descending else left > right


def _page_query(
    query: sa.Select[*Ts],
    keys: Sequence[sa.ColumnElement[Any]],
    cursor: str | None,
    limit: int,
    descending: bool,
) -> sa.Select[*Ts]:
    """`query` from `cursor` on, ordered by `keys`: `limit` rows and one to tell if more follow."""
    if (start := after_cursor(keys, cursor, descending=descending)) is not None:
        query = query.where(start)
    order = [key.desc() for key in keys] if descending else keys
    return query.order_by(*order).limit(limit + 1)


async def keyset_page(
    connection: AsyncConnection,
    query: sa.Select[Any],
    keys: list[sa.ColumnElement[Any]],
    *,
    cursor: str | None,
    limit: int,
    descending: bool = False,
) -> tuple[list[AnyRow], str | None]:
    """One page of `query` ordered by `keys` (the last must be unique), and the next cursor."""
    page = _page_query(query, keys, cursor, limit, descending)
    return _cut(list((await connection.execute(page)).all()), keys, limit)


async def keyset_union_page(
    connection: AsyncConnection,
    queries: Sequence[sa.Select[Any]],
    keys: list[sa.ColumnElement[Any]],
    *,
    cursor: str | None,
    limit: int,
    descending: bool = False,
) -> tuple[list[AnyRow], str | None]:
    """`keyset_page` of the union of `queries` (the same columns), each asked on its own.

    For a condition that is an OR over two tables, which no index serves: each side is a
    query the planner can estimate and serve from its own index. Each gives its first
    `limit` + 1 rows from the cursor; the first `limit` + 1 of their merge are the union's.
    A row two queries find is kept once, by the last key, which is unique."""
    found: dict[Any, AnyRow] = {}
    for query in queries:
        page = _page_query(query, keys, cursor, limit, descending)
        for row in (await connection.execute(page)).all():
            found.setdefault(row._mapping[keys[-1]], row)
    rows = sorted(
        found.values(), key=lambda row: [row._mapping[key] for key in keys], reverse=descending
    )
    return _cut(rows, keys, limit)


def _cut(
    rows: list[AnyRow], keys: Sequence[sa.ColumnElement[Any]], limit: int
) -> tuple[list[AnyRow], str | None]:
    """The page, and the cursor after it when one more row came back than asked for."""
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]._mapping
    return rows, encode_cursor([last[key] for key in keys])


async def model_page(
    connection: AsyncConnection,
    query: sa.Select[Model],
    keys: Sequence[sa.Column[Any]],
    *,
    cursor: str | None,
    limit: int,
    descending: bool = False,
) -> tuple[list[Model], str | None]:
    """`keyset_page` for a query of one model: the page as typed model instances."""
    items = await load_all(connection, _page_query(query, keys, cursor, limit, descending))
    if len(items) <= limit:
        return items, None
    items = items[:limit]
    return items, encode_cursor([getattr(items[-1], key.key) for key in keys])

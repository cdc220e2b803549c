"""Versioned records: the one way rows change, so optimistic locking and history never differ
between domains."""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.auth import Principal
from shared.concurrency import check_if_match
from shared.db import AnyRow, Model, load_one, utcnow
from shared.errors import Conflict, IdTaken, NotFound, PreconditionFailed
from shared.history import diff, record_event
from shared.models import table_of
from shared.outages import is_conflict


async def insert_record(
    connection: AsyncConnection, table: sa.Table, values: dict[str, Any]
) -> None:
    """Insert a record whose id a client may have chosen (shared.values.ClientId): an id
    already taken answers IdTaken. The primary key decides, not a read before the write;
    any other unique constraint still raises, for unique_or to name."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["id"])
        .returning(table.c.id)
    )
    if (await connection.execute(statement)).first() is None:
        raise IdTaken(f"{values['id']} is taken: read it, or make the record with a new id")


@asynccontextmanager
async def unique_or(
    connection: AsyncConnection, taken: Callable[[], Conflict]
) -> AsyncIterator[None]:
    """Run the statements inside in a savepoint; if they break a unique (or exclusion)
    constraint, answer `taken()`. The constraint decides, so two requests racing for one
    code cannot both pass a check made before the write. Any other integrity error is a bug
    and propagates as one."""
    try:
        async with connection.begin_nested():
            yield
    except sa.exc.IntegrityError as error:
        if not is_conflict(error):
            raise
        raise taken() from None


async def fetch_in_scope(
    connection: AsyncConnection,
    model: type[Model],
    record_id: Any,
    scope: sa.ColumnElement[bool],
    not_found: type[NotFound] = NotFound,
) -> Model:
    """The record, if the caller's scope covers it; otherwise 404, as if it did not exist."""
    found = await load_one(
        connection, sa.select(model).where(table_of(model).c.id == record_id, scope)
    )
    if found is None:
        raise not_found()
    return found


def values_of(table: sa.Table, current: Any) -> dict[str, Any]:
    """A record's column values, from a row or a model alike."""
    return {column.key: getattr(current, column.key) for column in table.columns}


async def save_changes(
    connection: AsyncConnection,
    table: sa.Table,
    current: Any,
    values: dict[str, Any],
    *,
    history: sa.Table,
    principal: Principal,
    entity_type: str,
    action: str = "updated",
    parent_id: Any = None,
    extra_changes: dict[str, Any] | None = None,
    unique_conflict: type[Conflict] | None = None,
    on_change: Callable[[], Awaitable[dict[str, Any]]] | None = None,
) -> bool:
    """Write `values` over `current` if its version is still current, bump the version and
    record who changed what. Returns False (and writes nothing) when nothing changed.

    `on_change` supplies further values only when something does change (a sync sequence)."""
    changes = diff(values_of(table, current), values)
    changes.update(extra_changes or {})
    if not changes:
        return False
    values = {**values, "version": current.version + 1, "updated_at": utcnow()}
    if on_change is not None:
        values.update(await on_change())
    statement = (
        table.update()
        .where(table.c.id == current.id, table.c.version == current.version)
        .values(**values)
    )
    if unique_conflict is None:
        result = await connection.execute(statement)
    else:
        async with unique_or(connection, unique_conflict):
            result = await connection.execute(statement)
    if result.rowcount != 1:  # a concurrent writer won between our read and this write
        raise PreconditionFailed("the record changed while you were saving; reload it")
    await record_event(
        connection,
        history,
        principal,
        entity_type=entity_type,
        entity_id=current.id,
        parent_id=parent_id,
        action=action,
        changes=changes,
        version=values["version"],
    )
    return True


async def archive(
    connection: AsyncConnection,
    table: sa.Table,
    current: Any,
    if_match: str | None,
    *,
    values: dict[str, Any] | None = None,
    **kwargs: Any,
) -> bool:
    """Archive instead of delete (with any `values` that go with it); archiving twice changes
    nothing, so retries need no ETag. Returns whether this call archived it."""
    if current.archived_at is not None:
        return False
    check_if_match(if_match, current.version)
    return await save_changes(
        connection,
        table,
        current,
        {"archived_at": utcnow(), **(values or {})},
        action="archived",
        **kwargs,
    )


async def lock(
    connection: AsyncConnection,
    table: sa.Table,
    record_id: Any,
    not_found: type[NotFound] = NotFound,
) -> AnyRow:
    """The row, read again under a lock held to the end of the transaction: checks made on it
    hold until commit, because writers of the same row wait. (SQLite needs no row lock: its
    transactions take the write lock when they begin.)"""
    query = sa.select(table).where(table.c.id == record_id).with_for_update()
    row = (await connection.execute(query)).first()
    if row is None:
        raise not_found()
    return row


async def serialize(connection: AsyncConnection, key: str) -> None:
    """Hold a named lock to the end of the transaction: work under the same key runs one
    transaction at a time, for rules that span many rows (nothing to lock a row on). SQLite
    transactions already run one at a time (they take the write lock when they begin)."""
    if connection.dialect.name == "postgresql":
        lock_id = sa.func.hashtextextended(key, 0)
        await connection.execute(sa.select(sa.func.pg_advisory_xact_lock(lock_id)))

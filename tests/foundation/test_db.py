"""Database behaviour the services rely on, on whichever engine the suite runs."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from fastapi import FastAPI

from shared.db import UTCDateTime
from shared.errors import Conflict, ValidationFailed
from shared.fastsql import PreparedQuery
from shared.pagination import after_cursor, encode_cursor
from shared.records import unique_or
from shared.sqlfunc import lookup
from shared.testing import rollback_session

metadata = sa.MetaData()
parent = sa.Table("probe_parent", metadata, sa.Column("id", sa.Integer, primary_key=True))
child = sa.Table(
    "probe_child",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("parent_id", sa.ForeignKey("probe_parent.id"), nullable=True),
    sa.Column("seen_at", UTCDateTime, nullable=True),
)


@pytest.fixture
async def session(apps: dict[str, FastAPI]):
    async with rollback_session(apps["cases"].state.database.engine) as connection:
        await connection.run_sync(metadata.create_all)
        yield connection


async def test_aware_timestamps_round_trip_as_utc(session) -> None:
    hanoi = timezone(timedelta(hours=7))
    written = datetime(2026, 1, 15, 9, 30, tzinfo=hanoi)
    await session.execute(child.insert().values(id=1, seen_at=written))
    read = (await session.execute(sa.select(child.c.seen_at))).scalar_one()
    assert read == written
    assert read.tzinfo == UTC
    assert read.hour == 2


async def test_naive_timestamps_are_refused(session) -> None:
    with pytest.raises(sa.exc.StatementError, match="naive"):
        await session.execute(child.insert().values(id=2, seen_at=datetime(2026, 1, 1)))  # noqa: DTZ001


async def test_foreign_keys_are_enforced(session) -> None:
    with pytest.raises(sa.exc.IntegrityError):
        await session.execute(child.insert().values(id=3, parent_id=999))


async def test_cursor_pages_cover_every_row_once(session) -> None:
    await session.execute(parent.insert(), [{"id": i} for i in range(1, 26)])
    seen: list[int] = []
    cursor = None
    while True:
        query = sa.select(parent.c.id).order_by(parent.c.id).limit(10)
        condition = after_cursor([parent.c.id], cursor)
        if condition is not None:
            query = query.where(condition)
        ids = list((await session.execute(query)).scalars())
        seen += ids
        if len(ids) < 10:
            break
        cursor = encode_cursor([ids[-1]])
    assert seen == list(range(1, 26))


def test_tampered_cursor_is_a_validation_error() -> None:
    with pytest.raises(ValidationFailed) as caught:
        after_cursor([parent.c.id], "not-base64-json!!")
    assert caught.value.extensions["errors"][0]["loc"] == ["query", "cursor"]


class CodeTaken(Conflict):
    code = "code_taken"
    title = "That code is taken"


async def test_a_unique_violation_answers_the_routes_own_conflict(session) -> None:
    await session.execute(parent.insert().values(id=1))
    with pytest.raises(CodeTaken):
        async with unique_or(session, CodeTaken):
            await session.execute(parent.insert().values(id=1))
    # Only the savepoint was rolled back: the transaction goes on with what came before it.
    assert (await session.execute(sa.select(sa.func.count()).select_from(parent))).scalar() == 1


async def test_another_integrity_error_is_not_taken_for_a_conflict(session) -> None:
    """A foreign key pointing nowhere is a bug to fix, not a code someone else holds."""
    with pytest.raises(sa.exc.IntegrityError):
        async with unique_or(session, CodeTaken):
            await session.execute(child.insert().values(id=4, parent_id=999))


async def test_a_hot_path_statement_fails_as_sqlalchemy_would(session) -> None:
    """shared.fastsql speaks asyncpg directly on PostgreSQL; its failures still reach the
    handlers as SQLAlchemy's exceptions (a taken key a conflict, an outage a 503)."""
    insert = PreparedQuery(parent.insert())
    await insert.execute(session, {"id": 7})
    with pytest.raises(CodeTaken):
        async with unique_or(session, CodeTaken):
            await insert.execute(session, {"id": 7})
    missing = PreparedQuery(sa.select(sa.column("id")).select_from(sa.table("no_such_table")))
    with pytest.raises(sa.exc.DBAPIError):
        await missing.one_or_none(session, {})


async def test_a_hot_path_statement_joins_the_transaction_once_it_has_begun(session) -> None:
    """The fixture's transaction has begun (it created the probe tables): a statement sent
    through asyncpg is part of it, so rolling back undoes it."""
    savepoint = await session.begin_nested()
    await PreparedQuery(parent.insert()).execute(session, {"id": 8})
    await savepoint.rollback()
    assert (await session.execute(sa.select(parent.c.id).where(parent.c.id == 8))).first() is None


async def test_a_lookup_reads_its_own_mapping_even_from_the_statement_cache(session) -> None:
    """Two lookups that differ only in their mappings compile to one statement shape: the
    mapping must be part of the cache key, or the second would answer with the first's."""
    await session.execute(parent.insert(), [{"id": i} for i in (1, 2, 3)])
    key = sa.cast(parent.c.id, sa.String)

    async def looked_up(mapping: dict[str, str]) -> list[str | None]:
        query = sa.select(lookup(key, mapping)).order_by(parent.c.id)
        return list((await session.execute(query)).scalars())

    assert await looked_up({"1": "a", "3": "c'"}) == ["a", None, "c'"]
    assert await looked_up({"2": "b"}) == [None, "b", None]
    assert await looked_up({}) == [None, None, None]

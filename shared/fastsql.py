"""Hot-path statements: compiled once, then run with parameters only.

SQLAlchemy's per-execution work (cache-key lookup, result set-up, greenlet hops) costs more
than a primary-key read itself; measured in bench/, it halved the throughput of a person
read. Both kinds of statement here wrap constant Core statements, compiled once per dialect,
and give rows with attribute access and `_asdict()` (shared.db.AnyRow). On databases other
than PostgreSQL (SQLite in development) they run through SQLAlchemy as usual.

- `PreparedQuery` runs inside a request's transaction, on the driver connection under its
  SQLAlchemy connection (`get_raw_connection()`). A statement runs in that transaction as
  it stands: inside it once SQLAlchemy has begun it (lazily, at its first statement), on
  its own before that, which PostgreSQL makes atomic. Hot paths therefore put what must
  happen together in one statement, or after a SQLAlchemy statement.
- `LoggedRead` reads one record and writes its access-log entry in one statement, on a
  connection of the driver's own pool (shared.db.DriverPool): no SQLAlchemy connection and
  no transaction around it, since one statement is atomic on its own.

Only public APIs are used. Failures are raised as SQLAlchemy's exceptions, so they are
answered like any other (shared.outages).
"""

import json
from collections.abc import Awaitable, Callable, Iterable, Mapping
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import asyncpg
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.db import AnyRow, Database


class RecordRow(SimpleNamespace):
    """An asyncpg record read like a SQLAlchemy row: by attribute, or whole by `_asdict()`.

    A namespace, so a column is an ordinary attribute, found at C speed. A `__getattr__`
    over a dict is reached only after the ordinary lookup has failed, and rendering a
    person through it (30 columns) cost three times the rest of the rendering."""

    def _asdict(self) -> dict[str, Any]:
        return dict(vars(self))

    if TYPE_CHECKING:  # its columns, to the type checker; at run time, plain attributes

        def __getattr__(self, name: str) -> Any: ...


class _Compiled:
    """A constant statement, compiled once per dialect and set of parameter names."""

    def __init__(self, statement: sa.Executable, json_columns: Iterable[str]) -> None:
        self.statement: Any = statement
        self.json_columns = frozenset(json_columns)
        self._compiled: dict[tuple[str, tuple[str, ...]], Any] = {}

    def compiled(self, dialect: sa.Dialect, params: Mapping[str, Any]) -> Any:
        key = (dialect.name, tuple(sorted(params)))
        compiled = self._compiled.get(key)
        if compiled is None:
            column_keys = list(key[1]) if isinstance(self.statement, sa.Insert) else None
            compiled = self.statement.compile(dialect=dialect, column_keys=column_keys)
            if "__[POSTCOMPILE" in compiled.string:
                raise TypeError(
                    "a prepared query cannot hold IN lists or other values rendered "
                    "at execution time; compare with constants instead"
                )
            self._compiled[key] = compiled
        return compiled

    async def run(
        self,
        driver: asyncpg.Connection,
        dialect: sa.Dialect,
        params: Mapping[str, Any],
        call: Callable[[asyncpg.Connection], Callable[..., Awaitable[Any]]],
    ) -> Any:
        compiled = self.compiled(dialect, params)
        values = compiled.construct_params(dict(params))
        arguments = [values[name] for name in compiled.positiontup or ()]
        try:
            return await call(driver)(compiled.string, *arguments)
        except asyncpg.IntegrityConstraintViolationError as error:
            raise sa.exc.IntegrityError(compiled.string, None, error) from error
        except (asyncpg.PostgresError, asyncpg.InterfaceError) as error:
            raise sa.exc.DBAPIError(compiled.string, None, error) from error

    def row(self, record: Any) -> RecordRow:
        values = dict(record)
        for name in self.json_columns:
            if isinstance(values.get(name), str):
                values[name] = json.loads(values[name])
        return RecordRow(**values)


class PreparedQuery:
    """One statement, run on the request's connection, in its transaction as it stands."""

    def __init__(self, statement: sa.Executable, *, json_columns: Iterable[str] = ()) -> None:
        self.statement = statement
        self._query = _Compiled(statement, json_columns)

    async def _driver(self, connection: AsyncConnection) -> asyncpg.Connection:
        return (await connection.get_raw_connection()).driver_connection

    async def one_or_none(
        self, connection: AsyncConnection, params: Mapping[str, Any]
    ) -> AnyRow | None:
        if connection.dialect.name != "postgresql":
            return (await connection.execute(self.statement, dict(params))).first()
        driver = await self._driver(connection)
        record = await self._query.run(driver, connection.dialect, params, lambda d: d.fetchrow)
        return None if record is None else self._query.row(record)

    async def one_on(self, database: Database, params: Mapping[str, Any]) -> AnyRow | None:
        """The row, read in a statement of its own, where a hot path runs one
        (Database.one_statement): for a second look outside the request's transaction."""
        async with database.one_statement() as connection:
            if isinstance(connection, AsyncConnection):
                return (await connection.execute(self.statement, dict(params))).first()
            dialect = database.engine.dialect
            record = await self._query.run(connection, dialect, params, lambda d: d.fetchrow)
        return None if record is None else self._query.row(record)

    async def execute(self, connection: AsyncConnection, params: Mapping[str, Any]) -> None:
        if connection.dialect.name != "postgresql":
            await connection.execute(self.statement, dict(params))
            return
        driver = await self._driver(connection)
        await self._query.run(driver, connection.dialect, params, lambda d: d.execute)


class LoggedRead:
    """One record read, and an entry for it written to a log table, as one statement.

    `read` selects at most one row. The entry's columns are `copied` from that row (log
    column -> read column) or given as parameters named `log_<column>`. On PostgreSQL the
    insert is a data-modifying CTE over the row read, so the entry exists exactly when the
    row was found and served; elsewhere the two statements share a transaction.
    """

    def __init__(
        self,
        read: sa.Select[Any],
        log: sa.Table,
        *,
        copied: Mapping[str, str],
        given: Iterable[str],
        json_columns: Iterable[str] = (),
    ) -> None:
        self.read = read
        self.log = log
        self.copied = dict(copied)
        self.given = tuple(given)
        found = read.cte("found")
        entry: dict[str, sa.ColumnElement[Any]] = {
            column: sa.bindparam(f"log_{column}", type_=log.c[column].type) for column in self.given
        }
        entry |= {column: found.c[source] for column, source in self.copied.items()}
        logged = log.insert().from_select(list(entry), sa.select(*entry.values())).cte("logged")
        self._query = _Compiled(sa.select(found).add_cte(logged), json_columns)

    async def one_or_none(self, database: Database, params: Mapping[str, Any]) -> AnyRow | None:
        async with database.one_statement() as connection:
            if isinstance(connection, AsyncConnection):
                return await self._in_transaction(connection, params)
            dialect = database.engine.dialect
            record = await self._query.run(connection, dialect, params, lambda d: d.fetchrow)
        return None if record is None else self._query.row(record)

    async def _in_transaction(
        self, connection: AsyncConnection, params: Mapping[str, Any]
    ) -> AnyRow | None:
        row: sa.Row[Any] | None = (await connection.execute(self.read, dict(params))).first()
        if row is not None:
            entry = {column: params[f"log_{column}"] for column in self.given}
            entry |= {column: getattr(row, source) for column, source in self.copied.items()}
            await connection.execute(self.log.insert(), entry)
        return row

"""Hot-path statements: compiled once, then run with parameters only.

SQLAlchemy's per-execution work (cache-key lookup, result set-up, greenlet hops) costs more
than a primary-key read itself; measured in bench/, it halved the throughput of a person
read. A `PreparedQuery` wraps one constant Core statement: on PostgreSQL it is compiled once and
sent through asyncpg on the request's own pooled connection; on other databases (SQLite in
development) it runs through SQLAlchemy as usual. Either way the caller gets rows with
attribute access and `_asdict()` (shared.db.AnyRow).

Only public APIs are used: `AsyncConnection.get_raw_connection()` and the pooled
connection's `driver_connection`. A statement runs in the connection's transaction as it
stands: inside the request's transaction once SQLAlchemy has begun it (lazily, at its first
statement), on its own before that, which PostgreSQL makes atomic. Hot paths therefore put
what must happen together in one statement, or after a SQLAlchemy statement. Failures are
raised as SQLAlchemy's exceptions, so they are answered like any other (shared.outages).
"""

import json
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

import asyncpg
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.db import AnyRow


class RecordRow:
    """An asyncpg record read like a SQLAlchemy row."""

    __slots__ = ("_values",)

    def __init__(self, values: dict[str, Any]) -> None:
        self._values = values

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def _asdict(self) -> dict[str, Any]:
        return dict(self._values)


class PreparedQuery:
    def __init__(self, statement: sa.Executable, *, json_columns: Iterable[str] = ()) -> None:
        self.statement: Any = statement
        self.json_columns = frozenset(json_columns)
        self._compiled: dict[tuple[str, ...], Any] = {}

    def _compile(self, connection: AsyncConnection, keys: tuple[str, ...]) -> Any:
        compiled = self._compiled.get(keys)
        if compiled is None:
            column_keys = list(keys) if isinstance(self.statement, sa.Insert) else None
            compiled = self.statement.compile(dialect=connection.dialect, column_keys=column_keys)
            if "__[POSTCOMPILE" in compiled.string:
                raise TypeError(
                    "a prepared query cannot hold IN lists or other values rendered "
                    "at execution time; compare with constants instead"
                )
            self._compiled[keys] = compiled
        return compiled

    async def _run(
        self,
        connection: AsyncConnection,
        params: Mapping[str, Any],
        call: Callable[[Any], Callable[..., Awaitable[Any]]],
    ) -> Any:
        compiled = self._compile(connection, tuple(sorted(params)))
        driver = (await connection.get_raw_connection()).driver_connection
        try:
            return await call(driver)(compiled.string, *self._arguments(compiled, params))
        except asyncpg.IntegrityConstraintViolationError as error:
            raise sa.exc.IntegrityError(compiled.string, None, error) from error
        except (asyncpg.PostgresError, asyncpg.InterfaceError) as error:
            raise sa.exc.DBAPIError(compiled.string, None, error) from error

    def _arguments(self, compiled: Any, params: Mapping[str, Any]) -> list[Any]:
        values = compiled.construct_params(dict(params))
        return [values[name] for name in compiled.positiontup or ()]

    def _row(self, record: Any) -> RecordRow:
        values = dict(record)
        for name in self.json_columns:
            if isinstance(values.get(name), str):
                values[name] = json.loads(values[name])
        return RecordRow(values)

    async def one_or_none(
        self, connection: AsyncConnection, params: Mapping[str, Any]
    ) -> AnyRow | None:
        if connection.dialect.name != "postgresql":
            return (await connection.execute(self.statement, dict(params))).first()
        record = await self._run(connection, params, lambda driver: driver.fetchrow)
        return None if record is None else self._row(record)

    async def execute(self, connection: AsyncConnection, params: Mapping[str, Any]) -> None:
        if connection.dialect.name != "postgresql":
            await connection.execute(self.statement, dict(params))
            return
        await self._run(connection, params, lambda driver: driver.execute)

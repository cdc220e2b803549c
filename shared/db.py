"""Database engine, session dependency and column types that behave alike on Postgres and SQLite."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Protocol, TypeVar

import asyncpg
import sqlalchemy as sa
from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, create_async_engine
from sqlmodel import SQLModel

from shared import clock

Model = TypeVar("Model", bound=SQLModel)


class AnyRow(Protocol):
    """A row read by column name: a SQLAlchemy Row, or a hot-path row (shared.fastsql). Its
    columns are not typed; a record read whole is loaded as its typed model instead
    (shared.records.load_one), and rows remain for joins, projections and the hot path."""

    def __getattr__(self, name: str) -> Any: ...

    def _asdict(self) -> dict[str, Any]: ...


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC, even on SQLite, which drops the zone."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass a timezone-aware value")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    """Now, timezone-aware UTC: the one clock of every timestamp written (shared.clock)."""
    return clock.now()


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def _make_sqlite_transactional(engine: AsyncEngine) -> None:
    """Let SQLAlchemy, not the sqlite3 module, own BEGIN, so SAVEPOINTs and rollbacks work."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
            return
        # IMMEDIATE: take the write lock up front, so concurrent writers wait (busy_timeout)
        # instead of failing with "database is locked" when a read upgrades to a write.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@dataclass(frozen=True)
class Limits:
    """How long a request may wait on the database before it is answered 503: for a
    connection from the pool, to connect, and for one statement (None: no limit, for
    migrations and maintenance commands)."""

    pool_timeout_seconds: float = 5.0
    connect_timeout_seconds: float = 3.0
    statement_timeout_ms: int | None = None


def make_engine(
    url: str, *, pool_size: int = 10, echo: bool = False, limits: Limits = Limits()
) -> AsyncEngine:
    if is_sqlite(url):
        engine = create_async_engine(url, echo=echo)
        _make_sqlite_transactional(engine)
        return engine
    # JIT compiling spent 130-230 ms on each of the reports' aggregates at 1M people and won
    # back less (bench/README.md); every other statement is too small to be compiled.
    server_settings = {"jit": "off"}
    if limits.statement_timeout_ms is not None:
        # Set per connection by the server, so a runaway query dies even if we stop waiting.
        server_settings["statement_timeout"] = str(limits.statement_timeout_ms)
    return create_async_engine(
        url,
        echo=echo,
        pool_size=pool_size,
        max_overflow=pool_size,
        # A pooled connection may lead to a server that has gone: restarted, or the primary
        # lost in a failover. A ping at checkout finds it before the request's first
        # statement does, so no request fails for the connection it happened to get.
        pool_pre_ping=True,
        pool_timeout=limits.pool_timeout_seconds,
        connect_args={
            "timeout": limits.connect_timeout_seconds,
            "server_settings": server_settings,
        },
    )


async def _no_session_state(connection: asyncpg.Connection) -> None:
    """Nothing to undo when a connection comes back to the driver's pool: it runs only
    single statements, which leave no session state (no SET, LISTEN, cursor or advisory
    lock). asyncpg still ends an open transaction itself; skipping its default reset query
    saves a round trip on every read."""


class DriverPool:
    """asyncpg's own pool, beside SQLAlchemy's, for the hot reads (shared.fastsql).

    Checking a connection out of SQLAlchemy's pool and running a transaction on it costs
    more CPU than the primary-key read that follows (bench/README.md). Created at the first
    use, so a service starts while its database is down, and bound by the same limits: a
    full pool or an unreachable server is an outage (503), a slow statement is cut short.
    """

    def __init__(self, connect: dict[str, Any], *, size: int, limits: Limits) -> None:
        self._connect = connect  # asyncpg.connect's arguments: hosts, ports, user...
        self._size = size
        self._limits = limits
        self._pool: asyncpg.Pool | None = None
        self._opening = asyncio.Lock()
        # Turns at the pool, first come first served. asyncpg's queue hands a returned
        # connection to whoever asks next, so a request that arrives just then can overtake
        # one that has waited; under load that doubled the 99th percentile (bench/README.md).
        # asyncio's semaphore queues newcomers behind the requests already waiting.
        self._turns = asyncio.Semaphore(size)

    async def _opened(self) -> asyncpg.Pool:
        async with self._opening:
            if self._pool is None:
                settings = {}
                if self._limits.statement_timeout_ms is not None:
                    settings["statement_timeout"] = str(self._limits.statement_timeout_ms)
                # min_size=0: connections are made on demand, so creating the pool never
                # fails; a refused connection fails the request that needed it.
                self._pool = await asyncpg.create_pool(
                    **self._connect,
                    min_size=0,
                    max_size=self._size,
                    timeout=self._limits.connect_timeout_seconds,
                    server_settings=settings,
                    reset=_no_session_state,
                )
            return self._pool

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[asyncpg.Connection]:
        """A pooled connection, outside any transaction: one statement is atomic on its own."""
        pool = self._pool or await self._opened()
        await self._take_turn()
        try:
            connection = await self._acquire(pool)
            try:
                yield connection
            finally:
                await pool.release(connection)
        finally:
            self._turns.release()

    async def _take_turn(self) -> None:
        if not self._turns.locked():
            await self._turns.acquire()  # a free turn is taken at once, without a timer
            return
        try:
            async with asyncio.timeout(self._limits.pool_timeout_seconds):
                await self._turns.acquire()
        except TimeoutError:
            raise sa.exc.TimeoutError("no connection of the driver's pool came free") from None

    async def _acquire(self, pool: asyncpg.Pool) -> asyncpg.Connection:
        # With a turn, a connection is idle or can be opened: only connecting takes time,
        # and the connect timeout bounds it.
        try:
            return await pool.acquire()
        except (asyncpg.PostgresError, asyncpg.InterfaceError) as error:
            raise sa.exc.DBAPIError("connect", None, error) from error
        except (OSError, asyncpg.TargetServerAttributeNotMatched) as error:
            # refused, unreachable, or no node is the primary yet (a failover under way)
            raise ConnectionError(str(error)) from error

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()


class Database:
    """One engine (and its connection pool) per service process, and on PostgreSQL the
    driver's own pool for the hot reads."""

    def __init__(self, engine: AsyncEngine, *, limits: Limits = Limits()) -> None:
        self.engine = engine
        self.driver_pool: DriverPool | None = None
        if engine.dialect.name == "postgresql":
            # As SQLAlchemy connects: a URL naming several hosts (`?host=a:5432&host=b:5432`,
            # with target_session_attrs) reaches asyncpg as lists of hosts and ports.
            _, options = engine.dialect.create_connect_args(engine.url)
            connect = dict(options)
            connect.pop("prepared_statement_cache_size", None)  # SQLAlchemy's, not asyncpg's
            size = engine.pool.size() if isinstance(engine.pool, sa.QueuePool) else 5
            self.driver_pool = DriverPool(connect, size=size, limits=limits)
        self._shared: tuple[AsyncConnection, asyncio.Lock] | None = None

    def share(self, connection: AsyncConnection | None, turn: asyncio.Lock) -> None:
        """Tests: run the hot paths' statements on `connection` too (None: no more), in a
        savepoint, taking turns with the requests on it (shared.testing.use_session)."""
        self._shared = None if connection is None else (connection, turn)

    @property
    def shared(self) -> bool:
        """Tests: every statement runs on one connection (see `share`)."""
        return self._shared is not None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[tuple[AsyncConnection, Any]]:
        """A connection and a transaction of its own, outside any request, that the caller
        commits or rolls back (work done in the background, such as an import job). Under
        `share` it is a savepoint of the test's connection, holding its turn meanwhile."""
        if self._shared is not None:
            connection, turn = self._shared
            async with turn:
                savepoint = await connection.begin_nested()
                try:
                    yield connection, savepoint
                finally:
                    if savepoint.is_active:
                        await savepoint.rollback()
            return
        async with self.engine.connect() as connection:
            transaction = await connection.begin()
            try:
                yield connection, transaction
            finally:
                if transaction.is_active:
                    await transaction.rollback()

    @asynccontextmanager
    async def one_statement(self) -> AsyncIterator[asyncpg.Connection | AsyncConnection]:
        """Where a hot path runs a statement that is atomic on its own: a connection of the
        driver's pool on PostgreSQL; elsewhere, a SQLAlchemy transaction."""
        if self._shared is not None:
            connection, turn = self._shared
            async with turn, connection.begin_nested():
                if connection.dialect.name == "postgresql":
                    yield (await connection.get_raw_connection()).driver_connection
                else:
                    yield connection
        elif self.driver_pool is not None:
            async with self.driver_pool.connection() as driver:
                yield driver
        else:
            async with self.engine.begin() as connection:
                yield connection

    @classmethod
    def from_url(
        cls, url: str, *, pool_size: int = 10, echo: bool = False, limits: Limits = Limits()
    ) -> "Database":
        return cls(make_engine(url, pool_size=pool_size, echo=echo, limits=limits), limits=limits)

    async def ping(self) -> None:
        # Outside any transaction: a health check must not queue behind writers for a lock.
        async with self.engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(sa.text("SELECT 1"))

    async def dispose(self) -> None:
        if self.driver_pool is not None:
            await self.driver_pool.close()
        await self.engine.dispose()


async def get_session(request: Request) -> AsyncIterator[AsyncConnection]:
    """A connection in a transaction: the one place that commits, once, after the endpoint
    succeeded; on any error it rolls back.

    The services use SQLAlchemy Core, not the ORM, so a plain connection is all they need,
    and measured on the read path it costs markedly less than an ORM session.
    """
    database: Database = request.app.state.database
    async with database.engine.connect() as connection, connection.begin():
        yield connection


async def get_snapshot_session(request: Request) -> AsyncIterator[AsyncConnection]:
    """Like get_session, but every statement sees the same snapshot of the database
    (REPEATABLE READ on PostgreSQL; SQLite's transactions are serial already): for reads
    made of several queries that must agree, such as the changes feed."""
    database: Database = request.app.state.database
    async with database.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = await connection.execution_options(isolation_level="REPEATABLE READ")
        async with connection.begin():
            yield connection


class Transactions:
    """Short transactions on demand, for a request that waits on something else (another
    service over HTTP) between its reads and its writes: no connection is held meanwhile,
    so a slow neighbour cannot drain the pool."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.connect() as connection, connection.begin():
            yield connection


async def get_transactions(request: Request) -> Transactions:
    return Transactions(request.app.state.database.engine)


TransactionsDep = Annotated[Transactions, Depends(get_transactions)]


# "function" scope: the commit happens before the response is sent, so a failed commit is
# reported to the caller instead of following a 2xx that already left.
SessionDep = Annotated[AsyncConnection, Depends(get_session, scope="function")]
SnapshotSessionDep = Annotated[AsyncConnection, Depends(get_snapshot_session, scope="function")]


async def load_one(connection: AsyncConnection, statement: sa.Select[Model]) -> Model | None:
    """The one model instance `statement` selects, loaded by SQLAlchemy's ORM on the
    request's connection and in its transaction (the session neither commits nor rolls it
    back). Typed as the model: a renamed column is a type error, not a text search."""
    async with AsyncSession(bind=connection) as session:
        return (await session.execute(statement)).scalar_one_or_none()


async def load_all(connection: AsyncConnection, statement: sa.Select[Model]) -> list[Model]:
    """Every model instance `statement` selects, loaded as `load_one` loads one."""
    async with AsyncSession(bind=connection) as session:
        return list((await session.execute(statement)).scalars())

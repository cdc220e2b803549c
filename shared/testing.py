"""Test helpers: throwaway databases and clusters, sessions rolled back per test. Running a
service as a real process is tools.processes: only the tools know the services."""

import asyncio
import os
import socket
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
from fastapi import FastAPI
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.db import Transactions, get_session, get_snapshot_session, get_transactions

TEST_DATABASE_ENV = "CTXH_TEST_DATABASE_URL"


def server_url() -> str | None:
    """The Postgres server for tests (see deploy/with-test-postgres.sh); None means SQLite."""
    return os.environ.get(TEST_DATABASE_ENV) or None


async def fresh_postgres_database(admin_url: str, name: str) -> str:
    """Drop and recreate database `name` on the server; return its URL."""
    url = make_url(admin_url)
    connection = await asyncpg.connect(
        host=url.host,
        port=url.port,
        user=url.username,
        password=url.password,
        database=url.database or "postgres",
    )
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return url.set(database=name).render_as_string(hide_password=False)


def fresh_sqlite_database(directory: Path, name: str) -> str:
    path = directory / f"{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite+aiosqlite:///{path}"


async def fresh_database(name: str, sqlite_dir: Path) -> str:
    admin = server_url()
    if admin:
        return await fresh_postgres_database(admin, name)
    return fresh_sqlite_database(sqlite_dir, name)


@asynccontextmanager
async def rollback_session(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection inside a transaction that is always rolled back: a test leaves no trace."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        try:
            yield connection
        finally:
            await transaction.rollback()


def use_session(app: FastAPI, connection: AsyncConnection) -> None:
    """Route the app's session dependency to `connection`. Each request runs in a savepoint,
    so it commits or rolls back on its own, as in production, inside the test's transaction.

    Requests take turns on the one connection (in production each has its own), so
    concurrent calls, such as the reporting service's, do not interleave savepoints."""
    turn = asyncio.Lock()

    async def override() -> AsyncIterator[AsyncConnection]:
        async with turn, connection.begin_nested():
            yield connection

    class TestTransactions(Transactions):
        @asynccontextmanager
        async def begin(self) -> AsyncIterator[AsyncConnection]:
            async with turn, connection.begin_nested():
                yield connection

    # A snapshot read sees the test's writes the same way: it is the test's transaction.
    app.dependency_overrides[get_session] = override
    app.dependency_overrides[get_snapshot_session] = override
    app.dependency_overrides[get_transactions] = lambda: TestTransactions(connection.engine)
    app.state.database.share(connection, turn)


def end_session(app: FastAPI) -> None:
    """Undo use_session: the app goes back to its own connections."""
    app.dependency_overrides.clear()
    app.state.database.share(None, asyncio.Lock())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class PostgresCluster:
    """A PostgreSQL cluster of its own, durable as in production, that a test may stop and
    start again: for proving what survives a restart (see tests/resilience)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.data = directory / "data"
        self.port = free_port()
        self.bindir = postgres_bindir()

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        # PostgreSQL refuses to run as root.
        owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*owner, *command], check=True, capture_output=True)

    def create(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            subprocess.run(["chown", "postgres:", str(self.directory)], check=True)
        self._run(
            f"{self.bindir}/initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
            "-c max_connections=200"
        )
        log = str(self.directory / "server.log")
        self._run(
            f"{self.bindir}/pg_ctl", "-D", str(self.data), "-l", log, "-w", "start", "-o", options
        )

    def stop(self, mode: str = "fast") -> None:
        """`immediate` is a crash as far as the data is concerned: no checkpoint, WAL replay."""
        self._run(f"{self.bindir}/pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")


def postgres_bindir() -> str:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if found:
        return str(found[-1].parent)
    done = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True)
    return done.stdout.strip()

"""The database pools on PostgreSQL. The driver's own, which serves the hot reads
(shared.db.DriverPool): fair under load, bounded when full, no transaction carried from one
read to the next. Both: every node of a multi-host URL, an outage while none takes writes,
and no request failed for a pooled connection whose server went away."""

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from shared.db import Database, DriverPool, Limits, make_engine
from shared.outages import is_outage
from shared.settings import ServiceSettings
from shared.testing import free_port, server_url

if not server_url():
    pytest.skip("the driver's pool exists on PostgreSQL only", allow_module_level=True)


async def _pool(size: int, pool_timeout_seconds: float = 5.0) -> AsyncIterator[DriverPool]:
    url = make_url(server_url() or "")
    pool = DriverPool(
        {"host": url.host, "port": url.port, "user": url.username, "database": url.database},
        size=size,
        limits=Limits(pool_timeout_seconds=pool_timeout_seconds),
    )
    try:
        yield pool
    finally:
        await pool.close()


@pytest.fixture
async def one_connection() -> AsyncIterator[DriverPool]:
    async for pool in _pool(size=1, pool_timeout_seconds=0.3):
        yield pool


async def test_a_connection_given_back_goes_to_the_request_that_waited_longest(
    one_connection: DriverPool,
) -> None:
    async def use(name: str, served: list[str]) -> None:
        async with one_connection.connection():
            served.append(name)

    async def arrive_late(steps: int, served: list[str]) -> None:
        for _ in range(steps):
            await asyncio.sleep(0)
        await use("newcomer", served)

    # A newcomer arrives a few turns of the event loop after the connection is let go:
    # whichever turn it lands on, as the connection is given back included, it is served
    # after the request that was already waiting.
    for steps in range(12):
        served: list[str] = []
        async with one_connection.connection():
            waiter = asyncio.create_task(use("waiter", served))
            await asyncio.sleep(0.01)
            newcomer = asyncio.create_task(arrive_late(steps, served))
        await asyncio.gather(waiter, newcomer)
        assert served == ["waiter", "newcomer"], f"arriving {steps} turns later"


async def test_a_request_that_finds_the_pool_full_is_an_outage_after_the_timeout(
    one_connection: DriverPool,
) -> None:
    async with one_connection.connection():
        with pytest.raises(sa.exc.TimeoutError) as raised:
            async with one_connection.connection():
                pass
    assert is_outage(raised.value)
    async with one_connection.connection() as connection:  # the turn it never got is free
        assert await connection.fetchval("SELECT 1") == 1


async def test_a_transaction_left_open_does_not_reach_the_next_user(
    one_connection: DriverPool,
) -> None:
    async with one_connection.connection() as connection:
        await connection.execute("BEGIN")
        await connection.execute("CREATE TEMPORARY TABLE left_behind (id int)")
    async with one_connection.connection() as connection:
        assert not connection.is_in_transaction()
        missing = "SELECT to_regclass('pg_temp.left_behind') IS NULL"
        assert await connection.fetchval(missing)


async def test_no_node_that_takes_writes_is_an_outage_on_both_pools() -> None:
    """What a multi-host URL meets between losing the primary and promoting a standby:
    every node answers, and none is what target_session_attrs asks for (here the one
    server is a primary, and the URL asks for a standby)."""
    url = make_url(server_url() or "").update_query_dict({"target_session_attrs": "standby"})
    database = Database(make_engine(url.render_as_string(hide_password=False), pool_size=1))
    try:
        with pytest.raises(sa.exc.DBAPIError) as through_sqlalchemy:
            async with database.engine.connect():
                pass
        assert is_outage(through_sqlalchemy.value)
        assert database.driver_pool is not None
        with pytest.raises(ConnectionError) as through_the_driver:
            async with database.driver_pool.connection():
                pass
        assert is_outage(through_the_driver.value)
    finally:
        await database.dispose()


@pytest.mark.parametrize("live", [0, 1])
async def test_every_host_of_a_multi_host_url_reaches_the_driver_pool(live: int) -> None:
    url = make_url(server_url() or "")
    hosts = [f"127.0.0.1:{free_port()}"]  # nothing listens there
    hosts.insert(live, f"{url.host}:{url.port}")
    query = "&".join(f"host={host}" for host in hosts)
    several = f"postgresql+asyncpg://{url.username}@/{url.database}?{query}"
    database = Database(make_engine(several, pool_size=1))
    try:
        assert database.driver_pool is not None
        async with database.driver_pool.connection() as connection:
            assert await connection.fetchval("SELECT 1") == 1
    finally:
        await database.dispose()


async def _terminate(pids: list[int]) -> None:
    """What a restart or a lost primary does to the connections that led there."""
    url = make_url(server_url() or "")
    admin = await asyncpg.connect(
        host=url.host, port=url.port, user=url.username, database=url.database
    )
    try:
        await admin.execute("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid", pids)
    finally:
        await admin.close()


async def test_a_pooled_connection_to_a_server_that_went_away_fails_no_request() -> None:
    engine = make_engine(server_url() or "", pool_size=1)
    try:
        async with engine.connect() as connection:
            pid = await connection.scalar(sa.text("SELECT pg_backend_pid()"))
        await _terminate([pid])
        async with engine.connect() as connection:
            assert await connection.scalar(sa.text("SELECT 1")) == 1
    finally:
        await engine.dispose()


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
async def test_a_plain_postgresql_url_as_cloudnativepg_gives_it_is_served(scheme: str) -> None:
    url = make_url(server_url() or "")
    plain = f"{scheme}://{url.username}@{url.host}:{url.port}/{url.database}"
    settings = ServiceSettings(database_url=plain)
    database = Database(make_engine(settings.sqlalchemy_url(), pool_size=1))
    try:
        async with database.engine.connect() as connection:
            assert await connection.scalar(sa.text("SELECT 1")) == 1
        assert database.driver_pool is not None
    finally:
        await database.dispose()

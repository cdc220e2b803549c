"""What a seeded cases database takes on disk, and how long a logical backup and a restore
of it take: numbers for docs/scale.md."""

import asyncio
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from shared.testing import fresh_postgres_database, postgres_bindir


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def report(admin: str, url: str, known: dict[str, Any]) -> None:
    connection = await asyncpg.connect(_libpq(url))
    try:
        total = await connection.fetchval("SELECT pg_database_size(current_database())")
        tables = await connection.fetch(
            """SELECT c.relname AS name, pg_total_relation_size(c.oid) AS bytes,
                      c.reltuples::bigint AS rows
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'public' AND c.relkind = 'r'
               ORDER BY 2 DESC LIMIT 6"""
        )
    finally:
        await connection.close()
    people = known["people"]
    print(f"\nstorage of {people:,} people and their cases (tables with their indexes)")
    per_person = total / people / 1024
    print(f"  whole database {total / 2**20:9.0f} MiB   {per_person:6.1f} KiB per person")
    for table in tables:
        mib = table["bytes"] / 2**20
        print(f"  {table['name']:<22} {mib:9.0f} MiB   {table['rows']:>10,} rows")
    await _backup_and_restore(admin, url)


async def _timed(program: str, *arguments: str) -> float:
    """Seconds one of PostgreSQL's programs takes, run off the event loop."""
    started = time.monotonic()
    command = [f"{postgres_bindir()}/{program}", *arguments]
    await asyncio.to_thread(subprocess.run, command, check=True)
    return time.monotonic() - started


async def _backup_and_restore(admin: str, url: str) -> None:
    with tempfile.TemporaryDirectory(prefix="ctxh-bench-dump-") as directory:
        dump = Path(directory) / "cases.dump"
        dumped = await _timed(
            "pg_dump", "--format=custom", "--compress=1", "--file", str(dump), _libpq(url)
        )
        target = await fresh_postgres_database(admin, "ctxh_bench_restore")
        restored = await _timed(
            "pg_restore", "--jobs=2", "--no-owner", "--dbname", _libpq(target), str(dump)
        )
        size = dump.stat().st_size / 2**20
    print(f"  pg_dump (custom, compressed) {dumped:6.1f} s, {size:.0f} MiB")
    print(f"  pg_restore, 2 jobs           {restored:6.1f} s (indexes rebuilt)")

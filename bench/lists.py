"""Every list and search the mobile and web apps use, through the real services, over a
seeded province (`BENCH_PEOPLE`, 200,000 by default): each one's p50 and p95 of sequential
requests against 50 ms, and how many rows its requests read in the database."""

import asyncio
import os
import random
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.load import bench_people, latencies
from bench.seed_cases import CASE_COLUMNS, PERSON_COLUMNS, _case, _person, seed, seed_caseloads
from bench.seed_workforce import seed as seed_workforce
from shared import migrations
from shared.admin_units import units_2025
from shared.auth.principal import Role
from shared.auth.tokens import issue_dev_token
from shared.dates import today_in_vietnam
from shared.settings import ServiceSettings
from shared.testing import fresh_postgres_database, server_url
from tools.processes import ServiceProcess
from tools.services import migrations_of

WARD = "10525"  # Phường Hải Dương: where the seeded caseloads are
TARGET_MS = 50.0
RUNS = 25
WARM_UP = 3
# A backend sends its table counters to pg_stat as it goes idle, at most once a second;
# what it holds then waits for 10 s of idleness. Rather than wait that out after each list
# (six minutes for all of them), the bench pauses a second and asks the service's readiness
# (SELECT 1, no table read) once per connection it holds: each ends a transaction on a
# connection (SQLAlchemy's pool hands them out in turn) and so flushes all it held.
FLUSH_PAUSE_S = 1.1

# The rows a request read: table rows read by sequential scans, plus index entries read by
# index scans (index-only ones too), from pg_stat_user_tables/indexes. Writes (the access
# log of a list of sensitive people) are not reads and are not counted.
ROWS_READ = """
SELECT coalesce((SELECT sum(seq_tup_read) FROM pg_stat_user_tables), 0)
     + coalesce((SELECT sum(idx_tup_read) FROM pg_stat_user_indexes), 0)
"""

Query = tuple[str, str, str, dict[str, Any]]  # label, token, path, parameters


async def _prepare(admin: str, people: int) -> tuple[dict[str, str], dict[str, Any]]:
    urls = {}
    for name in ("cases", "workforce"):
        urls[name] = await fresh_postgres_database(admin, f"ctxh_bench_lists_{name}")
        await asyncio.to_thread(migrations.upgrade, migrations_of(name), urls[name])
    print(f"seeding {people:,} people and their cases, and 20 caseloads of 500 ...", flush=True)
    started = time.perf_counter()
    known = await seed(urls["cases"], people)
    workers = [uuid.uuid4() for _ in range(20)]
    await seed_caseloads(urls["cases"], WARD, workers, 500)
    known["worker"] = workers[0]
    print("  workforce:", await seed_workforce(urls["workforce"]))
    print(f"  seeded in {time.perf_counter() - started:.0f} s", flush=True)
    return urls, known


def _queries(known: dict[str, Any]) -> list[Query]:
    today = today_in_vietnam()
    month_ago = (today - timedelta(days=30)).isoformat()
    ward = {"ward_code": known["ward"]}
    return [
        ("persons: name, common", "officer", "/persons", {"q": "nguyen van"}),
        ("persons: full name", "officer", "/persons", {"q": known["name"]}),
        ("persons: name, no accents, rare", "officer", "/persons", {"q": "tuyet"}),
        ("persons: national ID", "officer", "/persons", {"q": known["national_id"]}),
        ("persons: phone", "officer", "/persons", {"q": "0912345678"}),
        ("persons: ward", "officer", "/persons", ward),
        (
            "persons: ward + category + age",
            "officer",
            "/persons",
            {**ward, "category": "orphan_without_support", "age_max": 15},
        ),
        (
            "persons: ward + sex + age",
            "officer",
            "/persons",
            {**ward, "sex": "female", "age_min": 60},
        ),
        ("persons: category, province", "officer", "/persons", {"category": "older_person"}),
        ("persons: newest", "officer", "/persons", {"sort": "-created_at"}),
        ("cases: newest", "officer", "/cases", {"sort": "-opened_date"}),
        (
            "cases: stage + status",
            "officer",
            "/cases",
            {"stage": "implementation", "status": "active"},
        ),
        ("cases: ward", "officer", "/cases", ward),
        ("cases: ward + active", "officer", "/cases", {**ward, "status": "active"}),
        ("cases: overdue in a ward", "officer", "/cases", {**ward, "overdue": "true"}),
        ("cases: overdue, province", "officer", "/cases", {"overdue": "true"}),
        (
            "cases: category + age + ward",
            "officer",
            "/cases",
            {**ward, "category": "orphan_without_support", "age_max": 15},
        ),
        ("cases: a worker's", "officer", "/cases", {"worker_id": str(known["worker"])}),
        ("cases: a facility's", "officer", "/cases", {"facility_id": str(uuid.uuid4())}),
        ("cases: opened this month", "officer", "/cases", {"opened_from": month_ago}),
        ("cases: name search", "officer", "/cases", {"q": "tran thi"}),
        ("cases: mine (worker)", "worker", "/cases", {"worker_id": str(known["worker"])}),
        ("overdue: province", "officer", "/overdue", {}),
        ("overdue: mine (worker)", "worker", "/overdue", {"mine": "true"}),
        ("referrals: outgoing (worker)", "worker", "/referrals", {"direction": "outgoing"}),
        ("referrals: overdue, province", "officer", "/referrals/overdue", {}),
        ("caseload: first page (worker)", "worker", "/changes", {"scope": "caseload"}),
        ("duplicates queue", "officer", "/duplicates", {}),
        ("conflicts (worker)", "worker", "/conflicts", {}),
        ("facilities: province", "officer", "workforce:/facilities", {"province_code": "31"}),
        ("facilities: name", "officer", "workforce:/facilities", {"q": "trung tam"}),
        ("workers: by name", "officer", "workforce:/workers", {}),
        ("workers: name search", "officer", "workforce:/workers", {"q": "nguyen"}),
    ]


def run(people: int | None = None) -> None:
    admin = server_url()
    if admin is None:
        raise SystemExit("set CTXH_TEST_DATABASE_URL (make bench starts a PostgreSQL for you)")
    people = people or bench_people()
    urls, known = asyncio.run(_prepare(admin, people))
    work = Path(tempfile.mkdtemp(prefix="ctxh-bench-lists-"))
    key = work / "key.pem"
    env = dict(os.environ)
    for name, url in urls.items():
        prefix = name.upper()
        env |= {
            f"{prefix}_DATABASE_URL": url,
            f"{prefix}_DEV_KEY_PATH": str(key),
            f"{prefix}_LOG_LEVEL": "WARNING",
        }
    services = {name: ServiceProcess(name, env, work) for name in urls}
    for service in services.values():
        service.start()
    try:
        for service in services.values():
            asyncio.run(service.wait_ready())
        settings = ServiceSettings(dev_key_path=key)
        tokens = {
            "officer": issue_dev_token(settings, roles=[Role.PROVINCE_OFFICER], province_code="31"),
            "worker": issue_dev_token(
                settings,
                roles=[Role.COMMUNE_WORKER],
                subject=str(known["worker"]),
                province_code="31",
                commune_code=WARD,
            ),
        }
        _measure({n: s.url for n, s in services.items()}, urls, tokens, known)
        asyncio.run(insert_cost(urls["cases"]))
    finally:
        for service in services.values():
            service.stop()


def _measure(
    bases: dict[str, str], urls: dict[str, str], tokens: dict[str, str], known: dict[str, Any]
) -> None:
    print(
        f"\nlists over {known['people']:,} people, {known['cases']:,} cases, "
        f"{known['services']:,} services: {RUNS} sequential requests each, after {WARM_UP}"
    )
    print(f"  {'list':<36} {'p50 ms':>7} {'p95 ms':>7} {'rows read':>10}")
    failed = 0
    with httpx.Client(timeout=60) as client:
        for label, who, path, params in _queries(known):
            service, _, path = path.rpartition(":")
            service = service or "cases"
            headers = {"Authorization": f"Bearer {tokens[who]}"}
            before = asyncio.run(_count(urls[service], ROWS_READ))
            url = f"{bases[service]}/api/v1{path}"
            p50, p95 = latencies(client, url, params, headers, runs=RUNS)
            _flush_counters(client, bases[service], urls[service])
            rows = (asyncio.run(_count(urls[service], ROWS_READ)) - before) / (RUNS + WARM_UP)
            verdict = "PASS" if p95 <= TARGET_MS else "FAIL"
            failed += verdict == "FAIL"
            print(f"  {label:<36} {p50:7.1f} {p95:7.1f} {rows:10,.0f}  {verdict}", flush=True)
    print(f"  {failed} over {TARGET_MS:.0f} ms at p95")


# The service's connections to its database, besides the one asking.
CONNECTIONS = """
SELECT count(*) FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
"""


def _flush_counters(client: httpx.Client, base: str, url: str) -> None:
    """Make the service's connections report the rows they read (FLUSH_PAUSE_S above)."""
    time.sleep(FLUSH_PAUSE_S)
    for _ in range(asyncio.run(_count(url, CONNECTIONS))):
        client.get(f"{base}/readyz").raise_for_status()


async def _count(url: str, query: str) -> int:
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        return int(await connection.fetchval(query))
    finally:
        await connection.close()


async def insert_cost(url: str, count: int = 10_000) -> float:
    """What the indexes cost writes: `count` people and their cases inserted one row per
    statement (as the API does), in one transaction that is then rolled back."""
    rng, today, now = random.Random(3), today_in_vietnam(), datetime.now(UTC)
    wards = [w.code for w in units_2025().wards_of("31")]
    people = [_person(rng, 5_000_000 + i, wards, today, now) for i in range(count)]
    cases = [_case(rng, 5_000_000 + i, p, today, now) for i, p in enumerate(people)]
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        transaction = connection.transaction()
        await transaction.start()
        started = time.perf_counter()
        for table, columns, rows in (
            ("person", PERSON_COLUMNS, people),
            ("case_file", CASE_COLUMNS, cases),
        ):
            marks = ", ".join(f"${n}" for n in range(1, len(columns) + 1))
            # Our own table and column names, not input.
            insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
            await connection.executemany(insert, rows)
        seconds = time.perf_counter() - started
        await transaction.rollback()
    finally:
        await connection.close()
    print(f"\ninserting {count:,} people and their cases, a row per statement: {seconds:.2f} s")
    return seconds

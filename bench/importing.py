"""Bulk import: a sheet of 100,000 rows sent to an import job through the real service, from
the upload to the job done, against PostgreSQL's COPY of the same rows into the same tables.

The COPY is what the job writes (the records, their positions and allowances, their
history), prepared beforehand and sent in one transaction that is rolled back: the floor of
any import. The job does all the rest too: reading the CSV, every check of the API's
models, duplicates in the file and in the registry, and its progress."""

import asyncio
import csv
import os
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncConnection

from bench.load import bench_people
from bench.seed_cases import seed as seed_cases
from bench.seed_workforce import seed as seed_workforce
from bench.sheets import PERSON_HEADERS, WORKER_HEADERS, person_rows, worker_rows, write_csv
from services.cases.common import history as cases_history
from services.cases.importing.bulk import PersonImporter
from services.cases.person.models import category_t, person_t
from services.workforce.assignment.models import allowance_t, assignment_t
from services.workforce.common import history
from services.workforce.importing.bulk import WorkerImporter
from services.workforce.worker.models import worker_t
from shared import migrations
from shared.admin_units import units_2025
from shared.auth.principal import Principal, Role
from shared.auth.tokens import issue_dev_token
from shared.db import make_engine
from shared.settings import ServiceSettings
from shared.sheets.bulk import insert_rows
from shared.sheets.reader import stream_rows
from shared.testing import fresh_postgres_database, server_url
from tools.processes import ServiceProcess
from tools.services import migrations_of

ROWS = 100_000
TARGET_ROWS_PER_SECOND = 20_000
TARGET_COPY_RATIO = 0.5


@dataclass(frozen=True)
class Outcome:
    kind: str
    rows: int
    copy_seconds: float
    dry_run_seconds: float
    import_seconds: float

    def report(self) -> None:
        rate = self.rows / self.import_seconds
        ratio = self.copy_seconds / self.import_seconds
        verdict = (
            "PASS" if rate >= TARGET_ROWS_PER_SECOND and ratio >= TARGET_COPY_RATIO else "FAIL"
        )
        print(f"\nimport of {self.rows:,} {self.kind}, one job through the service:")
        print(f"  COPY of the same rows        {self.copy_seconds:7.2f} s")
        print(f"  dry run (every check)        {self.dry_run_seconds:7.2f} s")
        print(
            f"  import (checked and written) {self.import_seconds:7.2f} s   "
            f"{rate:,.0f} rows/s, {ratio:.2f} of COPY's speed   {verdict} "
            f"(targets {TARGET_ROWS_PER_SECOND:,} rows/s and {TARGET_COPY_RATIO} of COPY)"
        )


async def copy_seconds(
    url: str,
    prepare: Callable[[AsyncConnection], Coroutine[Any, Any, list[tuple[Any, list[Any]]]]],
) -> float:
    """How long COPY takes to write what `prepare` returns (table, rows), in one transaction
    rolled back afterwards; the best of two."""
    engine = make_engine(url, pool_size=1)
    best = float("inf")
    try:
        for _ in range(2):
            async with engine.connect() as connection:
                transaction = await connection.begin()
                tables = await prepare(connection)
                start = time.perf_counter()
                for table, rows in tables:
                    await insert_rows(connection, table, rows)
                best = min(best, time.perf_counter() - start)
                await transaction.rollback()
    finally:
        await engine.dispose()
    return best


async def _file_chunks(path: Path) -> AsyncIterator[bytes]:
    with path.open("rb") as source:
        while chunk := source.read(1024 * 1024):
            yield chunk


async def run_job(base_url: str, token: str, kind: str, path: Path, dry_run: bool) -> float:
    """Seconds from sending the file to the job done; it must have written every row (or,
    dry, found no problem)."""
    elapsed, job = await _job(base_url, token, kind, path, dry_run)
    assert job["status"] == "done", {k: job[k] for k in ("status", "failure", "errors")}
    assert job["error_count"] == 0, job["errors"][:5]
    assert job["rows_written"] == (0 if dry_run else job["rows_read"]), job
    return elapsed


async def _job(
    base_url: str, token: str, kind: str, path: Path, dry_run: bool
) -> tuple[float, dict[str, Any]]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/csv"}
    async with httpx.AsyncClient(base_url=f"{base_url}/api/v1", timeout=120) as client:
        start = time.perf_counter()
        started = await client.post(
            "/import-jobs",
            params={"kind": kind, "dry_run": dry_run},
            content=_file_chunks(path),
            headers=headers,
        )
        assert started.status_code == 202, started.text
        while True:
            job = (await client.get(started.headers["Location"].removeprefix("/api/v1"),
                                    headers=headers)).json()  # fmt: skip
            if job["status"] not in ("queued", "running"):
                break
            await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - start
    return elapsed, job


def _worker_tables(path: Path, principal: Principal) -> Any:
    async def prepare(connection: AsyncConnection) -> list[tuple[Any, list[Any]]]:
        importer = WorkerImporter(principal)
        await importer.begin(connection, None)
        with (
            path.open("rb") as source,
            stream_rows(source, "text/csv", importer.columns, 1 << 30) as stream,
        ):
            out = importer.check(list(stream.rows)).items[0]
        importer.seen.clear()
        return [
            (worker_t, out.workers),
            (assignment_t, out.assignments),
            (allowance_t, out.allowances),
            (history, importer._events(out)),
        ]

    return prepare


async def _database(
    admin: str, service: str, seed: Callable[[str], Coroutine[Any, Any, Any]]
) -> str:
    url = await fresh_postgres_database(admin, f"ctxh_bench_import_{service}")
    await asyncio.to_thread(migrations.upgrade, migrations_of(service), url)
    print(f"  {service}:", await seed(url), flush=True)
    return url


def _person_tables(path: Path, principal: Principal) -> Any:
    async def prepare(connection: AsyncConnection) -> list[tuple[Any, list[Any]]]:
        importer = PersonImporter(principal)
        with (
            path.open("rb") as source,
            stream_rows(source, "text/csv", importer.columns, 1 << 30) as stream,
        ):
            out = importer.check(list(stream.rows)).items[0]
        for number, person in enumerate(out.people, start=1):
            person["change_seq"] = number
        return [
            (person_t, out.people),
            (category_t, out.categories),
            (cases_history, importer._events(out)),
        ]

    return prepare


class _Stack:
    """One service process over `url`, and a province officer's token for it."""

    def __init__(self, service: str, url: str, work: Path) -> None:
        prefix, key = service.upper(), work / "key.pem"
        env = {
            **os.environ,
            f"{prefix}_DATABASE_URL": url,
            f"{prefix}_DEV_KEY_PATH": str(key),
            f"{prefix}_LOG_LEVEL": "WARNING",
        }
        self.process = ServiceProcess(service, env, work)
        self.key = key

    def __enter__(self) -> "_Stack":
        self.process.start()
        asyncio.run(self.process.wait_ready())
        self.token = issue_dev_token(
            ServiceSettings(dev_key_path=self.key),
            roles=[Role.PROVINCE_OFFICER],
            province_code="31",
        )
        return self

    def __exit__(self, *_: object) -> None:
        self.process.stop()

    def job(self, kind: str, path: Path, dry_run: bool) -> float:
        return asyncio.run(run_job(self.process.url, self.token, kind, path, dry_run))


OFFICER = Principal(subject="bench", roles=frozenset({Role.PROVINCE_OFFICER}), province_code="31")


def _workers(admin: str, people: int, work: Path) -> Outcome:
    workers = people // 20
    url = asyncio.run(_database(admin, "workforce", lambda u: seed_workforce(u, workers)))
    sheet = write_csv(
        work / "workers.csv",
        WORKER_HEADERS,
        worker_rows(ROWS, [f"BF-{i:05d}" for i in range(2_000)], first_id=900_000),
    )
    copied = asyncio.run(copy_seconds(url, _worker_tables(sheet, OFFICER)))
    with _Stack("workforce", url, work) as stack:
        dry = stack.job("workers", sheet, dry_run=True)
        real = stack.job("workers", sheet, dry_run=False)
    return Outcome(f"workers (into a registry of {workers:,})", ROWS, copied, dry, real)


def _without_lookalikes(stack: _Stack, sheet: Path, work: Path) -> tuple[Path, int]:
    """What an officer does after a dry run: the rows it found like a registered person (a
    random sheet over a random province of a million has a few dozen) taken out."""
    _, job = asyncio.run(_job(stack.process.url, stack.token, "people", sheet, dry_run=True))
    assert job["error_count"] == len(job["errors"]), "more problems than a dry run lists"
    bad = {error["row"] for error in job["errors"]}
    if not bad:
        return sheet, 0
    with sheet.open(encoding="utf-8", newline="") as source:
        rows = list(csv.reader(source))
    kept = [row for number, row in enumerate(rows[1:], start=2) if number not in bad]
    return write_csv(work / "people-checked.csv", rows[0], kept), len(bad)


async def _with_a_writer(stack: _Stack, sheet: Path) -> tuple[float, list[tuple[float, int]]]:
    """The real import, with a commune worker's phone registering a person every half second
    meanwhile: how long they wait behind the job's hold on the sync feed's counter."""
    waits: list[tuple[float, int]] = []
    done = asyncio.Event()

    async def writer() -> None:
        headers = {"Authorization": f"Bearer {stack.token}"}
        async with httpx.AsyncClient(base_url=f"{stack.process.url}/api/v1", timeout=60) as c:
            for n in range(10_000):
                body = {"full_name": f"Người ghi thêm {n}", "sex": "female", "ward_code": "10525"}
                start = time.perf_counter()
                answer = await c.post("/persons", json=body, headers=headers)
                waits.append((time.perf_counter() - start, answer.status_code))
                if done.is_set():
                    return
                await asyncio.sleep(0.5)

    async def job() -> float:
        try:
            return await run_job(stack.process.url, stack.token, "people", sheet, dry_run=False)
        finally:
            done.set()

    elapsed, _ = await asyncio.gather(job(), writer())
    return elapsed, waits


def _people(admin: str, people: int, work: Path) -> Outcome:
    url = asyncio.run(_database(admin, "cases", lambda u: seed_cases(u, people)))
    wards = [w.code for w in units_2025().wards_of("31")]
    sheet = write_csv(
        work / "people.csv", PERSON_HEADERS, person_rows(ROWS, wards, first_id=900_000)
    )
    with _Stack("cases", url, work) as stack:
        sheet, dropped = _without_lookalikes(stack, sheet, work)
        rows = ROWS - dropped
        copied = asyncio.run(copy_seconds(url, _person_tables(sheet, OFFICER)))
        dry = stack.job("people", sheet, dry_run=True)
        real, waits = asyncio.run(_with_a_writer(stack, sheet))
    print(
        f"  while the people job wrote: {len(waits)} people registered one at a time, the "
        f"slowest in {max(w for w, _ in waits):.2f} s; answers "
        f"{sorted({status for _, status in waits})}"
    )
    kind = f"people (into a registry of {people:,}; {dropped} lookalikes taken out first)"
    return Outcome(kind, rows, copied, dry, real)


def run(people: int | None = None) -> None:
    people = people or bench_people()
    admin = server_url()
    if admin is None:
        raise SystemExit("set CTXH_TEST_DATABASE_URL (make bench starts a PostgreSQL for you)")
    work = Path(tempfile.mkdtemp(prefix="ctxh-bench-import-"))
    print(f"seeding a province of {people:,} people and {people // 20:,} workers ...")
    outcomes = [_workers(admin, people, work), _people(admin, people, work)]
    for outcome in outcomes:
        outcome.report()

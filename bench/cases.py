"""Cases service: single-record read against bare FastAPI + asyncpg, and search/list latency
over a seeded province of 200,000 people and cases."""

import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx

from bench import storage
from bench.load import bench_people, latencies, wrk
from bench.seed_cases import seed
from shared import migrations
from shared.auth.principal import Role
from shared.auth.tokens import issue_dev_token
from shared.settings import ServiceSettings
from shared.testing import free_port, fresh_postgres_database, server_url
from tools.cli import MAX_REQUEST_HEAD_BYTES
from tools.processes import ServiceProcess
from tools.services import migrations_of


def _start_baseline(url: str, log_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "BASELINE_DATABASE_URL": url}
    # Served as `ctxh serve` serves the cases service (tools.cli), so the ratio measures
    # what the application does, not which HTTP parser each one got.
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.baseline:app",
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
        "--http",
        "h11",
        "--h11-max-incomplete-event-size",
        str(MAX_REQUEST_HEAD_BYTES),
    ]
    log = (log_dir / "baseline.log").open("ab")
    return subprocess.Popen(command, env=env, stdout=log, stderr=log), f"http://127.0.0.1:{port}"


async def _prepare(admin: str, people: int) -> tuple[str, dict[str, Any]]:
    url = await fresh_postgres_database(admin, "ctxh_bench_cases")
    await asyncio.to_thread(migrations.upgrade, migrations_of("cases"), url)
    print(f"seeding {people:,} people and their cases ...", flush=True)
    return url, await seed(url, people)


def _queries(known: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        ("name search, common name", "/api/v1/persons", {"q": "nguyen van"}),
        ("name search, full name", "/api/v1/persons", {"q": known["name"]}),
        ("name search, no accents", "/api/v1/persons", {"q": "tuyet"}),
        ("national ID search", "/api/v1/persons", {"q": known["national_id"]}),
        (
            "people: ward + category + age",
            "/api/v1/persons",
            {"ward_code": known["ward"], "category": "orphan_without_support", "age_max": 15},
        ),
        (
            "cases: stage + status, newest",
            "/api/v1/cases",
            {"stage": "implementation", "status": "active"},
        ),
        (
            "cases: overdue in a ward",
            "/api/v1/cases",
            {"overdue": "true", "ward_code": known["ward"]},
        ),
        ("cases: name search", "/api/v1/cases", {"q": "tran thi"}),
    ]


def run(people: int | None = None) -> None:
    people = people or bench_people()
    admin = server_url()
    if admin is None:
        raise SystemExit("set CTXH_TEST_DATABASE_URL (make bench starts a PostgreSQL for you)")
    url, known = asyncio.run(_prepare(admin, people))
    work = Path(tempfile.mkdtemp(prefix="ctxh-bench-"))
    key = work / "key.pem"
    env = {
        **os.environ,
        "CASES_DATABASE_URL": url,
        "CASES_DEV_KEY_PATH": str(key),
        "CASES_LOG_LEVEL": "WARNING",
    }
    ours = ServiceProcess("cases", env, work)
    baseline, baseline_url = _start_baseline(url, work)
    ours.start()
    try:
        asyncio.run(ours.wait_ready())
        token = issue_dev_token(
            ServiceSettings(dev_key_path=key), roles=[Role.PROVINCE_OFFICER], province_code="31"
        )
        headers = {"Authorization": f"Bearer {token}"}
        _wait(baseline_url + "/docs")
        _throughput(ours.url, baseline_url, headers, known)
        _search(ours.url, headers, known)
        asyncio.run(storage.report(admin, url, known))
    finally:
        ours.stop()
        baseline.terminate()
        baseline.wait()


def _wait(url: str) -> None:
    for _ in range(100):
        try:
            httpx.get(url).raise_for_status()
            return
        except httpx.HTTPError:
            asyncio.run(asyncio.sleep(0.1))
    raise RuntimeError(f"{url} did not come up")


def _throughput(ours: str, baseline: str, headers: dict[str, str], known: dict[str, Any]) -> None:
    print("\nsingle-record reads: the row in scope and its access-log entry, one statement")
    print("  (the same uvicorn settings for both; best of three, interleaved, 8 connections)")
    for label, path in (
        ("GET /persons/{id}", f"/persons/{known['person_id']}"),
        ("GET /cases/{id}", f"/cases/{known['case_id']}"),
    ):
        results: dict[str, list[float]] = {"ctxh": [], "bare": []}
        for _ in range(3):  # interleaved, best of three: the machine is noisy
            results["ctxh"].append(wrk(f"{ours}/api/v1{path}", headers).requests_per_second)
            results["bare"].append(wrk(f"{baseline}{path}", {}).requests_per_second)
        ctxh, bare = max(results["ctxh"]), max(results["bare"])
        busy = wrk(f"{ours}/api/v1{path}", headers, connections=32)
        bare_busy = wrk(f"{baseline}{path}", {}, connections=32)
        print(f"  {label}")
        print(f"    bare FastAPI + asyncpg  {bare:8.0f} req/s")
        print(f"    ctxh cases service      {ctxh:8.0f} req/s   ratio {ctxh / bare:.2f} of the bar")
        print(
            f"    p99 at 32 connections   ctxh {busy.p99_ms:.1f} ms, bare {bare_busy.p99_ms:.1f} ms"
        )


def _search(ours: str, headers: dict[str, str], known: dict[str, Any]) -> None:
    print(
        f"\nsearch and list latency over {known['people']:,} people, {known['cases']:,} cases, "
        f"{known['services']:,} services (sequential, ms)"
    )
    print(f"  {'query':<34} {'p50':>7} {'p95':>7}")
    with httpx.Client(base_url=ours, timeout=30) as client:
        for label, path, params in _queries(known):
            p50, p95 = latencies(client, path, params, headers)
            flag = "" if p95 < 100 else "   <-- over 100 ms"
            print(f"  {label:<34} {p50:7.1f} {p95:7.1f}{flag}")

"""Reporting: a provincial report over a province's people (`BENCH_PEOPLE`, 200,000 by
default) and workers (`BENCH_WORKERS`, a twentieth of the people by default), end to end
through the three real services, against the same aggregates asked of the sources directly:
held to 1 s over HTTP and to 1.2 times the direct calls."""

import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from bench.load import bench_people
from bench.seed_cases import seed as seed_cases
from bench.seed_workforce import seed as seed_workforce
from services.reporting.plan.service import seed_plans
from shared import migrations
from shared.admin_units import legacy_territory
from shared.auth.principal import Role
from shared.auth.tokens import issue_dev_token
from shared.settings import ServiceSettings
from shared.testing import fresh_postgres_database, server_url
from tools.processes import ServiceProcess
from tools.services import SERVICES as ALL_SERVICES
from tools.services import migrations_of

SERVICES = list(ALL_SERVICES)
TARGET_S = 1.0  # the report, computed through reporting, over HTTP
TARGET_RATIO = 1.2  # of the same aggregates asked of cases and workforce directly


def bench_workers(people: int) -> int:
    """The province's workers: `BENCH_WORKERS`, or one for twenty people (50,000 for a
    province of a million)."""
    return int(os.environ.get("BENCH_WORKERS") or people // 20)


async def _databases(admin: str, people: int, workers: int) -> dict[str, str]:
    urls = {}
    for name in SERVICES:
        urls[name] = await fresh_postgres_database(admin, f"ctxh_bench_report_{name}")
        await asyncio.to_thread(migrations.upgrade, migrations_of(name), urls[name])
    print(f"seeding {people:,} people and {workers:,} workers ...", flush=True)
    print("  cases:", await seed_cases(urls["cases"], people))
    print("  workforce:", await seed_workforce(urls["workforce"], workers))
    return urls


def _stack(urls: dict[str, str], work: Path) -> dict[str, ServiceProcess]:
    env = dict(os.environ)
    for name in SERVICES:
        prefix = name.upper()
        env |= {
            f"{prefix}_DATABASE_URL": urls[name],
            f"{prefix}_DEV_KEY_PATH": str(work / "key.pem"),
            f"{prefix}_LOG_LEVEL": "WARNING",
        }
    stack = {name: ServiceProcess(name, env, work) for name in SERVICES}
    env["REPORTING_CASES_URL"] = stack["cases"].url
    env["REPORTING_WORKFORCE_URL"] = stack["workforce"].url
    env["REPORTING_SOURCE_TIMEOUT_SECONDS"] = "60"
    return stack


async def _direct(stack: dict[str, ServiceProcess], service_token: str, wards: list[str]) -> float:
    """The same aggregates a report needs, asked of cases and workforce directly, concurrently:
    what HD-2025's report asks (its legacy territory, #2 once per facility group)."""
    units: list[tuple[str, str | int | float | bool | None]] = [
        ("province", "31"),
        *[("ward", w) for w in wards],
    ]
    units += [("legacy_province", "30"), ("shared_wards", "include")]
    window: list[tuple[str, str | int | float | bool | None]] = [
        ("from", "2024-12-15"),
        ("to", "2025-12-14"),
    ]
    workers = [("on", "2025-12-14"), *window, *units]
    headers = {"Authorization": f"Bearer {service_token}"}
    cases, workforce = f"{stack['cases'].url}/api/v1", f"{stack['workforce'].url}/api/v1"
    async with httpx.AsyncClient(timeout=60, headers=headers) as client:
        start = time.perf_counter()
        await asyncio.gather(
            client.get(f"{cases}/stats/priority-children", params=window + units),
            client.get(f"{cases}/stats/people-supported", params=window + units),
            client.get(f"{workforce}/stats/facilities", params=[("on", "2025-12-14"), *units]),
            *(
                client.get(f"{workforce}/stats/workers", params=[*workers, ("facility_group", g)])
                for g in ("communes_and_sector", "justice_and_mass")
            ),
        )
        return time.perf_counter() - start


async def _measure(stack: dict[str, ServiceProcess], key: Path, runs: int = 5) -> None:
    settings = ServiceSettings(dev_key_path=key)
    admin = issue_dev_token(settings, roles=[Role.ADMIN])
    officer = issue_dev_token(settings, roles=[Role.PROVINCE_OFFICER], province_code="31")
    service = issue_dev_token(settings, roles=[Role.SERVICE])
    async with httpx.AsyncClient(
        base_url=f"{stack['reporting'].url}/api/v1", timeout=120
    ) as client:
        plans = {}
        for plan in seed_plans():
            created = await client.post(
                "/plans",
                json=plan.model_dump(mode="json"),
                headers={"Authorization": f"Bearer {admin}"},
            )
            plans[plan.code] = created.json()["id"]
        auth = {"Authorization": f"Bearer {officer}"}
        report = (
            await client.post(
                "/reports", json={"plan_id": plans["HD-2025"], "period": "2025"}, headers=auth
            )
        ).json()
        assert report["complete"], report["missing_sources"]
        timings, direct = [], []
        for _ in range(runs):
            start = time.perf_counter()
            response = await client.post(
                f"/reports/{report['id']}/recomputation",
                headers={**auth, "If-Match": f'"{report["version"]}"'},
            )
            timings.append(time.perf_counter() - start)
            report = response.json()
            direct.append(await _direct(stack, service, sorted(legacy_territory("30").ward_codes)))
    ours, bare = statistics.median(timings), statistics.median(direct)
    print(
        f"\nprovincial report (HD-2025, {len(report['values'])} targets, 65 wards), "
        f"median of {runs}:"
    )
    print(f"  the sources' aggregates asked directly   {bare * 1000:8.0f} ms")
    print(
        f"  the report, computed through reporting  {ours * 1000:8.0f} ms   "
        f"ratio {ours / bare:.2f} of the direct calls"
    )
    verdicts = [
        ("report", ours <= TARGET_S, f"{ours * 1000:.0f} ms, target {TARGET_S * 1000:.0f} ms"),
        ("ratio", ours / bare <= TARGET_RATIO, f"{ours / bare:.2f}, target {TARGET_RATIO}"),
    ]
    for name, passed, figures in verdicts:
        print(f"  {name:<8} {figures:<32} {'PASS' if passed else 'FAIL'}")


def run(people: int | None = None, workers: int | None = None) -> None:
    people = people or bench_people()
    workers = workers or bench_workers(people)
    admin = server_url()
    if admin is None:
        raise SystemExit("set CTXH_TEST_DATABASE_URL (make bench starts a PostgreSQL for you)")
    urls = asyncio.run(_databases(admin, people, workers))
    work = Path(tempfile.mkdtemp(prefix="ctxh-bench-report-"))
    stack = _stack(urls, work)
    for service in stack.values():
        service.start()
    try:

        async def ready() -> None:
            await asyncio.gather(*(s.wait_ready() for s in stack.values()))

        asyncio.run(ready())
        asyncio.run(_measure(stack, work / "key.pem"))
    finally:
        for service in stack.values():
            service.stop()

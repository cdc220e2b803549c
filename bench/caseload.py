"""A commune worker's caseload sync (`GET /changes?scope=caseload`) through the cases
service: the first sync of a 500-case caseload at the feed's default page size, and an
incremental sync after 50 changes to it, in a ward where colleagues hold many more cases
and in a province of 200,000 people besides, so the filter has work to do."""

import asyncio
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from bench.load import bench_people
from bench.seed_cases import seed, seed_caseloads
from shared import migrations
from shared.auth.principal import Role
from shared.auth.tokens import issue_dev_token
from shared.settings import ServiceSettings
from shared.testing import fresh_postgres_database, server_url
from tools.processes import ServiceProcess
from tools.services import migrations_of

WARD = "10525"  # Phường Hải Dương
PAGE = 100  # the feed's default page size, what a phone sends (docs/clients.md)
FIRST_SYNC_TARGET_S = 2.0
INCREMENTAL_TARGET_MS = 200.0
RUNS = 5


async def _prepare(admin: str, people: int, colleagues: int, per_worker: int) -> tuple[str, Any]:
    url = await fresh_postgres_database(admin, "ctxh_bench_caseload")
    await asyncio.to_thread(migrations.upgrade, migrations_of("cases"), url)
    print(f"seeding {people:,} people, then {colleagues + 1} caseloads of {per_worker} ...")
    await seed(url, people)
    workers = [uuid.uuid4() for _ in range(colleagues + 1)]
    return url, await seed_caseloads(url, WARD, workers, per_worker)


def _sync(client: httpx.Client, since: str) -> tuple[int, int, str]:
    """Every page from `since`: (records, pages, the cursor to keep)."""
    records = pages = 0
    while True:
        answer = client.get("/api/v1/changes", params={"scope": "caseload", "since": since})
        answer.raise_for_status()
        body = answer.json()
        records, pages, since = records + len(body["items"]), pages + 1, body["next_since"]
        if not body["has_more"]:
            return records, pages, since


def _timed(client: httpx.Client, since: str) -> tuple[list[float], int, int, str]:
    seconds, found = [], (0, 0, since)
    for _ in range(RUNS):
        started = time.perf_counter()
        found = _sync(client, since)
        seconds.append(time.perf_counter() - started)
    return seconds, *found


def _verdict(value: float, target: float) -> str:
    return "PASS" if value <= target else "FAIL"


def _change(office: httpx.Client, n: int, mine: list[Any], theirs: list[Any], me: str) -> None:
    """One of 50 changes a day brings to a caseload, through the API: notes on cases,
    referrals answered, people's addresses, colleagues' cases handed over, and mine away."""
    kind, case = n % 5, mine[n]
    office.headers["Idempotency-Key"] = uuid.uuid4().hex
    if kind == 1:
        referrals = office.get(f"/api/v1/cases/{case}/referrals").json()["items"]
        if referrals:
            office.post(
                f"/api/v1/referrals/{referrals[0]['id']}/transitions",
                json={"status": "accepted"},
                headers={"If-Match": f'"{referrals[0]["version"]}"'},
            ).raise_for_status()
            return
    if kind in (0, 1):
        note = {"body": f"Thăm nhà lần {n}"}
        office.post(f"/api/v1/cases/{case}/notes", json=note).raise_for_status()
    elif kind == 2:
        person = office.get(f"/api/v1/cases/{case}").json()["person"]["id"]
        etag = office.get(f"/api/v1/persons/{person}").headers["ETag"]
        office.patch(
            f"/api/v1/persons/{person}",
            json={"address_line": f"Tổ {n}, khu phố 3"},
            headers={"If-Match": etag},
        ).raise_for_status()
    else:
        case, worker = (theirs[n], me) if kind == 3 else (case, str(uuid.uuid4()))
        etag = office.get(f"/api/v1/cases/{case}").headers["ETag"]
        office.patch(
            f"/api/v1/cases/{case}",
            json={"assigned_worker_id": worker},
            headers={"If-Match": etag},
        ).raise_for_status()


def run(people: int | None = None, colleagues: int = 19, per_worker: int = 500) -> None:
    people = people or bench_people()
    admin = server_url()
    if admin is None:
        raise SystemExit("set CTXH_TEST_DATABASE_URL (make bench starts a PostgreSQL for you)")
    url, caseloads = asyncio.run(_prepare(admin, people, colleagues, per_worker))
    me, colleague = list(caseloads)[:2]
    work = Path(tempfile.mkdtemp(prefix="ctxh-bench-caseload-"))
    key = work / "key.pem"
    env = {
        **os.environ,
        "CASES_DATABASE_URL": url,
        "CASES_DEV_KEY_PATH": str(key),
        "CASES_LOG_LEVEL": "WARNING",
    }
    service = ServiceProcess("cases", env, work)
    service.start()
    try:
        asyncio.run(service.wait_ready())
        settings = ServiceSettings(dev_key_path=key)
        phone = issue_dev_token(
            settings, roles=[Role.COMMUNE_WORKER], subject=str(me), province_code="31",
            commune_code=WARD,
        )  # fmt: skip
        officer = issue_dev_token(settings, roles=[Role.PROVINCE_OFFICER], province_code="31")
        print(
            f"\ncaseload sync: one worker's {per_worker} cases, in a ward of "
            f"{len(caseloads) * per_worker:,} cases and a province of {people:,} people"
        )
        _measure(service.url, phone, officer, caseloads[me], caseloads[colleague], str(me))
    finally:
        service.stop()


def _measure(
    base: str, phone: str, officer: str, mine: list[Any], theirs: list[Any], me: str
) -> None:
    auth = {"Authorization": f"Bearer {phone}"}
    with httpx.Client(base_url=base, headers=auth, timeout=60) as client:
        first, records, pages, cursor = _timed(client, "0")
        office_auth = {"Authorization": f"Bearer {officer}"}
        with httpx.Client(base_url=base, headers=office_auth, timeout=60) as office:
            for n in range(50):
                _change(office, n, mine, theirs, me)
        later, changed, _, _ = _timed(client, cursor)
    best, median = min(first), statistics.median(first)
    print(f"  {'':<40} {'median':>9} {'best':>9} {'target':>9}")
    print(
        f"  {f'first sync: {records:,} records, {pages} pages of {PAGE}':<40} "
        f"{median:8.2f}s {best:8.2f}s {FIRST_SYNC_TARGET_S:8.1f}s  "
        f"{_verdict(median, FIRST_SYNC_TARGET_S)}"
    )
    late_ms, late_best = statistics.median(later) * 1000, min(later) * 1000
    print(
        f"  {f'after 50 changes: {changed} records':<40} "
        f"{late_ms:7.0f}ms {late_best:7.0f}ms {INCREMENTAL_TARGET_MS:7.0f}ms  "
        f"{_verdict(late_ms, INCREMENTAL_TARGET_MS)}"
    )

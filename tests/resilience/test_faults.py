"""What survives faults: a database crash in the middle of writes or under the webhook
worker, a source that turns slow."""

import asyncio
import contextlib
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from tests.resilience.conftest import RoundRobin, Stack, trial_plan
from tests.webhook_receiver import receiving
from tools.processes import WorkerProcess

WARD = "10525"


async def test_a_database_crash_loses_no_acknowledged_write(
    stack: Stack, cases: RoundRobin
) -> None:
    """Writers keep registering people through both processes while PostgreSQL is killed
    (no checkpoint: WAL replay on start) and started again. Every 201 is still there after;
    during the outage clients are told 503 with Retry-After, never 500."""
    acknowledged: list[str] = []
    after_restart: list[str] = []
    refused: list[httpx.Response] = []
    restarted, resumed, stop = asyncio.Event(), asyncio.Event(), asyncio.Event()

    async def writer() -> None:
        while not stop.is_set():
            body = {"full_name": f"Người {uuid.uuid4().hex[:8]}", "sex": "male", "ward_code": WARD}
            try:
                answer = await cases.next().post("/api/v1/persons", json=body)
            except httpx.TransportError:
                continue  # the request never reached an answer: nothing was acknowledged
            if answer.status_code == 201:
                acknowledged.append(answer.json()["id"])
                if restarted.is_set():
                    after_restart.append(answer.json()["id"])
                    if len(after_restart) >= 20:
                        resumed.set()
            else:
                refused.append(answer)
            await asyncio.sleep(0.01)

    writers = [asyncio.ensure_future(writer()) for _ in range(6)]
    await asyncio.sleep(1.5)
    before = len(acknowledged)
    await asyncio.to_thread(stack.cluster.stop, "immediate")
    await asyncio.sleep(2.0)
    await asyncio.to_thread(stack.cluster.start)
    restarted.set()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(resumed.wait(), timeout=30)
    stop.set()
    await asyncio.gather(*writers)

    assert before > 0
    assert resumed.is_set(), "writes did not resume after the restart"
    statuses = {r.status_code for r in refused}
    assert statuses <= {503}, [
        (r.status_code, r.text[:200]) for r in refused if r.status_code != 503
    ]
    assert 503 in statuses, "the outage was never reported"
    assert all(r.headers.get("Retry-After") for r in refused)
    assert all(r.headers["content-type"] == "application/problem+json" for r in refused)
    missing = []
    for person_id in acknowledged:
        read = await cases.next().get(f"/api/v1/persons/{person_id}")
        if read.status_code != 200:
            missing.append((person_id, read.status_code))
    assert not missing, f"{len(missing)} acknowledged writes lost"
    await _all_ready_again(stack)


async def _all_ready_again(stack: Stack, within: float = 15.0) -> None:
    """Every process, not only those that took the writes, reconnects by itself."""
    urls = [url for name in ("cases", "workforce", "reporting") for url in stack.urls(name)]
    deadline = time.monotonic() + within
    async with httpx.AsyncClient(timeout=5) as client:
        for url in urls:
            while (await client.get(f"{url}/readyz")).status_code != 200:
                assert time.monotonic() < deadline, f"{url} did not reconnect"
                await asyncio.sleep(0.2)


async def test_reporting_keeps_serving_while_a_source_is_slow(
    stack: Stack, officer: dict[str, str]
) -> None:
    """Cases answers after 20 s. Drafts wait at most their deadline (4 s here), holding no
    database connection meanwhile, so submitted reports, the ministry's pull and /readyz
    are answered at once though the pool is small (2 connections)."""
    ministry = stack.token("--role", "ministry")
    admin = stack.token("--role", "admin")
    async with httpx.AsyncClient(base_url=stack.urls("reporting")[0], timeout=60) as reporting:
        created = await reporting.post("/api/v1/plans", json=trial_plan(), headers=admin)
        assert created.status_code == 201, created.text
        plan = created.json()
        report = await reporting.post(
            "/api/v1/reports", json={"plan_id": plan["id"], "period": "2025S1"}, headers=officer
        )
        assert report.status_code == 201, report.text
        submitted = await reporting.post(
            f"/api/v1/reports/{report.json()['id']}/submission",
            headers={**officer, "If-Match": report.headers["ETag"]},
        )
        assert submitted.status_code == 200, submitted.text

        stack.proxy.delay = 20
        try:
            started = time.monotonic()
            drafts = [
                asyncio.ensure_future(
                    reporting.post(
                        "/api/v1/reports",
                        json={"plan_id": plan["id"], "period": f"2025-01-01..2025-0{m}-28"},
                        headers=officer,
                    )
                )
                for m in range(1, 7)
            ]
            await asyncio.sleep(0.5)  # the drafts are all waiting on cases now
            reads = [
                reporting.get(f"/api/v1/reports/{report.json()['id']}", headers=officer),
                reporting.get("/api/v1/ministry/indicator-values", headers=ministry),
                reporting.get("/readyz"),
            ]
            quick = time.monotonic()
            answers = await asyncio.gather(*reads)
            assert time.monotonic() - quick < 2
            assert [a.status_code for a in answers] == [200, 200, 200], [a.text for a in answers]
            finished = await asyncio.gather(*drafts)
            assert time.monotonic() - started < 12  # the deadline, not the source, decided
            for draft in finished:
                assert draft.status_code == 201, draft.text
                assert draft.json()["missing_sources"] == ["cases"]
        finally:
            stack.proxy.delay = 0


async def test_the_webhook_worker_outlives_a_database_crash(stack: Stack) -> None:
    """A worker whose database goes away keeps trying, and delivers once it is back."""
    env = {
        **stack.env,
        "CASES_WEBHOOK_POLL_SECONDS": "0.1",
        "CASES_DATABASE_CONNECT_TIMEOUT_SECONDS": "1",
    }
    facility = uuid.uuid4()
    system = stack.token("--role", "integration", "--facility", str(facility), "--subject", "his-r")
    worker = WorkerProcess("worker", env, Path(tempfile.mkdtemp(prefix="ctxh-worker-")))
    worker.start()
    try:
        await worker.wait_ready()
        async with (
            receiving() as receiver,
            httpx.AsyncClient(base_url=stack.urls("cases")[0], timeout=30) as cases,
        ):
            created = await cases.post(
                "/api/v1/webhooks/subscriptions",
                json={"url": receiver.url, "event_types": ["case.opened"]},
                headers={**system, "Idempotency-Key": uuid.uuid4().hex},
            )
            assert created.status_code == 201, created.text
            receiver.secret = created.json()["secret"]

            await asyncio.to_thread(stack.cluster.stop, "immediate")
            await asyncio.sleep(2.0)  # the worker's rounds fail meanwhile
            await asyncio.to_thread(stack.cluster.start)

            opened = None
            deadline = time.monotonic() + 30
            while opened is None:  # the service itself answers 503 until it reconnects
                person = await cases.post(
                    "/api/v1/persons",
                    json={"full_name": "Người thử", "sex": "male", "ward_code": WARD},
                    headers=system,
                )
                if person.status_code == 201:
                    case = await cases.post(
                        "/api/v1/cases",
                        json={"person_id": person.json()["id"], "intake_source": "hospital",
                              "managing_facility_id": str(facility)},
                        headers=system,
                    )  # fmt: skip
                    assert case.status_code == 201, case.text
                    opened = case.json()
                assert time.monotonic() < deadline, person.text
                await asyncio.sleep(0.2)
            (got,) = await receiver.wait_for(1, timeout=30)
            assert got.body["case_id"] == opened["id"]
            assert worker.process is not None
            assert worker.process.poll() is None, worker.log_tail()
    finally:
        worker.stop()

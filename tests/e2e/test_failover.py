"""Losing a machine in the production topology (`make test-cluster` only).

A bounded write load runs through nginx while the PostgreSQL primary's node dies at once
(Patroni and PostgreSQL killed, no clean shutdown). Every write the load was told was made
must be there afterwards, once; the services answer 503 with Retry-After meanwhile, never
500, and write again within RECOVERY_SECONDS without being restarted. Then one process of
each service dies, and nginx's other one carries on.

It runs first among the end-to-end tests (by name), so those that follow run on the
promoted standby, with the lost node back as a replica.
"""

import asyncio
import signal
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest

from shared.auth.principal import Role
from tests.e2e.conftest import IN_CLUSTER, Stack
from tests.reporting.helpers import HP_WARD
from tools.cluster import database, web
from tools.cluster.processes import Detached
from tools.cluster.topology import Topology

pytestmark = pytest.mark.e2e
if not IN_CLUSTER:
    pytest.skip("failover needs the cluster: make test-cluster", allow_module_level=True)

# Patroni's leader key lives TTL_SECONDS after its holder dies; a standby then takes over.
RECOVERY_SECONDS = database.TTL_SECONDS + 20
WRITERS = 4
MARK = f"Failover {uuid.uuid4().hex[:6]}"


@pytest.fixture(scope="module")
async def cases(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    token = stack.ctxh("token", "--role", Role.PROVINCE_OFFICER.value, "--province", "31")
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=stack.url("cases"), headers=headers, timeout=30) as c:
        yield c


def _person(number: int) -> dict[str, object]:
    return {
        "full_name": f"{MARK} {number:05d}",
        "sex": "male",
        "birth_date": "2015-03-01",
        "ward_code": HP_WARD,
        "categories": ["orphan_without_support"],
    }


class Load:
    """Writers that create people, each retrying a refused create with its own key."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.acknowledged: dict[str, str] = {}  # Idempotency-Key -> the id we were given
        self.answers: Counter[int] = Counter()
        self.refusals: list[httpx.Response] = []
        self.stop = asyncio.Event()
        self.refused_at: list[float] = []
        self.written_at: list[float] = []

    async def create(self, key: str, body: dict[str, object]) -> None:
        while True:
            try:
                answer = await self.client.post(
                    "/api/v1/persons",
                    json=body,
                    headers={"Idempotency-Key": key},
                    params={"allow_duplicate": "true"},
                )
            except httpx.TransportError:  # nginx or a process went away: ask again
                await asyncio.sleep(0.2)
                continue
            self.answers[answer.status_code] += 1
            if answer.status_code == 201:
                self.acknowledged[key] = answer.json()["id"]
                self.written_at.append(time.monotonic())
                return
            self.refusals.append(answer)
            self.refused_at.append(time.monotonic())
            await asyncio.sleep(0.2)

    async def writer(self, number: int) -> None:
        written = 0
        while not self.stop.is_set():
            await self.create(f"{MARK}-{number}-{written}", _person(number * 10_000 + written))
            written += 1


async def _people_marked(topology: Topology) -> list[str]:
    """What the database holds, asked of the primary directly."""
    connection = await asyncpg.connect(
        host=["127.0.0.1"] * len(topology.members),
        port=[member.postgres for member in topology.members],
        user="postgres",
        password=topology.superuser_password,
        database="ctxh_cases",
        target_session_attrs="read-write",
    )
    try:
        rows = await connection.fetch(
            "SELECT id::text FROM person WHERE full_name LIKE $1", f"{MARK}%"
        )
    finally:
        await connection.close()
    return [row["id"] for row in rows]


async def test_losing_the_primary_loses_no_acknowledged_write(
    stack: Stack, cases: httpx.AsyncClient
) -> None:
    topology = stack.topology
    assert topology is not None
    services_before = {p.name: p.pid for p in _service_processes(topology)}
    # Written before the loss: a create to replay, a record to change with its ETag.
    load = Load(cases)
    await load.create("before-the-loss", _person(99_999))
    kept = load.acknowledged["before-the-loss"]
    etag = (await cases.get(f"/api/v1/persons/{kept}")).headers["ETag"]

    writers = [asyncio.create_task(load.writer(n)) for n in range(WRITERS)]
    await asyncio.sleep(3)
    lost = database.leader(topology)
    assert lost is not None
    await asyncio.to_thread(database.kill_node, topology, lost)
    killed_at = time.monotonic()
    # The switch is over when writes are taken again: none refused for two seconds.
    await _until(
        lambda: bool(load.refused_at) and time.monotonic() - load.refused_at[-1] > 2,
        RECOVERY_SECONDS + 2,
    )
    load.stop.set()
    await asyncio.gather(*writers)
    switch_took = load.refused_at[-1] - killed_at
    assert switch_took < RECOVERY_SECONDS
    assert any(t > load.refused_at[-1] for t in load.written_at), "no write after the switch"
    print(f"the switch took {switch_took:.1f} s; {dict(load.answers)}")  # shown with -s

    assert load.answers[500] == 0, [r.text for r in load.refusals if r.status_code == 500]
    for refused in load.refusals:
        assert refused.status_code == 503, refused.text
        assert refused.headers.get("Retry-After"), refused.headers
    stored = await _people_marked(topology)
    assert sorted(stored) == sorted(load.acknowledged.values()), "lost or duplicated writes"
    assert len(set(stored)) == len(stored)

    # The same key after the switch gives the same answer, and makes nothing new.
    replay = await cases.post(
        "/api/v1/persons",
        json=_person(99_999),
        headers={"Idempotency-Key": "before-the-loss"},
        params={"allow_duplicate": "true"},
    )
    assert replay.status_code == 201
    assert replay.json()["id"] == kept
    assert len(await _people_marked(topology)) == len(stored)
    # An ETag read before the switch still guards the record: once; after that, a change
    # of the same field made on it is a conflict (its history survived the switch too).
    changed = await cases.patch(
        f"/api/v1/persons/{kept}", json={"phone": "0912345678"}, headers={"If-Match": etag}
    )
    assert changed.status_code == 200, changed.text
    stale = await cases.patch(
        f"/api/v1/persons/{kept}", json={"phone": "0987654321"}, headers={"If-Match": etag}
    )
    assert stale.status_code == 409, stale.text
    assert stale.json()["code"] == "edit_conflict"

    # No service was restarted to get there.
    assert {p.name: p.pid for p in _service_processes(topology)} == services_before
    # The lost node comes back as a replica of the new primary.
    await asyncio.to_thread(database.restart_node, topology, lost)
    await asyncio.to_thread(database.wait_healthy, topology)


async def test_losing_one_process_of_each_service_leaves_the_other_serving(
    stack: Stack, cases: httpx.AsyncClient
) -> None:
    topology = stack.topology
    assert topology is not None
    token = stack.ctxh("token", "--role", Role.ADMIN.value)
    headers = {"Authorization": f"Bearer {token}"}
    first = [web.service_process(topology, name, 0) for name in topology.processes]
    for process in first:
        process.kill(signal.SIGKILL)
    try:
        async with httpx.AsyncClient(headers=headers, timeout=30) as client:
            for name in topology.processes:
                for _ in range(10):  # nginx's round robin would give half of them to the dead
                    answer = await client.get(f"{topology.url(name)}/api/v1/me")
                    assert answer.status_code == 200, (name, answer.text)
    finally:
        for process in first:
            process.start()
        for ports in topology.processes.values():
            await asyncio.to_thread(web.wait_ready, f"http://127.0.0.1:{ports[0]}")


def _service_processes(topology: Topology) -> list[Detached]:
    return [
        web.service_process(topology, name, index)
        for name, ports in topology.processes.items()
        for index in range(len(ports))
    ]


async def _until(condition, timeout: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s")
        await asyncio.sleep(0.1)

"""The production topology on this machine (tools/cluster): what it sustains through nginx,
with every commit confirmed by a synchronous standby, and how long a failover takes.

Numbers for docs/scale.md: creates and reads per second under concurrent clients, their p99,
and the time from losing the primary's node until writes are taken again.
"""

import asyncio
import shutil
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from bench.load import wrk
from shared.admin_units import legacy_territory
from shared.auth.principal import Role
from shared.auth.tokens import issue_dev_token
from shared.settings import ServiceSettings
from tools.cluster import database, lifecycle, web
from tools.cluster.topology import Topology

CLIENTS = 16
SECONDS = 10.0
# A ward of Hải Phòng (31) outside the former Hải Dương, as the tests' officer may write.
WARD = min(legacy_territory("31").ward_codes - legacy_territory("30").ward_codes)


def _person(mark: str, number: int) -> dict[str, object]:
    return {
        "full_name": f"Đo Tải {mark} {number:06d}",
        "sex": "female",
        "birth_date": "2014-06-01",
        "ward_code": WARD,
        "categories": ["orphan_without_support"],
    }


class Run:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.refused = 0
        self.created: list[str] = []
        self.stop_at = 0.0
        self.written_at: list[float] = []
        self.refused_at: list[float] = []

    def summary(self, seconds: float) -> str:
        ordered = sorted(self.latencies) or [0.0]
        p50 = statistics.median(ordered) * 1000
        p99 = ordered[int(len(ordered) * 0.99) - 1] * 1000 if len(ordered) > 1 else p50
        rate = len(self.latencies) / seconds
        return f"{rate:8.0f} /s   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms   refused {self.refused}"


async def _creates(client: httpx.AsyncClient, run: Run, mark: str, number: int) -> None:
    written = 0
    while time.monotonic() < run.stop_at:
        key = f"{mark}-{number}-{written}"
        started = time.monotonic()
        try:
            answer = await client.post(
                "/api/v1/persons",
                json=_person(mark, number * 100_000 + written),
                headers={"Idempotency-Key": key},
                params={"allow_duplicate": "true"},
            )
        except httpx.TransportError:
            run.refused += 1
            continue
        if answer.status_code == 201:
            run.latencies.append(time.monotonic() - started)
            run.created.append(answer.json()["id"])
            run.written_at.append(time.monotonic())
            written += 1
        else:
            run.refused += 1
            run.refused_at.append(time.monotonic())
            await asyncio.sleep(0.1)


async def _measure(topology: Topology, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=CLIENTS)
    async with httpx.AsyncClient(
        base_url=topology.url("cases"), headers=headers, timeout=30, limits=limits
    ) as client:
        mark = uuid.uuid4().hex[:6]
        writes = Run()
        writes.stop_at = time.monotonic() + SECONDS
        await asyncio.gather(*(_creates(client, writes, mark, n) for n in range(CLIENTS)))
        print(f"  creates, {CLIENTS} clients      {writes.summary(SECONDS)}")
        # Reads by wrk, which takes far less of the machine than a Python client.
        url = f"{topology.url('cases')}/api/v1/persons/{writes.created[0]}"
        reads = await asyncio.to_thread(wrk, url, headers, int(SECONDS), CLIENTS)
        print(
            f"  person reads, {CLIENTS} connections {reads.requests_per_second:6.0f} /s"
            f"   p99 {reads.p99_ms:6.1f} ms (wrk)"
        )

        switch = Run()
        switch.stop_at = time.monotonic() + 60
        load = [asyncio.create_task(_creates(client, switch, mark + "f", n)) for n in range(4)]
        await asyncio.sleep(2)
        lost = database.leader(topology)
        assert lost is not None
        await asyncio.to_thread(database.kill_node, topology, lost)
        killed = time.monotonic()
        # Over when nothing was refused for two seconds: a condition on time, not an event.
        while not (switch.refused_at and time.monotonic() - switch.refused_at[-1] > 2):  # noqa: ASYNC110
            await asyncio.sleep(0.1)
        switch.stop_at = 0
        await asyncio.gather(*load)
        resumed = min(t for t in switch.written_at if t > switch.refused_at[-1]) - killed
        print(
            f"  failover: writes refused (503) for {switch.refused_at[-1] - killed:.1f} s, "
            f"taken again {resumed:.1f} s after the primary's node was lost "
            f"(Patroni ttl {database.TTL_SECONDS} s)"
        )


def run() -> None:
    directory = Path(tempfile.mkdtemp(prefix="ctxh-bench-cluster-"))
    topology = Topology.on_free_ports(directory)
    print("starting the cluster (3 PostgreSQL nodes, 2 processes per service, nginx) ...")
    try:
        lifecycle.up(topology)
        env = web.service_environment(topology)
        token = _token(env["CTXH_DEV_KEY_PATH"])
        print(f"\nthrough nginx, synchronous replication, {SECONDS:.0f} s each:")
        asyncio.run(_measure(topology, token))
    finally:
        lifecycle.down(topology)
        shutil.rmtree(directory, ignore_errors=True)


def _token(key_path: str) -> str:
    settings = ServiceSettings(dev_key_path=Path(key_path))
    return issue_dev_token(settings, roles=[Role.PROVINCE_OFFICER], province_code="31")

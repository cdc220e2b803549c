"""Three PostgreSQL 15 nodes under Patroni, with a three-member etcd holding the leader key.

Patroni keeps one synchronous standby (`synchronous_mode`), so a commit is acknowledged
only once a second node has its WAL, and it promotes only a synchronous standby: a write
acknowledged before the primary is lost is on the new primary. The timings are short for
loopback (a lost leader's key expires after `ttl` seconds, then a standby takes over).
"""

import asyncio
import contextlib
import json
import os
import shutil
import signal
import time

import asyncpg
import httpx

from shared.testing import postgres_bindir
from tools.cluster.processes import Detached
from tools.cluster.topology import Member, Topology

TTL_SECONDS = 10
LOOP_WAIT_SECONDS = 1
RETRY_TIMEOUT_SECONDS = 4  # loop_wait + 2 * retry_timeout must stay within the ttl
DATABASES = ("ctxh_cases", "ctxh_workforce", "ctxh_reporting")


def _etcd(topology: Topology, member: Member) -> Detached:
    peers = ",".join(f"{m.name}=http://127.0.0.1:{m.etcd_peer}" for m in topology.members)
    client = f"http://127.0.0.1:{member.etcd_client}"
    peer = f"http://127.0.0.1:{member.etcd_peer}"
    command = [
        "etcd", "--name", member.name,
        "--data-dir", str(topology.directory / "etcd" / member.name),
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
        "--initial-cluster", peers, "--initial-cluster-token", "ctxh",
        "--initial-cluster-state", "new",
    ]  # fmt: skip
    return Detached(f"etcd-{member.name}", command, topology.directory)


def patroni_config(topology: Topology, member: Member) -> dict[str, object]:
    home = topology.directory / "postgres" / member.name
    loopback = "127.0.0.1/32"
    return {
        "scope": "ctxh",
        "namespace": "/ctxh/",
        "name": member.name,
        "restapi": {
            "listen": f"127.0.0.1:{member.patroni}",
            "connect_address": f"127.0.0.1:{member.patroni}",
        },
        "etcd3": {"hosts": topology.etcd_hosts},
        "bootstrap": {
            "dcs": {
                "ttl": TTL_SECONDS,
                "loop_wait": LOOP_WAIT_SECONDS,
                "retry_timeout": RETRY_TIMEOUT_SECONDS,
                "maximum_lag_on_failover": 1024 * 1024,
                "synchronous_mode": True,
                "synchronous_node_count": 1,
                "postgresql": {
                    "use_pg_rewind": True,
                    "parameters": {
                        "max_connections": 200,
                        "wal_log_hints": "on",
                        "max_wal_senders": 10,
                        "max_replication_slots": 10,
                        "synchronous_commit": "on",
                    },
                },
            },
            "initdb": [{"encoding": "UTF8"}, {"locale": "C.UTF-8"}, "data-checksums"],
            "pg_hba": [
                "local all all trust",
                f"host replication replicator {loopback} scram-sha-256",
                f"host all all {loopback} scram-sha-256",
            ],
        },
        "postgresql": {
            "listen": f"127.0.0.1:{member.postgres}",
            "connect_address": f"127.0.0.1:{member.postgres}",
            "data_dir": str(home / "data"),
            "bin_dir": postgres_bindir(),
            "pgpass": str(home / "pgpass"),
            "authentication": {
                "superuser": {"username": "postgres", "password": topology.superuser_password},
                "replication": {
                    "username": "replicator",
                    "password": topology.replication_password,
                },
            },
            "parameters": {"unix_socket_directories": str(home)},
        },
    }


def _patroni(topology: Topology, member: Member) -> Detached:
    home = topology.directory / "postgres" / member.name
    home.mkdir(parents=True, exist_ok=True)
    config = home / "patroni.json"  # JSON is YAML, which Patroni reads
    config.write_text(json.dumps(patroni_config(topology, member), indent=2))
    config.chmod(0o600)
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(home, "postgres", "postgres")
        shutil.chown(config, "postgres", "postgres")
    return Detached(f"patroni-{member.name}", ["patroni", str(config)], topology.directory)


def start(topology: Topology) -> None:
    for member in topology.members:
        _etcd(topology, member).start()
    for member in topology.members:
        _patroni(topology, member).start(user=_postgres_user())


def members(topology: Topology) -> list[dict[str, object]]:
    """The cluster as Patroni sees it (`GET /cluster` on any node that answers)."""
    for member in topology.members:
        try:
            answer = httpx.get(f"http://127.0.0.1:{member.patroni}/cluster", timeout=2)
            found: list[dict[str, object]] = answer.json()["members"]
            return found
        except (httpx.HTTPError, ValueError, KeyError):
            continue
    return []


def leader(topology: Topology) -> Member | None:
    names = [m["name"] for m in members(topology) if m.get("role") == "leader"]
    return next((m for m in topology.members if m.name in names), None)


def wait_healthy(topology: Topology, nodes: int = 3, timeout: float = 120.0) -> Member:
    """Until there is a running leader, a synchronous standby, and `nodes` members
    running or streaming; the leader."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = members(topology)
        roles = [m.get("role") for m in found]
        live = [m for m in found if m.get("state") in ("running", "streaming")]
        if "leader" in roles and "sync_standby" in roles and len(live) >= nodes:
            chosen = leader(topology)
            if chosen is not None:
                return chosen
        time.sleep(0.5)
    raise RuntimeError(f"the PostgreSQL cluster did not become healthy: {members(topology)}")


async def _create_databases(topology: Topology, chosen: Member) -> None:
    connection = await asyncpg.connect(
        host="127.0.0.1",
        port=chosen.postgres,
        user="postgres",
        password=topology.superuser_password,
        database="postgres",
    )
    try:
        for name in DATABASES:
            found = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
            if found is None:
                await connection.execute(f'CREATE DATABASE "{name}"')  # a constant name
    finally:
        await connection.close()


async def _until_on_every_node(topology: Topology, timeout: float) -> None:
    """asyncpg gives up on a multi-host URL at the first node that refuses the login (it
    tries the next only when one cannot be reached), so a database must exist on the
    replicas too, replayed from the primary's WAL, before the services connect."""
    deadline = time.monotonic() + timeout
    for member in topology.members:
        for name in DATABASES:
            while True:
                try:
                    connection = await asyncpg.connect(
                        host="127.0.0.1",
                        port=member.postgres,
                        user="postgres",
                        password=topology.superuser_password,
                        database=name,
                    )
                    await connection.close()
                    break
                except (asyncpg.PostgresError, OSError):
                    if time.monotonic() > deadline:
                        raise
                    await asyncio.sleep(0.2)


def create_databases(topology: Topology, chosen: Member, timeout: float = 60.0) -> None:
    asyncio.run(_create_databases(topology, chosen))
    asyncio.run(_until_on_every_node(topology, timeout))


def _postgres_user() -> str | None:
    return "postgres" if os.geteuid() == 0 else None


def kill_node(topology: Topology, member: Member) -> None:
    """The machine is lost: Patroni and PostgreSQL die at once, with no clean shutdown."""
    Detached(f"patroni-{member.name}", [], topology.directory).kill(signal.SIGKILL)
    postmaster = topology.directory / "postgres" / member.name / "data" / "postmaster.pid"
    if postmaster.exists():
        pid = int(postmaster.read_text().split()[0])
        with contextlib.suppress(ProcessLookupError):
            os.killpg(os.getpgid(pid), signal.SIGKILL)


def restart_node(topology: Topology, member: Member) -> None:
    _patroni(topology, member).start(user=_postgres_user())

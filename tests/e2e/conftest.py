"""The three services as real processes on free ports, each with its own fresh database.

With CTXH_TEST_CLUSTER=1 (`make test-cluster`), the same tests run against the production
topology instead (tools/cluster): PostgreSQL under Patroni, two processes of each service,
every request through nginx."""

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from shared.clock import OFFSET_FILE_VARIABLE
from shared.testing import fresh_database
from tools.cluster import lifecycle, web
from tools.cluster.topology import Topology
from tools.processes import ServiceProcess, WorkerProcess
from tools.services import SERVICES as ALL_SERVICES

SERVICES = list(ALL_SERVICES)


IN_CLUSTER = os.environ.get("CTXH_TEST_CLUSTER") == "1"
# The tests' webhook receivers listen on loopback, and a dead letter must come in seconds.
WEBHOOK_SETTINGS = {
    f"{name.upper()}_WEBHOOK_{setting}": value
    for name, service in ALL_SERVICES.items()
    if service.writes_events
    for setting, value in (
        ("ALLOW_PRIVATE_TARGETS", "true"),
        ("POLL_SECONDS", "0.1"),
        ("TIMEOUT_SECONDS", "3"),
        ("RETRY_FIRST_SECONDS", "0.2"),
        ("RETRY_MAX_DELAY_SECONDS", "0.5"),
        ("RETRY_FOR_SECONDS", "2"),
    )
} | {
    # The workers escalate a referral within a moment of its deadline passing.
    "CASES_REFERRAL_ESCALATION_INTERVAL_SECONDS": "0.3",
}
WORKERS = 2


@dataclass
class Stack:
    urls: dict[str, str]
    env: dict[str, str]
    # Set in a cluster, where nginx already balances each service over two processes.
    topology: Topology | None = None
    # Where the processes write their logs; None on a cluster.
    log_dir: Path | None = None

    def url(self, name: str) -> str:
        return self.urls[name]

    @property
    def clock_file(self) -> Path | None:
        """The file that moves the processes' clock (shared.clock); None on a cluster, which
        runs on the real clock."""
        found = self.env.get(OFFSET_FILE_VARIABLE)
        return Path(found) if found else None

    def ctxh(self, *args: str) -> str:
        """Run the `ctxh` command as a user would, against this stack's settings."""
        command = [sys.executable, "-m", "tools.cli", *args]
        done = subprocess.run(command, env=self.env, capture_output=True, text=True, check=True)
        return done.stdout.strip()


async def _environment(test_dir: Path, label: str, settings: Mapping[str, str]) -> dict[str, str]:
    env = {
        **os.environ,
        **WEBHOOK_SETTINGS,
        "CTXH_DEV_KEY_PATH": str(test_dir / f"{label}-key.pem"),
        **settings,
    }
    # Every process reads it, so a test passes a deadline by writing it, not by waiting.
    env[OFFSET_FILE_VARIABLE] = str(test_dir / f"{label}-clock-offset")
    for name in SERVICES:
        prefix = name.upper()
        env[f"{prefix}_DATABASE_URL"] = await fresh_database(f"ctxh_{label}_{name}", test_dir)
        env[f"{prefix}_DEV_KEY_PATH"] = env["CTXH_DEV_KEY_PATH"]
        env[f"{prefix}_ENVIRONMENT"] = "test"
    return env


@asynccontextmanager
async def running_stack(
    test_dir: Path, label: str, settings: Mapping[str, str] | None = None
) -> AsyncIterator[Stack]:
    """The three services on databases of their own, named after `label`, and two webhook
    workers; `settings` adds to or overrides their environment (CASES_AUTH_MODE=oidc, ...)."""
    env = await _environment(test_dir, label, settings or {})
    log_dir = test_dir / f"{label}-logs"
    log_dir.mkdir(exist_ok=True)
    services = {name: ServiceProcess(name, env, log_dir) for name in SERVICES}
    for name, service in services.items():
        env[f"REPORTING_{name.upper()}_URL"] = service.url
    workers = [WorkerProcess(f"worker-{n + 1}", env, log_dir) for n in range(WORKERS)]
    urls = {name: service.url for name, service in services.items()}
    result = Stack(urls, env, log_dir=log_dir)
    await asyncio.to_thread(result.ctxh, "migrate", "all")
    processes = [*services.values(), *workers]
    try:
        for process in processes:
            process.start()
        await asyncio.gather(*(process.wait_ready() for process in processes))
        yield result
    finally:
        for process in processes:
            process.stop()


@asynccontextmanager
async def running_cluster() -> AsyncIterator[Stack]:
    """The production topology on free ports, in a directory of its own."""
    directory = Path(tempfile.mkdtemp(prefix="ctxh-cluster-"))
    topology = Topology.on_free_ports(directory, tracing="console")
    # The cluster's processes take their settings from this environment (web.service_environment).
    saved = {name: os.environ.get(name) for name in WEBHOOK_SETTINGS}
    os.environ.update(WEBHOOK_SETTINGS)
    try:
        await asyncio.to_thread(lifecycle.up, topology)
        urls = {name: topology.url(name) for name in SERVICES}
        yield Stack(urls, web.service_environment(topology), topology)
    finally:
        await asyncio.to_thread(lifecycle.down, topology)
        shutil.rmtree(directory, ignore_errors=True)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(scope="session")
async def stack(test_dir: Path) -> AsyncIterator[Stack]:
    started: AbstractAsyncContextManager[Stack] = (
        running_cluster() if IN_CLUSTER else running_stack(test_dir, "e2e")
    )
    async with started as running:
        yield running

"""Real processes on a PostgreSQL cluster of their own: two processes each of cases and
workforce (as two replicas behind a load balancer), reporting asking cases through a proxy
that can be made slow, and a cluster the tests may crash and start again.

PostgreSQL only: what is proven here (restarts, statement timeouts, two processes on one
database) is about the production database, so the SQLite pass of `make test` skips it."""

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import uvicorn
from starlette.requests import Request
from starlette.responses import Response

from shared.testing import PostgresCluster, free_port, fresh_postgres_database, server_url
from tools.processes import ServiceProcess

pytestmark = pytest.mark.resilience

if not server_url():
    pytest.skip(
        "resilience tests run on PostgreSQL (make test's first pass)", allow_module_level=True
    )


@dataclass
class SlowProxy:
    """Forwards to `target`, after `delay` seconds: a source that has become slow."""

    target: str
    delay: float = 0.0
    port: int = field(default_factory=free_port)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def __call__(self, scope: dict, receive, send) -> None:  # type: ignore[no-untyped-def]
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        await asyncio.sleep(self.delay)
        async with httpx.AsyncClient(base_url=self.target, timeout=60) as client:
            upstream = await client.request(
                request.method,
                request.url.path,
                params=request.query_params,
                headers={"Authorization": request.headers.get("authorization", "")},
            )
        response = Response(upstream.content, upstream.status_code, media_type="application/json")
        await response(scope, receive, send)


@dataclass
class Stack:
    cluster: PostgresCluster
    env: dict[str, str]
    replicas: dict[str, list[ServiceProcess]]
    proxy: SlowProxy

    def urls(self, name: str) -> list[str]:
        return [process.url for process in self.replicas[name]]

    def token(self, *args: str) -> dict[str, str]:
        command = [sys.executable, "-m", "tools.cli", "token", *args]
        done = subprocess.run(command, env=self.env, capture_output=True, text=True, check=True)
        return {"Authorization": f"Bearer {done.stdout.strip()}"}


async def _environment(cluster: PostgresCluster, workdir: Path) -> dict[str, str]:
    env = {**os.environ, "CTXH_DEV_KEY_PATH": str(workdir / "key.pem")}
    env.pop("CTXH_TEST_DATABASE_URL", None)
    for name in ("cases", "workforce", "reporting"):
        prefix = name.upper()
        env[f"{prefix}_DATABASE_URL"] = await fresh_postgres_database(cluster.url, f"ctxh_{name}")
        env[f"{prefix}_DEV_KEY_PATH"] = env["CTXH_DEV_KEY_PATH"]
        env[f"{prefix}_ENVIRONMENT"] = "test"
        # A small pool: a request that held its connection while waiting on something else
        # would soon leave none for the others.
        env[f"{prefix}_DATABASE_POOL_SIZE"] = "2"
    # The tests' webhook receivers listen on loopback.
    env["CASES_WEBHOOK_ALLOW_PRIVATE_TARGETS"] = "true"
    env["REPORTING_REPORT_DEADLINE_SECONDS"] = "4"
    env["REPORTING_SOURCE_TIMEOUT_SECONDS"] = "3"
    return env


@pytest.fixture(scope="module")
async def stack() -> AsyncIterator[Stack]:
    workdir = Path(tempfile.mkdtemp(prefix="ctxh-resilience-"))
    cluster = PostgresCluster(workdir)
    await asyncio.to_thread(cluster.create)
    await asyncio.to_thread(cluster.start)
    env = await _environment(cluster, workdir)
    replicas = {
        name: [ServiceProcess(name, env, workdir) for _ in range(2 if name != "reporting" else 1)]
        for name in ("cases", "workforce", "reporting")
    }
    proxy = SlowProxy(replicas["cases"][0].url)
    env["REPORTING_CASES_URL"] = proxy.url
    env["REPORTING_WORKFORCE_URL"] = replicas["workforce"][0].url
    server = uvicorn.Server(uvicorn.Config(proxy, port=proxy.port, log_level="warning"))
    serving = asyncio.ensure_future(server.serve())
    migrate = [sys.executable, "-m", "tools.cli", "migrate", "all"]
    await asyncio.to_thread(subprocess.run, migrate, env=env, check=True, capture_output=True)
    processes = [p for group in replicas.values() for p in group]
    try:
        for process in processes:
            process.start()
        await asyncio.gather(*(p.wait_ready() for p in processes))
        yield Stack(cluster, env, replicas, proxy)
    finally:
        for process in processes:
            process.stop()
        server.should_exit = True
        await serving
        await asyncio.to_thread(cluster.stop, "immediate")
        shutil.rmtree(workdir, ignore_errors=True)


def trial_plan() -> dict[str, object]:
    """A plan of Hải Phòng for 2025 with one target, under a code of its own."""
    return {
        "code": f"HP-{uuid.uuid4().hex[:6]}",
        "name_vi": "Kế hoạch thử",
        "name_en": "Trial plan",
        "level": "province",
        "territory": {"scheme": "2025", "code": "31"},
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
        "targets": [{"indicator": "I05", "value": 50}],
    }


class RoundRobin:
    """Sends each request to the next replica in turn."""

    def __init__(self, urls: list[str], headers: dict[str, str]) -> None:
        self.clients = [httpx.AsyncClient(base_url=u, headers=headers, timeout=60) for u in urls]
        self.turn = 0

    def next(self) -> httpx.AsyncClient:
        self.turn += 1
        return self.clients[self.turn % len(self.clients)]

    async def close(self) -> None:
        for client in self.clients:
            await client.aclose()


@pytest.fixture(scope="module")
async def officer(stack: Stack) -> dict[str, str]:
    return stack.token(
        "--role", "province_officer", "--province", "31", "--scope", "sensitive:read"
    )


@pytest.fixture
async def cases(stack: Stack, officer: dict[str, str]) -> AsyncIterator[RoundRobin]:
    pair = RoundRobin(stack.urls("cases"), officer)
    yield pair
    await pair.close()


@pytest.fixture
async def workforce(stack: Stack, officer: dict[str, str]) -> AsyncIterator[RoundRobin]:
    pair = RoundRobin(stack.urls("workforce"), officer)
    yield pair
    await pair.close()

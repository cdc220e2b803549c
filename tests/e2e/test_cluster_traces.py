"""A report is one trace across the processes it went through (`make test-cluster` only).

In the cluster every request passes nginx and lands on one of two processes of a service;
the reporting process then asks cases and workforce, again through nginx. Each process
writes its spans and its log lines (which name their trace) to its own log: the report's
trace must be found in the logs of all three services.
"""

import asyncio
import json
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from services.reporting.plan.service import seed_plans
from shared.auth.principal import Role
from tests.e2e.conftest import IN_CLUSTER, Stack

pytestmark = pytest.mark.e2e
if not IN_CLUSTER:
    pytest.skip("needs the cluster: make test-cluster", allow_module_level=True)


def _request_lines(logs: Path, service: str) -> list[dict[str, object]]:
    lines = []
    for log in sorted(logs.glob(f"{service}-*.log")):
        for text in log.read_text(errors="replace").splitlines():
            if not text.startswith('{"'):
                continue  # uvicorn's own lines, and the spans' multi-line JSON
            try:
                line = json.loads(text)
            except ValueError:
                continue
            if line.get("event") == "request":
                lines.append(line)
    return lines


async def _logged(
    logs: Path, service: str, wanted: Callable[[dict[str, object]], bool]
) -> list[dict[str, object]]:
    """The request lines that match, once there are any: a process logs a request after
    its answer has gone, so the line may come a moment after the client has it."""
    deadline = time.monotonic() + 10
    while not (found := [line for line in _request_lines(logs, service) if wanted(line)]):
        if time.monotonic() > deadline:
            break
        await asyncio.sleep(0.1)
    return found


async def test_a_report_is_one_trace_in_every_process_it_went_through(stack: Stack) -> None:
    topology = stack.topology
    assert topology is not None
    admin = {"Authorization": f"Bearer {stack.ctxh('token', '--role', Role.ADMIN.value)}"}
    officer = {
        "Authorization": "Bearer "
        + stack.ctxh("token", "--role", Role.PROVINCE_OFFICER.value, "--province", "31")
    }
    seed = next(plan for plan in seed_plans() if plan.code == "HD-2025")
    plan = seed.model_copy(update={"code": "TRACE-HD-2025"}).model_dump(mode="json")
    async with httpx.AsyncClient(base_url=stack.url("reporting"), timeout=60) as reporting:
        created = await reporting.post("/api/v1/plans", json=plan, headers=admin)
        assert created.status_code == 201, created.text
        drafted = await reporting.post(
            "/api/v1/reports",
            json={"plan_id": created.json()["id"], "period": "2025"},
            headers=officer,
        )
        assert drafted.status_code == 201, drafted.text

    logs = topology.directory / "logs"
    (posted,) = await _logged(
        logs, "reporting", lambda line: line["request_id"] == drafted.headers["X-Request-Id"]
    )
    trace = posted["trace_id"]
    for source in ("cases", "workforce"):
        asked = await _logged(logs, source, lambda line: line.get("trace_id") == trace)
        assert asked, f"{source} has no request in the report's trace"
        assert all(str(line["route"]).startswith("/api/v1/stats/") for line in asked)

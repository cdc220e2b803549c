"""Each service, fuzzed from its own OpenAPI document by Schemathesis with every check.

Generated clients trust the documents, so a response the document does not declare (status,
content type, headers or schema) is as much a defect as a 500. Each service is fuzzed as a
real process on fresh databases, for a bounded time per role, with the roles that reach
the most of it: a province officer who may read sensitive fields, a commune worker, an
administrator and the ministry. Rules a schema cannot state (known ward codes, signed
cursors...) are refused with a declared 422: see schemathesis.toml.
"""

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from shared.testing import server_url
from tests.e2e.conftest import Stack, running_stack

pytestmark = pytest.mark.fuzz

if not server_url():
    # The documents are the same on both databases; one pass keeps make test short.
    pytest.skip("fuzzing runs on PostgreSQL (make test's first pass)", allow_module_level=True)

# Seconds per service and role; CI may give it more (CTXH_FUZZ_SECONDS).
SECONDS = int(os.environ.get("CTXH_FUZZ_SECONDS", "15"))
# Fixed, so a failure replays; another seed (CTXH_FUZZ_SEED) explores other requests.
SEED = os.environ.get("CTXH_FUZZ_SEED", "20251130")
PROVINCE, WARD = "31", "10525"  # Hải Phòng, Phường Hải Dương
AGENCY = "01a20000-0000-7000-8000-000000000001"
CONFIG = Path(__file__).with_name("schemathesis.toml")
SERVICES = ("cases", "workforce", "reporting")

ROLES: dict[str, list[str]] = {
    "officer": ["--role", "province_officer", "--province", PROVINCE, "--scope", "sensitive:read"],
    "commune": ["--role", "commune_worker", "--province", PROVINCE, "--commune", WARD],
    "admin": ["--role", "admin"],
    "ministry": ["--role", "ministry"],
    # An agency officer of an agency the fuzzer never registered: every contribution route
    # answers it from its own (empty) scope.
    "agency": ["--role", "agency_officer", "--province", PROVINCE, "--agency", AGENCY],
}


@pytest.fixture(scope="module")
async def fuzz_stack(test_dir: Path) -> AsyncIterator[Stack]:
    async with running_stack(test_dir, "fuzz") as started:
        yield started


def _schemathesis(
    stack: Stack, service: str, role: str, report: Path
) -> subprocess.CompletedProcess[str]:
    token = stack.ctxh("token", *ROLES[role])
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file", str(CONFIG),
        "run",
        f"{stack.url(service)}/openapi.json",
        "--checks", "all",
        "--max-time", str(SECONDS),
        "--workers", "1",  # Hypothesis is not thread-safe in every path
        "--request-timeout", "30",
        "--seed", SEED,
        "--header", f"Authorization: Bearer {token}",
        # Sensitive reads need a stated purpose; it is percent-encoded UTF-8.
        "--header", "X-Access-Purpose: fuzzing%20the%20contract",
        "--report", "junit",
        "--report-junit-path", str(report),
        "--generation-database", "none",
        "--no-color",
    ]  # fmt: skip
    return subprocess.run(
        command, env=stack.env, cwd=report.parent, capture_output=True, text=True, timeout=600
    )


@pytest.mark.parametrize("role", list(ROLES))
async def test_each_service_answers_as_its_document_says(
    fuzz_stack: Stack, test_dir: Path, role: str
) -> None:
    # The three services are fuzzed at once: each fuzzer mostly waits on its service, so
    # together they take the time of one, and make test stays short.
    runs = {
        service: asyncio.to_thread(
            _schemathesis, fuzz_stack, service, role, test_dir / f"fuzz-{service}-{role}.xml"
        )
        for service in SERVICES
    }
    done = dict(zip(runs, await asyncio.gather(*runs.values()), strict=True))
    failed = {service: run for service, run in done.items() if run.returncode != 0}
    assert not failed, "\n\n".join(
        f"{service}:\n{run.stdout[-20000:]}{run.stderr[-5000:]}" for service, run in failed.items()
    )

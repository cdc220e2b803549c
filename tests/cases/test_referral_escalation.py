"""Escalation as a worker runs it: on committed referrals, by passes on connections of their
own, at the same time, and by `ctxh escalate-referrals`."""

import asyncio
import uuid

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from services.cases.casework.deadlines import escalate_overdue
from shared.auth import Role
from shared.db import make_engine
from tests.cases.factories import FACILITY_X, officer
from tests.cases.referrals import refer, risky_case
from tests.conftest import MoveClock, TokenFactory
from tools.cli import main


async def _late_referrals(client: httpx.AsyncClient, token: TokenFactory, count: int) -> set[str]:
    sender = token(Role.FACILITY_WORKER, subject=str(uuid.uuid4()), facility_id=FACILITY_X)
    made = set()
    for _ in range(count):
        case = await risky_case(client, sender, "critical")
        made.add((await refer(client, sender, case))["id"])
    return made


async def _escalated(client: httpx.AsyncClient, token: TokenFactory) -> list[str]:
    """The referral of each referral.overdue event, one entry per event."""
    params = {"type": "referral.overdue", "limit": 200}
    answer = await client.get("/api/v1/events", params=params, headers=officer(token))
    assert answer.status_code == 200, answer.text
    return [event["record_id"] for event in answer.json()["items"]]


async def test_two_passes_at_once_escalate_each_referral_once(
    committed: tuple[str, httpx.AsyncClient], token: TokenFactory, clock: MoveClock
) -> None:
    url, client = committed
    made = await _late_referrals(client, token, 20)
    clock(hours=5)
    engines = [make_engine(url, pool_size=1) for _ in range(2)]

    async def one_pass(engine: AsyncEngine) -> int:
        async with engine.connect() as connection:
            return await escalate_overdue(connection, batch_size=3)

    try:
        counts = await asyncio.gather(*(one_pass(engine) for engine in engines))
        assert sum(counts) == len(made), counts
        escalated = await _escalated(client, token)
        assert sorted(escalated) == sorted(made), "each referral once, none twice"
        async with engines[0].connect() as connection:
            assert await escalate_overdue(connection) == 0
    finally:
        for engine in engines:
            await engine.dispose()


async def test_the_command_runs_one_pass_and_prints_the_count(
    committed: tuple[str, httpx.AsyncClient],
    token: TokenFactory,
    clock: MoveClock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, client = committed
    made = await _late_referrals(client, token, 2)
    monkeypatch.setenv("CASES_DATABASE_URL", url)

    async def run() -> str:
        capsys.readouterr()  # the requests' log lines so far
        # The command runs its own event loop, which cannot start inside this test's loop.
        assert await asyncio.to_thread(main, ["escalate-referrals"]) == 0
        return capsys.readouterr().out

    assert await run() == "cases: escalated 0 overdue referrals\n"
    clock(hours=5)
    assert await run() == "cases: escalated 2 overdue referrals\n"
    assert await run() == "cases: escalated 0 overdue referrals\n"
    assert sorted(await _escalated(client, token)) == sorted(made)

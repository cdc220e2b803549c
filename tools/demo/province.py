"""Load a realistic demo province into running cases and workforce services.

Province 31 (Hải Phòng, 2025 scheme, which absorbed the former Hải Dương) gets a social
work network of about sixty facilities of every kind with staff, allowances and training,
and `people` people with cases at every stage, services, follow-ups, consents and
referrals, spread over both former provinces. Everything goes through the public APIs, so
the demo is only what a real client could have entered, and the same seed always loads the
same province.

    summary = await load_demo_province(
        "http://127.0.0.1:8001", "http://127.0.0.1:8002", token, people=2000
    )

The token must be a province officer's of province 31 with scope sensitive:read (the demo
records sensitive categories such as children living with HIV). Against services on SQLite
pass concurrency=1: concurrent writes there fail with "database is locked".
"""

import asyncio
import random
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date

import httpx

from shared.dates import today_in_vietnam
from tools.demo.casework import CaseSpec, Network, case_specs
from tools.demo.client import Api, DemoLoadError
from tools.demo.facilities import FacilitySpec, facility_specs
from tools.demo.load_cases import create_people
from tools.demo.load_workforce import (
    create_courses,
    create_facilities,
    create_workers,
    load_ward_regions,
)
from tools.demo.people import PersonSpec, person_specs
from tools.demo.staff import WORKERS, WorkerSpec, worker_specs
from tools.demo.training import CourseSpec, course_specs

__all__ = ["DemoLoadError", "DemoSummary", "describe", "load_demo_province", "plan_demo"]

CONCURRENCY = 8
TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """How many records of each kind the demo created."""

    facilities: int
    workers: int
    assignments: int
    courses: int
    participations: int
    people: int
    cases: int
    services: int


@dataclass(frozen=True, slots=True)
class DemoPlan:
    """Every record the demo will create, decided before the first request."""

    facilities: list[FacilitySpec]
    workers: list[WorkerSpec]
    courses: list[CourseSpec]
    people: list[PersonSpec]
    cases: list[CaseSpec]

    def summary(self) -> DemoSummary:
        return DemoSummary(
            facilities=len(self.facilities),
            workers=len(self.workers),
            assignments=sum(len(w.assignments) for w in self.workers),
            courses=len(self.courses),
            participations=sum(len(c.participants) for c in self.courses),
            people=len(self.people),
            cases=len(self.cases),
            services=sum(c.count("service") for c in self.cases),
        )


def describe(summary: DemoSummary) -> str:
    """The summary as a line a person reads."""
    return (
        f"{summary.facilities} facilities, {summary.workers} workers in {summary.assignments} "
        f"positions, {summary.courses} courses with {summary.participations} places taken, "
        f"{summary.people:,} people with {summary.cases:,} cases and {summary.services:,} "
        "services"
    )


Progress = Callable[[str], None]


def _people_progress(total: int, progress: Progress) -> Callable[[int], None]:
    """Reports every tenth of the people: the longest step, a few minutes on SQLite."""
    every = max(1, total // 10)

    def done(count: int) -> None:
        if count % every == 0 or count == total:
            progress(f"people and their cases: {count:,} of {total:,}")

    return done


def _network(facilities: list[FacilitySpec], workers: list[WorkerSpec]) -> Network:
    staff_at: dict[int, list[int]] = defaultdict(list)
    for worker in workers:
        for assignment in worker.assignments:
            if assignment.end is None:
                staff_at[assignment.facility].append(worker.index)
    return Network(facilities, dict(staff_at))


def plan_demo(people: int, seed: int, today: date, workers: int = WORKERS) -> DemoPlan:
    """The whole demo from one seeded generator, drawn in a fixed order."""
    rng = random.Random(seed)  # noqa: S311 - a repeatable demo, not a secret
    facilities = facility_specs(rng)
    staff = worker_specs(rng, facilities, today, workers)
    courses = course_specs(rng, staff, today)
    persons = person_specs(rng, people, today)
    cases = case_specs(rng, persons, _network(facilities, staff), today)
    return DemoPlan(facilities, staff, courses, persons, cases)


@asynccontextmanager
async def _clients(
    cases_url: str, workforce_url: str, given: tuple[httpx.AsyncClient, httpx.AsyncClient] | None
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    if given is not None:
        yield given
        return
    async with (
        httpx.AsyncClient(base_url=cases_url, timeout=TIMEOUT_SECONDS) as cases,
        httpx.AsyncClient(base_url=workforce_url, timeout=TIMEOUT_SECONDS) as workforce,
    ):
        yield cases, workforce


async def load_demo_province(
    cases_url: str,
    workforce_url: str,
    token: str,
    *,
    people: int = 2000,
    seed: int = 2025,
    workers: int = WORKERS,
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient] | None = None,
    concurrency: int = CONCURRENCY,
    today: date | None = None,
    progress: Progress = lambda line: None,
) -> DemoSummary:
    """Create the demo province; raise DemoLoadError naming the first request that failed.

    At most `concurrency` requests are in flight. `workers` sizes the workforce (its
    positions and course places follow). `clients` (cases, workforce) replace the clients
    opened on the two URLs, e.g. in-process test clients. `today` (default: the real one)
    is the last day the demo's dates reach; `progress` is given a line as each step ends.
    Loading again with the same arguments replays the records already created
    (Idempotency-Key) and creates only what is missing; the summary then counts those
    records too.
    """
    today = today or today_in_vietnam()
    plan = plan_demo(people, seed, today, workers)
    limit = asyncio.Semaphore(concurrency)
    prefix = f"ctxh-demo-{seed}-{people}-{workers}-{today.isoformat()}"
    async with _clients(cases_url, workforce_url, clients) as (cases, workforce):
        workforce_api = Api(workforce, token, limit, prefix)
        await load_ward_regions(workforce_api, plan.facilities)
        ids = {"facility": await create_facilities(workforce_api, plan.facilities)}
        progress(f"facilities: {len(plan.facilities)}")
        ids["worker"] = await create_workers(workforce_api, plan.workers, ids)
        progress(f"workers and their positions: {len(plan.workers)}")
        await create_courses(workforce_api, plan.courses, ids)
        progress(f"training courses: {len(plan.courses)}")
        counted = _people_progress(len(plan.people), progress)
        await create_people(Api(cases, token, limit, prefix), plan.people, plan.cases, ids, counted)
    return plan.summary()

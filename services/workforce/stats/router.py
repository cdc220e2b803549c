"""HTTP for workforce aggregates: /api/v1/stats/... (reporting service, officers, ministry)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from services.workforce.stats import queries
from shared.db import SessionDep
from shared.errors import problem_responses
from shared.stats import DateWindowDep, StatsCaller, UnitScopeDep, withhold_small

router = APIRouter(prefix="/stats", tags=["stats"])
OnDate = Annotated[date, Query(description="The date facilities and positions are taken on")]


class FacilityRow(BaseModel):
    kind: str
    sector: str
    facilities: int
    with_ctxh_staff: int = Field(description="At least one CTXH worker assigned on the date")
    with_two_ctxh_staff: int
    paid_base_wage: int = Field(description="A CTXH worker's allowance ≥ the base wage that day")
    paid_minimum_wage: int = Field(description="… ≥ the region's minimum wage that day")
    sector_social_assistance: int
    sector_social_assistance_providing: int
    planned: int
    planned_providing: int


class FacilityStats(BaseModel):
    on: date
    province_code: str | None
    rows: list[FacilityRow]


class WorkerRow(BaseModel):
    position_kind: str
    facility_group: str
    service_facility: bool
    workers: int | None
    trained: int | None


class WorkerStats(BaseModel):
    on: date
    date_from: date
    date_to: date
    province_code: str | None
    rows: list[WorkerRow]
    distinct_workers: int | None
    distinct_trained: int | None
    suppressed: bool


class TrainingRow(BaseModel):
    kind: str
    degree: bool
    people: int | None
    turns: int | None


class TrainingStats(BaseModel):
    date_from: date
    date_to: date
    province_code: str | None
    rows: list[TrainingRow]
    suppressed: bool


@router.get("/facilities", responses=problem_responses(403))
async def get_facility_stats(
    session: SessionDep, _: StatsCaller, units: UnitScopeDep, on: OnDate
) -> FacilityStats:
    """Facilities by kind and sector on a date: with CTXH staff, paid at least the base or
    minimum wage, and which of the sector's and the planned facilities provide services."""
    rows = await queries.facility_stats(
        session, on, queries.Units(units.province_code, units.ward_codes)
    )
    return FacilityStats(
        on=on, province_code=units.province_code, rows=[FacilityRow(**row) for row in rows]
    )


@router.get("/workers", responses=problem_responses(403))
async def get_worker_stats(
    session: SessionDep,
    principal: StatsCaller,
    units: UnitScopeDep,
    window: DateWindowDep,
    on: OnDate,
) -> WorkerStats:
    """CTXH workers on a date by position and facility group, and those trained in the window."""
    scope = queries.Units(units.province_code, units.ward_codes)
    rows = await queries.worker_stats(session, on, window.start, window.end, scope)
    totals = await queries.distinct_workers(session, on, window.start, window.end, scope)
    shown_rows, suppressed = [], False
    for row in rows:
        counts, hidden = withhold_small(
            principal, {"workers": row["workers"], "trained": row["trained"]}
        )
        suppressed |= hidden
        shown_rows.append(WorkerRow(**{**row, **counts}))
    shown_totals, hidden = withhold_small(principal, totals)
    return WorkerStats(
        on=on,
        date_from=window.start,
        date_to=window.end,
        province_code=units.province_code,
        rows=shown_rows,
        distinct_workers=shown_totals["workers"],
        distinct_trained=shown_totals["trained"],
        suppressed=suppressed or hidden,
    )


@router.get("/training", responses=problem_responses(403))
async def get_training_stats(
    session: SessionDep, principal: StatsCaller, units: UnitScopeDep, window: DateWindowDep
) -> TrainingStats:
    """Training completed in the window by course kind, in people and in turns (lượt)."""
    rows = await queries.training_stats(
        session, window.start, window.end, queries.Units(units.province_code, units.ward_codes)
    )
    shown_rows, suppressed = [], False
    for row in rows:
        counts, hidden = withhold_small(principal, {"people": row["people"], "turns": row["turns"]})
        suppressed |= hidden
        shown_rows.append(TrainingRow(**{**row, **counts}))
    return TrainingStats(
        date_from=window.start,
        date_to=window.end,
        province_code=units.province_code,
        rows=shown_rows,
        suppressed=suppressed,
    )

"""The dashboard: every target of a plan as of today, with its trend over the reports so far."""

from datetime import date
from typing import Annotated
from uuid import UUID

import sqlalchemy as sa
from fastapi import APIRouter, Query
from pydantic import BaseModel

from services.reporting.access import OfficerView, check_own_province
from services.reporting.clients.sources import SourceUnavailable
from services.reporting.deps import SourcesDep
from services.reporting.periods import year_to_date
from services.reporting.plan.service import PlanNotFound, get_plan_row, targets_of
from services.reporting.report.compute import compute_report, load_inputs
from services.reporting.report.models import report_t
from services.reporting.report.render import indicator_value
from services.reporting.report.schemas import IndicatorValue, ReportStatus
from services.reporting.report.service import territory_of
from shared.dates import Day, today_in_vietnam
from shared.db import TransactionsDep
from shared.errors import problem_responses

router = APIRouter(tags=["dashboard"])


class TrendPoint(BaseModel):
    period_id: str
    window_end: date
    status: ReportStatus
    value: float | None


class DashboardTarget(BaseModel):
    current: IndicatorValue
    trend: list[TrendPoint]


class Dashboard(BaseModel):
    plan_id: UUID
    province_code: str
    as_of: date
    window_start: date
    window_end: date
    targets: list[DashboardTarget]


@router.get(
    "/plans/{plan_id}/dashboard", responses=problem_responses(PlanNotFound, SourceUnavailable)
)
async def get_dashboard(
    plan_id: UUID,
    transactions: TransactionsDep,
    viewer: OfficerView,
    sources: SourcesDep,
    province_code: Annotated[
        str | None,
        Query(pattern=r"^\d{2}$", description="National programme: your province (the default)"),
    ] = None,
    as_of: Annotated[
        Day | None,
        Query(
            ge=date(2000, 1, 1),
            le=date(2100, 12, 31),
            description="Default: today, or the plan's end once the plan is over",
        ),
    ] = None,
) -> Dashboard:
    """Your province's targets of a plan as of a date (that reporting year's window up to
    it; a finished plan's last year), each with its breakdowns and its values in the reports
    made so far; 503 naming the source if one cannot answer."""
    principal = viewer.principal
    # Read what is needed, then ask the sources with no transaction open.
    async with transactions.begin() as session:
        plan = await get_plan_row(session, principal, plan_id)
        territory = territory_of(plan, province_code or principal.province_code)
        check_own_province(principal, territory.province_code, "live figures")
        day = as_of or min(today_in_vietnam(), plan.period_end)
        period = year_to_date(day, plan.period_end.year)
        targets_set = await targets_of(session, plan.id)
        inputs = await load_inputs(session, plan, targets_set, territory, period)
        reports = (
            await session.execute(
                sa.select(report_t)
                .where(
                    report_t.c.plan_id == plan.id,
                    report_t.c.province_code == territory.province_code,
                    report_t.c.period_kind != "custom",
                )
                .order_by(report_t.c.window_end)
            )
        ).all()
    computed = await compute_report(sources, inputs)
    if computed.missing_sources:
        raise SourceUnavailable(
            f"{', '.join(computed.missing_sources)} could not answer",
            source=computed.missing_sources[0],
        )
    targets = []
    for value in computed.values:
        key = (value["indicator"], value["group"], value["per_year"])
        trend = [
            TrendPoint(
                period_id=r.period_id,
                window_end=r.window_end,
                status=r.status,
                value=next(
                    (
                        v["value"]
                        for v in r.values
                        if (v["indicator"], v["group"], v["per_year"]) == key
                    ),
                    None,
                ),
            )
            for r in reports
        ]
        targets.append(
            DashboardTarget(
                current=indicator_value(value, sensitive=viewer.sees_sensitive), trend=trend
            )
        )
    return Dashboard(
        plan_id=plan.id,
        province_code=territory.province_code or "",
        as_of=day,
        window_start=period.start,
        window_end=period.end,
        targets=targets,
    )

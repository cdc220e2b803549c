"""HTTP for the dashboard."""

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from services.reporting.access import OfficerView
from services.reporting.clients.sources import SourceUnavailable
from services.reporting.dashboard import service
from services.reporting.dashboard.schemas import Dashboard
from services.reporting.deps import SourcesDep
from services.reporting.plan.errors import PlanNotFound
from services.reporting.report.compute import compute_report
from shared.dates import Day
from shared.db import TransactionsDep
from shared.errors import problem_responses

router = APIRouter(tags=["dashboard"])


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
    # Read what is needed, then ask the sources with no transaction open.
    async with transactions.begin() as session:
        read = await service.dashboard_inputs(
            session, viewer.principal, plan_id, province_code, as_of
        )
    computed = await compute_report(sources, read.inputs)
    service.require_every_source(computed)
    return service.build_dashboard(read, computed, sensitive=viewer.sees_sensitive)

"""`GET /api/v1/events?after=`: what happened to reports in the caller's scope, in order,
from a cursor; the feed an integrator replays."""

from typing import Annotated

from fastapi import APIRouter, Query

from services.reporting.access import EventReader
from services.reporting.events import service
from services.reporting.events.schemas import ReportEventPage, ReportEventType
from shared.db import SnapshotSessionDep
from shared.pagination import LimitQuery

router = APIRouter(tags=["events"])


@router.get("/events")
async def list_report_events(
    session: SnapshotSessionDep,
    principal: EventReader,
    after: Annotated[
        str, Query(pattern=r"^\d{1,18}$", description="0 for every event from the start")
    ] = "0",
    type: Annotated[
        list[ReportEventType],
        Query(max_length=len(ReportEventType), description="Only these kinds"),
    ] = [],  # noqa: B006 - FastAPI copies a parameter's default for each request
    limit: LimitQuery = 100,
) -> ReportEventPage:
    """Report events in your scope after `after`, oldest first. An event's `data` holds ids,
    the period and statuses only: read the report itself for the rest."""
    rows = await service.events_after(session, principal, after=int(after), types=type, limit=limit)
    page = [service.event_read(row) for row in rows[:limit]]
    # The cursor never passes a number it has not returned.
    return ReportEventPage(
        items=page, next_after=page[-1].seq if page else after, has_more=len(rows) > limit
    )

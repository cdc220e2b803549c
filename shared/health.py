"""Liveness, readiness and metrics endpoints, outside /api/v1 and without authentication."""

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel

from shared.access import Public
from shared.db import Database
from shared.errors import ServiceUnavailable, problem_responses
from shared.labels import LabelledEnum, labelled
from shared.metrics import metrics_endpoint

router = APIRouter(tags=["operations"], dependencies=[Public])


class Health(LabelledEnum):
    OK = "ok"
    READY = "ready"


HEALTH = labelled(
    Health,
    (Health.OK, "Tiến trình đang chạy", "The process is alive"),
    (Health.READY, "Sẵn sàng phục vụ", "Ready to serve"),
)


class HealthStatus(BaseModel):
    status: Health


@router.get("/healthz", operation_id="healthz")
async def healthz() -> HealthStatus:
    """The process is alive."""
    return HealthStatus(status=Health.OK)


@router.get("/readyz", operation_id="readyz", responses=problem_responses(503))
async def readyz(request: Request) -> HealthStatus:
    """The process can reach its database."""
    database: Database = request.app.state.database
    try:
        await asyncio.wait_for(database.ping(), timeout=2.0)
    except Exception as exc:
        raise ServiceUnavailable("the database is unreachable", source="database") from exc
    return HealthStatus(status=Health.READY)


router.add_api_route(
    "/metrics",
    metrics_endpoint,
    methods=["GET"],
    operation_id="metrics",
    summary="Prometheus metrics",
    description="Request counts and latency by route template, in Prometheus' text format.",
    response_class=PlainTextResponse,
)

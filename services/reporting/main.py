"""The reporting service's ASGI app."""

from pathlib import Path

from fastapi import FastAPI

from services.reporting.api import routers
from services.reporting.clients.sources import Sources
from services.reporting.events.webhooks import documents as webhooks
from services.reporting.settings import ReportingSettings, get_settings
from shared.app import build_app
from shared.db import Database
from shared.tracing import trace_calls

# Recorded from real requests while the test suite runs: `make examples`.
EXAMPLES = Path(__file__).with_name("openapi_examples.json")

DESCRIPTION = """Plans, targets, periodic reports and the ministry's pull, aggregated from
the cases and workforce services over HTTP.

Authenticate with a bearer token (`ctxh token --role ...` in development).
Errors are RFC 9457 problem+json with a stable `code`."""


def create_app(
    settings: ReportingSettings | None = None,
    database: Database | None = None,
    sources: Sources | None = None,
) -> FastAPI:
    settings = settings or get_settings()
    app = build_app(
        settings,
        title="ctxh reporting",
        description=DESCRIPTION,
        routers=routers,
        database=database,
        examples=EXAMPLES,
        resources={"sources": sources or Sources(settings)},
        webhooks=webhooks,
    )
    app.state.sources.count_with(app.state.metrics)
    if app.state.tracer_provider:
        trace_calls(app.state.sources.client, app.state.tracer_provider)
    return app

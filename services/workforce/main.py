"""The workforce service's ASGI app."""

from pathlib import Path

from fastapi import FastAPI

from services.workforce.api import routers
from services.workforce.settings import WorkforceSettings, get_settings
from shared.app import build_app
from shared.db import Database
from shared.sheets.jobs import ImportJobs

# Recorded from real requests while the test suite runs: `make examples`.
EXAMPLES = Path(__file__).with_name("openapi_examples.json")

DESCRIPTION = """Facilities, CTXH staff and collaborators, their assignments, allowances
and training.

Authenticate with a bearer token (`ctxh token --role ...` in development).
Errors are RFC 9457 problem+json with a stable `code`."""


def create_app(
    settings: WorkforceSettings | None = None, database: Database | None = None
) -> FastAPI:
    return build_app(
        settings or get_settings(),
        title="ctxh workforce",
        description=DESCRIPTION,
        routers=routers,
        database=database,
        examples=EXAMPLES,
        resources={"import_jobs": ImportJobs()},
    )

"""The cases service's ASGI app."""

from pathlib import Path

from fastapi import FastAPI

from services.cases.api import routers
from services.cases.events.webhooks import documents as webhooks
from services.cases.settings import CasesSettings, get_settings
from shared.app import build_app
from shared.db import Database
from shared.sheets.jobs import ImportJobs

# Recorded from real requests while the test suite runs: `make examples`.
EXAMPLES = Path(__file__).with_name("openapi_examples.json")

DESCRIPTION = """People in difficulty, their cases and the case lifecycle:
tiếp nhận → đánh giá → kế hoạch → thực hiện → rà soát → đóng hồ sơ.

Authenticate with a bearer token (`ctxh token --role ...` in development).
Errors are RFC 9457 problem+json with a stable `code`."""


def create_app(settings: CasesSettings | None = None, database: Database | None = None) -> FastAPI:
    return build_app(
        settings or get_settings(),
        title="ctxh cases",
        description=DESCRIPTION,
        routers=routers,
        database=database,
        examples=EXAMPLES,
        webhooks=webhooks,
        resources={"import_jobs": ImportJobs()},
    )

"""One report is one trace across the three services, and no trace carries a query string."""

import io
import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import structlog
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from services.cases.main import create_app as create_cases_app
from services.reporting.clients.sources import Sources
from services.reporting.main import create_app as create_reporting_app
from services.reporting.plan.service import seed_plans
from services.workforce.main import create_app as create_workforce_app
from shared.auth import Role
from shared.db import Database, make_engine
from shared.settings import ServiceSettings
from shared.testing import rollback_session, use_session
from shared.tracing import configured_provider, trace_calls, trace_requests, tracer_provider
from tests.conftest import TokenFactory, settings_for
from tests.reporting.conftest import ServiceRouter

CREATE = {"cases": create_cases_app, "workforce": create_workforce_app}


class Spans:
    def __init__(self) -> None:
        self.exporter = InMemorySpanExporter()
        self.providers: list[TracerProvider] = []

    def finished(self) -> tuple[ReadableSpan, ...]:
        for provider in self.providers:  # spans go out in batches, from another thread
            provider.force_flush()
        return self.exporter.get_finished_spans()


@pytest.fixture
async def traced(
    database_urls: dict[str, str], dev_key_path: Path
) -> AsyncIterator[tuple[httpx.AsyncClient, Spans]]:
    """The three services in process, each tracing to one in-memory exporter, each inside a
    rolled-back transaction; reporting reaches the other two through its traced client."""
    spans = Spans()
    apps, providers = {}, spans.providers
    for name, url in database_urls.items():
        extra = {"cases_url": "http://cases", "workforce_url": "http://workforce"}
        settings = settings_for(name, url, dev_key_path, **(extra if name == "reporting" else {}))
        create = CREATE.get(name, create_reporting_app)
        apps[name] = create(settings, Database(make_engine(url, pool_size=1)))
        providers.append(tracer_provider(name, spans.exporter))
        trace_requests(apps[name], providers[-1])
    routes = {name: httpx.ASGITransport(app=apps[name]) for name in CREATE}
    sources = Sources(
        apps["reporting"].state.settings, httpx.AsyncClient(transport=ServiceRouter(routes))
    )
    trace_calls(sources.client, providers[-1])
    apps["reporting"].state.sources = sources
    async with (
        rollback_session(apps["cases"].state.database.engine) as cases,
        rollback_session(apps["workforce"].state.database.engine) as workforce,
        rollback_session(apps["reporting"].state.database.engine) as reporting,
    ):
        for name, session in [("cases", cases), ("workforce", workforce), ("reporting", reporting)]:
            use_session(apps[name], session)
        transport = httpx.ASGITransport(app=apps["reporting"])
        async with httpx.AsyncClient(transport=transport, base_url="http://reporting") as client:
            yield client, spans
    await sources.close()
    for provider in providers:
        provider.shutdown()
    for app in apps.values():
        await app.state.database.dispose()


async def test_a_report_is_one_trace_across_the_three_services(
    traced: tuple[httpx.AsyncClient, Spans], token: TokenFactory
) -> None:
    client, spans = traced
    plan = next(plan for plan in seed_plans() if plan.code == "HD-2025")
    created = await client.post(
        "/api/v1/plans", json=plan.model_dump(mode="json"), headers=token(Role.ADMIN)
    )
    assert created.status_code == 201, created.text
    spans.finished()
    spans.exporter.clear()
    officer = token(Role.PROVINCE_OFFICER, province_code="31")
    drafted = await client.post(
        "/api/v1/reports",
        json={"plan_id": created.json()["id"], "period": "2025"},
        headers=officer,
    )
    assert drafted.status_code == 201, drafted.text

    finished = spans.finished()
    # Spans of the request before may still come in (a disconnect watcher's receive ends
    # with its request): the report's own trace is the one its POST started.
    (report,) = [span for span in finished if span.name == "POST /api/v1/reports"]
    in_trace = [span for span in finished if span.context.trace_id == report.context.trace_id]
    stats = [span for span in finished if span.name.startswith("GET /api/v1/stats/")]
    assert stats
    assert all(span.context.trace_id == report.context.trace_id for span in stats)
    services = {span.resource.attributes["service.name"] for span in in_trace}
    assert services == {"ctxh-reporting", "ctxh-cases", "ctxh-workforce"}
    assert "GET /api/v1/stats/people-supported" in {span.name for span in in_trace}


async def test_traces_keep_query_strings_out(
    traced: tuple[httpx.AsyncClient, Spans], token: TokenFactory
) -> None:
    """A search by name would otherwise put a person's name into every trace backend."""
    client, spans = traced
    await client.get("/api/v1/plans?province=31&note=Nguy%E1%BB%85n", headers=token(Role.ADMIN))
    attributes = [str(value) for span in spans.finished() for value in span.attributes.values()]
    assert attributes
    assert not [value for value in attributes if "Nguy" in value or "province=" in value]


async def test_a_traced_requests_log_line_names_its_trace(
    traced: tuple[httpx.AsyncClient, Spans], token: TokenFactory
) -> None:
    client, spans = traced
    lines = io.StringIO()
    config = structlog.get_config()
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(lines))
    try:
        answered = await client.get("/api/v1/plans", headers=token(Role.ADMIN))
    finally:
        structlog.configure(**config)
    assert answered.status_code == 200
    (logged,) = [
        line
        for line in map(json.loads, lines.getvalue().splitlines())
        if line["event"] == "request"
    ]
    (span,) = [s for s in spans.finished() if s.name == "GET /api/v1/plans"]
    assert logged["trace_id"] == format(span.context.trace_id, "032x")
    assert logged["request_id"] == answered.headers["X-Request-Id"]


def test_tracing_is_off_unless_configured() -> None:
    assert configured_provider(ServiceSettings(service_name="cases")) is None
    provider = configured_provider(ServiceSettings(service_name="cases", tracing="console"))
    assert provider is not None
    assert provider.resource.attributes["service.name"] == "ctxh-cases"
    provider.shutdown()

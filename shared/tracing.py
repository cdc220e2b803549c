"""OpenTelemetry traces: a span for each request, and the reporting service's calls to the
other two carry the trace on (W3C traceparent), so one report is one trace across three
services.

Each app has a tracer provider of its own rather than the process-wide one, so that the
three apps of the test suite, which share a process, stay apart as they do in production.
"""

from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.trace import Span

from shared.settings import ServiceSettings

# Probes and scrapes every few seconds would bury the traces people look for.
UNTRACED_PATHS = "healthz,readyz,metrics"


def _exporter(settings: ServiceSettings) -> SpanExporter | None:
    if settings.tracing == "console":
        return ConsoleSpanExporter()
    if settings.tracing == "otlp":
        return OTLPSpanExporter(endpoint=settings.tracing_otlp_endpoint)
    return None


def tracer_provider(service_name: str, exporter: SpanExporter) -> TracerProvider:
    """Spans of `service_name`, sent in batches, off the request path, to `exporter`."""
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: f"ctxh-{service_name}"}))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


def configured_provider(settings: ServiceSettings) -> TracerProvider | None:
    exporter = _exporter(settings)
    return tracer_provider(settings.service_name, exporter) if exporter else None


# Where the instrumentation writes the URL, under the old and the current conventions.
URL_ATTRIBUTES = ("http.url", "http.target", "url.full")


def _without_query(span: Span, scope: dict[str, Any]) -> None:
    """A query string can hold personal data (a search by name, a national ID), and trace
    backends are outside the province's scope: spans keep the path only."""
    if not span.is_recording() or not scope.get("query_string"):
        return
    recorded = getattr(span, "attributes", None) or {}
    for key in URL_ATTRIBUTES:
        value = recorded.get(key)
        if isinstance(value, str):
            span.set_attribute(key, value.split("?", 1)[0])
    if "url.query" in recorded:
        span.set_attribute("url.query", "")


def trace_requests(app: FastAPI, provider: TracerProvider) -> None:
    """A server span for each request; a traceparent header from the caller continues it."""
    FastAPIInstrumentor.instrument_app(
        app,
        tracer_provider=provider,
        excluded_urls=UNTRACED_PATHS,
        server_request_hook=_without_query,
    )


def trace_calls(client: AsyncClient, provider: TracerProvider) -> None:
    """A client span for each call, whose traceparent the called service continues."""
    HTTPXClientInstrumentor.instrument_client(client, tracer_provider=provider)

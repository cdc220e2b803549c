"""Prometheus metrics, one registry per app so several apps can live in one process (tests).

Under several worker processes (`ctxh serve --workers N`) each worker would count only the
requests it served, and a scrape would reach one of them at random. There the workers share
prometheus_client's multiprocess directory (PROMETHEUS_MULTIPROC_DIR, set by `ctxh serve`),
and every scrape reads all of their counts."""

import os

from fastapi import Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

MULTIPROCESS_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"

_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "http_requests",
            "HTTP requests served, by route template and status",
            ["service", "method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "Time to serve a request, by route template",
            ["service", "method", "route"],
            buckets=_BUCKETS,
            registry=self.registry,
        )
        # Calls to other services (the reporting service's to its sources), by outcome:
        # what an operator alerts on when reports start naming sources as missing.
        self.upstream = Counter(
            "upstream_requests",
            "Calls to other services, by the service called and the outcome",
            ["service", "upstream", "outcome"],
            registry=self.registry,
        )
        self.upstream_latency = Histogram(
            "upstream_request_duration_seconds",
            "Time for a call to another service, retries included",
            ["service", "upstream"],
            buckets=_BUCKETS,
            registry=self.registry,
        )
        self.service = service
        # Each labelled series, found once: `labels()` costs more than the count itself.
        # As many entries as the registry has series (routes are templates; unknown paths
        # share one).
        self._series: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, status)
        series = self._series.get(key)
        if series is None:
            series = self._series[key] = (
                self.requests.labels(self.service, method, route, str(status)),
                self.latency.labels(self.service, method, route),
            )
        series[0].inc()
        series[1].observe(seconds)

    def observe_upstream(self, upstream: str, outcome: str, seconds: float) -> None:
        self.upstream.labels(self.service, upstream, outcome).inc()
        self.upstream_latency.labels(self.service, upstream).observe(seconds)


def exposition(registry: CollectorRegistry) -> bytes:
    """This process's metrics in Prometheus' text format or, under several workers, all of
    theirs."""
    directory = os.environ.get(MULTIPROCESS_DIRECTORY)
    if not directory:
        return generate_latest(registry)
    every_worker = CollectorRegistry()
    MultiProcessCollector(every_worker, path=directory)  # type: ignore[no-untyped-call]
    return generate_latest(every_worker)


async def metrics_endpoint(request: Request) -> Response:
    metrics: Metrics = request.app.state.metrics
    return Response(exposition(metrics.registry), media_type=CONTENT_TYPE_LATEST)

"""Several worker processes count into one set of metrics: a scrape sees every request."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from shared.metrics import MULTIPROCESS_DIRECTORY, Metrics, exposition

# One worker process: it serves some requests and exits.
WORKER = """
import sys
from shared.metrics import Metrics
metrics = Metrics("cases")
for _ in range(int(sys.argv[1])):
    metrics.observe("GET", "/api/v1/persons/{person_id}", 200, 0.004)
"""


def _served(text: bytes) -> float:
    return sum(
        sample.value
        for family in text_string_to_metric_families(text.decode())
        for sample in family.samples
        if sample.name == "http_requests_total"
    )


def test_a_scrape_counts_the_requests_of_every_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {**os.environ, MULTIPROCESS_DIRECTORY: str(tmp_path)}
    for served in (3, 4):
        subprocess.run([sys.executable, "-c", WORKER, str(served)], env=env, check=True)
    monkeypatch.setenv(MULTIPROCESS_DIRECTORY, str(tmp_path))
    # Whichever worker answers the scrape, with its own registry, reports all seven.
    assert _served(exposition(Metrics("cases").registry)) == 7


def test_a_single_process_reports_its_own_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MULTIPROCESS_DIRECTORY, raising=False)
    metrics = Metrics("cases")
    metrics.observe("GET", "/healthz", 200, 0.001)
    assert _served(exposition(metrics.registry)) == 1

"""Load and latency measurement helpers: wrk for throughput, sequential httpx for latency."""

import re
import shutil
import statistics
import subprocess
import time
from typing import Any

import httpx


def wrk(url: str, headers: dict[str, str], seconds: int = 8, connections: int = 8) -> float:
    """Requests per second that wrk sustains against `url`."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed for throughput benchmarks: apt-get install -y wrk")
    # One wrk thread: on two cores, a second one competes with the server it measures.
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output:
        raise RuntimeError(f"non-2xx answers from {url}:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]


def latencies(
    client: httpx.Client, url: str, params: dict[str, Any], headers: dict[str, str], runs: int = 25
) -> tuple[float, float]:
    """(median, 95th percentile) in milliseconds of sequential requests, after a warm-up."""
    for _ in range(3):
        client.get(url, params=params, headers=headers).raise_for_status()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url, params=params, headers=headers).raise_for_status()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]

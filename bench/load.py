"""Load and latency measurement helpers: wrk for throughput, sequential httpx for latency."""

import os
import re
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class Load:
    requests_per_second: float
    p99_ms: float


_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, headers: dict[str, str], seconds: int = 8, connections: int = 8) -> Load:
    """What wrk sustains against `url`: requests per second, and the 99th percentile."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed for throughput benchmarks: apt-get install -y wrk")
    # One wrk thread: on two cores, a second one competes with the server it measures.
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output:
        raise RuntimeError(f"non-2xx answers from {url}:\n{output}")
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", output)
    if rate is None or p99 is None:
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    return Load(float(rate.group(1)), float(p99.group(1)) * _UNIT_MS[p99.group(2)])


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


def bench_people(default: int = 200_000) -> int:
    """The province's size to seed: `make bench PEOPLE=N` passes it as BENCH_PEOPLE."""
    return int(os.environ.get("BENCH_PEOPLE") or default)

"""`ctxh dev`: migrate the embedded databases and run every service in the foreground.

Ctrl-C and SIGTERM stop everything and exit 0, quietly: the children run in a session of
their own, so the terminal's Ctrl-C reaches only this process, which stops them in order
instead of each printing its own interruption.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable

import httpx

from shared import migrations
from shared.auth.dev_keys import load_or_create_private_key
from shared.settings import ServiceSettings
from tools.services import migrations_of

Processes = list[subprocess.Popen[bytes]]


class StopRequested:
    """Set by SIGINT or SIGTERM; the main loop checks it between short sleeps."""

    def __init__(self) -> None:
        self.requested = False
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._set)

    def _set(self, signum: int, frame: object) -> None:
        self.requested = True


def _docs(ports: dict[str, int], host: str) -> list[str]:
    return [f"  {name:<10} http://{host}:{port}/docs" for name, port in ports.items()]


def loading_message(ports: dict[str, int], host: str) -> str:
    return "\n".join(
        [
            "",
            "The services are up; the demo province is loading (a few minutes, first start only).",
            "Until it says ready, reports and lists answer empty:",
            *_docs(ports, host),
            "",
        ]
    )


def ready_message(ports: dict[str, int], host: str) -> str:
    cases = f"http://{host}:{ports['cases']}"
    return "\n".join(
        [
            "",
            "ctxh is ready (Ctrl-C stops the three services and the webhook worker):",
            *_docs(ports, host),
            "",
            "Try, in another terminal:",
            "  TOKEN=$(.venv/bin/ctxh token --role province_officer --province 31)",
            f'  curl -H "Authorization: Bearer $TOKEN" {cases}/api/v1/me',
            "  .venv/bin/ctxh report show --plan HD-2025 --period 2025",
            "",
        ]
    )


def _spawn(command: list[str]) -> subprocess.Popen[bytes]:
    # A session of their own: the terminal's Ctrl-C is ours to pass on (see the docstring).
    return subprocess.Popen(command, env=os.environ.copy(), start_new_session=True)


def _serve(name: str, port: int, host: str) -> subprocess.Popen[bytes]:
    return _spawn(
        [sys.executable, "-m", "tools.cli", "serve", name, "--host", host, "--port", str(port)]
    )


def _stop(processes: Processes) -> None:
    """SIGTERM lets uvicorn and the worker finish what they are doing, and ends the demo
    without a KeyboardInterrupt's traceback (it loads again on the next start); what is
    still running after 10 s is killed."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _all_ready(urls: list[str]) -> bool:
    try:
        return all(httpx.get(f"{url}/readyz", timeout=2).status_code == 200 for url in urls)
    except httpx.TransportError:
        return False


def _watch(stop: StopRequested, services: Processes, until: Callable[[], bool]) -> int | None:
    """Wait for `until()`: None once it holds, 0 when told to stop, 1 if a service died."""
    while not stop.requested:
        if any(process.poll() is not None for process in services):
            print("a service stopped; stopping the others", file=sys.stderr, flush=True)
            return 1
        if until():
            return None
        time.sleep(0.3)
    return 0


def _demo_done(demo: subprocess.Popen[bytes]) -> Callable[[], bool]:
    def done() -> bool:
        if (status := demo.poll()) is None:
            return False
        if status != 0:
            print("the demo did not finish loading; `ctxh demo` loads the rest", flush=True)
        return True

    return done


def run_dev(
    settings: dict[str, ServiceSettings],
    ports: dict[str, int],
    host: str,
    first_run: list[str] | None = None,
) -> int:
    """Migrate, serve every service, and run `first_run` (the demo) once they are up; its
    own marker file decides whether it is needed. "Ready" is said only once it is done, so
    a first request does not meet an empty province."""
    stop = StopRequested()
    load_or_create_private_key(next(iter(settings.values())).dev_key_path)
    for name, service_settings in settings.items():
        migrations.upgrade(migrations_of(name), service_settings.sqlalchemy_url())
    services = [_serve(name, port, host) for name, port in ports.items()]
    services.append(_spawn([sys.executable, "-m", "tools.cli", "worker"]))
    children = list(services)
    try:
        urls = [f"http://{host}:{port}" for port in ports.values()]
        if (status := _watch(stop, services, lambda: _all_ready(urls))) is not None:
            return status
        if first_run:
            print(loading_message(ports, host), flush=True)
            children.append(demo := _spawn(first_run))
            if (status := _watch(stop, services, _demo_done(demo))) is not None:
                return status
        print(ready_message(ports, host), flush=True)
        return _watch(stop, services, lambda: False) or 0
    finally:
        _stop(children)

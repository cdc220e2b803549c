"""`ctxh dev`: migrate the embedded databases and run every service in the foreground."""

import os
import signal
import subprocess
import sys
import time

from shared import migrations
from shared.auth.dev_keys import load_or_create_private_key
from shared.settings import ServiceSettings
from tools.services import migrations_of


def _banner(ports: dict[str, int], host: str) -> str:
    lines = ["", "ctxh is running (Ctrl-C stops all three and the webhook worker):"]
    for name, port in ports.items():
        lines.append(f"  {name:<10} http://{host}:{port}/docs")
    lines += [
        "",
        "Get a token and call an API, for example:",
        "  TOKEN=$(.venv/bin/ctxh token --role province_officer --province 31)",
        f'  curl -H "Authorization: Bearer $TOKEN" http://{host}:{ports["cases"]}/api/v1/me',
        "",
    ]
    return "\n".join(lines)


def _spawn(name: str, port: int, host: str) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "tools.cli",
        "serve",
        name,
        "--host",
        host,
        "--port",
        str(port),
    ]
    return subprocess.Popen(command, env=os.environ.copy())


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    deadline = time.monotonic() + 10
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_dev(
    settings: dict[str, ServiceSettings],
    ports: dict[str, int],
    host: str,
    first_run: list[str] | None = None,
) -> int:
    """Migrate, serve every service, and run `first_run` (the demo) in the background once
    the services are up; its own marker file decides whether it is needed."""
    # SIGTERM (a supervisor, `timeout`) must stop the children too, as Ctrl-C does.
    signal.signal(signal.SIGTERM, _interrupt)
    load_or_create_private_key(next(iter(settings.values())).dev_key_path)
    for name, service_settings in settings.items():
        migrations.upgrade(migrations_of(name), service_settings.sqlalchemy_url())
    processes = [_spawn(name, port, host) for name, port in ports.items()]
    processes.append(subprocess.Popen([sys.executable, "-m", "tools.cli", "worker"]))
    print(_banner(ports, host), flush=True)
    if first_run:
        processes.append(subprocess.Popen(first_run, env=os.environ.copy()))
    try:
        # The services and the webhook worker; the demo may finish.
        while all(process.poll() is None for process in processes[: len(ports) + 1]):
            time.sleep(0.5)
        print("a service stopped; stopping the others", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        _stop(processes)

"""Two processes of each service, behind nginx, and two webhook workers.

nginx balances each service over its two processes and, when one does not answer (refused,
reset, timed out before a byte came back), sends the request to the other; a POST is
retried only when it never reached the first. The reporting service asks the other two
through nginx too, so it follows them as clients do.
"""

import os
import shutil
import sys
import time
from pathlib import Path

import httpx

from tools.cluster.processes import Detached, stop_together
from tools.cluster.topology import Topology
from tools.services import SERVICES

# Above the services' own upload limit (6 MiB by default), which answers with its problem.
NGINX_BODY_LIMIT = "16m"


def service_environment(topology: Topology) -> dict[str, str]:
    env = {**os.environ}
    key = topology.directory / "dev-key.pem"
    for name in SERVICES:
        prefix = name.upper()
        env[f"{prefix}_DATABASE_URL"] = topology.database_url(f"ctxh_{name}")
        env[f"{prefix}_DEV_KEY_PATH"] = str(key)
        env[f"{prefix}_ENVIRONMENT"] = "development"
        env[f"{prefix}_TRACING"] = topology.tracing
        env[f"REPORTING_{prefix}_URL"] = topology.url(name)
    env["CTXH_DEV_KEY_PATH"] = str(key)
    return env


def service_process(topology: Topology, name: str, index: int) -> Detached:
    port = topology.processes[name][index]
    command = [sys.executable, "-m", "tools.cli", "serve", name, "--port", str(port)]
    env = service_environment(topology)
    return Detached(f"{name}-{index + 1}", command, topology.directory, env)


# Webhook delivery workers: two, as for the services, sharing the work through the database.
WORKERS = 2


def worker_process(topology: Topology, index: int) -> Detached:
    command = [sys.executable, "-m", "tools.cli", "worker"]
    return Detached(
        f"worker-{index + 1}", command, topology.directory, service_environment(topology)
    )


def start_services(topology: Topology) -> None:
    for name, ports in topology.processes.items():
        for index in range(len(ports)):
            service_process(topology, name, index).start()
    for index in range(WORKERS):
        worker_process(topology, index).start()


def wait_ready(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not become ready")


def nginx_config(topology: Topology) -> str:
    home = topology.directory / "nginx"
    logs = topology.directory / "logs"
    blocks = []
    for name, ports in topology.processes.items():
        servers = "\n".join(
            f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=3s;" for port in ports
        )
        blocks.append(
            f"""    upstream {name} {{
{servers}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{topology.public[name]};
        location / {{
            proxy_pass http://{name};
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_next_upstream error timeout;
            proxy_next_upstream_tries 2;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
        }}
    }}"""
        )
    upstreams = "\n".join(blocks)
    # Run as root, nginx's workers drop to www-data, which owns the temporary directories.
    user = "user www-data;\n" if os.geteuid() == 0 else ""
    return f"""# Written by `make cluster` (tools/cluster/web.py); changes here are overwritten.
{user}worker_processes 1;
pid {home}/nginx.pid;
error_log {logs}/nginx-error.log warn;
events {{
    worker_connections 1024;
}}
http {{
    access_log {logs}/nginx-access.log;
    client_body_temp_path {home}/body;
    proxy_temp_path {home}/proxy;
    fastcgi_temp_path {home}/fastcgi;
    uwsgi_temp_path {home}/uwsgi;
    scgi_temp_path {home}/scgi;
    client_max_body_size {NGINX_BODY_LIMIT};
{upstreams}
}}
"""


def _nginx(topology: Topology) -> Detached:
    home = topology.directory / "nginx"
    config = home / "nginx.conf"
    command = ["nginx", "-g", "daemon off;", "-c", str(config), "-p", str(home)]
    return Detached("nginx", command, topology.directory)


def start_nginx(topology: Topology) -> None:
    home: Path = topology.directory / "nginx"
    home.mkdir(parents=True, exist_ok=True)
    (home / "nginx.conf").write_text(nginx_config(topology))
    if os.geteuid() == 0:  # nginx's workers drop root; they write request bodies here
        for part in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (home / part).mkdir(exist_ok=True)
            shutil.chown(home / part, "www-data", "www-data")
    _nginx(topology).start()


def stop_all(topology: Topology) -> None:
    _nginx(topology).stop()
    stop_together(
        [
            service_process(topology, name, index)
            for name, ports in topology.processes.items()
            for index in range(len(ports))
        ]
        + [worker_process(topology, index) for index in range(WORKERS)]
    )

"""Starting and stopping the whole topology, in the order its parts need each other."""

import subprocess
import sys

from tools.cluster import database, web
from tools.cluster.processes import Detached, stop_together
from tools.cluster.topology import Topology


def up(topology: Topology) -> None:
    topology.save()
    database.start(topology)
    chosen = database.wait_healthy(topology)
    database.create_databases(topology, chosen)
    env = web.service_environment(topology)
    command = [sys.executable, "-m", "tools.cli", "migrate", "all"]
    subprocess.run(command, env=env, check=True)
    web.start_services(topology)
    for ports in topology.processes.values():
        for port in ports:
            web.wait_ready(f"http://127.0.0.1:{port}")
    web.start_nginx(topology)
    for name in topology.public:
        web.wait_ready(topology.url(name))


def down(topology: Topology) -> None:
    web.stop_all(topology)
    # All nodes at once (each Patroni stops its PostgreSQL), then etcd, which they need
    # until they have stopped.
    patronis = [Detached(f"patroni-{m.name}", [], topology.directory) for m in topology.members]
    stop_together(patronis, timeout=30)
    stop_together([Detached(f"etcd-{m.name}", [], topology.directory) for m in topology.members])


def describe(topology: Topology) -> str:
    lines = ["services, through nginx:"]
    lines += [f"  {name:<10} {topology.url(name)}" for name in topology.public]
    lines.append("PostgreSQL (Patroni; the leader takes writes):")
    roles = {m["name"]: m for m in database.members(topology)}
    for member in topology.members:
        seen = roles.get(member.name, {})
        role, state = seen.get("role", "down"), seen.get("state", "")
        lines.append(f"  {member.name} 127.0.0.1:{member.postgres}  {role} {state}".rstrip())
    key = topology.directory / "dev-key.pem"
    lines.append(
        f"a token: CTXH_DEV_KEY_PATH={key} .venv/bin/ctxh token --role province_officer"
        " --province 31"
    )
    lines.append(f"logs: {topology.directory / 'logs'}")
    return "\n".join(lines)

"""Where each part of the loopback cluster listens and keeps its files.

`make cluster` uses fixed ports, so an operator can reach the services where `make dev`
puts them (nginx listens on the development ports) and find PostgreSQL at 5441-5443;
`make test-cluster` takes free ports, so it can run beside anything else.
"""

import json
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path

from shared.paths import VAR_DIR
from shared.testing import free_port
from tools.services import SERVICES

NODES = 3  # PostgreSQL nodes, and members of etcd
PROCESSES_PER_SERVICE = 2
STATE_FILE = "cluster.json"


@dataclass(frozen=True)
class Member:
    """One etcd member and the PostgreSQL node (with its Patroni) beside it."""

    name: str
    etcd_client: int
    etcd_peer: int
    postgres: int
    patroni: int


@dataclass(frozen=True)
class Topology:
    directory: Path
    members: list[Member]
    # service -> the port nginx serves it on, and the ports of its processes
    public: dict[str, int]
    processes: dict[str, list[int]]
    # `console` in the tests: each process writes its spans to its log, where a test finds
    # one report's trace in every process it went through.
    tracing: str = "none"
    superuser_password: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    replication_password: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    @classmethod
    def fixed(cls, directory: Path = VAR_DIR / "cluster") -> "Topology":
        members = [
            Member(f"pg{i + 1}", 2391 + i, 2394 + i, 5441 + i, 8441 + i) for i in range(NODES)
        ]
        public = {name: service.default_port for name, service in SERVICES.items()}
        processes = {
            name: [8101 + 100 * index + n for n in range(PROCESSES_PER_SERVICE)]
            for index, name in enumerate(SERVICES)
        }
        return cls(directory, members, public, processes)

    @classmethod
    def on_free_ports(cls, directory: Path, tracing: str = "none") -> "Topology":
        ports = iter(_distinct_free_ports(4 * NODES + (1 + PROCESSES_PER_SERVICE) * len(SERVICES)))
        members = [
            Member(f"pg{i + 1}", next(ports), next(ports), next(ports), next(ports))
            for i in range(NODES)
        ]
        public = {name: next(ports) for name in SERVICES}
        processes = {name: [next(ports) for _ in range(PROCESSES_PER_SERVICE)] for name in SERVICES}
        return cls(directory, members, public, processes, tracing)

    def url(self, service: str) -> str:
        """The service as clients reach it: through nginx."""
        return f"http://127.0.0.1:{self.public[service]}"

    def database_url(self, database: str, *, password: bool = True) -> str:
        """Every node, in one URL: a connection goes to whichever is the primary now
        (target_session_attrs), so the services follow a failover without restarting."""
        secret = f":{self.superuser_password}" if password else ""
        hosts = "&".join(f"host=127.0.0.1:{m.postgres}" for m in self.members)
        return (
            f"postgresql+asyncpg://postgres{secret}@/{database}?{hosts}"
            "&target_session_attrs=read-write"
        )

    @property
    def etcd_hosts(self) -> list[str]:
        return [f"127.0.0.1:{m.etcd_client}" for m in self.members]

    def save(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        # PostgreSQL's and nginx's users pass through to subdirectories of their own.
        self.directory.chmod(0o711)
        state = asdict(self) | {"directory": str(self.directory)}
        path = self.directory / STATE_FILE
        path.write_text(json.dumps(state, indent=2))
        path.chmod(0o600)  # it holds the database passwords

    @classmethod
    def load(cls, directory: Path = VAR_DIR / "cluster") -> "Topology":
        state = json.loads((directory / STATE_FILE).read_text())
        state["directory"] = Path(state["directory"])
        state["members"] = [Member(**m) for m in state["members"]]
        return cls(**state)


def _distinct_free_ports(count: int) -> list[int]:
    """Free ports, none twice: a port given back by one probe may be handed to the next."""
    found: list[int] = []
    while len(found) < count:
        if (port := free_port()) not in found:
            found.append(port)
    return found

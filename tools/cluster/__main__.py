"""`python -m tools.cluster up|down|status`: the production topology on this machine.

`up` starts three etcd members and three PostgreSQL nodes under Patroni, migrates the
three databases, then two processes of each service behind nginx, and prints where
everything is. `down` stops it all and removes its files.
"""

import argparse
import shutil
import sys

from shared.paths import VAR_DIR
from tools.cluster.lifecycle import describe, down, up
from tools.cluster.topology import STATE_FILE, Topology

DIRECTORY = VAR_DIR / "cluster"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.cluster")
    parser.add_argument("command", choices=["up", "down", "status"])
    args = parser.parse_args(argv)
    exists = (DIRECTORY / STATE_FILE).exists()
    if args.command == "up":
        if exists:
            print(f"a cluster is already set up in {DIRECTORY}: make cluster-down first")
            return 1
        topology = Topology.fixed(DIRECTORY)
        try:
            up(topology)
        except BaseException:
            down(topology)
            raise
        print(describe(topology))
    elif not exists:
        print("no cluster is set up: make cluster")
    elif args.command == "status":
        print(describe(Topology.load(DIRECTORY)))
    else:
        down(Topology.load(DIRECTORY))
        shutil.rmtree(DIRECTORY)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

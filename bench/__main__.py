"""`python -m bench [name ...]`: run the benchmarks (all by default)."""

import sys

from bench import caseload, cases, cluster, lists, report

BENCHMARKS = {
    "cases": cases.run,
    "caseload": caseload.run,
    "lists": lists.run,
    "report": report.run,
    "cluster": cluster.run,
}
# `cluster` starts the production topology (Patroni, etcd, nginx): asked for by name only.
# The default stays quick: the list latencies wait on PostgreSQL's statistics for each of
# 33 lists (minutes), so they run when asked for (`make bench BENCH=lists PEOPLE=1000000`).
DEFAULT = ["cases", "caseload", "report"]


def main(names: list[str]) -> None:
    for name in names or DEFAULT:
        print(f"=== {name} ===", flush=True)
        BENCHMARKS[name]()


if __name__ == "__main__":
    main(sys.argv[1:])

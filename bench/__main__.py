"""`python -m bench [name ...]`: run the benchmarks (all by default)."""

import sys

from bench import caseload, cases, cluster, importing, lists, report

BENCHMARKS = {
    "cases": cases.run,
    "caseload": caseload.run,
    "lists": lists.run,
    "report": report.run,
    "import": importing.run,
    "cluster": cluster.run,
}
# `cluster` starts the production topology (Patroni, etcd, nginx): asked for by name only.
DEFAULT = ["cases", "caseload", "lists", "import", "report"]


def main(names: list[str]) -> None:
    for name in names or DEFAULT:
        print(f"=== {name} ===", flush=True)
        BENCHMARKS[name]()


if __name__ == "__main__":
    main(sys.argv[1:])

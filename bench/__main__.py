"""`python -m bench [name ...]`: run the benchmarks (all by default)."""

import sys

from bench import cases, report

BENCHMARKS = {"cases": cases.run, "report": report.run}


def main(names: list[str]) -> None:
    for name in names or list(BENCHMARKS):
        print(f"=== {name} ===", flush=True)
        BENCHMARKS[name]()


if __name__ == "__main__":
    main(sys.argv[1:])

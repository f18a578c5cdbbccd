"""Word report build time: 300 participants, 4 rounds, 1,500 bullets (issue target: ≤ 2 s).

Run: .venv/bin/python benchmarks/report_bench.py [--repeat 5] [--json]
Prints the median and every run; a benchmark, never a test assertion.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exports.report import build_report  # noqa: E402
from exports.samples import make_large_report  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="number of timed builds")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args()
    report = make_large_report()
    runs = []
    size = 0
    for _ in range(args.repeat):
        start = time.perf_counter()
        size = len(build_report(report))
        runs.append(time.perf_counter() - start)
    result = {
        "median_s": round(statistics.median(runs), 3),
        "runs_s": [round(r, 3) for r in runs],
        "bytes": size,
        "participants": 300,
        "rounds": 4,
        "bullets": 1500,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"build_report: median {result['median_s']} s over {args.repeat} runs {result['runs_s']}, "
            f"{size} bytes"
        )


if __name__ == "__main__":
    main()

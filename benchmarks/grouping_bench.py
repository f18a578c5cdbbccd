"""Benchmark: planning 300 people x 4 rounds with the grouping engine vs a random shuffle.

Not a test: it prints a table (or ``--json``). For every population mix and group size it
plans four rounds with seeds 0..runs-1 and reports the median wall time per 4-round plan,
the median total of repeated pairs over the four rounds, the worst (lowest) number of
distinct roles at any table next to the engine's bound, and the largest size spread. The
random baseline is ``strategy="random"`` on the same people and seeds.

Run: ``.venv/bin/python -m benchmarks.grouping_bench`` (or ``benchmarks/grouping_bench.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time

from confapp.grouping import plan_rounds
from confapp.grouping.synthetic import MIXES, generate_population

TARGET_SECONDS = 1.0


def measure(people, rounds: int, k: int, strategy: str, runs: int) -> dict[str, float | int]:
    """Median time and quality of ``runs`` plans (one per seed)."""
    times, repeats, min_distinct, spread = [], [], [], []
    bound = 0
    for seed in range(runs):
        start = time.perf_counter()
        plans = plan_rounds(people, rounds, group_size=k, strategy=strategy, seed=seed)
        times.append(time.perf_counter() - start)
        repeats.append(sum(p.metrics.repeated_pairs for p in plans))
        min_distinct.append(min(p.metrics.min_distinct for p in plans))
        spread.append(max(p.metrics.size_spread for p in plans))
        bound = min(p.metrics.bound_distinct for p in plans)
    return {
        "median_s": statistics.median(times),
        "max_s": max(times),
        "repeated_pairs": statistics.median(repeats),
        "worst_repeated_pairs": max(repeats),
        "min_distinct": min(min_distinct),
        "bound_distinct": bound,
        "size_spread": max(spread),
    }


def run(n: int, rounds: int, group_sizes: list[int], mixes: list[str], runs: int) -> list[dict[str, object]]:
    rows = []
    for mix in mixes:
        people = generate_population(n, mix, seed=2024)
        for k in group_sizes:
            rows.append(
                {
                    "mix": mix,
                    "people": n,
                    "rounds": rounds,
                    "group_size": k,
                    "engine": measure(people, rounds, k, "mixed", runs),
                    "random": measure(people, rounds, k, "random", runs),
                }
            )
    return rows


def print_table(rows: list[dict[str, object]], runs: int) -> None:
    print(
        f"grouping benchmark: python {platform.python_version()} on {platform.machine()}, "
        f"{os.cpu_count()} CPUs; median of {runs} runs (seeds 0..{runs - 1}); target < {TARGET_SECONDS:.0f} s"
    )
    head = (
        f"{'mix':<11} {'n':>4} {'k':>2} | {'engine s':>8} {'max s':>6} {'rep':>4} "
        f"{'minD/bound':>10} {'spr':>3} | {'random s':>8} {'rep':>4} {'minD':>4} {'spr':>3}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        e, x = r["engine"], r["random"]
        print(
            f"{r['mix']:<11} {r['people']:>4} {r['group_size']:>2} | "
            f"{e['median_s']:>8.3f} {e['max_s']:>6.3f} {e['repeated_pairs']:>4g} "
            f"{e['min_distinct']:>4}/{e['bound_distinct']:<5} {e['size_spread']:>3} | "
            f"{x['median_s']:>8.4f} {x['repeated_pairs']:>4g} {x['min_distinct']:>4} {x['size_spread']:>3}"
        )
    worst = max(r["engine"]["median_s"] for r in rows)
    verdict = "meets" if worst < TARGET_SECONDS else "MISSES"
    print(f"slowest median 4-round plan: {worst:.3f} s ({verdict} the {TARGET_SECONDS:.0f} s target)")
    print("rep = repeated pairs, all rounds (median); minD = fewest distinct roles at a table (worst run)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=300, help="population size")
    parser.add_argument("--rounds", type=int, default=4, help="rounds planned in a row")
    parser.add_argument("--group-sizes", default="5,6,7,8", help="comma-separated group sizes")
    parser.add_argument("--mixes", default=",".join(MIXES), help=f"comma-separated, of {', '.join(MIXES)}")
    parser.add_argument("--runs", type=int, default=7, help="runs (seeds) per case")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    rows = run(
        args.people,
        args.rounds,
        [int(k) for k in args.group_sizes.split(",")],
        args.mixes.split(","),
        args.runs,
    )
    if args.json:
        print(json.dumps({"runs": args.runs, "target_s": TARGET_SECONDS, "results": rows}, indent=2))
    else:
        print_table(rows, args.runs)


if __name__ == "__main__":
    main()

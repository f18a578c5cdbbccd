"""Score bullet clustering against a labelled set: our method beside a plain TF-IDF baseline.

Usage (from anywhere)::

    .venv/bin/python benchmarks/clustering_score.py [--data PATH ...] [--json] [--draws N]

Default data: ``<repo>/../shared/data/sample_bullets.jsonl`` and our own held-out set
``tests/fixtures/clustering/heldout_own.jsonl``. Measures, per set and method:

* cold start with the number of clusters chosen automatically: ARI and pairwise F1
  (as ``shared/data/README.md`` defines them), plus the number of clusters found;
* the same with the true number of clusters given (an upper reference, not the headline);
* assisted suggestion: three placed bullets per theme, top-1 accuracy on the rest, for one
  deterministic draw (the three ids with the smallest SHA-1 per theme) and the mean of N
  random draws (``random.Random(0..N-1)``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from confapp.clustering.engine import cluster_matrix, score_clusters  # noqa: E402
from confapp.clustering.features import Representation, plain_matrix  # noqa: E402
from confapp.clustering.metrics import adjusted_rand_index, pairwise_f1  # noqa: E402

DEFAULT_DATA = [
    REPO.parent / "shared" / "data" / "sample_bullets.jsonl",
    REPO / "tests" / "fixtures" / "clustering" / "heldout_own.jsonl",
]
SEEDS_PER_THEME = 3

Row = dict[str, object]
MatrixFn = Callable[[Sequence[str]], list[list[float]]]
METHODS: dict[str, MatrixFn] = {
    "ours": lambda texts: Representation(texts).matrix(),
    "tfidf": plain_matrix,
}
# The baseline places by mean similarity (its centroid); ours blends in the best single match.
SUGGEST_MAX_WEIGHT = {"ours": None, "tfidf": 0.0}


def load(path: Path) -> list[Row]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def deterministic_seeds(rows: Sequence[Row], k: int = SEEDS_PER_THEME) -> set[int]:
    by_theme: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by_theme[str(r["theme"])].append(i)
    chosen: set[int] = set()
    for idx in by_theme.values():
        idx.sort(key=lambda i: hashlib.sha1(str(rows[i]["id"]).encode()).hexdigest())
        chosen.update(idx[:k])
    return chosen


def random_seeds(rows: Sequence[Row], rng: random.Random, k: int = SEEDS_PER_THEME) -> set[int]:
    by_theme: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by_theme[str(r["theme"])].append(i)
    return {i for idx in by_theme.values() for i in rng.sample(idx, min(k, len(idx)))}


def top1(
    sim: Sequence[Sequence[float]], gold: Sequence[str], seeds: set[int], max_weight: float | None
) -> float:
    from confapp.clustering.engine import DEFAULT_SUGGEST, SuggestPolicy

    policy = DEFAULT_SUGGEST if max_weight is None else SuggestPolicy(max_weight=max_weight)
    placed = sorted(seeds)
    queries = [i for i in range(len(gold)) if i not in seeds]
    ranked = score_clusters(sim, placed, [gold[i] for i in placed], queries, policy)
    hits = sum(1 for q in queries if ranked[q] and ranked[q][0][0] == gold[q])
    return hits / len(queries) if queries else 0.0


def evaluate(
    rows: Sequence[Row], matrix_fn: MatrixFn, max_weight: float | None, draws: int
) -> dict[str, float]:
    texts = [str(r["text"]) for r in rows]
    gold = [str(r["theme"]) for r in rows]
    sim = matrix_fn(texts)
    auto = cluster_matrix(sim, None)
    oracle = cluster_matrix(sim, len(set(gold)))
    rand = [top1(sim, gold, random_seeds(rows, random.Random(s)), max_weight) for s in range(draws)]
    return {
        "ari": adjusted_rand_index(gold, auto),
        "pairwise_f1": pairwise_f1(gold, auto),
        "clusters": float(len(set(auto))),
        "ari_true_k": adjusted_rand_index(gold, oracle),
        "f1_true_k": pairwise_f1(gold, oracle),
        "top1": top1(sim, gold, deterministic_seeds(rows), max_weight),
        "top1_mean": sum(rand) / len(rand) if rand else float("nan"),
    }


def run(paths: Sequence[Path], draws: int) -> dict[str, dict[str, dict[str, float]]]:
    results: dict[str, dict[str, dict[str, float]]] = {}
    for path in paths:
        rows = load(path)
        results[path.name] = {
            name: evaluate(rows, fn, SUGGEST_MAX_WEIGHT[name], draws) | {"n": float(len(rows))}
            for name, fn in METHODS.items()
        }
        results[path.name]["gold"] = {"themes": float(len({r["theme"] for r in rows}))}
    return results


def print_table(results: dict[str, dict[str, dict[str, float]]], draws: int) -> None:
    cols = ["ari", "pairwise_f1", "clusters", "ari_true_k", "f1_true_k", "top1", f"top1_mean{draws}"]
    for name, res in results.items():
        print(f"\n{name}  (n={int(res['ours']['n'])}, themes={int(res['gold']['themes'])})")
        print(f"{'method':<8}" + "".join(f"{c:>13}" for c in cols))
        for method in METHODS:
            r = res[method]
            vals = [r["ari"], r["pairwise_f1"], r["clusters"], r["ari_true_k"], r["f1_true_k"], r["top1"]]
            vals.append(r["top1_mean"])
            print(
                f"{method:<8}"
                + "".join(
                    f"{v:>13.0f}" if c == "clusters" else f"{v:>13.3f}"
                    for c, v in zip(cols, vals, strict=True)
                )
            )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, action="append", help="labelled JSONL (repeatable)")
    parser.add_argument("--draws", type=int, default=20, help="random seed draws for top-1 mean")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    paths = args.data or [p for p in DEFAULT_DATA if p.exists()]
    if not paths:
        parser.error("no data found; pass --data PATH")
    results = run(paths, args.draws)
    if args.json:
        print(json.dumps(results, indent=2, sort_keys=True))
    else:
        print_table(results, args.draws)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Score bullet clustering against a labelled set: our method beside a plain TF-IDF baseline.

Usage (from anywhere)::

    .venv/bin/python benchmarks/clustering_score.py [--data PATH ...] [--json] [--draws N]

Default data: the team's labelled set (a copy of ``../shared/data/sample_bullets.jsonl`` in
``tests/fixtures/clustering/shared_sample_bullets.jsonl``) and our own held-out set
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
import contextlib
import hashlib
import json
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from confapp.clustering import lexicon, normalize  # noqa: E402
from confapp.clustering.engine import (  # noqa: E402
    CutPolicy,
    cluster_bullets,
    cluster_matrix,
    score_clusters,
    suggest,
)
from confapp.clustering.features import Config, Representation, cosine, plain_matrix, tfidf  # noqa: E402
from confapp.clustering.metrics import adjusted_rand_index, pairwise_f1  # noqa: E402

DEFAULT_DATA = [
    REPO / "tests" / "fixtures" / "clustering" / "shared_sample_bullets.jsonl",  # copy of ../shared/data
    REPO / "tests" / "fixtures" / "clustering" / "heldout_own.jsonl",
]
SEEDS_PER_THEME = 3

Row = dict[str, object]
MatrixFn = Callable[[Sequence[str]], list[list[float]]]
METHODS: dict[str, MatrixFn] = {
    "ours": lambda texts: Representation(texts).matrix(),
    "tfidf": plain_matrix,
}
# Both place a bullet by its mean similarity to each cluster's members (None = engine default).
SUGGEST_MAX_WEIGHT = {"ours": None, "tfidf": 0.0}


def _bag_matrix(bag: Callable[[str], Counter[str]]) -> MatrixFn:
    def fn(texts: Sequence[str]) -> list[list[float]]:
        vecs = tfidf([bag(t) for t in texts])
        return [[cosine(a, b) for b in vecs] for a in vecs]

    return fn


def _ours(cfg: Config) -> MatrixFn:
    return lambda texts: Representation(texts, cfg).matrix()


def _char_only(texts: Sequence[str]) -> list[list[float]]:
    return Representation(texts, Config(word_weight=0.0, char_weight=1.0)).matrix()


def _stop_bag(text: str) -> Counter[str]:
    return Counter(
        w for w in re.findall(r"\w\w+", text.lower()) if normalize.fold(w) not in lexicon.STOPWORDS
    )


@contextlib.contextmanager
def _patched(obj: object, name: str, value: object) -> Iterator[None]:
    """Swap one attribute for an ablation, clearing the normaliser's caches around it."""
    old = getattr(obj, name)
    setattr(obj, name, value)
    _clear_caches()
    try:
        yield
    finally:
        setattr(obj, name, old)
        _clear_caches()


def _clear_caches() -> None:
    for fn in (normalize.lemma_form, normalize.split_compound):
        getattr(fn, "cache_clear", lambda: None)()


FINAL = Config()
# (name, matrix function, context for an ablation or None). Each row changes one thing.
CANDIDATES: list[tuple[str, MatrixFn, Callable[[], contextlib.AbstractContextManager[None]] | None]] = [
    ("tfidf words (baseline)", plain_matrix, None),
    ("tfidf words - stopwords", _bag_matrix(_stop_bag), None),
    ("char 3-5-grams, folded", _char_only, None),
    ("ours - topic lexicon", _ours(replace(FINAL, use_concepts=False)), None),
    ("ours - synonym lexicon", _ours(FINAL), lambda: _patched(lexicon, "SYNONYMS", {})),
    ("ours - lemmatiser", _ours(FINAL), lambda: _patched(normalize, "_lemma", lambda w: w)),
    ("ours - compound splitting", _ours(FINAL), lambda: _patched(normalize, "split_compound", lambda k: ())),
    ("ours + parts as words 0.5", _ours(replace(FINAL, use_parts=True, part_weight=0.5)), None),
    ("ours - seed-corpus IDF", _ours(replace(FINAL, background=0.0)), None),
    ("ours + char n-grams 0.3", _ours(replace(FINAL, char_weight=0.3)), None),
    ("ours, silhouette cut", _ours(FINAL), None),
    ("ours (final)", _ours(FINAL), None),
]
CUTS = {"ours, silhouette cut": CutPolicy(method="silhouette")}


def run_candidates(paths: Sequence[Path], draws: int) -> dict[str, dict[str, dict[str, float]]]:
    out: dict[str, dict[str, dict[str, float]]] = {}
    for name, fn, ctx in CANDIDATES:
        with ctx() if ctx else contextlib.nullcontext():
            out[name] = {p.name: evaluate(load(p), fn, 0.0, draws, CUTS.get(name)) for p in paths}
    return out


def print_candidates(results: dict[str, dict[str, dict[str, float]]]) -> None:
    sets = list(next(iter(results.values())))
    print(f"{'candidate':<26}" + "".join(f"{s[:22]:>26}" for s in sets))
    print(f"{'':<26}" + "".join(f"{'ARI   F1   k  top1':>26}" for _ in sets))
    for name, per_set in results.items():
        cells = [
            f"{r['ari']:.3f} {r['pairwise_f1']:.3f} {int(r['clusters']):>2} {r['top1_mean']:.3f}"
            for r in per_set.values()
        ]
        print(f"{name:<26}" + "".join(f"{c:>26}" for c in cells))


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
    rows: Sequence[Row],
    matrix_fn: MatrixFn,
    max_weight: float | None,
    draws: int,
    cut: CutPolicy | None = None,
) -> dict[str, float]:
    texts = [str(r["text"]) for r in rows]
    gold = [str(r["theme"]) for r in rows]
    sim = matrix_fn(texts)
    auto = cluster_matrix(sim, None, cut or CutPolicy())
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


def via_public_api(rows: Sequence[Row]) -> dict[str, float]:
    """The same figures through cluster_bullets/suggest, the functions ``confapp cluster`` calls."""
    items = [(str(r["id"]), str(r["text"])) for r in rows]
    gold = {str(r["id"]): str(r["theme"]) for r in rows}
    labels = cluster_bullets(items)
    seeds = deterministic_seeds(rows)
    placed = [(*items[i], gold[items[i][0]]) for i in sorted(seeds)]
    ranked = suggest(items, placed, top=1)
    hits = sum(1 for i, opts in ranked.items() if opts and opts[0][0] == gold[i])
    return {
        "api_ari": adjusted_rand_index([gold[i] for i, _ in items], [labels[i] for i, _ in items]),
        "api_top1": hits / len(ranked),
    }


def run(paths: Sequence[Path], draws: int) -> dict[str, dict[str, dict[str, float]]]:
    results: dict[str, dict[str, dict[str, float]]] = {}
    for path in paths:
        rows = load(path)
        results[path.name] = {
            name: evaluate(rows, fn, SUGGEST_MAX_WEIGHT[name], draws) | {"n": float(len(rows))}
            for name, fn in METHODS.items()
        }
        results[path.name]["ours"] |= via_public_api(rows)
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
        ours = res["ours"]
        print(
            "ours via cluster_bullets/suggest (the CLI's path): "
            f"ARI {ours['api_ari']:.3f}, top1 {ours['api_top1']:.3f}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, action="append", help="labelled JSONL (repeatable)")
    parser.add_argument("--draws", type=int, default=20, help="random seed draws for top-1 mean")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--candidates", action="store_true", help="compare the method candidates (one change each)"
    )
    args = parser.parse_args(argv)
    paths = args.data or [p for p in DEFAULT_DATA if p.exists()]
    if not paths:
        parser.error("no data found; pass --data PATH")
    if args.candidates:
        cand = run_candidates(paths, args.draws)
        print(json.dumps(cand, indent=2, sort_keys=True)) if args.json else print_candidates(cand)
        return 0
    results = run(paths, args.draws)
    if args.json:
        print(json.dumps(results, indent=2, sort_keys=True))
    else:
        print_table(results, args.draws)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

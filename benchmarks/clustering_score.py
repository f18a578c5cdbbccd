"""Score bullet clustering on labelled sets: our engine beside a char n-gram baseline and today's engine.

Usage (from the repo root)::

    .venv/bin/python benchmarks/clustering_score.py                 # sample, own held-out, dev
    .venv/bin/python benchmarks/clustering_score.py --speed         # + median timings
    .venv/bin/python benchmarks/clustering_score.py --candidates    # ablation ladder on dev (+ sample)
    .venv/bin/python benchmarks/clustering_score.py --final         # + the test part (final figures only)

Sets: ``sample`` (``../shared/data/sample_bullets.jsonl``, when present beside the repo),
``sample-copy`` (the committed copy the tests use), ``own`` (``tests/fixtures/clustering/heldout_own.jsonl``),
``dev`` and ``test`` (``benchmarks/data/clustering_eval``; see its README). The test part is
only read with ``--final``: it is for the final figures, never for choosing the method.

Methods: ``ours`` (the engine in this tree), ``baseline`` (character 3-5-gram TF-IDF on the raw
lowercased text, same clustering and placement rule), ``today`` (the engine as it was at
``TODAY_COMMIT``, extracted with ``git archive`` and run in a child process).

Figures: cold start with the number of clusters chosen automatically (ARI, pairwise F1 as
``shared/data/README.md`` defines them, number of clusters); assisted top-1 with 1, 3, 5 and 10
placed points per theme (capped at the theme's size minus one), mean over ``--draws`` random
draws (``random.Random(0..N-1)``), scored on every point not placed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from confapp.clustering import normalize  # noqa: E402
from confapp.clustering.engine import CutPolicy, cluster_bullets, cluster_matrix, score_clusters, suggest  # noqa: E402
from confapp.clustering.features import Config, Representation, cosine, plain_matrix, tfidf  # noqa: E402
from confapp.clustering.metrics import adjusted_rand_index, pairwise_f1  # noqa: E402

EVAL = REPO / "benchmarks" / "data" / "clustering_eval"
FIXTURES = REPO / "tests" / "fixtures" / "clustering"
SETS: dict[str, Path] = {
    "sample": next(
        (p for p in (REPO.parent / "shared", REPO.parent.parent / "shared") if (p / "data").is_dir()),
        REPO.parent / "shared",
    )
    / "data"
    / "sample_bullets.jsonl",
    "sample-copy": FIXTURES / "shared_sample_bullets.jsonl",
    "own": FIXTURES / "heldout_own.jsonl",
    "dev": EVAL / "dev.jsonl",
    "test": EVAL / "test.jsonl",
}
DEFAULT_SETS = ["sample", "sample-copy", "own", "dev"]
PLACED = (1, 3, 5, 10)
TODAY_COMMIT = "65f95ce649b666d8f908a6de43525eb583dcd3ec"  # the branch point: the engine before issue 17
CMD = ".venv/bin/python benchmarks/clustering_score.py"

Row = dict[str, object]
Matrix = list[list[float]]
MatrixFn = Callable[[Sequence[str]], Matrix]


def load(path: Path) -> list[Row]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


# --- methods -------------------------------------------------------------------------------


def _char_ngrams(text: str, lo: int = 3, hi: int = 5) -> Counter[str]:
    bag: Counter[str] = Counter()
    for word in text.lower().split():
        padded = f" {word} "
        for n in range(lo, hi + 1):
            for i in range(len(padded) - n + 1):
                bag[padded[i : i + n]] += 1
    return bag


def baseline_matrix(texts: Sequence[str]) -> Matrix:
    """Character 3-5-gram TF-IDF (word-bounded, like scikit-learn's ``char_wb``) on the raw text."""
    vecs = tfidf([_char_ngrams(t) for t in texts])
    return [[1.0 if i == j else cosine(a, b) for j, b in enumerate(vecs)] for i, a in enumerate(vecs)]


def ours_matrix(texts: Sequence[str]) -> Matrix:
    return Representation(texts).matrix()


_TODAY_CHILD = """
import json, sys
from confapp.clustering.engine import DEFAULT_CUT, cluster_matrix
from confapp.clustering.features import Representation
texts = json.load(sys.stdin)
sim = Representation(texts).matrix()
json.dump({"sim": sim, "labels": cluster_matrix(sim, None, DEFAULT_CUT)}, sys.stdout)
"""


@contextlib.contextmanager
def today_tree() -> Iterator[Path | None]:
    """``confapp/`` as of TODAY_COMMIT in a temporary folder (None when git cannot provide it)."""
    with tempfile.TemporaryDirectory(prefix="confapp-today-") as tmp:
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", "--format=tar", TODAY_COMMIT, "confapp"],
            capture_output=True,
            check=False,
        )
        if archive.returncode != 0:
            print(f"today's engine skipped: git archive {TODAY_COMMIT[:7]} failed", file=sys.stderr)
            yield None
            return
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        yield Path(tmp)


def today_run(tree: Path, texts: Sequence[str]) -> tuple[Matrix, list[int]]:
    """Similarity matrix and cold-start labels from today's engine, in a child process."""
    out = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(tree)!r})\n{_TODAY_CHILD}"],
        input=json.dumps(list(texts)),
        capture_output=True,
        text=True,
        check=True,
        cwd=tree,
    )
    data = json.loads(out.stdout)
    return data["sim"], data["labels"]


# --- scoring ------------------------------------------------------------------------------


def random_placed(gold: Sequence[str], k: int, rng: random.Random) -> set[int]:
    """k points per theme (at most the theme's size minus one, so each theme keeps a query)."""
    by_theme: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(gold):
        by_theme[g].append(i)
    return {i for idx in by_theme.values() for i in rng.sample(idx, max(0, min(k, len(idx) - 1)))}


def top1(sim: Matrix, gold: Sequence[str], placed: set[int]) -> float:
    order = sorted(placed)
    queries = [i for i in range(len(gold)) if i not in placed]
    ranked = score_clusters(sim, order, [gold[i] for i in order], queries)
    hits = sum(1 for q in queries if ranked[q] and ranked[q][0][0] == gold[q])
    return hits / len(queries) if queries else float("nan")


def assisted(sim: Matrix, gold: Sequence[str], draws: int) -> dict[str, float]:
    out = {}
    for k in PLACED:
        vals = [top1(sim, gold, random_placed(gold, k, random.Random(s))) for s in range(draws)]
        out[f"top1@{k}"] = statistics.fmean(vals)
    return out


def score(gold: Sequence[str], sim: Matrix, labels: Sequence[int], draws: int) -> dict[str, float]:
    return {
        "ari": adjusted_rand_index(gold, labels),
        "pairwise_f1": pairwise_f1(gold, labels),
        "clusters": float(len(set(labels))),
        **assisted(sim, gold, draws),
    }


def evaluate_set(rows: Sequence[Row], draws: int, tree: Path | None) -> dict[str, dict[str, float]]:
    texts = [str(r["text"]) for r in rows]
    gold = [str(r["theme"]) for r in rows]
    out: dict[str, dict[str, float]] = {}
    for name, fn in (("ours", ours_matrix), ("baseline", baseline_matrix)):
        sim = fn(texts)
        out[name] = score(gold, sim, cluster_matrix(sim, None), draws)
    if tree is not None:
        sim, labels = today_run(tree, texts)
        out["today"] = score(gold, sim, labels, draws)
    # the CLI's path must give the same cold start as the matrix path
    items = [(str(r["id"]), t) for r, t in zip(rows, texts, strict=True)]
    api = cluster_bullets(items)
    out["ours"]["api_ari"] = adjusted_rand_index(gold, [api[i] for i, _ in items])
    out["gold"] = {"n": float(len(rows)), "themes": float(len(set(gold)))}
    return out


def run(
    names: Sequence[str], draws: int, *, with_today: bool = True
) -> dict[str, dict[str, dict[str, float]]]:
    results: dict[str, dict[str, dict[str, float]]] = {}
    with today_tree() if with_today else contextlib.nullcontext() as tree:
        for name in names:
            path = SETS[name]
            if path.exists():
                results[name] = evaluate_set(load(path), draws, tree)
    return results


COLS = ["ari", "pairwise_f1", "clusters"] + [f"top1@{k}" for k in PLACED]


def print_table(results: dict[str, dict[str, dict[str, float]]], args: argparse.Namespace) -> None:
    for name, res in results.items():
        flags = " --final" if name == "test" else f" --set {name}"
        path = SETS[name]
        shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
        print(f"\n{name}: {shown}  (n={int(res['gold']['n'])}, themes={int(res['gold']['themes'])})")
        print(f"command: {CMD}{flags} --draws {args.draws}")
        print(f"{'method':<9}" + "".join(f"{c:>12}" for c in COLS))
        for method in ("ours", "today", "baseline"):
            if method not in res:
                continue
            r = res[method]
            cells = [f"{r[c]:>12.0f}" if c == "clusters" else f"{r[c]:>12.3f}" for c in COLS]
            print(f"{method:<9}" + "".join(cells))


# --- speed --------------------------------------------------------------------------------


def speed(repeats: int = 5) -> dict[str, float]:
    """Median seconds: cold start for 300 points; suggestions for one new card among 299 placed.

    The points come from the sample copy, our own held-out set and dev (never test), cycled to 300.
    """
    rows = [r for n in ("sample-copy", "own", "dev") if SETS[n].exists() for r in load(SETS[n])]
    rows = [dict(r, id=f"{k}-{r['id']}") for k in range(2) for r in rows][:300]
    items = [(str(r["id"]), str(r["text"])) for r in rows]
    placed = [(i, t, str(r["theme"])) for (i, t), r in zip(items[:-1], rows, strict=False)]
    cold, one = [], []
    for _ in range(repeats):
        normalize.lemma_form.cache_clear()
        normalize.split_compound.cache_clear()
        t0 = time.perf_counter()
        cluster_bullets(items)
        cold.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        suggest(items, placed, top=3)
        one.append(time.perf_counter() - t0)
    return {"cold_start_300_s": statistics.median(cold), "suggest_one_of_300_s": statistics.median(one)}


# --- candidates (dev and sample only) ----------------------------------------------------


def _ours(cfg: Config) -> MatrixFn:
    return lambda texts: Representation(texts, cfg).matrix()


FINAL = Config()
CANDIDATES: list[tuple[str, MatrixFn, CutPolicy | None]] = [
    ("char 3-5-gram tfidf (baseline)", baseline_matrix, None),
    ("word tfidf", plain_matrix, None),
    ("ours - topic lexicon", _ours(replace(FINAL, use_concepts=False)), None),
    ("ours - seed-corpus IDF", _ours(replace(FINAL, background=0.0)), None),
    ("ours - parts as words", _ours(replace(FINAL, use_parts=False)), None),
    ("ours - char n-grams", _ours(replace(FINAL, char_weight=0.0)), None),
    ("ours - parts - char (today)", _ours(replace(FINAL, use_parts=False, char_weight=0.0)), None),
    ("ours, char 0.2", _ours(replace(FINAL, char_weight=0.2)), None),
    ("ours, topic weight 3", _ours(replace(FINAL, concept_weight=3.0)), None),
    ("ours, cut 0.87", _ours(FINAL), CutPolicy(threshold=0.87)),
    ("ours, cut 0.92", _ours(FINAL), CutPolicy(threshold=0.92)),
    ("ours (final)", _ours(FINAL), None),
]


def run_candidates(names: Sequence[str], draws: int) -> dict[str, dict[str, dict[str, float]]]:
    out: dict[str, dict[str, dict[str, float]]] = {}
    data = {n: load(SETS[n]) for n in names if SETS[n].exists()}
    for label, fn, cut in CANDIDATES:
        out[label] = {}
        for n, rows in data.items():
            gold = [str(r["theme"]) for r in rows]
            sim = fn([str(r["text"]) for r in rows])
            out[label][n] = score(gold, sim, cluster_matrix(sim, None, cut or CutPolicy()), draws)
    return out


def print_candidates(results: dict[str, dict[str, dict[str, float]]], names: Sequence[str]) -> None:
    print(f"command: {CMD} --candidates --draws N   (columns: ARI, clusters, top-1 at 1/3/5 placed)")
    sets = list(next(iter(results.values())))
    print(f"{'candidate':<31}" + "".join(f"{s:>34}" for s in sets))
    for label, per_set in results.items():
        cells = [
            f"{r['ari']:.3f} {int(r['clusters']):>3} {r['top1@1']:.3f} {r['top1@3']:.3f} {r['top1@5']:.3f}"
            for r in per_set.values()
        ]
        print(f"{label:<31}" + "".join(f"{c:>34}" for c in cells))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", dest="sets", action="append", choices=[s for s in SETS if s != "test"],
                        help="set to score (repeatable; default: all but test)")  # fmt: skip
    parser.add_argument("--final", action="store_true", help="also score the test part (final figures only)")
    parser.add_argument("--draws", type=int, default=10, help="random draws of placed points per figure")
    parser.add_argument("--speed", action="store_true", help="also time cold start and one suggestion")
    parser.add_argument("--no-today", action="store_true", help="skip today's engine (no git needed)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.add_argument("--candidates", action="store_true", help="ablation ladder on dev and the sample")
    args = parser.parse_args(argv)
    names = list(args.sets or DEFAULT_SETS)
    if args.candidates:
        cand_sets = [n for n in (args.sets or ["dev", "sample-copy", "own"]) if n != "test"]
        cand = run_candidates(cand_sets, args.draws)
        print(json.dumps(cand, indent=2)) if args.json else print_candidates(cand, cand_sets)
        return 0
    if args.final:
        names.append("test")
    results: dict[str, object] = dict(run(names, args.draws, with_today=not args.no_today))
    if args.speed:
        results["speed"] = speed()
    if args.json:
        print(json.dumps(results, indent=2, sort_keys=True))
        return 0
    print_table({k: v for k, v in results.items() if k != "speed"}, args)  # type: ignore[misc]
    if args.speed:
        sp = results["speed"]
        assert isinstance(sp, dict)
        print(f"\nspeed (median of 5; command: {CMD} --speed):")
        print(f"  cold start, 300 points:            {sp['cold_start_300_s'] * 1000:.0f} ms")
        print(f"  suggestions, one new card, 299 placed: {sp['suggest_one_of_300_s'] * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

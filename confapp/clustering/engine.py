"""Cold-start grouping and assisted placement of bullets.

Both work on one pairwise similarity matrix (``features.Representation``): cold start is
average-linkage clustering cut at a distance threshold; a suggestion scores each placed cluster
by the bullet's mean similarity to its members (average linkage again). Blending in the best
single match was measured and did not pay (``SuggestPolicy.max_weight``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from confapp.clustering import agglomerative
from confapp.clustering.features import Config, Representation, plain_matrix
from confapp.clustering.normalize import analyse
from confapp.clustering.resources import vocabulary


@dataclass(frozen=True)
class CutPolicy:
    """How the number of clusters is chosen when the caller gives none.

    A fixed average-linkage distance threshold, chosen by measurement: it matches the best
    silhouette cut on both labelled sets, and unlike silhouette it is not fooled by repeated
    bullets (ten duplicates in the sample sent silhouette from 14 to 50 clusters).
    """

    method: str = "threshold"  # or "silhouette"
    threshold: float = 0.9  # max average distance (1 - similarity) inside a merged cluster


DEFAULT_CUT = CutPolicy()


def cluster_matrix(
    sim: Sequence[Sequence[float]], n_clusters: int | None, cut: CutPolicy = DEFAULT_CUT
) -> list[int]:
    """Flat labels from a similarity matrix (the shared core of our method and the baseline)."""
    n = len(sim)
    if n == 0:
        return []
    if n == 1:
        return [0]
    dist = [[max(0.0, 1.0 - v) for v in row] for row in sim]
    for i in range(n):
        dist[i][i] = 0.0
    merges = agglomerative.average_linkage(dist)
    if n_clusters is not None:
        return agglomerative.cut_k(n, merges, n_clusters)
    if cut.method == "threshold":
        return agglomerative.cut_threshold(n, merges, cut.threshold)
    k_max = max(2, n // 2)
    scores = agglomerative.silhouette_by_k(dist, merges, 2, k_max)
    if not scores:
        return agglomerative.cut_k(n, merges, 1)
    best_k = max(scores, key=lambda k: (scores[k], -k))
    return agglomerative.cut_k(n, merges, best_k)


def cluster_texts(
    texts: Sequence[str],
    n_clusters: int | None = None,
    cfg: Config | None = None,
    cut: CutPolicy = DEFAULT_CUT,
) -> list[int]:
    return cluster_matrix(Representation(texts, cfg).matrix(), n_clusters, cut)


def _check_ids(ids: Sequence[str]) -> None:
    dup = [i for i, c in Counter(ids).items() if c > 1]
    if dup:
        raise ValueError(f"duplicate ids: {', '.join(sorted(dup)[:5])}")


def cluster_bullets(items: Sequence[tuple[str, str]], *, n_clusters: int | None = None) -> dict[str, int]:
    """id -> cluster number for a cold start; the number of clusters is chosen when None."""
    ids = [i for i, _ in items]
    _check_ids(ids)
    labels = cluster_texts([t for _, t in items], n_clusters)
    return dict(zip(ids, labels, strict=True))


@dataclass(frozen=True)
class SuggestPolicy:
    max_weight: float = 0.0  # weight of the best single member vs the mean over members


DEFAULT_SUGGEST = SuggestPolicy()


def score_clusters(
    sim: Sequence[Sequence[float]],
    placed_idx: Sequence[int],
    placed_labels: Sequence[str],
    query_idx: Sequence[int],
    policy: SuggestPolicy = DEFAULT_SUGGEST,
) -> dict[int, list[tuple[str, float]]]:
    """For each query row: (label, score) for every placed cluster, best first."""
    members: dict[str, list[int]] = defaultdict(list)
    for i, lab in zip(placed_idx, placed_labels, strict=True):
        members[lab].append(i)
    out: dict[int, list[tuple[str, float]]] = {}
    for q in query_idx:
        row = sim[q]
        scored = []
        for lab, mem in members.items():
            vals = [row[m] for m in mem]
            score = policy.max_weight * max(vals) + (1 - policy.max_weight) * sum(vals) / len(vals)
            scored.append((lab, score))
        scored.sort(key=lambda x: (-x[1], x[0]))
        out[q] = scored
    return out


def suggest_matrix(
    texts: Sequence[str],
    placed_idx: Sequence[int],
    placed_labels: Sequence[str],
    query_idx: Sequence[int],
    *,
    baseline: bool = False,
    cfg: Config | None = None,
    policy: SuggestPolicy = DEFAULT_SUGGEST,
) -> dict[int, list[tuple[str, float]]]:
    sim = plain_matrix(texts) if baseline else Representation(texts, cfg).matrix()
    if baseline:
        policy = SuggestPolicy(max_weight=0.0)
    return score_clusters(sim, placed_idx, placed_labels, query_idx, policy)


def suggest(
    items: Sequence[tuple[str, str]], placed: Sequence[tuple[str, str, str]], *, top: int = 3
) -> dict[str, list[tuple[str, float]]]:
    """Unplaced id -> [(cluster label, score)] best first, at most ``top`` each."""
    placed_ids = [p[0] for p in placed]
    _check_ids(placed_ids)
    _check_ids([i for i, _ in items])
    placed_set = set(placed_ids)
    queries = [(i, t) for i, t in items if i not in placed_set]
    if not placed or not queries:
        return {i: [] for i, _ in queries}
    texts = [t for _, t, _ in placed] + [t for _, t in queries]
    n_p = len(placed)
    ranked = suggest_matrix(
        texts, list(range(n_p)), [str(c) for _, _, c in placed], list(range(n_p, len(texts)))
    )
    return {qid: ranked[n_p + k][: max(0, top)] for k, (qid, _) in enumerate(queries)}


def label_for(texts: Sequence[str], *, k: int = 3) -> str:
    """A short Norwegian label: the cluster's most characteristic lemmas, commonest first.

    Lemmas (compound parts included, so ``foreldremøte`` counts for ``møte``) rank by how many
    texts use them, ties broken by IDF in the seed corpus so that words every school text has
    (elev, skole) lose to topic words (fravær, leksehjelp).
    """
    vocab = vocabulary()
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for text in texts:
        an = analyse(text)
        for key in dict.fromkeys(an.words + an.parts):
            counts[key] += 1
            shown.setdefault(key, vocab.shown.get(key) or an.display.get(key) or key)
    if not counts:
        return ""
    ranked = sorted(counts, key=lambda w: (-counts[w], -vocab.background_idf(w), w))
    chosen: list[str] = []
    for w in ranked:
        # skip a part already inside a chosen word (``møte`` after ``møteplan``) and vice versa
        if any(w in c or c in w for c in chosen):
            continue
        chosen.append(w)
        if len(chosen) == k:
            break
    return ", ".join(shown[w] for w in chosen)

"""Average-linkage agglomerative clustering on a dense distance matrix, in pure Python.

A conference yields 100-300 bullets, so O(n^2) memory is fine; the nearest-neighbour-chain
algorithm keeps the time O(n^2) as well (average linkage is reducible, so the chain is exact).
"""

from __future__ import annotations

from collections.abc import Sequence

Merge = tuple[int, int, float]  # (cluster a, cluster b, distance); merged cluster keeps id ``a``


def average_linkage(dist: Sequence[Sequence[float]]) -> list[Merge]:
    """Return the n-1 merges sorted by height; clusters are named by their lowest member index."""
    n = len(dist)
    d = [list(map(float, row)) for row in dist]
    size = [1] * n
    active = set(range(n))
    merges: list[Merge] = []
    chain: list[int] = []
    while len(active) > 1:
        if not chain:
            chain.append(min(active))
        while True:
            a = chain[-1]
            row = d[a]
            prev = chain[-2] if len(chain) > 1 else -1
            # Prefer the previous chain element on ties so the chain terminates.
            best, best_d = prev, row[prev] if prev >= 0 else float("inf")
            for k in active:
                if k != a and row[k] < best_d:
                    best, best_d = k, row[k]
            if best == prev:
                break
            chain.append(best)
        b = chain.pop()
        a = chain.pop()
        lo, hi = min(a, b), max(a, b)
        height = d[lo][hi]
        n_lo, n_hi = size[lo], size[hi]
        active.discard(hi)
        for k in active:
            if k != lo:
                v = (n_lo * d[lo][k] + n_hi * d[hi][k]) / (n_lo + n_hi)
                d[lo][k] = d[k][lo] = v
        size[lo] += n_hi
        merges.append((lo, hi, height))
    merges.sort(key=lambda m: m[2])
    return merges


def labels_after(n: int, merges: Sequence[Merge], n_merges: int) -> list[int]:
    """Flat labels 0..k-1 (ordered by first member) after applying the first ``n_merges`` merges."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, _ in merges[:n_merges]:
        ra, rb = find(a), find(b)
        parent[max(ra, rb)] = min(ra, rb)
    roots: dict[int, int] = {}
    return [roots.setdefault(find(i), len(roots)) for i in range(n)]


def cut_k(n: int, merges: Sequence[Merge], k: int) -> list[int]:
    k = max(1, min(n, k))
    return labels_after(n, merges, n - k)


def cut_threshold(n: int, merges: Sequence[Merge], max_distance: float) -> list[int]:
    """Apply every merge whose average-linkage distance is at most ``max_distance``."""
    return labels_after(n, merges, sum(1 for m in merges if m[2] <= max_distance))


def silhouette_by_k(
    dist: Sequence[Sequence[float]], merges: Sequence[Merge], k_min: int, k_max: int
) -> dict[int, float]:
    """Mean silhouette of every cut with k_min..k_max clusters, updated incrementally per merge.

    Singletons score 0 (Rousseeuw's convention), which penalises cuts that leave many of them.
    """
    n = len(dist)
    # sums[i][c] = total distance from item i to members of cluster c
    sums = [{j: float(dist[i][j]) for j in range(n)} for i in range(n)]
    size = dict.fromkeys(range(n), 1)
    owner = list(range(n))
    out: dict[int, float] = {}
    k = n
    for x, y, _ in merges:
        # owner[] maps members to current cluster ids, robust to float ties in the merge order
        a, b = sorted((owner[x], owner[y]))
        for i in range(n):
            s = sums[i]
            s[a] += s.pop(b)
        size[a] += size.pop(b)
        for i in range(n):
            if owner[i] == b:
                owner[i] = a
        k -= 1
        if k < k_min:
            break
        if k <= k_max:
            total = 0.0
            for i in range(n):
                own = owner[i]
                if size[own] == 1:
                    continue
                s = sums[i]
                a_i = s[own] / (size[own] - 1)
                b_i = min(v / size[c] for c, v in s.items() if c != own)
                denom = max(a_i, b_i)
                total += (b_i - a_i) / denom if denom > 0 else 0.0
            out[k] = total / n
    return out

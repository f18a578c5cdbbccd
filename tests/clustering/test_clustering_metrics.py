"""ARI and pairwise F1 against hand-computed cases, an independent formula, and the README floors."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pytest

from confapp.clustering.agglomerative import average_linkage, cut_k
from confapp.clustering.metrics import adjusted_rand_index, pairwise_f1, pairwise_scores

# A copy of ../shared/data/sample_bullets.jsonl (tests/fixtures/clustering/README.md): runs in any clone.
SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "clustering" / "shared_sample_bullets.jsonl"


def _pair_confusion_ari(gold: list[int], pred: list[int]) -> float:
    """ARI from the 2x2 pair-confusion matrix (Hubert & Arabie), independent of the contingency code."""
    a = b = c = d = 0
    for i, j in itertools.combinations(range(len(gold)), 2):
        same_g, same_p = gold[i] == gold[j], pred[i] == pred[j]
        if same_g and same_p:
            a += 1
        elif same_g:
            b += 1
        elif same_p:
            c += 1
        else:
            d += 1
    denom = (a + b) * (b + d) + (a + c) * (c + d)
    return 1.0 if denom == 0 else 2 * (a * d - b * c) / denom


def test_ari_hand_computed_case() -> None:
    # index 1, expected 2*1/6, max 3/2  ->  (1 - 1/3) / (3/2 - 1/3) = 4/7
    assert adjusted_rand_index([0, 0, 1, 1], [0, 0, 1, 2]) == pytest.approx(4 / 7)


def test_ari_identical_and_relabelled_partitions_score_one() -> None:
    assert adjusted_rand_index([0, 0, 1, 2], ["x", "x", "y", "z"]) == pytest.approx(1.0)


def test_ari_both_trivial_partitions_score_one() -> None:
    assert adjusted_rand_index([1, 1, 1], [5, 5, 5]) == 1.0
    assert adjusted_rand_index([0, 1, 2], [0, 1, 2]) == 1.0


def test_ari_matches_pair_confusion_formula_on_random_partitions() -> None:
    rng = random.Random(3)
    for _ in range(50):
        n = rng.randint(2, 25)
        gold = [rng.randint(0, 4) for _ in range(n)]
        pred = [rng.randint(0, 5) for _ in range(n)]
        assert adjusted_rand_index(gold, pred) == pytest.approx(_pair_confusion_ari(gold, pred))


def test_pairwise_scores_hand_computed_case() -> None:
    # gold pairs {01, 23}; predicted pairs {01}: P = 1, R = 1/2, F1 = 2/3
    p, r, f1 = pairwise_scores([0, 0, 1, 1], [0, 0, 1, 2])
    assert (p, r) == (1.0, 0.5)
    assert f1 == pytest.approx(2 / 3)


def test_pairwise_precision_is_zero_without_predicted_pairs() -> None:
    assert pairwise_scores([0, 0, 1], [0, 1, 2]) == (0.0, 0.0, 0.0)


def test_metrics_reject_length_mismatch() -> None:
    with pytest.raises(ValueError):
        adjusted_rand_index([0, 1], [0])


def test_readme_floors_on_sample() -> None:
    if not SAMPLE.exists():
        pytest.skip("shared/data not beside the repo")
    gold = [json.loads(line)["theme"] for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line]
    singletons = list(range(len(gold)))
    one = [0] * len(gold)
    assert adjusted_rand_index(gold, singletons) == pytest.approx(0.0, abs=5e-4)
    assert pairwise_f1(gold, singletons) == 0.0
    assert adjusted_rand_index(gold, one) == pytest.approx(0.0, abs=5e-4)
    assert pairwise_f1(gold, one) == pytest.approx(0.150, abs=5e-4)


def _naive_average_linkage_heights(dist: list[list[float]]) -> list[float]:
    clusters = [[i] for i in range(len(dist))]
    heights = []
    while len(clusters) > 1:
        best = None
        for a, b in itertools.combinations(range(len(clusters)), 2):
            d = sum(dist[i][j] for i in clusters[a] for j in clusters[b]) / (
                len(clusters[a]) * len(clusters[b])
            )
            if best is None or d < best[0]:
                best = (d, a, b)
        assert best is not None
        d, a, b = best
        heights.append(d)
        clusters[a] += clusters.pop(b)
    return sorted(heights)


def test_average_linkage_matches_naive_implementation() -> None:
    rng = random.Random(11)
    for _ in range(10):
        n = rng.randint(2, 14)
        pts = [(rng.random(), rng.random()) for _ in range(n)]
        dist = [[((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 for x2, y2 in pts] for x1, y1 in pts]
        merges = average_linkage(dist)
        assert [m[2] for m in merges] == pytest.approx(_naive_average_linkage_heights(dist))


def test_cut_k_separates_obvious_groups() -> None:
    pts = [0.0, 0.1, 0.2, 5.0, 5.1, 9.0]
    dist = [[abs(a - b) for b in pts] for a in pts]
    labels = cut_k(len(pts), average_linkage(dist), 3)
    assert labels == [0, 0, 0, 1, 1, 2]

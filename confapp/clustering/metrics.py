"""Partition agreement measures, exactly as ``shared/data/README.md`` defines them.

Kept dependency-free (no scikit-learn) so the benchmark and the tests need nothing extra.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence


def _c2(x: int) -> int:
    return x * (x - 1) // 2


def _check(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> None:
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} items but prediction has {len(pred)}")


def adjusted_rand_index(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    """ARI from the contingency table; 1.0 when both partitions are the same trivial one."""
    _check(gold, pred)
    n = len(gold)
    index = sum(_c2(v) for v in Counter(zip(gold, pred, strict=True)).values())
    sum_a = sum(_c2(v) for v in Counter(gold).values())
    sum_b = sum(_c2(v) for v in Counter(pred).values())
    total = _c2(n)
    expected = sum_a * sum_b / total if total else 0.0
    maximum = (sum_a + sum_b) / 2
    if maximum == expected:
        # Both partitions trivial (all singletons or one cluster each): identical by construction.
        return 1.0
    return (index - expected) / (maximum - expected)


def pairwise_scores(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> tuple[float, float, float]:
    """Pairwise (precision, recall, F1) over all unordered pairs; precision 0 with no predicted pairs."""
    _check(gold, pred)
    tp = sum(_c2(v) for v in Counter(zip(gold, pred, strict=True)).values())
    pred_pairs = sum(_c2(v) for v in Counter(pred).values())
    gold_pairs = sum(_c2(v) for v in Counter(gold).values())
    precision = tp / pred_pairs if pred_pairs else 0.0
    recall = tp / gold_pairs if gold_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def pairwise_f1(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    return pairwise_scores(gold, pred)[2]

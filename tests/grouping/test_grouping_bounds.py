"""The bounds the engine is judged by, checked against brute force on tiny instances."""

from __future__ import annotations

import random
from collections.abc import Iterator
from itertools import combinations

import pytest

from confapp.grouping import Person, distinct_bound, met_pairs, plan_round, repeat_lower_bound
from confapp.grouping.engine import Solver
from confapp.grouping.metrics import balanced_sizes, zero_repeats_guaranteed
from confapp.grouping.strategies import _problem


def partitions(items: list[str], sizes: list[int]) -> Iterator[list[list[str]]]:
    """Every split of items into groups of the given sizes (groups unordered by size class)."""
    if not sizes:
        yield []
        return
    first, rest = items[0], items[1:]
    size = sizes[0]
    for others in combinations(rest, size - 1):
        group = [first, *others]
        left = [x for x in rest if x not in others]
        for tail in partitions(left, sizes[1:]):
            yield [group, *tail]


def tiny_population(seed: int, n: int) -> list[Person]:
    rng = random.Random(seed)
    roles = ["teacher"] * (n // 2) + [rng.choice("abcd") for _ in range(n - n // 2)]
    rng.shuffle(roles)
    return [Person(f"x{i}", role=r, unit=f"u{rng.randrange(2)}") for i, r in enumerate(roles)]


@pytest.mark.parametrize("seed", range(12))
def test_distinct_bound_is_exact(seed):
    n = 7 + seed % 3
    g = 2 + seed % 2
    people = tiny_population(seed, n)
    sizes = balanced_sizes(n, g)
    role = {p.id: p.role for p in people}
    best = max(
        min(len({role[x] for x in grp}) for grp in split)
        for split in partitions([p.id for p in people], sizes)
    )
    assert distinct_bound([p.role for p in people], sizes) == best


def test_distinct_bound_examples():
    # 70 % teachers, two nurses, one PPT adviser, 4 groups: the nurses and the adviser reach
    # 3 groups only, so not every group can have 2 professions.
    roles = ["teacher"] * 17 + ["assistant"] * 0 + ["nurse"] * 2 + ["ppt"]
    assert distinct_bound(roles, balanced_sizes(20, 4)) == 1
    roles = ["teacher"] * 14 + ["assistant"] * 4 + ["nurse"] * 2
    assert distinct_bound(roles, balanced_sizes(20, 4)) == 2
    assert distinct_bound(list("abcdef") * 5, balanced_sizes(30, 6)) == 5  # capped by group size
    assert distinct_bound(["t"] * 10, balanced_sizes(10, 2)) == 1
    assert distinct_bound([], []) == 0


def _tiny_history(seed: int, people: list[Person], g: int) -> list[list[list[str]]]:
    rng = random.Random(seed)
    ids = [p.id for p in people]
    rng.shuffle(ids)
    return [[ids[i::g] for i in range(g)]]


@pytest.mark.parametrize("seed", range(10))
def test_repeat_bounds_agree_with_brute_force(seed):
    n = 8 + seed % 2
    people = tiny_population(100 + seed, n)
    g = 3 if seed % 2 else 2
    history = _tiny_history(seed, people, 3 + seed % 2)
    sizes = balanced_sizes(n, g)
    met = met_pairs(history)
    ids = [p.id for p in people]
    best = min(
        sum(1 for grp in split for a, b in combinations(sorted(grp), 2) if (a, b) in met)
        for split in partitions(ids, sizes)
    )
    assert repeat_lower_bound(ids, history, sizes) <= best
    if zero_repeats_guaranteed(met, sizes):
        assert best == 0
    plan = plan_round(people, history, groups=g, seed=seed)
    assert plan.metrics.repeated_pairs >= best
    if best == 0:
        assert plan.metrics.repeated_pairs == 0


def test_pigeonhole_lower_bound_is_tight_for_full_groups():
    # 30 people in 4 tables of 7-8 after a first round of 4 tables: any new table of 8 must
    # take two people from one earlier table.
    people = [Person(f"p{i}", role="t") for i in range(30)]
    first = plan_round(people, groups=4).groups
    second = plan_round(people, [first], groups=4)
    assert second.metrics.repeat_lower_bound == 2 * (8 - 4) + 2 * (7 - 4)
    assert second.metrics.repeated_pairs == second.metrics.repeat_lower_bound
    assert not second.metrics.zero_repeats_guaranteed


@pytest.mark.parametrize("seed", range(3))
def test_incremental_cost_matches_recomputation(seed):
    rng = random.Random(seed)
    people = tiny_population(seed, 40)
    history = _tiny_history(seed, people, 6)
    caps = balanced_sizes(40, 7)
    pb = _problem(people, history, caps, {}, bound=2)
    s = Solver(pb, rng)
    s.greedy()
    for step in range(300):
        i, j = rng.randrange(40), rng.randrange(40)
        if s.asg[i] == s.asg[j]:
            continue
        before = s.cost
        fast = s.fast_swap_delta(i, j)
        s.swap(i, j)  # swap() books the change through remove/add, independently of fast_swap_delta
        assert s.cost == before + fast
        if step % 50 == 0:
            assert s.cost == s.full_cost()
    assert s.cost == s.full_cost()

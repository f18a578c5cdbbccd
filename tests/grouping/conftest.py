"""Shared checks for the grouping engine tests: a round must be a partition with sane metrics."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import combinations

import pytest

from confapp.grouping import Person, RoundPlan, check_plan


def independent_max_partners(people: Sequence[Person], previous: Sequence[Sequence[Sequence[str]]]) -> int:
    """D computed from scratch: the most distinct earlier partners any present person has."""
    present = {p.id for p in people}
    partners: dict[str, set[str]] = {p: set() for p in present}
    for rnd in previous:
        for group in rnd:
            for a, b in combinations([x for x in group if x in present], 2):
                partners[a].add(b)
                partners[b].add(a)
    return max((len(s) for s in partners.values()), default=0)


def independent_repeats(groups: Sequence[Sequence[str]], previous: Sequence[Sequence[Sequence[str]]]) -> int:
    met = {frozenset(pair) for rnd in previous for group in rnd for pair in combinations(group, 2)}
    return sum(1 for group in groups for pair in combinations(group, 2) if frozenset(pair) in met)


def check_round(
    people: Sequence[Person], plan: RoundPlan, previous: Sequence[Sequence[Sequence[str]]]
) -> None:
    """Invariants every planned round must satisfy, checked independently of the engine."""
    ids = sorted(p.id for p in people)
    placed = sorted(x for g in plan.groups for x in g)
    assert placed == ids, "every present person sits at exactly one table"
    sizes = [len(g) for g in plan.groups]
    assert plan.metrics.sizes == sizes
    assert plan.metrics.size_spread == max(sizes) - min(sizes)
    assert plan.metrics.repeated_pairs == independent_repeats(plan.groups, previous)
    assert plan.metrics.repeated_pairs >= plan.metrics.repeat_lower_bound
    if plan.metrics.zero_repeats_guaranteed:
        assert plan.metrics.repeated_pairs == 0
    again = check_plan(people, plan.groups, previous, mixed_field=plan.metrics.mixed_field)
    assert again.repeated_pairs == plan.metrics.repeated_pairs
    assert again.distinct_per_group == plan.metrics.distinct_per_group
    assert again.unplaced == []


@pytest.fixture
def assert_valid_round() -> Callable[[Sequence[Person], RoundPlan, Sequence[Sequence[Sequence[str]]]], None]:
    return check_round


@pytest.fixture
def max_partners_of() -> Callable[[Sequence[Person], Sequence[Sequence[Sequence[str]]]], int]:
    return independent_max_partners

"""by:FIELD strategies: homogeneous groups, one lead per group, documented size rule."""

from __future__ import annotations

from collections import Counter
from itertools import product

import pytest

from confapp.grouping import GroupingError, Person, apportion, plan_round, plan_rounds
from confapp.grouping.metrics import is_homogeneous
from confapp.grouping.strategies import _size_score
from confapp.grouping.synthetic import generate_population


def _non_lead_values(people: list[Person], group: list[str], field: str) -> set[str]:
    by_id = {p.id: p for p in people}
    return {by_id[x].value(field) for x in group if not by_id[x].lead}


@pytest.mark.parametrize("n", [30, 80, 150, 300])
@pytest.mark.parametrize("k", [5, 8])
@pytest.mark.parametrize("field", ["grade_team", "unit", "role"])
def test_every_group_is_homogeneous(n, k, field, assert_valid_round):
    people = generate_population(n, "teachers70", seed=n + k)
    history: list[list[list[str]]] = []
    for plan in plan_rounds(people, 2, strategy=f"by:{field}", group_size=k, seed=1):
        assert_valid_round(people, plan, history)
        counts = Counter(p.value(field) for p in people)
        for group in plan.groups:
            values = _non_lead_values(people, group, field)
            # a value held by one person only cannot form a group (documented rule)
            assert len(values) == 1 or any(counts[v] == 1 for v in values)
        singles = {v for v, c in counts.items() if c == 1}
        mixed = [i for i, g in enumerate(plan.groups) if len(_non_lead_values(people, g, field)) > 1]
        assert plan.metrics.mixed_groups == mixed
        assert len(mixed) <= len(singles)
        assert plan.metrics.homogeneous_field == field
        history.append(plan.groups)


@pytest.mark.parametrize("n", [30, 80, 150])
def test_sizes_within_one_inside_each_value(n):
    people = generate_population(n, "teachers70", seed=3)
    plan = plan_round(people, strategy="by:grade_team", group_size=6)
    per_value: dict[str, list[int]] = {}
    for group in plan.groups:
        (value,) = _non_lead_values(people, group, "grade_team")
        per_value.setdefault(value, []).append(len(group))
    for sizes in per_value.values():
        assert max(sizes) - min(sizes) <= 1
    assert set(per_value) == {p.grade_team for p in people}


@pytest.mark.parametrize("n_leads", [4, 10, 13, 25])
def test_one_lead_per_group_where_possible(n_leads):
    people = generate_population(80, "teachers70", seed=5, leads=n_leads)
    plan = plan_round(people, strategy="by:grade_team", group_size=7)
    by_id = {p.id: p for p in people}
    leads = [sum(by_id[x].lead for x in g) for g in plan.groups]
    g = len(plan.groups)
    assert sum(leads) == n_leads
    assert min(leads) == n_leads // g and max(leads) == -(-n_leads // g)
    assert plan.metrics.mixed_groups == []  # leads do not break homogeneity
    assert all(is_homogeneous([by_id[x] for x in grp], "grade_team") for grp in plan.groups)


def test_grade_teams_led_by_external_professionals_then_mixed_round():
    """The real practice: round 1 by grade team with an external lead each, round 2 mixed."""
    people = generate_population(60, "teachers70", seed=8, leads=8)
    first = plan_round(people, strategy="by:grade_team", groups=8)
    by_id = {p.id: p for p in people}
    assert [sum(by_id[x].lead for x in g) for g in first.groups] == [1] * 8
    second = plan_round(people, [first.groups], strategy="mixed", group_size=6)
    assert second.metrics.zero_repeats_guaranteed
    assert second.metrics.repeated_pairs == 0


def test_fewer_groups_than_values_gives_one_group_per_value():
    people = [Person(f"p{i}", role="t", grade_team=f"team{i % 5}") for i in range(40)]
    plan = plan_round(people, strategy="by:grade_team", groups=2)
    assert len(plan.groups) == 5
    assert plan.metrics.mixed_groups == []


def test_homogeneity_wins_over_equal_sizes():
    # 20 in one team and 5 in another, 4 groups of ~6: the small team keeps its own table of 5
    people = [Person(f"a{i}", role="t", grade_team="1-4") for i in range(20)]
    people += [Person(f"b{i}", role="t", grade_team="5-7") for i in range(5)]
    plan = plan_round(people, strategy="by:grade_team", group_size=7)
    assert plan.metrics.mixed_groups == []
    assert sorted(len(g) for g in plan.groups) == [5, 6, 7, 7]


def test_single_person_value_joins_smallest_group_and_is_reported():
    people = [Person(f"a{i}", role="t", unit="north") for i in range(11)]
    people.append(Person("solo", role="t", unit="south"))
    plan = plan_round(people, strategy="by:unit", group_size=6)
    (where,) = [i for i, g in enumerate(plan.groups) if "solo" in g]
    assert plan.metrics.mixed_groups == [where]
    assert plan.metrics.size_spread <= 1
    assert "1 gruppe er blandet" in plan.metrics.summary()


def test_by_field_avoids_repeats_inside_a_value_when_possible():
    people = generate_population(150, "teachers70", seed=11)
    plans = plan_rounds(people, 2, strategy="by:grade_team", group_size=5)
    assert plans[1].metrics.zero_repeats_guaranteed
    assert plans[1].metrics.repeated_pairs == 0


def _brute_force_spread(counts: dict[str, int], g: int, leads: int) -> tuple[int, float]:
    values = list(counts)
    best = None
    for alloc in product(*(range(1, max(1, c // 2) + 1) for c in counts.values())):
        if sum(alloc) != max(g, len(values)):
            continue
        score = _size_score(counts, dict(zip(values, alloc, strict=True)), leads)
        best = score if best is None or score < best else best
    return best


@pytest.mark.parametrize(
    ("counts", "g", "leads"),
    [
        ({"1-2": 18, "3-4": 16, "5-7": 21, "8-10": 17}, 10, 8),
        ({"1-2": 18, "3-4": 16, "5-7": 21, "8-10": 17}, 12, 0),
        ({"a": 20, "b": 5}, 4, 0),
        ({"a": 7, "b": 9, "c": 13}, 5, 3),
        ({"a": 30, "b": 4, "c": 4, "d": 11}, 9, 9),
        ({"a": 12, "b": 12}, 3, 1),
    ],
)
def test_apportionment_is_as_even_as_brute_force(counts, g, leads):
    alloc = apportion(counts, g, leads)
    assert sum(alloc.values()) == max(g, len(counts))
    assert all(alloc[v] >= 1 and counts[v] // alloc[v] >= 2 for v in counts)
    assert _size_score(counts, alloc, leads)[0] == _brute_force_spread(counts, g, leads)[0]


def test_by_field_needs_a_shared_value():
    people = [Person(f"p{i}", role="t", unit=f"school{i}") for i in range(6)]
    with pytest.raises(GroupingError, match="no value of unit is shared"):
        plan_round(people, strategy="by:unit", groups=2)

"""Input validation, determinism and the facilitator's summary sentence."""

from __future__ import annotations

import os

import pytest

from confapp.grouping import GroupingError, Metrics, Person, group_count, plan_round, plan_rounds
from confapp.grouping.synthetic import generate_population


@pytest.fixture
def people() -> list[Person]:
    return generate_population(40, "teachers70", seed=31)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "exactly one of group size or number of groups"),
        ({"group_size": 5, "groups": 8}, "exactly one of group size or number of groups"),
        ({"group_size": 1}, "at least 2"),
        ({"group_size": 0}, "at least 2"),
        ({"group_size": 41}, "larger than the 40 participants"),
        ({"groups": 0}, "at least 1"),
        ({"groups": 21}, "fewer than 2"),
        ({"group_size": 5, "strategy": "clever"}, "unknown strategy"),
        ({"group_size": 5, "strategy": "by:shoe_size"}, "unknown field"),
        ({"group_size": 5, "strategy": "manual"}, "check_plan"),
    ],
)
def test_bad_requests_raise_clear_errors(people, kwargs, message):
    with pytest.raises(GroupingError, match=message):
        plan_round(people, **kwargs)


def test_grouping_error_is_a_value_error():
    assert issubclass(GroupingError, ValueError)


def test_duplicate_or_empty_ids_are_rejected():
    with pytest.raises(GroupingError, match="duplicate participant id 'a'"):
        plan_round([Person("a"), Person("b"), Person("a")], groups=1)
    with pytest.raises(GroupingError, match="empty id"):
        plan_round([Person(""), Person("b")], groups=1)
    with pytest.raises(GroupingError, match="at least 2 participants"):
        plan_round([Person("a")], groups=1)


def test_fewer_people_than_the_group_size_is_an_error_but_exactly_enough_is_one_table():
    few = [Person(f"p{i}", role="t") for i in range(4)]
    with pytest.raises(GroupingError, match="larger than the 4 participants"):
        plan_round(few, group_size=6)
    assert plan_round(few, group_size=4).groups == [["p0", "p1", "p2", "p3"]]


@pytest.mark.parametrize(
    ("n", "k", "expected"),
    [(31, 8, 4), (30, 5, 6), (300, 7, 43), (5, 4, 2), (3, 2, 2), (2, 2, 1)],
)
def test_group_size_is_a_maximum(n, k, expected):
    assert group_count(n, k, None) == expected


def test_rounds_must_be_positive(people):
    with pytest.raises(GroupingError, match="at least 1"):
        plan_rounds(people, 0, group_size=5)


def test_same_seed_same_plan_other_seed_other_plan(people):
    a = plan_rounds(people, 3, group_size=5, seed=4)
    b = plan_rounds(list(people), 3, group_size=5, seed=4)
    c = plan_rounds(people, 3, group_size=5, seed=5)
    assert [p.groups for p in a] == [p.groups for p in b]
    assert [p.groups for p in a] != [p.groups for p in c]


def test_plans_do_not_depend_on_string_hashing():
    import subprocess
    import sys

    code = (
        "from confapp.grouping import plan_rounds\n"
        "from confapp.grouping.synthetic import generate_population\n"
        "people = generate_population(60, 'municipal', seed=1, leads=5)\n"
        "print([p.groups for p in plan_rounds(people, 2, group_size=6)])\n"
        "print([p.groups for p in plan_rounds(people, 1, group_size=6, strategy='by:grade_team')])\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": str(h)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for h in (1, 2)
    }
    assert len(outputs) == 1


def test_absent_people_in_earlier_rounds_are_ignored(people):
    first = plan_round(people, group_size=5).groups
    present = people[:35]
    plan = plan_round(present, [first, [["ghost", "phantom"]]], group_size=5)
    assert sorted(x for g in plan.groups for x in g) == sorted(p.id for p in present)
    assert plan.metrics.repeated_pairs == 0


def test_rounds_are_all_different(people):
    plans = plan_rounds(people, 4, group_size=5)
    compositions = [frozenset(frozenset(g) for g in p.groups) for p in plans]
    assert len(set(compositions)) == 4


def test_random_strategy_is_a_balanced_shuffle(people):
    plan = plan_round(people, strategy="random", groups=7, seed=2)
    assert plan.metrics.size_spread <= 1
    assert sorted(x for g in plan.groups for x in g) == sorted(p.id for p in people)
    assert not plan.metrics.zero_repeats_guaranteed


def test_people_without_role_or_unit_are_fine():
    people = [Person(f"p{i}") for i in range(16)]
    plans = plan_rounds(people, 2, group_size=4)
    assert plans[1].metrics.zero_repeats_guaranteed  # 4 groups >= 3 earlier partners + 1
    assert plans[1].metrics.repeated_pairs == 0
    assert plans[0].metrics.distinct_per_group == [1, 1, 1, 1]
    # 12 people in 3 tables of 4 after 3 tables of 4: each table must repeat one pair
    twelve = plan_rounds(people[:12], 2, group_size=4)[1].metrics
    assert twelve.repeated_pairs == twelve.repeat_lower_bound == 3


def _metrics(**kw) -> Metrics:
    base = {
        "repeated_pairs": 0,
        "size_spread": 1,
        "distinct_per_group": [3, 4, 3],
        "mixed_field": "role",
        "bound_distinct": 3,
        "sizes": [6, 7, 6],
    }
    return Metrics(**(base | kw))


def test_summary_reads_as_plain_norwegian():
    assert _metrics().summary() == "0 gjentatte par, hver gruppe har minst 3 yrkesgrupper"
    assert _metrics().summary("nn") == "0 gjentekne par, kvar gruppe har minst 3 yrkesgrupper"
    assert _metrics().summary("en") == "0 repeated pairs, every group has at least 3 professions"
    assert _metrics(repeated_pairs=1, distinct_per_group=[1, 2]).summary() == (
        "1 gjentatt par, hver gruppe har minst 1 yrkesgruppe"
    )
    assert _metrics().summary("de") == _metrics().summary("nb")
    forced = _metrics(repeated_pairs=5, repeat_lower_bound=5)
    assert forced.summary().startswith("5 gjentatte par (uunngåelig), ")
    assert forced.summary("en").startswith("5 repeated pairs (unavoidable), ")
    assert "unavoidable" not in _metrics(repeated_pairs=6, repeat_lower_bound=5).summary("en")


def test_summary_for_homogeneous_rounds_and_uneven_manual_groups():
    m = _metrics(homogeneous_field="grade_team", distinct_per_group=[1, 1, 1], mixed_field="role")
    assert m.summary() == "0 gjentatte par, alle grupper er homogene etter trinnteam"
    assert m.summary("en") == "0 repeated pairs, every group is homogeneous by grade team"
    uneven = _metrics(size_spread=3, sizes=[4, 7, 6], unplaced=["x"])
    assert uneven.summary("nn").endswith("ujamne grupper (4–7 personar), 1 person utan gruppe")


def test_metrics_are_plain_json_data(people):
    import json

    plan = plan_round(people, group_size=5)
    data = json.loads(json.dumps(plan.to_dict()))
    assert data["metrics"]["repeated_pairs"] == 0
    assert data["metrics"]["summary"].startswith("0 gjentatte par")
    assert len(data["groups"]) == 8

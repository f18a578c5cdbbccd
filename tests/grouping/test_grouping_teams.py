"""Strategy "by:measure": trial teams sit at their measures' tables, everyone else is mixed around them."""

from __future__ import annotations

import pytest

from confapp.grouping import GroupingError, Person, match_team, name_key, plan_round, team_names


def test_names_are_compared_without_case_spacing_or_titles() -> None:
    assert name_key("  kari  NORDMANN (PPT)") == name_key("Kari Nordmann") == "kari nordmann"
    assert team_names("Ada Berg, Bjørn Dahl og Tor Ulven (helsesykepleier)", "Unni Vik\nada berg") == [
        "ada berg", "bjørn dahl", "tor ulven", "unni vik",
    ]  # fmt: skip
    names = {"1": "Ada Berg", "2": "Bjørn  Dahl", "3": "Cecilie Eide"}
    assert match_team(names, ["bjørn dahl", "ada berg", "Nobody"]) == ["1", "2"]


def _people(n: int) -> list[Person]:
    roles = ["teacher", "nurse", "ppt", "assistant"]
    return [Person(id=str(i), role=roles[i % 4]) for i in range(n)]


def test_each_team_is_seated_at_its_groups_index_and_the_rest_is_mixed() -> None:
    people = _people(18)
    teams = [["0", "4", "8"], ["1", "5"], ["2"]]
    plan = plan_round(people, strategy="by:measure", groups=3, teams=teams, seed=3)
    for index, team in enumerate(teams):
        assert set(team) <= set(plan.groups[index])
    assert sorted(len(g) for g in plan.groups) == [6, 6, 6]
    assert plan.metrics.min_distinct >= 3  # the others still spread the roles


def test_someone_in_two_teams_sits_with_the_first_and_a_pin_beats_a_team() -> None:
    people = _people(12)
    plan = plan_round(people, strategy="by:measure", groups=2, teams=[["0", "1"], ["1", "2"]], pins={"2": 0})
    assert {"0", "1", "2"} <= set(plan.groups[0])


def test_absent_team_members_are_ignored() -> None:
    plan = plan_round(_people(8), strategy="by:measure", groups=2, teams=[["0", "gone"], ["1"]])
    assert "0" in plan.groups[0] and "1" in plan.groups[1]


@pytest.mark.parametrize(
    ("teams", "message"),
    [
        ([["0"], ["1"], ["2"]], "only 2 groups"),
        ([["0", "1", "2", "3", "4"], []], "only seats"),
    ],
)
def test_teams_that_do_not_fit_are_refused(teams: list[list[str]], message: str) -> None:
    with pytest.raises(GroupingError, match=message):
        plan_round(_people(8), strategy="by:measure", groups=2, teams=teams)

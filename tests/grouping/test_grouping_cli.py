"""``confapp plan-groups`` driven through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from confapp.grouping import GroupingError, load_people_csv
from confapp.grouping.command import plan_groups_command
from confapp.grouping.synthetic import generate_population


def write_people(path: Path, n: int = 40, *, sep: str = ",", header: str = "id,role,unit,grade_team") -> Path:
    rows = [header.replace(",", sep)]
    for p in generate_population(n, "teachers70", seed=n):
        rows.append(sep.join([p.id, p.role, p.unit, p.grade_team]))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(plan_groups_command, [str(a) for a in args])


@pytest.fixture
def people_csv(tmp_path: Path) -> Path:
    return write_people(tmp_path / "people.csv")


def test_json_plan_has_rounds_and_metrics(people_csv):
    result = run(people_csv, "--rounds", "3", "--group-size", "6", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["rounds"]) == 3
    for rnd in data["rounds"]:
        assert sorted(x for g in rnd for x in g) == [f"p{i:03d}" for i in range(1, 41)]
        assert all(isinstance(g, list) and all(isinstance(x, str) for x in g) for g in rnd)
    m = data["metrics"]
    assert m["repeated_pairs"] == 0
    assert m["size_spread"] <= 1
    assert m["mixed_field"] == "role"
    assert [len(d) for d in m["distinct_per_group"]] == [7, 7, 7]
    assert m["min_distinct"] >= m["bound_distinct"]
    assert len(m["per_round"]) == 3


def test_previous_rounds_are_avoided_and_output_can_be_fed_back(people_csv, tmp_path):
    first = run(people_csv, "--rounds", "2", "--groups", "8", "--json", "--seed", "3")
    previous = tmp_path / "previous.json"
    previous.write_text(first.output, encoding="utf-8")
    more = run(people_csv, "--rounds", "1", "--groups", "8", "--previous", previous, "--json")
    assert more.exit_code == 0, more.output
    data = json.loads(more.output)
    assert data["metrics"]["repeated_pairs"] == 0
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps(json.loads(first.output)["rounds"]), encoding="utf-8")
    again = run(people_csv, "--rounds", "1", "--groups", "8", "--previous", plain, "--json")
    assert json.loads(again.output)["rounds"] == data["rounds"]


def test_strategies_by_field_and_random(people_csv):
    by_team = run(people_csv, "--rounds", "1", "--group-size", "6", "--strategy", "by:grade_team", "--json")
    assert by_team.exit_code == 0, by_team.output
    assert json.loads(by_team.output)["metrics"]["per_round"][0]["mixed_groups"] == []
    shuffled = run(people_csv, "--group-size", "6", "--strategy", "random", "--json")
    assert shuffled.exit_code == 0
    assert json.loads(shuffled.output)["strategy"] == "random"


def test_text_output_lists_tables_and_summary(people_csv):
    result = run(people_csv, "--rounds", "2", "--group-size", "8", "--lang", "en")
    assert result.exit_code == 0
    assert "Round 1: 0 repeated pairs, every group has at least" in result.output
    assert "Table 5 (8):" in result.output


def test_excel_style_csv_with_bom_semicolons_and_norwegian_headers(tmp_path):
    path = write_people(tmp_path / "deltakere.csv", sep=";", header="ID,Rolle,Enhet,Trinnteam")
    path.write_bytes("\ufeff".encode() + path.read_bytes())
    people = load_people_csv(path)
    assert len(people) == 40 and people[0].id == "p001" and people[0].role
    assert run(path, "--group-size", "5").exit_code == 0


def test_lead_column_is_read(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("id,role,lead\na,teacher,\nb,ppt,ja\nc,teacher,0\nd,nurse,yes\n", encoding="utf-8")
    assert [p.lead for p in load_people_csv(path)] == [False, True, False, True]


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("id,name\na,Ann\nb,Bo\n", ["--group-size", "2"], "missing required column 'role'"),
        ("id,role\na,t\nb,t\na,t\n", ["--group-size", "2"], "line 4: duplicate id 'a' (first on line 2)"),
        ("id,role\na,t\n,t\n", ["--group-size", "2"], "line 3: empty value in column 'id'"),
        ("id,role,lead\na,t,maybe\nb,t,\n", ["--group-size", "2"], "line 2, column 'lead'"),
        ("", ["--group-size", "2"], "empty file"),
        ("id,role\n", ["--group-size", "2"], "no participants"),
        ("id,role\na,t\nb,t\nc,t\n", ["--group-size", "1"], "group size must be at least 2"),
        ("id,role\na,t\nb,t\nc,t\n", ["--group-size", "4"], "larger than the 3 participants"),
        ("id,role\na,t\nb,t\nc,t\n", ["--groups", "2"], "fewer than 2"),
        ("id,role\na,t\nb,t\n", [], "exactly one of --group-size or --groups"),
        (
            "id,role\na,t\nb,t\n",
            ["--group-size", "2", "--groups", "1"],
            "exactly one of --group-size or --groups",
        ),
        ("id,role\na,t\nb,t\n", ["--group-size", "2", "--rounds", "0"], "--rounds must be at least 1"),
        ("id,role\na,t\nb,t\n", ["--group-size", "2", "--strategy", "by:unit"], "needs a 'unit' column"),
        ("id,role\na,t\nb,t\n", ["--group-size", "2", "--strategy", "best"], "unknown strategy"),
    ],
)
def test_bad_input_exits_non_zero_with_a_message(tmp_path, content, args, message):
    path = tmp_path / "people.csv"
    path.write_text(content, encoding="utf-8")
    result = run(path, *args)
    assert result.exit_code != 0
    assert message in result.output


def test_bad_previous_file_is_reported(people_csv, tmp_path):
    broken = tmp_path / "prev.json"
    broken.write_text('[[["p001", "p002"]', encoding="utf-8")
    result = run(people_csv, "--group-size", "5", "--previous", broken)
    assert result.exit_code != 0 and "prev.json line 1" in result.output
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"rounds": [[{"a": 1}]]}', encoding="utf-8")
    result = run(people_csv, "--group-size", "5", "--previous", wrong)
    assert result.exit_code != 0 and "round 1, group 1" in result.output


def test_missing_file_is_a_usage_error(tmp_path):
    result = run(tmp_path / "nope.csv", "--group-size", "5")
    assert result.exit_code == 2


def test_every_option_has_help():
    for param in plan_groups_command.params:
        if param.param_type_name == "option":
            assert param.help, param.name
    assert plan_groups_command.name == "plan-groups"


def test_non_utf8_file_is_reported(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("id,role\nå,lærer\nb,t\n".encode("latin-1"))
    with pytest.raises(GroupingError, match="not UTF-8"):
        load_people_csv(path)

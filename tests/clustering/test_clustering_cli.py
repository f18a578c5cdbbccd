"""``confapp cluster`` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import click
from click.testing import CliRunner

from confapp.clustering.command import cluster_command

BULLETS = [
    ("b1", "leksehjelp etter skoletid to dager i uka"),
    ("b2", "leksekafé på biblioteket for de som ikke får hjelp hjemme"),
    ("b3", "HS bør være mer i klassene"),
    ("b4", "helsesykepleier kan ha timer om følelser i 6. klasse"),
    ("b5", "rutine for å ringe hjem første fraværsdag"),
    ("b6", "skolevegring oppdages for sent, reagere på fravær tidligere"),
]


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_cold_start_prints_one_line_per_bullet(tmp_path: Path) -> None:
    src = _write(tmp_path / "b.jsonl", [{"id": i, "text": t} for i, t in BULLETS])
    result = CliRunner().invoke(cluster_command, [str(src)])
    assert result.exit_code == 0, result.output
    out = _lines(result.output)
    assert [r["id"] for r in out] == [i for i, _ in BULLETS]
    assert all(isinstance(r["cluster"], int) for r in out)
    by_id = {r["id"]: r["cluster"] for r in out}
    assert by_id["b1"] == by_id["b2"]
    assert by_id["b3"] == by_id["b4"]


def test_cold_start_honours_cluster_count(tmp_path: Path) -> None:
    src = _write(tmp_path / "b.jsonl", [{"id": i, "text": t} for i, t in BULLETS])
    result = CliRunner().invoke(cluster_command, [str(src), "--clusters", "3"])
    assert result.exit_code == 0, result.output
    assert len({r["cluster"] for r in _lines(result.output)}) == 3


def test_seeds_suggest_a_seed_cluster_for_every_bullet(tmp_path: Path) -> None:
    src = _write(tmp_path / "b.jsonl", [{"id": i, "text": t} for i, t in BULLETS])
    seeds = _write(
        tmp_path / "s.jsonl",
        [
            {"id": "p1", "text": "leksehjelpen bør være gratis", "cluster": "lekser"},
            {"id": "p2", "text": "helsesøster på skolen flere dager", "cluster": 7},
            {"id": "p3", "text": "fraværet må følges opp raskere", "cluster": "fravær"},
        ],
    )
    result = CliRunner().invoke(cluster_command, [str(src), "--seeds", str(seeds)])
    assert result.exit_code == 0, result.output
    got = {r["id"]: r["cluster"] for r in _lines(result.output)}
    assert got == {"b1": "lekser", "b2": "lekser", "b3": 7, "b4": 7, "b5": "fravær", "b6": "fravær"}


def test_seeds_with_top_lists_scored_alternatives(tmp_path: Path) -> None:
    src = _write(tmp_path / "b.jsonl", [{"id": "b1", "text": BULLETS[0][1]}])
    seeds = _write(
        tmp_path / "s.jsonl",
        [{"id": "p1", "text": "leksehjelp", "cluster": "a"}, {"id": "p2", "text": "fravær", "cluster": "b"}],
    )
    result = CliRunner().invoke(cluster_command, [str(src), "--seeds", str(seeds), "--top", "2"])
    assert result.exit_code == 0, result.output
    (row,) = _lines(result.output)
    assert row["cluster"] == "a"
    assert [s["cluster"] for s in row["suggestions"]] == ["a", "b"]


def test_bad_json_names_the_line(tmp_path: Path) -> None:
    src = tmp_path / "b.jsonl"
    src.write_text('{"id": "a", "text": "ok"}\n{"id": "b", "text": \n', encoding="utf-8")
    result = CliRunner().invoke(cluster_command, [str(src)])
    assert result.exit_code != 0
    assert "b.jsonl:2: invalid JSON" in result.output


def test_missing_field_names_the_line(tmp_path: Path) -> None:
    src = _write(tmp_path / "b.jsonl", [{"id": "a", "text": "ok"}, {"id": "b"}])
    result = CliRunner().invoke(cluster_command, [str(src)])
    assert result.exit_code != 0
    assert "b.jsonl:2: missing field(s): text" in result.output


def test_seed_without_cluster_is_rejected(tmp_path: Path) -> None:
    src = _write(tmp_path / "b.jsonl", [{"id": "a", "text": "ok"}])
    seeds = _write(tmp_path / "s.jsonl", [{"id": "p", "text": "x"}])
    result = CliRunner().invoke(cluster_command, [str(src), "--seeds", str(seeds)])
    assert result.exit_code != 0
    assert "s.jsonl:1: missing field(s): cluster" in result.output


def test_duplicate_id_names_both_lines(tmp_path: Path) -> None:
    src = _write(
        tmp_path / "b.jsonl", [{"id": "a", "text": "x"}, {"id": "c", "text": "y"}, {"id": "a", "text": "z"}]
    )
    result = CliRunner().invoke(cluster_command, [str(src)])
    assert result.exit_code != 0
    assert "b.jsonl:3: duplicate id 'a' (first on line 1)" in result.output


def test_non_object_line_is_rejected(tmp_path: Path) -> None:
    src = tmp_path / "b.jsonl"
    src.write_text('["a", "b"]\n', encoding="utf-8")
    result = CliRunner().invoke(cluster_command, [str(src)])
    assert result.exit_code != 0
    assert "b.jsonl:1: expected a JSON object" in result.output


def test_command_is_named_cluster_and_every_option_has_help() -> None:
    assert isinstance(cluster_command, click.Command)
    assert cluster_command.name == "cluster"
    options = [p for p in cluster_command.params if isinstance(p, click.Option)]
    assert options and all(o.help for o in options)

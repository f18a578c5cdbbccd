"""Quality regression on the sample, our own held-out set and the development part (never the test part).

Floors sit somewhat below what ``benchmarks/clustering_score.py`` measures (sample: ARI 0.71,
top-1 at 3 placed 0.83; own: 0.62 / 0.83; dev: 0.32 / 0.48), so they catch regressions, not noise.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from confapp.clustering.command import cluster_command
from confapp.clustering.metrics import adjusted_rand_index, pairwise_f1

ROOT = Path(__file__).resolve().parents[2]
OWN = ROOT / "tests" / "fixtures" / "clustering" / "heldout_own.jsonl"
SETS = ["sample-copy", "own", "dev"]
FLOORS = {"sample-copy": (0.60, 0.75), "own": (0.50, 0.72), "dev": (0.27, 0.43)}  # (ARI, top-1 at 3)


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "clustering_score", ROOT / "benchmarks" / "clustering_score.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, dict[str, float]]]:
    return _benchmark().run(SETS, draws=3, with_today=False)


@pytest.mark.parametrize("name", SETS)
def test_ours_beats_char_ngram_baseline(results: dict[str, dict[str, dict[str, float]]], name: str) -> None:
    ours, base = results[name]["ours"], results[name]["baseline"]
    for metric in ("ari", "pairwise_f1", "top1@1", "top1@3", "top1@5", "top1@10"):
        assert ours[metric] > base[metric], metric


@pytest.mark.parametrize("name", SETS)
def test_ours_stays_above_floors(results: dict[str, dict[str, dict[str, float]]], name: str) -> None:
    ari_floor, top1_floor = FLOORS[name]
    ours = results[name]["ours"]
    assert ours["ari"] >= ari_floor
    assert ours["top1@3"] >= top1_floor
    assert ours["top1@10"] >= ours["top1@1"], "suggestions improve as cards are placed"
    assert ours["api_ari"] == pytest.approx(ours["ari"])


def test_test_part_is_not_scored_by_default() -> None:
    bench = _benchmark()
    assert "test" not in bench.DEFAULT_SETS
    with pytest.raises(SystemExit):
        bench.main(["--set", "test"])


def test_cli_cold_start_on_own_heldout_set(tmp_path: Path) -> None:
    rows = [json.loads(line) for line in OWN.read_text(encoding="utf-8").splitlines() if line]
    src = tmp_path / "bullets.jsonl"
    src.write_text(
        "".join(json.dumps({"id": r["id"], "text": r["text"]}) + "\n" for r in rows), encoding="utf-8"
    )
    result = CliRunner().invoke(cluster_command, [str(src)])
    assert result.exit_code == 0, result.output
    got = {d["id"]: d["cluster"] for d in map(json.loads, result.output.splitlines())}
    gold = [r["theme"] for r in rows]
    pred = [got[r["id"]] for r in rows]
    assert adjusted_rand_index(gold, pred) >= FLOORS["own"][0]
    assert pairwise_f1(gold, pred) >= FLOORS["own"][0]


def test_repeated_bullets_do_not_split_the_grouping() -> None:
    """Groups often report the same point; duplicates must not shatter the automatic cut."""
    from confapp.clustering import cluster_bullets

    rows = [json.loads(line) for line in OWN.read_text(encoding="utf-8").splitlines() if line]
    items = [(r["id"], r["text"]) for r in rows]
    plain = cluster_bullets(items)
    doubled = cluster_bullets(items + [(f"{i}-again", t) for i, t in items[:10]])
    assert len(set(doubled.values())) <= len(set(plain.values())) + 2
    gold = [r["theme"] for r in rows]
    assert adjusted_rand_index(gold, [doubled[r["id"]] for r in rows]) >= FLOORS["own"][0]

"""The Python API the app calls: cluster_bullets, suggest, label_for."""

from __future__ import annotations

import pytest

from confapp.clustering import cluster_bullets, label_for, suggest

ITEMS = [
    ("a", "kortere møter i RT med tidsramme per sak"),
    ("b", "møteplan for ressursteamet ut i august"),
    ("c", "referatet frå ressursteamet kjem ofte fleire veker etterpå"),
    ("d", "mobbing på snap skjer utenfor skoletid"),
    ("e", "aktivitetsplan etter 9A må lages raskere"),
    ("f", "elevane må kunne seie ifrå om mobbing"),
]


def test_cluster_bullets_groups_by_topic() -> None:
    got = cluster_bullets(ITEMS)
    assert set(got) == {i for i, _ in ITEMS}
    assert got["a"] == got["b"] == got["c"]
    assert got["d"] == got["e"] == got["f"]
    assert got["a"] != got["d"]


def test_cluster_bullets_honours_n_clusters_and_edge_cases() -> None:
    assert len(set(cluster_bullets(ITEMS, n_clusters=4).values())) == 4
    assert cluster_bullets([]) == {}
    assert cluster_bullets([("x", "bare ett punkt")]) == {"x": 0}


def test_cluster_bullets_rejects_duplicate_ids() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        cluster_bullets([("a", "x"), ("a", "y")])


def test_suggest_ranks_the_matching_cluster_first() -> None:
    placed = [("a", ITEMS[0][1], "RT"), ("d", ITEMS[3][1], "mobbing")]
    got = suggest(ITEMS, placed, top=3)
    assert set(got) == {"b", "c", "e", "f"}
    assert got["b"][0][0] == "RT" and got["c"][0][0] == "RT"
    assert got["e"][0][0] == "mobbing" and got["f"][0][0] == "mobbing"
    for ranked in got.values():
        scores = [s for _, s in ranked]
        assert len(ranked) == 2 and scores == sorted(scores, reverse=True)


def test_suggest_limits_to_top() -> None:
    placed = [("a", ITEMS[0][1], "RT"), ("d", ITEMS[3][1], "mobbing")]
    assert all(len(v) == 1 for v in suggest(ITEMS, placed, top=1).values())
    assert suggest(ITEMS, [], top=3) == {i: [] for i, _ in ITEMS}


def test_label_for_names_the_shared_topic() -> None:
    assert label_for([t for _, t in ITEMS[:3]]).startswith("ressursteam")
    assert "mobbing" in label_for([t for _, t in ITEMS[3:]])
    assert label_for([]) == ""

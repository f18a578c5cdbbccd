"""`confapp demo --series` as a user runs it: DK1's three measures lived through decision, a logged
trial, evaluation and three different final decisions; DK2 is the last conference printed."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text
from support import LiveServer


def test_demo_series_prints_measures_and_the_dk2_last(tmp_path: Path) -> None:
    cli = LiveServer(tmp_path, f"sqlite:///{tmp_path / 'series.sqlite'}")
    out = cli.cli("demo", "--series").strip().splitlines()
    assert out[-1].startswith("conference: ")
    dk2 = int(out[-1].split(": ")[1])
    ids = [int(line.split(": ")[1]) for line in out if line.startswith("measure: ")]
    assert len(ids) == 3

    engine = create_engine(cli.db_url)
    try:
        with engine.connect() as conn:
            conf = conn.execute(
                text("SELECT template, status FROM conferences WHERE id = :i"), {"i": dk2}
            ).one()
            statuses = conn.execute(text("SELECT id, status FROM initiatives ORDER BY id")).all()
            logs = conn.execute(
                text("SELECT measure_id, count(*) FROM measure_log_entries GROUP BY measure_id")
            ).all()
            steps = (
                conn.execute(
                    text("SELECT to_status FROM measure_events WHERE measure_id = :i ORDER BY id"),
                    {"i": ids[0]},
                )
                .scalars()
                .all()
            )
    finally:
        engine.dispose()
    assert tuple(conf) == ("dk2_school", "finished")
    assert [tuple(r) for r in statuses] == list(
        zip(ids, ["daily_operation", "adjusted", "stopped"], strict=True)
    )
    assert dict(logs) == {ids[0]: 2, ids[1]: 1, ids[2]: 1}
    assert steps == ["concretised", "decided", "in_trial", "evaluated", "daily_operation"]

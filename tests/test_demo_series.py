"""`confapp demo --series` as a user runs it: DK1's three measures lived through decision, a logged
trial, evaluation and three different final decisions; DK2 is the last conference printed. Then
`confapp export` writes the status report, a dossier and the calendar, read back here."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from icalendar import Calendar
from sqlalchemy import create_engine, text
from support import LiveServer, to_pdf


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
            # DK2's first round evaluated the three measures: one table each, its trial team seated there.
            evaluated = conn.execute(
                text(
                    "SELECT g.number, g.measure_id, p.display_name FROM groups g"
                    " JOIN rounds r ON r.id = g.round_id JOIN memberships m ON m.group_id = g.id"
                    " JOIN participants p ON p.id = m.participant_id"
                    " WHERE g.conference_id = :c AND r.position = 1 AND g.measure_id IS NOT NULL"
                ),
                {"c": dk2},
            ).all()
            points = conn.execute(
                text(
                    "SELECT count(*) FROM bullets b JOIN groups g ON g.id = b.group_id"
                    " WHERE g.measure_id = :m"
                ),
                {"m": ids[0]},
            ).scalar()
    finally:
        engine.dispose()
    tables = {(number, mid) for number, mid, _ in evaluated}
    assert tables == {(1, ids[0]), (2, ids[1]), (3, ids[2])}
    seated = {name: number for number, _, name in evaluated}
    assert (seated["Ada Berg"], seated["Tor Ulven"], seated["Siri Tangen"], seated["David Fjell"]) == (
        1,
        1,
        2,
        3,
    )
    assert points and points > 0
    assert tuple(conf) == ("dk2_school", "finished")
    assert [tuple(r) for r in statuses] == list(
        zip(ids, ["daily_operation", "adjusted", "stopped"], strict=True)
    )
    assert dict(logs) == {ids[0]: 2, ids[1]: 1, ids[2]: 1}
    assert steps == ["concretised", "decided", "in_trial", "evaluated", "daily_operation"]

    dk1 = conn_dk1(cli.db_url)
    status, dossier, feed = tmp_path / "status.docx", tmp_path / "dossier.docx", tmp_path / "arshjul.ics"
    cli.cli("export", str(dk2), "--what", "status", "--out", str(status))
    cli.cli("export", str(dk1), "--what", "dossier", "--measure", str(ids[0]), "--out", str(dossier))
    cli.cli("export", str(dk2), "--what", "calendar", "--out", str(feed))
    refused = cli.cli_result(
        "export", str(dk2), "--what", "dossier", "--measure", str(max(ids) + 1000), "--out", str(dossier)
    )
    assert refused.returncode != 0  # no such measure in this conference's organisation

    status_cells = [c.text for t in Document(str(status)).tables for row in t.rows for c in row.cells]
    assert {"Daglig drift", "Justeres", "Avsluttet"} <= set(status_cells)
    doc = Document(str(dossier))
    cells = "\n".join(
        [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for row in t.rows for c in row.cells]
    )
    assert "Første faste møte med helsesykepleier og PPT" in cells and "Daglig drift" in cells
    assert to_pdf(status).stat().st_size > 5_000 and to_pdf(dossier).stat().st_size > 5_000
    summaries = [str(e["summary"]) for e in Calendar.from_ical(feed.read_bytes()).walk("VEVENT")]
    assert "Dialogkonferanse 2 – Eksempel skole (demo)" in summaries
    # daily operation and adjusted keep theirs; the stopped measure's open milestone is left out
    assert sum(s.startswith("Planlagt slutt på utprøvingen – ") for s in summaries) == 2


def conn_dk1(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT min(id) FROM conferences")).scalar_one())
    finally:
        engine.dispose()

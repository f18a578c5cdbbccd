"""Migration 0008: a database made by today's main (revision 0005, with initiatives) upgrades, and
every initiative is found as a measure of the default organisation. SQLite and, when it runs,
PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session
from test_migration_tristate import db_url, migrate  # noqa: F401 - db_url is a fixture

from confapp.models import Measure, Organisation

OLD = ((1, "Leseløft", "draft"), (1, "Friminutt", "proposed"), (2, "Overgang", "decided"))


def seed_0005(url: str) -> None:
    engine = create_engine(url)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        for cid in (1, 2):
            conn.execute(
                text(
                    "INSERT INTO conferences (id, title, level, template, purpose, held_on, status,"
                    " join_code, projector_key, joins_open, last_seq, created_at) VALUES (:id, :t, 'school',"
                    " 'blank', '', :day, 'finished', :code, :key, false, 0, :now)"
                ),
                {"id": cid, "t": f"DK{cid}", "day": date(2026, 11, cid), "code": f"CODE{cid}",
                 "key": f"key{cid}", "now": now},
            )  # fmt: skip
        for cid, title, status in OLD:
            conn.execute(
                text(
                    "INSERT INTO initiatives (conference_id, title, goal, content, coordinator,"
                    " coordinator_is_grade_team_leader, main_arena, main_arena_other, participants,"
                    " timeframe, pyramid_level, multi_professional, lasting, all_pupils, status, version,"
                    " created_at, updated_at) VALUES (:c, :title, 'Mål', '', 'Kari', false, 'grade_team', '',"
                    " '', '', 'preventive', true, null, null, :status, 3, :now, :now)"
                ),
                {"c": cid, "title": title, "status": status, "now": now},
            )
    engine.dispose()


def test_every_initiative_becomes_a_measure_of_the_default_organisation(db_url: str) -> None:  # noqa: F811
    migrate(db_url, "0005")
    seed_0005(db_url)

    migrate(db_url, "head")  # 0008 and what follows it (0009: the calendar key)

    engine = create_engine(db_url)
    try:
        with Session(engine) as s:
            org = s.scalars(select(Organisation)).one()
            assert len(org.public_key) >= 32 and org.calendar_key is None  # made on first use
            measures = s.scalars(select(Measure).order_by(Measure.id)).all()
            assert [(m.title, m.status, m.conference_id, m.organisation_id) for m in measures] == [
                ("Leseløft", "draft", 1, org.id),
                ("Friminutt", "concretised", 1, org.id),
                ("Overgang", "decided", 2, org.id),
            ]
            assert all(m.goal == "Mål" and m.version == 3 and m.decision_note == "" for m in measures)
            # A second organisation gets a fresh id (PostgreSQL's sequence moved past the seeded one).
            s.add(Organisation(kind="municipality", name="Kommunen", public_key="k" * 32))
            s.commit()
    finally:
        engine.dispose()

    migrate(db_url, "0005", down=True)
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT title, status FROM initiatives ORDER BY id")).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in rows] == [(title, status) for _, title, status in OLD]


def test_a_measure_outlives_the_conference_it_was_drafted_at(db_url: str) -> None:  # noqa: F811
    """Migration 0011: deleting DK1 keeps its measures (conference_id becomes NULL); going back
    below 0011 drops only those orphans."""
    migrate(db_url, "0005")
    seed_0005(db_url)
    migrate(db_url, "head")
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            if engine.dialect.name == "sqlite":
                conn.execute(text("PRAGMA foreign_keys=ON"))
            conn.execute(text("DELETE FROM conferences WHERE id = 1"))
            rows = conn.execute(text("SELECT title, conference_id FROM initiatives ORDER BY id")).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in rows] == [("Leseløft", None), ("Friminutt", None), ("Overgang", 2)]

    migrate(db_url, "0010", down=True)
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT title FROM initiatives ORDER BY id")).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in rows] == [("Overgang",)]

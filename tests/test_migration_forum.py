"""Migration 0014: the strategy forum's escalations. A database with a municipality, a school and a
measure at 0013 upgrades with everything kept and takes escalations; the downgrade drops only them.
SQLite and, when it runs, PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.orm import Session
from test_migration_tristate import db_url, migrate  # noqa: F401 - db_url is a fixture

from confapp.models import Escalation, Initiative, Organisation


def seed_0013(url: str) -> None:
    """Tables other than the escalations are as the models say at 0013, so the models write them."""
    engine = create_engine(url)
    now = datetime.now(UTC)
    try:
        with Session(engine) as s, s.begin():
            s.add(
                Organisation(
                    id=11, kind="municipality", name="Eksempel kommune", public_key="k1", created_at=now
                )
            )
            s.flush()
            s.add(
                Organisation(
                    id=12, kind="school", name="Nordli skole", public_key="k2", parent_id=11, created_at=now
                )
            )
            s.flush()
            s.add(
                Initiative(
                    id=1, title="Felles rutine for fravær", organisation_id=12, created_at=now, updated_at=now
                )
            )
    finally:
        engine.dispose()


def test_escalations_come_and_go_and_nothing_else_changes(db_url: str) -> None:  # noqa: F811
    migrate(db_url, "0013")
    seed_0013(db_url)
    migrate(db_url, "0014")

    engine = create_engine(db_url)
    try:
        assert "escalations" in inspect(engine).get_table_names()
        with Session(engine) as s, s.begin():
            assert s.get(Initiative, 1).title == "Felles rutine for fravær"
            s.add(
                Escalation(
                    school_id=12, forum_id=11, measure_id=1, text="Trenger kommunal rutine",
                    raised_by="Rektor", raised_at=datetime.now(UTC), postponements=[],
                )
            )  # fmt: skip
        with Session(engine) as s, s.begin():
            e = s.scalars(select(Escalation)).one()
            assert (e.status, e.decision, e.follow_up, e.postponements) == ("open", "", "", [])
            e.status, e.decision, e.follow_up, e.follow_up_due = (
                "decided",
                "Ja",
                "PPT-leder",
                date(2027, 3, 1),
            )
        with Session(engine) as s:
            e = s.scalars(select(Escalation)).one()
            assert (e.status, e.follow_up_due) == ("decided", date(2027, 3, 1))
    finally:
        engine.dispose()

    migrate(db_url, "0013", down=True)
    engine = create_engine(db_url)
    try:
        assert "escalations" not in inspect(engine).get_table_names()
        with engine.connect() as conn:
            names = (
                conn.execute(text("SELECT name FROM organisations WHERE id > 10 ORDER BY id")).scalars().all()
            )
        assert names == ["Eksempel kommune", "Nordli skole"]
    finally:
        engine.dispose()

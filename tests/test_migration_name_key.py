"""Migration 0015: participants get their look-alike key. Rows already there are keyed with
`names.skeleton` of their name and the key is indexed per conference; the downgrade drops only the key.
Afterwards the migrated schema is the models' schema. SQLite and, when it runs, PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from test_migration_tristate import db_url, migrate  # noqa: F401 - db_url is a fixture

from confapp.models import Base
from confapp.services.names import skeleton

# The participants table only: the comparison of the others is not this migration's question.
COMPARE = {
    "compare_type": True,
    "include_object": lambda _obj, name, type_, _reflected, _other: (
        type_ != "table" or name == "participants"
    ),
}
NAMES = ("Kari Nordmann", "KÁRI  nordmann", "Ola Hansen", "Deltaker 7")  # the second is a look-alike


def seed_0014(url: str) -> None:
    engine = create_engine(url)
    now = datetime.now(UTC)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO conferences (id, title, level, template, purpose, held_on, status,"
                    " join_code, projector_key, joins_open, last_seq, created_at) VALUES (1, 'K', 'school',"
                    " 'blank', '', :day, 'running', 'ABCDEF', 'key', true, 0, :now)"
                ),
                {"day": date(2026, 12, 2), "now": now},
            )
            for pid, name in enumerate(NAMES, start=1):
                conn.execute(
                    text(
                        "INSERT INTO participants (id, conference_id, display_name, role, unit, grade_team,"
                        " imported, removed) VALUES (:id, 1, :name, '', '', '', false, false)"
                    ),
                    {"id": pid, "name": name},
                )
    finally:
        engine.dispose()


def test_existing_names_are_keyed_and_indexed(db_url: str) -> None:  # noqa: F811
    migrate(db_url, "0014")
    seed_0014(db_url)
    migrate(db_url, "0015")

    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT display_name, name_key FROM participants ORDER BY id")).all()
            assert [tuple(r) for r in rows] == [(n, skeleton(n)) for n in NAMES]
            assert rows[0].name_key == rows[1].name_key == "kari nordmann"
            diff = compare_metadata(MigrationContext.configure(conn, opts=COMPARE), Base.metadata)
        assert diff == []  # the model's participants and the migrated table agree, the new index included
        indexes = {i["name"]: i["column_names"] for i in inspect(engine).get_indexes("participants")}
        assert indexes["ix_participants_conference_id_name_key"] == ["conference_id", "name_key"]
    finally:
        engine.dispose()

    migrate(db_url, "0014", down=True)
    engine = create_engine(db_url)
    try:
        columns = {c["name"] for c in inspect(engine).get_columns("participants")}
        assert "name_key" not in columns and "display_name" in columns
        with engine.connect() as conn:
            kept = conn.execute(text("SELECT display_name FROM participants ORDER BY id")).scalars().all()
        assert kept == list(NAMES)
    finally:
        engine.dispose()

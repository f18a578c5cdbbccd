"""Migration 0004: the quality checks become nullable; an old False (never told apart from "not
touched") becomes None, i.e. "not assessed"; True stays. On SQLite and, when it runs, PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from support import postgres_database

from confapp.ops.migrate import alembic_config


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.sqlite'}"
        return
    with postgres_database() as url:
        yield url


def migrate(url: str, revision: str, *, down: bool = False) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            cfg = alembic_config(url)
            cfg.attributes["connection"] = conn
            (command.downgrade if down else command.upgrade)(cfg, revision)
    finally:
        engine.dispose()


def checks(url: str) -> list[tuple[str, bool | None, bool | None, bool | None]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT title, multi_professional, lasting, all_pupils FROM initiatives ORDER BY id")
            )
            return [(r[0], r[1], r[2], r[3]) for r in rows]
    finally:
        engine.dispose()


def test_old_false_becomes_not_assessed_and_back(db_url: str) -> None:
    migrate(db_url, "0003")
    engine = create_engine(db_url)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO conferences (id, title, level, template, purpose, held_on, status, join_code,"
                " projector_key, joins_open, last_seq, created_at) VALUES (1, 'K', 'school', 'blank', '',"
                " :day, 'finished', 'ABCDEF', 'key', false, 0, :now)"
            ),
            {"day": date(2026, 11, 30), "now": now},
        )
        for title, flag in (("Ja", True), ("Uberørt", False)):
            conn.execute(
                text(
                    "INSERT INTO initiatives (conference_id, title, goal, content, coordinator,"
                    " coordinator_is_grade_team_leader, main_arena, main_arena_other, participants,"
                    " timeframe, pyramid_level, multi_professional, lasting, all_pupils, status, version,"
                    " created_at, updated_at) VALUES (1, :title, '', '', '', false, '', '', '', '', '',"
                    " :f, :f, :f, 'draft', 1, :now, :now)"
                ),
                {"title": title, "f": flag, "now": now},
            )
    engine.dispose()

    migrate(db_url, "0004")
    assert checks(db_url) == [("Ja", True, True, True), ("Uberørt", None, None, None)]

    migrate(db_url, "0003", down=True)
    assert checks(db_url) == [("Ja", True, True, True), ("Uberørt", False, False, False)]

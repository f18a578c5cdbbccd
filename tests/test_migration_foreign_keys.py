"""Upgrading loses no row. Several migrations rebuild a SQLite table (batch mode: create a copy, drop
the old table, rename). The app's connections enforce foreign keys, and with them on, dropping a table
deletes first: every row referring to it ON DELETE CASCADE goes too (points, memberships, a measure's
history), and every ON DELETE SET NULL reference is cleared. So a database filled at an old revision is
upgraded here the way a deployed app upgrades (`create_app` with AUTO_MIGRATE, on the app's own engine),
and every row must still be there with its references. SQLite and, when it runs, PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, create_engine, text
from test_migration_tristate import db_url, migrate  # noqa: F401 - db_url is a fixture

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
DAY = date(2026, 11, 30)


def _rows() -> dict[str, list[dict[str, Any]]]:
    """A small conference with everything hanging off it, as of 0008, in an order foreign keys accept.

    Seeding an earlier revision leaves out the tables and columns it does not have yet."""
    people = ("Kari Nordmann", "Ola Hansen", "Per Berg", "Liv Dahl")
    return {
        "facilitators": [
            {"id": 1, "email": "kari@skole.no", "name": "Kari", "password_hash": "x", "api_token_hash": None,
             "created_at": NOW},
        ],
        "sessions": [
            {"id": 1, "id_hash": "s" * 64, "facilitator_id": 1, "remember_hash": None,
             "previous_remember_hash": None, "rotated_at": None, "user_agent": "", "created_at": NOW,
             "last_seen_at": NOW},
        ],
        "password_resets": [
            {"id": 1, "token_hash": "p" * 64, "facilitator_id": 1, "created_at": NOW, "expires_at": NOW,
             "used_at": None},
        ],
        "external_logins": [
            {"id": 1, "issuer": "https://idp", "subject": "sub", "facilitator_id": 1, "created_at": NOW},
        ],
        "invitations": [
            {"id": 1, "token_hash": "i" * 64, "email": "ola@skole.no", "role": "facilitator",
             "invited_by_id": 1, "created_at": NOW, "expires_at": NOW, "accepted_at": None,
             "revoked_at": None},
        ],
        "conferences": [
            {"id": 1, "title": "Skolekonferanse", "level": "school", "template": "blank", "purpose": "",
             "held_on": DAY, "status": "running", "join_code": "ABCDEF", "projector_key": "key",
             "joins_open": True, "last_seq": 2, "active_round_id": None, "focus_group_number": None,
             "minute_taker_id": None, "created_at": NOW},
        ],
        "conference_facilitators": [{"conference_id": 1, "facilitator_id": 1}],
        "participants": [
            {"id": pid, "conference_id": 1, "display_name": name, "role": "Lærer", "unit": "",
             "grade_team": "", "token_hash": f"t{pid}", "imported": False, "joined_at": NOW, "removed": False}
            for pid, name in enumerate(people, start=1)
        ],
        "rounds": [
            {"id": 1, "conference_id": 1, "position": 1, "kind": "group", "title": "Runde 1",
             "question": "Hva fungerer?", "minutes": 20, "state": "running", "strategy": "random",
             "groups_published": True, "started_at": NOW, "ends_at": None},
        ],
        "groups": [
            {"id": 1, "conference_id": 1, "round_id": 1, "number": 1, "leader_id": 1, "reporter_id": 2},
            {"id": 2, "conference_id": 1, "round_id": 1, "number": 2, "leader_id": 3, "reporter_id": 4},
        ],
        "memberships": [
            {"id": pid, "round_id": 1, "group_id": 1 if pid <= 2 else 2, "participant_id": pid,
             "pinned": False}
            for pid in range(1, 5)
        ],
        "bullets": [
            {"id": bid, "conference_id": 1, "round_id": 1, "group_id": group, "client_uuid": f"b-{bid}",
             "text": f"Punkt {bid}", "author_id": author, "is_plenary_point": False, "hidden": False,
             "created_at": NOW, "updated_at": NOW}
            for bid, group, author in ((1, 1, 1), (2, 1, 2), (3, 2, 3))
        ],
        "plenary_notes": [
            {"id": 1, "conference_id": 1, "round_id": 1, "group_number": 1, "client_uuid": "n-1",
             "text": "Notat", "author": "Kari", "created_at": NOW, "updated_at": NOW},
        ],
        "events": [
            {"id": seq, "conference_id": 1, "seq": seq, "type": "bullet.created", "audience": "all",
             "payload": {"id": seq}, "created_at": NOW}
            for seq in (1, 2)
        ],
        "idempotency_keys": [
            {"id": 1, "conference_id": 1, "key": "k-1", "action": "bullet", "actor": "p1",
             "result": {"id": 1}, "created_at": NOW},
        ],
        "clusters": [{"id": 1, "conference_id": 1, "title": "Trivsel", "position": 1, "created_at": NOW}],
        "cluster_items": [
            {"bullet_id": 1, "cluster_id": 1, "position": 1},
            {"bullet_id": 2, "cluster_id": 1, "position": 2},
        ],
        "vote_sessions": [
            {"id": 1, "conference_id": 1, "dots": 3, "state": "closed", "opened_at": NOW, "closed_at": NOW,
             "final_tally": {"1": 2}},
        ],
        "dots": [
            {"id": pid, "vote_id": 1, "participant_id": pid, "cluster_id": 1, "client_uuid": f"d-{pid}",
             "created_at": NOW}
            for pid in (1, 2)
        ],
        "initiatives": [
            {"id": 1, "conference_id": 1, "cluster_id": 1, "title": "Leseløft", "goal": "", "content": "",
             "coordinator": "Kari", "coordinator_is_grade_team_leader": False, "main_arena": "",
             "main_arena_other": "", "participants": "", "timeframe": "", "pyramid_level": "",
             "multi_professional": True, "lasting": True, "all_pupils": True, "status": "decided",
             "version": 1, "created_at": NOW, "updated_at": NOW, "organisation_id": 1, "decided_on": DAY,
             "decision_note": "", "trial_start": None, "trial_end": None},
        ],
        "initiative_sources": [{"initiative_id": 1, "bullet_id": 1}],
        "measure_events": [
            {"id": 1, "measure_id": 1, "from_status": "concretised", "to_status": "decided", "actor": "Kari",
             "reason": "", "details": {}, "created_at": NOW},
        ],
        "coordinator_links": [
            {"id": 1, "measure_id": 1, "token_hash": "c" * 64, "holder": "Ola", "created_at": NOW,
             "revoked_at": None},
        ],
        "measure_log_entries": [
            {"id": 1, "measure_id": 1, "link_id": 1, "client_uuid": "l-1", "happened_on": DAY, "done": "Lest",
             "who": "5A", "learned": "Mye", "created_at": NOW},
        ],
        "measure_evaluations": [
            {"id": 1, "measure_id": 1, "held_on": DAY, "what_works": "", "what_to_adjust": "",
             "daily_operation": "", "trial_people": "", "others": "", "actor": "Kari", "created_at": NOW},
        ],
    }  # fmt: skip


def seed(url: str) -> dict[str, int]:
    """Fill the tables this revision has through plain inserts; returns the rows put in, per table."""
    engine = create_engine(url)
    seeded: dict[str, int] = {}
    try:
        with engine.begin() as conn:
            metadata = MetaData()
            metadata.reflect(conn)
            for name, rows in _rows().items():
                table = metadata.tables.get(name)
                if table is None:
                    continue
                conn.execute(table.insert(), [{k: v for k, v in r.items() if k in table.c} for r in rows])
                seeded[name] = len(rows)
            # Set only now: conferences and rounds/participants refer to each other.
            conn.execute(text("UPDATE conferences SET active_round_id = 1, minute_taker_id = 1"))
            if engine.dialect.name == "postgresql":  # explicit ids do not move the sequences
                for name in seeded:
                    if "id" in metadata.tables[name].c:
                        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), 100)"))
    finally:
        engine.dispose()
    return seeded


def upgrade_like_the_app(url: str, instance: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a deployed app does on start: `create_app` migrates to head on its own engine (db.make_engine)."""
    monkeypatch.setenv("CONFAPP_INSTANCE_PATH", str(instance))
    from confapp import create_app

    app = create_app(
        {"DATABASE_URL": url, "SECRET_KEY": "unit-test", "SOCKETIO_ASYNC_MODE": "threading", "TESTING": True}
    )
    assert app.config.get("AUTO_MIGRATE", True)  # the default, as in production
    engine = app.extensions["confapp_engine"]
    if engine.dialect.name == "sqlite":  # the pooled connection the migration ran on enforces them again
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
    engine.dispose()


def counts(url: str, tables: list[str]) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables}
    finally:
        engine.dispose()


@pytest.mark.parametrize("start", ["0001", "0008"])
def test_upgrading_to_head_keeps_every_row(
    db_url: str,  # noqa: F811
    start: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """From 0001 every table rebuild runs over data; from 0008 the measures' tables are filled as well."""
    migrate(db_url, start)
    seeded = seed(db_url)
    assert counts(db_url, list(seeded)) == seeded

    upgrade_like_the_app(db_url, tmp_path, monkeypatch)

    assert counts(db_url, list(seeded)) == seeded
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0015"
            conference = conn.execute(
                text("SELECT title, active_round_id, minute_taker_id FROM conferences")
            ).one()
            assert tuple(conference) == ("Skolekonferanse", 1, 1)
            groups = conn.execute(text("SELECT id, leader_id, reporter_id FROM groups ORDER BY id")).all()
            assert [tuple(g) for g in groups] == [(1, 1, 2), (2, 3, 4)]
            bullets = conn.execute(text("SELECT text, group_id, author_id FROM bullets ORDER BY id")).all()
            assert [tuple(b) for b in bullets] == [("Punkt 1", 1, 1), ("Punkt 2", 1, 2), ("Punkt 3", 2, 3)]
            members = conn.execute(text("SELECT participant_id, group_id FROM memberships ORDER BY id")).all()
            assert [tuple(m) for m in members] == [(1, 1), (2, 1), (3, 2), (4, 2)]
            if start == "0008":
                assert conn.execute(text("SELECT invited_by_id FROM invitations")).scalar_one() == 1
                measure = conn.execute(
                    text("SELECT title, cluster_id, organisation_id FROM initiatives")
                ).one()
                assert tuple(measure) == ("Leseløft", 1, 1)
                assert conn.execute(text("SELECT link_id FROM measure_log_entries")).scalar_one() == 1
            if engine.dialect.name == "sqlite":
                assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
    finally:
        engine.dispose()


def test_a_broken_reference_fails_the_upgrade_and_rolls_it_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With enforcement off during the migration, the check afterwards is what stops an inconsistent
    schema from being committed: the app does not start, and the database is as it was (0014)."""
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    migrate(url, "0014")
    seed(url)
    engine = create_engine(url)  # foreign keys off, as in any plain SQLite connection
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE bullets SET group_id = 99 WHERE id = 3"))
    finally:
        engine.dispose()

    with pytest.raises(RuntimeError, match=r"1 foreign key violation\(s\): bullets rowid 3 -> groups"):
        upgrade_like_the_app(url, tmp_path, monkeypatch)

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0014"
            columns = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(participants)")}
            assert "name_key" not in columns  # 0015's ALTER TABLE was rolled back with the rest
            assert conn.execute(text("SELECT count(*) FROM bullets")).scalar_one() == 3
    finally:
        engine.dispose()

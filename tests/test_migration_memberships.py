"""Migration 0013: accounts made before roles keep working. Who ran a conference administers the
installation's organisation, every other account is a facilitator. SQLite and, when it runs, PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.orm import Session
from test_migration_tristate import db_url, migrate  # noqa: F401 - db_url is a fixture

from confapp.models import Conference, Facilitator, Organisation, OrganisationMember
from confapp.services import memberships


def seed_0009(url: str) -> None:
    engine = create_engine(url)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        for fid, email in ((1, "eier@example.no"), (2, "kollega@example.no"), (3, "ny@example.no")):
            conn.execute(
                text(
                    "INSERT INTO facilitators (id, email, name, password_hash, created_at)"
                    " VALUES (:id, :email, :email, 'x', :now)"
                ),
                {"id": fid, "email": email, "now": now},
            )
        conn.execute(
            text(
                "INSERT INTO conferences (id, title, level, template, purpose, held_on, status,"
                " join_code, projector_key, joins_open, last_seq, created_at) VALUES (1, 'DK1', 'school',"
                " 'blank', '', :day, 'finished', 'CODE1', 'key1', false, 0, :now)"
            ),
            {"day": date(2026, 11, 1), "now": now},
        )
        for fid in (1, 2):  # the creator and a co-facilitator
            conn.execute(text("INSERT INTO conference_facilitators VALUES (1, :f)"), {"f": fid})
    engine.dispose()


def test_existing_accounts_get_roles_and_keep_their_conference(db_url: str) -> None:  # noqa: F811
    migrate(db_url, "0009")
    seed_0009(db_url)

    migrate(db_url, "head")

    engine = create_engine(db_url)
    try:
        with Session(engine) as s:
            org = s.scalars(select(Organisation)).one()
            roles = {
                m.facilitator_id: m.role
                for m in s.scalars(
                    select(OrganisationMember).where(OrganisationMember.organisation_id == org.id)
                )
            }
            assert roles == {1: "administrator", 2: "administrator", 3: "facilitator"}
            conf = s.get(Conference, 1)
            assert conf is not None and {f.id for f in conf.facilitators} == {1, 2}
            newcomer = s.get(Facilitator, 3)
            assert newcomer is not None and newcomer not in conf.facilitators
    finally:
        engine.dispose()

    migrate(db_url, "0009", down=True)
    engine = create_engine(db_url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert "organisation_members" not in tables and "measure_coordinators" not in tables
    assert "facilitators" in tables
    assert memberships.ROLES == ("administrator", "facilitator", "steering_group", "coordinator", "viewer")

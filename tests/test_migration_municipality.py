"""Migration 0010: a database from before (0009, measures of the default organisation) upgrades; its
conferences hold no organisation and are still found through their measures; a school can then name its
municipality and a conference its holder; and it downgrades again. SQLite and, when it runs, PostgreSQL."""

from __future__ import annotations

from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session
from test_migration_measures import seed_0005
from test_migration_tristate import db_url, migrate  # noqa: F401 - db_url is a fixture

from confapp.models import Conference, Organisation


def test_schools_name_their_municipality_after_the_upgrade(db_url: str) -> None:  # noqa: F811
    migrate(db_url, "0005")
    seed_0005(db_url)
    migrate(db_url, "0009")
    migrate(db_url, "head")  # 0010 and what follows it: the ORM models below are the head's

    engine = create_engine(db_url)
    try:
        with Session(engine) as s:
            school = s.scalars(select(Organisation)).one()
            assert school.parent_id is None
            assert [c.organisation_id for c in s.scalars(select(Conference).order_by(Conference.id))] == [
                None,
                None,
            ]
            muni = Organisation(kind="municipality", name="Kommunen", public_key="k" * 32)
            s.add(muni)
            s.flush()
            school.parent_id = muni.id
            s.get_one(Conference, 1).organisation_id = school.id
            s.commit()
            assert s.get_one(Conference, 1).organisation_id == school.id and school.parent_id == muni.id
    finally:
        engine.dispose()

    migrate(db_url, "0009", down=True)
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            org_columns = conn.execute(text("SELECT * FROM organisations")).keys()
            conf_columns = conn.execute(text("SELECT * FROM conferences")).keys()
    finally:
        engine.dispose()
    assert "parent_id" not in org_columns and "organisation_id" not in conf_columns

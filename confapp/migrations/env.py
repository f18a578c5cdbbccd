"""Alembic environment: run with the URL and connection confapp.ops.migrate hands over.

On SQLite, foreign keys are off while migrations run. Batch mode rebuilds a table (copy, DROP the old
one, rename), and with foreign keys on, DROP TABLE deletes every row first: rows of other tables that
refer to it ON DELETE CASCADE are deleted, SET NULL references are cleared, and NO ACTION ones make the
upgrade fail. The pragma only takes effect outside a transaction, so on SQLite this module opens the
migration's transaction itself, checks every foreign key before committing, and switches enforcement
back on afterwards for the app that reuses the connection.
"""

from __future__ import annotations

from contextlib import nullcontext

from alembic import context
from sqlalchemy import Connection, create_engine

from confapp.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as conn:
        _run(conn)


def _run(connection: Connection) -> None:
    if connection.dialect.name != "sqlite":
        with nullcontext() if connection.in_transaction() else connection.begin():
            _migrate(connection)
        return
    driver = connection.connection.driver_connection  # the sqlite3 connection, reached without a BEGIN
    enforced = bool(driver.execute("PRAGMA foreign_keys").fetchone()[0])
    if enforced and (connection.in_transaction() or driver.in_transaction):
        # Neither could foreign keys be switched off, nor back on for the caller's later use.
        raise RuntimeError("SQLite migrations with foreign keys on need a connection outside a transaction")
    driver.execute("PRAGMA foreign_keys=OFF")
    try:
        owned = not connection.in_transaction()
        with connection.begin() if owned else nullcontext():
            if owned:  # pysqlite begins only before DML; an explicit BEGIN makes the DDL roll back too
                connection.exec_driver_sql("BEGIN")
            _migrate(connection)
            _check_foreign_keys(connection)
    finally:
        if enforced:
            driver.execute("PRAGMA foreign_keys=ON")


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _check_foreign_keys(connection: Connection) -> None:
    """Refuse to commit a schema whose rows refer to rows that do not exist (nothing was enforcing it)."""
    violations = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if violations:
        listed = "; ".join(f"{t} rowid {r} -> {p} (constraint {i})" for t, r, p, i in violations[:20])
        raise RuntimeError(f"migration rolled back, {len(violations)} foreign key violation(s): {listed}")


run_migrations_online()

"""After personal data is deleted or redacted: leave no copy of it in the database files.

A committed DELETE or UPDATE is not enough on its own. SQLite keeps the old page images in its
write-ahead log until a checkpoint, and (without `secure_delete`, which `confapp.db` turns on for
every connection) leaves deleted cells in free space. PostgreSQL keeps dead row versions in the
table files until VACUUM reclaims them. Called by the privacy services after their commit; never
inside a transaction. Why and what remains (backups, the file system): docs/privacy.md.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)

# How long the checkpoint waits for readers to move on. Short on purpose: under gevent a SQLite call
# blocks the whole process, and a reader that is itself waiting for this process would never finish.
CHECKPOINT_BUSY_MS = 2000


def flush_copies(bind: Engine | Connection, tables: Iterable[str]) -> bool:
    """Make the database files drop old copies of rows in `tables`; True when that is done now.

    SQLite: `PRAGMA wal_checkpoint(TRUNCATE)` writes the WAL back into the (securely deleted) main
    file and truncates the WAL to zero bytes (`tables` does not matter: the WAL is one for all).
    PostgreSQL: a plain `VACUUM` of `tables` (none: nothing to do) marks
    the dead row versions free (it takes no lock that stops the other conferences, unlike
    `VACUUM FULL`, which docs/privacy.md describes for a maintenance window).
    """
    try:
        return _flush(bind.engine, tables)
    except (SQLAlchemyError, sqlite3.Error):
        # The deletion itself is committed; say loudly that its old copies may linger until the next one.
        log.exception("could not flush old copies out of the database files after a deletion")
        return False


def _flush(engine: Engine, tables: Iterable[str]) -> bool:
    dialect = engine.dialect.name
    if dialect == "sqlite":
        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert raw is not None
            raw.execute(f"PRAGMA busy_timeout={CHECKPOINT_BUSY_MS}")
            try:
                busy, _frames, _moved = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            finally:
                raw.execute("PRAGMA busy_timeout=15000")
        if busy:
            log.warning(
                "WAL checkpoint after a deletion was blocked by a reader: old copies stay in the WAL "
                "until a later checkpoint (the next deletion, or SQLite's own when the WAL is reused)"
            )
        return not busy
    if dialect == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in tables:
                conn.execute(text(f"VACUUM {engine.dialect.identifier_preparer.quote(table)}"))
        return True
    return False

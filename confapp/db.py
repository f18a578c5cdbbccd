"""Engine and session: one scoped session per request, socket event or CLI command.

Sessions are scoped to the greenlet (gevent patches `threading.local`), and removed when the app
context ends; Flask-SocketIO pushes an app context around each event handler, so that covers sockets.
SQLite runs in WAL mode with `synchronous=NORMAL`: its C calls block the event loop, so writes
must stay short (see docs/architecture.md).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from flask import Flask
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from confapp.live import events

T = TypeVar("T")

# How long a write waits for SQLite's lock. Writes are short (milliseconds), so waiting longer only
# means a phone stares at a spinner: after this the request gets a 503 and the phone retries.
BUSY_TIMEOUT_S = 3

session_factory = sessionmaker(expire_on_commit=False)
session: scoped_session[Session] = scoped_session(session_factory)


def make_engine(url: str) -> Engine:
    kwargs: dict[str, Any] = {}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": BUSY_TIMEOUT_S}
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
        path = engine.url.database
        if path and path != ":memory:":
            event.listen(engine, "begin", lambda conn: _require_writable(path))
    return engine


def _require_writable(path: str) -> None:
    """Refuse to touch a database whose files cannot be written, before SQLite does.

    SQLite memory-maps the WAL index (`-shm`). If that file (or the database) is made immutable or
    read-only under a running server, SQLite's next write to the mapping kills the whole process
    with SIGBUS; no Python code runs. One access(2) per transaction turns it into an
    `OperationalError`, which `confapp/web/db_errors.py` answers with a 503.
    """
    for name in (path, path + "-wal", path + "-shm"):
        if os.path.exists(name) and not os.access(name, os.W_OK):
            raise OperationalError(
                "BEGIN", None, sqlite3.OperationalError(f"{name} is not writable (read-only or immutable)")
            )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    path = dbapi_connection.execute("PRAGMA database_list").fetchone()[2]
    if path:
        _require_writable(path)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
    # No memory-mapped I/O: a mapped file that becomes unreadable or unwritable under the server
    # (made immutable, a full disk) kills the process with SIGBUS instead of raising an error.
    cursor.execute("PRAGMA mmap_size=0")
    # Deleted and overwritten content is zeroed in the file, not left in free space (docs/privacy.md).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["confapp_engine"] = engine
    session.remove()
    session_factory.configure(bind=engine)
    events.install(session_factory)

    @app.teardown_appcontext
    def _remove_session(_exc: BaseException | None) -> None:
        session.remove()


MAX_ID = 2**63 - 1  # SQLite and PostgreSQL BIGINT; a larger number from outside is simply not found


def get(model: type[T], value: Any) -> T | None:
    """Look up by primary key from untrusted input: anything that is not a valid id finds nothing."""
    if isinstance(value, bool):
        return None
    try:
        key = int(value)
    except (TypeError, ValueError):
        return None
    if not 0 < key <= MAX_ID:
        return None
    return session.get(model, key)


@contextmanager
def transaction() -> Iterator[Session]:
    """Commit on success, roll back on any error: services use this for every write.

    The commit is `events.commit`: it takes the seqs of the events the service recorded, commits them
    with the change, and only then hands them to the relay (docs/protocol.md, "Order").
    """
    s = session()
    try:
        yield s
        events.commit(s)
    except BaseException:
        s.rollback()
        raise

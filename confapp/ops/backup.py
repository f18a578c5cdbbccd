"""Backups: a consistent copy while the server runs, and a restore.

SQLite: the online backup API copies a consistent snapshot page by page, safe with WAL and writers.
PostgreSQL: `pg_dump --format=custom` / `pg_restore --clean`, the standard tools.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    pass


# Said after every backup: a copy is outside the reach of anonymise and delete (docs/privacy.md).
RETENTION_NOTE = (
    "This backup keeps everything in the database, including names and points that are anonymised or "
    "deleted later: keep it encrypted, readable only by the operator, and delete it after at most 30 days "
    "(docs/privacy.md, 'Backups')."
)


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database:
        raise BackupError("This SQLite URL names no file.")
    return Path(database)


def _pg_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def backup(url: str, out: Path) -> str:
    if url.startswith("sqlite"):
        source = _sqlite_path(url)
        if not source.exists():
            raise BackupError(f"No database at {source}.")
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(out)
        with dst:
            src.backup(dst)
        counts = dst.execute("select count(*) from bullets").fetchone()[0]
        src.close()
        dst.close()
        return f"SQLite backup written to {out} ({counts} bullets)."
    if url.startswith("postgresql"):
        if shutil.which("pg_dump") is None:
            raise BackupError(
                "pg_dump is not installed: install the PostgreSQL client tools "
                "(Debian: postgresql-client) and run again."
            )
        subprocess.run(["pg_dump", "--format=custom", f"--file={out}", _pg_url(url)], check=True)
        return f"PostgreSQL backup written to {out} (restore with `confapp restore`, or pg_restore)."
    raise BackupError("Backups are supported for SQLite and PostgreSQL.")


def restore(url: str, source: Path) -> str:
    if not source.exists():
        raise BackupError(f"No backup at {source}.")
    if url.startswith("sqlite"):
        target = _sqlite_path(url)
        try:
            src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            tables = {row[0] for row in src.execute("select name from sqlite_master where type='table'")}
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{source} is not a SQLite backup: {exc}") from None
        if not {"conferences", "bullets", "alembic_version"} <= tables:
            raise BackupError(f"{source} is not a confapp backup.")
        target.parent.mkdir(parents=True, exist_ok=True)
        dst = sqlite3.connect(target)
        with dst:
            src.backup(dst)
        counts = dst.execute("select count(*) from bullets").fetchone()[0]
        src.close()
        dst.close()
        return f"Restored {source} into {target} ({counts} bullets). Restart the server."
    if url.startswith("postgresql"):
        if shutil.which("pg_restore") is None:
            raise BackupError("pg_restore is not installed (Debian: postgresql-client).")
        subprocess.run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={_pg_url(url)}", str(source)],
            check=True,
        )
        return f"Restored {source}. Restart the server."
    raise BackupError("Restores are supported for SQLite and PostgreSQL.")

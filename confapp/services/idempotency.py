"""One idempotency rule for every phone write: a client key, a UNIQUE constraint, the first result.

A phone keeps each write, with its key, in its outbox until the server acknowledges it, so the server
must expect the same write twice: a retry after a lost ack, or two deliveries racing. Checking first and
then inserting is not enough (both deliveries pass the check). Here the insert itself decides, inside the
caller's transaction: `INSERT … ON CONFLICT DO NOTHING` on the key's UNIQUE constraint. On PostgreSQL a
concurrent duplicate waits for the first transaction and then finds its row; on SQLite the insert takes
the write lock, so the second delivery runs after the first has committed. Either way the loser reads the
winner's row and returns what the first write returned. See docs/protocol.md ("Keys and retries").
"""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from confapp.errors import N_, Conflict, ServiceError
from confapp.models import IdempotencyKey

M = TypeVar("M")


def parse_key(value: Any) -> str:
    """A write's key as the phone sent it: a UUID (any other text is refused, nothing is written)."""
    try:
        return str(uuidlib.UUID(str(value)))
    except (ValueError, TypeError, AttributeError):
        raise ServiceError(
            "invalid", N_("This write needs a valid id from the phone. Reload the page and try again.")
        ) from None


def insert_or_get(
    s: Session, model: type[M], *, unique: dict[str, Any], values: dict[str, Any]
) -> tuple[M, bool]:
    """Insert a row unless one with the same `unique` columns exists; returns (row, inserted).

    `unique` must be exactly the columns of one UNIQUE constraint of `model`. The row that was there
    first wins, whoever committed it: the returned row is never a second one.
    """
    dialect = postgresql if s.get_bind().dialect.name == "postgresql" else sqlite
    pk = model.id  # type: ignore[attr-defined]
    stmt = (
        dialect.insert(model)
        .values(**unique, **values)
        .on_conflict_do_nothing(index_elements=list(unique))
        .returning(pk)
    )
    new_id = s.execute(stmt).scalar_one_or_none()
    if new_id is not None:
        row = s.get(model, new_id)
        assert row is not None
        return row, True
    where = [getattr(model, k) == v for k, v in unique.items()]
    existing = s.scalars(select(model).where(*where).execution_options(populate_existing=True)).one()
    return existing, False


def once(
    s: Session,
    conference_id: int,
    *,
    key: str,
    action: str,
    actor: str = "",
    write: Callable[[], dict[str, Any]],
) -> dict[str, Any]:
    """Run `write` for the first delivery of `key` and keep its result; every retry gets that result.

    Call it inside the transaction that does the write, before anything else is written: the key's
    insert is what serialises two deliveries. A key used by another actor or for another action is
    refused, so a phone cannot read or replay someone else's write by sending their key.
    """
    row, first = insert_or_get(
        s,
        IdempotencyKey,
        unique={"conference_id": conference_id, "key": key},
        values={"action": action, "actor": actor},
    )
    if not first:
        if row.action != action or row.actor != actor or row.result is None:
            raise Conflict("key_taken", N_("That id is already used."))
        return row.result
    row.result = write()
    return row.result

"""Forgotten passwords: a single-use link that expires, mailed (or printed by `confapp reset-link`).

Asking never tells whether the address has an account: the caller answers the same either way.
Only the token's SHA-256 is stored. Setting the new password uses the link up, voids the account's
other open links and ends every login of the account, in one transaction.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from werkzeug.security import generate_password_hash

from confapp import db
from confapp.errors import N_, ServiceError
from confapp.models import Facilitator, PasswordReset, utcnow
from confapp.services import login_sessions, passwords

LIFETIME = timedelta(hours=1)
INVALID = N_("This link has been used or has expired. Ask for a new one on the login page.")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_link(email: Any, *, now: datetime | None = None) -> tuple[Facilitator, str] | None:
    """A new link's token for the account with this e-mail, or None when there is no such account."""
    if not isinstance(email, str):
        return None
    f = db.session.scalar(select(Facilitator).where(Facilitator.email == email.strip().lower()[:254]))
    if f is None:
        return None
    token = secrets.token_urlsafe(32)
    now = now or utcnow()
    with db.transaction() as s:
        s.add(
            PasswordReset(
                token_hash=_hash(token), facilitator_id=f.id, created_at=now, expires_at=now + LIFETIME
            )
        )
    return f, token


def _valid(token: Any, now: datetime) -> PasswordReset:
    row = (
        db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == _hash(token)))
        if isinstance(token, str) and token
        else None
    )
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise ServiceError("invalid_link", INVALID)
    return row


def check(token: Any, *, now: datetime | None = None) -> Facilitator:
    """The account a still-valid link belongs to (before showing the form)."""
    return _valid(token, now or utcnow()).facilitator


def complete(token: Any, *, new: Any, repeated: Any, now: datetime | None = None) -> Facilitator:
    """Set the new password; the link, the account's other links and all its logins are spent."""
    now = now or utcnow()
    row = _valid(token, now)
    if new != repeated:
        raise ServiceError("mismatch", N_("The passwords do not match."))
    passwords.check(new)
    f = row.facilitator
    with db.transaction() as s:
        spent = s.execute(
            update(PasswordReset)
            .where(PasswordReset.id == row.id, PasswordReset.used_at.is_(None))
            .values(used_at=now)
        )
        if spent.rowcount != 1:  # type: ignore[attr-defined]  # the same link, used at the same moment
            raise ServiceError("invalid_link", INVALID)
        f.password_hash = generate_password_hash(new)
        s.execute(
            update(PasswordReset)
            .where(PasswordReset.facilitator_id == f.id, PasswordReset.used_at.is_(None))
            .values(used_at=now)
        )
        login_sessions.end_all_in(s, f)
    return f

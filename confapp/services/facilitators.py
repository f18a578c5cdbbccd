"""Facilitator accounts: hashed passwords and personal API tokens (hash only); logins: login_sessions.py."""

from __future__ import annotations

import functools
import hashlib
import secrets
from typing import Any

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from confapp import db
from confapp.errors import N_, Conflict, ServiceError
from confapp.models import Facilitator
from confapp.services import login_sessions, passwords, text

PASSWORD_MIN = passwords.MIN_LENGTH


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def any_exist() -> bool:
    return bool(db.session.scalar(select(func.count(Facilitator.id))))


def create(*, email: Any, name: Any, password: Any) -> Facilitator:
    clean_email = text.required(email, N_("E-mail"), 254).lower()
    if "@" not in clean_email:
        raise ServiceError("invalid", N_("That is not an e-mail address."))
    clean_name = text.required(name, N_("Name"), 120)
    passwords.check(password)
    if db.session.scalar(select(Facilitator).where(Facilitator.email == clean_email)):
        raise Conflict("exists", N_("A facilitator with that e-mail already exists."))
    with db.transaction() as s:
        f = Facilitator(
            email=clean_email,
            name=clean_name,
            password_hash=generate_password_hash(password),
        )
        s.add(f)
    return f


@functools.cache
def _dummy_hash() -> str:
    """A hash to check when the e-mail is unknown, so both answers take one hash's time."""
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(email: str, password: str) -> Facilitator | None:
    """The account if the password is right. Unknown e-mails cost the same hash as known ones."""
    f = db.session.scalar(select(Facilitator).where(Facilitator.email == (email or "").strip().lower()))
    candidate = (password or "")[: passwords.MAX_LENGTH]
    ok = check_password_hash(f.password_hash if f is not None else _dummy_hash(), candidate)
    if f is None or not ok:
        return None
    return f


def change_password(
    f: Facilitator, *, current: Any, new: Any, repeated: Any, keep_session: str | None = None
) -> None:
    """A new password ends every login of the account except this browser's (`keep_session`)."""
    if not isinstance(current, str) or not check_password_hash(
        f.password_hash, current[: passwords.MAX_LENGTH]
    ):
        raise ServiceError("wrong_password", N_("The current password is wrong."))
    if new != repeated:
        raise ServiceError("mismatch", N_("The passwords do not match."))
    passwords.check(new)
    with db.transaction() as s:
        f.password_hash = generate_password_hash(new)
        login_sessions.end_all_in(s, f, keep=keep_session)


def issue_api_token(f: Facilitator) -> str:
    """A new personal token (the old one stops working); shown once, only its hash is kept."""
    token = "cfa_" + secrets.token_urlsafe(32)
    with db.transaction():
        f.api_token_hash = _token_hash(token)
    return token


def by_api_token(token: str) -> Facilitator | None:
    if not token:
        return None
    return db.session.scalar(select(Facilitator).where(Facilitator.api_token_hash == _token_hash(token)))


def by_id(fid: int) -> Facilitator | None:
    return db.session.get(Facilitator, fid)

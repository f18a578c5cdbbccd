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


def clean_email(email: Any) -> str:
    """A lower-cased address, refused unless it looks like one and is free."""
    clean = text.required(email, N_("E-mail"), 254).lower()
    if "@" not in clean:
        raise ServiceError("invalid", N_("That is not an e-mail address."))
    if db.session.scalar(select(Facilitator).where(Facilitator.email == clean)):
        raise Conflict("exists", N_("A facilitator with that e-mail already exists."))
    return clean


def new(*, email: Any, name: Any, password: Any) -> Facilitator:
    """A checked, not yet added account, for a caller that writes it in its own transaction."""
    address = clean_email(email)
    clean_name = text.required(name, N_("Name"), 120)
    passwords.check(password)
    return Facilitator(email=address, name=clean_name, password_hash=generate_password_hash(password))


def create(*, email: Any, name: Any, password: Any) -> Facilitator:
    """An account made by the operator: the organisation's first administrator, or else a facilitator."""
    from confapp.services import memberships, organisations  # memberships reads accounts' roles

    f = new(email=email, name=name, password=password)
    org = organisations.default()
    with db.transaction() as s:
        s.add(f)
        memberships.do_grant(s, org, f, memberships.first_role(org))
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

"""Facilitator accounts: hashed passwords, personal API tokens (only their hash is stored)."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from confapp import db
from confapp.errors import N_, Conflict, ServiceError
from confapp.models import Facilitator
from confapp.services import text

PASSWORD_MIN = 8


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def any_exist() -> bool:
    return bool(db.session.scalar(select(func.count(Facilitator.id))))


def create(*, email: Any, name: Any, password: Any) -> Facilitator:
    clean_email = text.required(email, N_("E-mail"), 254).lower()
    if "@" not in clean_email:
        raise ServiceError("invalid", N_("That is not an e-mail address."))
    clean_name = text.required(name, N_("Name"), 120)
    if not isinstance(password, str) or len(password) < PASSWORD_MIN:
        raise ServiceError("weak", N_("The password must be at least %(n)d characters."), n=PASSWORD_MIN)
    if db.session.scalar(select(Facilitator).where(Facilitator.email == clean_email)):
        raise Conflict("exists", N_("A facilitator with that e-mail already exists."))
    with db.transaction() as s:
        f = Facilitator(email=clean_email, name=clean_name, password_hash=generate_password_hash(password))
        s.add(f)
    return f


def authenticate(email: str, password: str) -> Facilitator | None:
    f = db.session.scalar(select(Facilitator).where(Facilitator.email == (email or "").strip().lower()))
    if f is None or not check_password_hash(f.password_hash, password or ""):
        return None
    return f


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

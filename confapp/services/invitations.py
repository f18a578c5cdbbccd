"""Invitations: a link for one e-mail address to create its facilitator account. It expires, can be
revoked, works once, and is accepted by setting a password (or by a first Feide login with that address).

Only the token's SHA-256 is stored. Roles within an organisation come with organisations; until then
the one role is "facilitator".
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from confapp import db
from confapp.errors import N_, ServiceError
from confapp.models import Facilitator, Invitation, utcnow
from confapp.services import facilitators

LIFETIME = timedelta(days=7)
ROLES = ("facilitator",)
INVALID = N_("This invitation has been used, revoked or has expired. Ask for a new one.")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(email: Any, *, role: Any = "facilitator", by: Facilitator | None = None) -> tuple[Invitation, str]:
    """A new invitation and its token (shown or mailed once); earlier open ones for the address end."""
    address = facilitators.clean_email(email)
    if role not in ROLES:
        raise ServiceError("invalid_role", N_("Unknown role."))
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with db.transaction() as s:
        _revoke_open(s, address, now)
        inv = Invitation(
            token_hash=_hash(token),
            email=address,
            role=role,
            invited_by_id=by.id if by else None,
            created_at=now,
            expires_at=now + LIFETIME,
        )
        s.add(inv)
    return inv, token


def _revoke_open(s: Any, address: str, now: datetime) -> int:
    result = s.execute(
        update(Invitation)
        .where(Invitation.email == address, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return int(result.rowcount or 0)


def revoke(email: Any) -> int:
    """Every open invitation for the address stops working; returns how many there were."""
    address = (email or "").strip().lower() if isinstance(email, str) else ""
    with db.transaction() as s:
        return _revoke_open(s, address, utcnow())


def check(token: Any, *, now: datetime | None = None) -> Invitation:
    """The invitation behind a still-valid link (before showing the form)."""
    now = now or utcnow()
    inv = (
        db.session.scalar(select(Invitation).where(Invitation.token_hash == _hash(token)))
        if isinstance(token, str) and token
        else None
    )
    if inv is None or inv.accepted_at or inv.revoked_at or inv.expires_at <= now:
        raise ServiceError("invalid_invitation", INVALID)
    return inv


def open_for(email: str, *, now: datetime | None = None) -> Invitation | None:
    """An open invitation for this address (a first Feide login with it accepts it)."""
    now = now or utcnow()
    return db.session.scalar(
        select(Invitation).where(
            Invitation.email == email.strip().lower(),
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
    )


def accept(inv: Invitation, f: Facilitator, s: Any, now: datetime) -> None:
    """Inside the caller's transaction: the new account is written together with the spent invitation."""
    spent = s.execute(
        update(Invitation)
        .where(Invitation.id == inv.id, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .values(accepted_at=now)
    )
    if spent.rowcount != 1:  # the same link, used twice at the same moment
        raise ServiceError("invalid_invitation", INVALID)
    s.add(f)


def accept_with_password(
    token: Any, *, name: Any, password: Any, repeated: Any, now: datetime | None = None
) -> Facilitator:
    """The invited person's account, with the password they chose; the link is spent."""
    now = now or utcnow()
    inv = check(token, now=now)
    if password != repeated:
        raise ServiceError("mismatch", N_("The passwords do not match."))
    f = facilitators.new(email=inv.email, name=name, password=password)
    with db.transaction() as s:
        accept(inv, f, s, now)
    return f

"""Invitations: a link for one e-mail address to an account with a role. It expires, can be revoked,
works once, and is accepted by setting a password (or by a first Feide login with that address).

The role is one of the organisation's (`memberships.ROLES`), or "co_facilitator" of one conference.
Accepting writes the account and its membership (or its place among the conference's facilitators)
in one transaction. A co-facilitator who already has an account accepts while logged in as it.
Only the token's SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from confapp import db
from confapp.errors import N_, ServiceError
from confapp.models import Conference, Facilitator, Invitation, Organisation, utcnow
from confapp.services import facilitators, memberships, organisations

LIFETIME = timedelta(days=7)
CO_FACILITATOR = "co_facilitator"
ROLES = (*memberships.ROLES, CO_FACILITATOR)
ROLE_LABELS = memberships.ROLE_LABELS | {CO_FACILITATOR: N_("Co-facilitator of one conference")}
INVALID = N_("This invitation has been used, revoked or has expired. Ask for a new one.")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(
    email: Any,
    *,
    role: Any = "facilitator",
    by: Facilitator | None = None,
    organisation: Organisation | None = None,
    conference: Conference | None = None,
) -> tuple[Invitation, str]:
    """A new invitation and its token (shown or mailed once); earlier open ones for the address end.

    `by` None is the operator (`confapp invite`); an account needs `organisation.manage`, or for a
    co-facilitator `conference.run` of that conference.
    """
    if role not in ROLES:
        raise ServiceError("invalid_role", N_("Unknown role."))
    if role == CO_FACILITATOR:
        if conference is None:
            raise ServiceError("no_conference", N_("A co-facilitator is invited to one conference."))
        if by is not None:
            memberships.require(by, "conference.run", conference)
        address = _address(email)
    else:
        organisation = organisation or organisations.default()
        if by is not None:
            memberships.require(by, "organisation.manage", organisation)
        address = facilitators.clean_email(email)
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with db.transaction() as s:
        _revoke_open(s, address, now)
        inv = Invitation(
            token_hash=_hash(token),
            email=address,
            role=role,
            invited_by_id=by.id if by else None,
            organisation_id=organisation.id if organisation is not None and role != CO_FACILITATOR else None,
            conference_id=conference.id if role == CO_FACILITATOR and conference is not None else None,
            created_at=now,
            expires_at=now + LIFETIME,
        )
        s.add(inv)
    return inv, token


def _address(email: Any) -> str:
    """A co-facilitator's address: it may belong to an account already."""
    address = (email if isinstance(email, str) else "").strip().lower()
    if "@" not in address or len(address) > 254:
        raise ServiceError("invalid", N_("That is not an e-mail address."))
    return address


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
    """Inside the caller's transaction: the (new) account, its role and the spent invitation together."""
    spent = s.execute(
        update(Invitation)
        .where(Invitation.id == inv.id, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .values(accepted_at=now)
    )
    if spent.rowcount != 1:  # the same link, used twice at the same moment
        raise ServiceError("invalid_invitation", INVALID)
    s.add(f)
    s.flush()
    if inv.role == CO_FACILITATOR:
        conf = s.get(Conference, inv.conference_id)
        if conf is None:
            raise ServiceError("invalid_invitation", INVALID)
        if f not in conf.facilitators:
            conf.facilitators.append(f)
        return
    org = s.get(Organisation, inv.organisation_id) if inv.organisation_id else None
    memberships.do_grant(s, org or organisations.default(), f, inv.role)


def account_exists(inv: Invitation) -> bool:
    """A co-facilitator's address may have an account already: then it accepts logged in as it."""
    return db.session.scalar(select(Facilitator.id).where(Facilitator.email == inv.email)) is not None


def accept_as(token: Any, user: Facilitator, *, now: datetime | None = None) -> Invitation:
    """An existing account takes up its invitation (logged in with the invited address)."""
    now = now or utcnow()
    inv = check(token, now=now)
    if user.email != inv.email:
        raise ServiceError(
            "wrong_account",
            N_("This invitation is for %(email)s. Log in with that address."),
            email=inv.email,
        )
    with db.transaction() as s:
        accept(inv, user, s, now)
    return inv


def open_of(org: Organisation, *, now: datetime | None = None) -> list[Invitation]:
    """The organisation's invitations still waiting (co-facilitators' too), newest first."""
    now = now or utcnow()
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None), Invitation.expires_at > now
            )
            .order_by(Invitation.id.desc())
        )
    )


def revoke_one(by: Facilitator, org: Organisation, invitation_id: Any) -> Invitation:
    """An administrator withdraws one invitation; its link stops working at once."""
    memberships.require(by, "organisation.manage", org)
    inv = db.session.get(Invitation, invitation_id) if isinstance(invitation_id, int) else None
    if inv is None or inv.accepted_at is not None:
        raise ServiceError("invalid_invitation", INVALID)
    if inv.revoked_at is None:
        with db.transaction():
            inv.revoked_at = utcnow()
    return inv


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

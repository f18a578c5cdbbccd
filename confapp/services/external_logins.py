"""Logging in with an OpenID Connect provider (Feide): who a verified identity is in confapp.

An identity already linked logs in its account. Otherwise an account whose e-mail matches the
provider's e-mail is linked on this first login, or an open invitation for that address is accepted
(the account is created then, with the provider's name and no usable password). Anyone else is told
to ask for an invitation; no account is created without one.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from confapp import db
from confapp.errors import N_, ServiceError
from confapp.models import ExternalLogin, Facilitator, utcnow
from confapp.services import invitations

NOT_INVITED = N_("You have no account here yet. Ask the administrator for an invitation.")


def account_for(
    *, issuer: str, subject: str, email: str | None, email_verified: bool | None, name: str | None = None
) -> Facilitator:
    """The facilitator this identity logs in as, linking it on first use; refuses strangers."""
    link = db.session.scalar(
        select(ExternalLogin).where(ExternalLogin.issuer == issuer, ExternalLogin.subject == subject)
    )
    if link is not None:
        return link.facilitator
    # Feide asserts the address from the school's own directory and sends no `email_verified`:
    # only an explicit "not verified" is refused.
    if not email or email_verified is False:
        raise ServiceError("not_invited", NOT_INVITED)
    f = db.session.scalar(select(Facilitator).where(Facilitator.email == email.strip().lower()))
    if f is None:
        return _accept_invitation(issuer=issuer, subject=subject, email=email, name=name)
    already = db.session.scalar(
        select(ExternalLogin).where(ExternalLogin.issuer == issuer, ExternalLogin.facilitator_id == f.id)
    )
    if already is not None:  # another identity of this provider owns the account: no silent takeover
        raise ServiceError("not_invited", NOT_INVITED)
    with db.transaction() as s:
        s.add(ExternalLogin(issuer=issuer, subject=subject, facilitator_id=f.id))
    return f


def _accept_invitation(*, issuer: str, subject: str, email: str, name: str | None) -> Facilitator:
    invitation = invitations.open_for(email)
    if invitation is None:
        raise ServiceError("not_invited", NOT_INVITED)
    clean_name = " ".join((name or "").split())[:120] or invitation.email
    # No password is set: a random hash nobody knows. "Glemt passord?" gives one later if wanted.
    f = Facilitator(
        email=invitation.email,
        name=clean_name,
        password_hash=generate_password_hash(secrets.token_urlsafe(32)),
    )
    with db.transaction() as s:
        invitations.accept(invitation, f, s, utcnow())
        s.flush()
        s.add(ExternalLogin(issuer=issuer, subject=subject, facilitator_id=f.id))
    return f

"""Logging in with an OpenID Connect provider (Feide): who a verified identity is in confapp.

An identity already linked logs in its account. Otherwise an account whose e-mail matches the
provider's e-mail is linked on this first login (an existing account stands for the invitation that
issue 14 adds later). Anyone else is told to ask for an invitation; no account is ever created here.
"""

from __future__ import annotations

from sqlalchemy import select

from confapp import db
from confapp.errors import N_, ServiceError
from confapp.models import ExternalLogin, Facilitator

NOT_INVITED = N_("You have no account here yet. Ask the administrator for an invitation.")


def account_for(*, issuer: str, subject: str, email: str | None, email_verified: bool | None) -> Facilitator:
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
        raise ServiceError("not_invited", NOT_INVITED)
    already = db.session.scalar(
        select(ExternalLogin).where(ExternalLogin.issuer == issuer, ExternalLogin.facilitator_id == f.id)
    )
    if already is not None:  # another identity of this provider owns the account: no silent takeover
        raise ServiceError("not_invited", NOT_INVITED)
    with db.transaction() as s:
        s.add(ExternalLogin(issuer=issuer, subject=subject, facilitator_id=f.id))
    return f

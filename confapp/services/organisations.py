"""The organisation (a school or a municipality) that runs conferences and owns their measures.

An installation has one by default: migration 0008 makes it, and `default()` makes it on first use
in a database created before any organisation existed. The school-owner level adds more.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select

from confapp import db
from confapp.errors import N_, NotFound
from confapp.models import Organisation, OrganisationKind


def default() -> Organisation:
    """The installation's organisation: the first one, made (with a fresh public key) if none exists."""
    org = db.session.scalar(select(Organisation).order_by(Organisation.id).limit(1))
    if org is not None:
        return org
    with db.transaction() as s:
        org = Organisation(kind=OrganisationKind.SCHOOL, name="", public_key=secrets.token_urlsafe(24))
        s.add(org)
    return org


def by_public_key(key: str | None) -> Organisation:
    """The organisation behind a public status link; a wrong key finds nothing, with no hint why."""
    org = db.session.scalar(select(Organisation).where(Organisation.public_key == key)) if key else None
    if org is None:
        raise NotFound("not_found", N_("No such status page."))
    return org

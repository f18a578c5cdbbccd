"""The organisation (a school or a municipality) that runs conferences and owns their measures.

An installation has one by default: migration 0008 makes it, and `default()` makes it on first use
in a database created before any organisation existed. The school-owner level: schools under a
municipality (`attach_school`), conferences held by an organisation, and one read check (`can_read`).
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select

from confapp import db
from confapp.errors import N_, NotFound, ServiceError
from confapp.models import (
    Conference,
    Facilitator,
    Measure,
    Organisation,
    OrganisationKind,
    OrganisationMember,
)
from confapp.services import text


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


def create(kind: Any, name: Any) -> Organisation:
    """A new school or municipality, with its own public key."""
    if kind not in (OrganisationKind.SCHOOL, OrganisationKind.MUNICIPALITY):
        raise ServiceError("invalid", N_("An organisation is a school or a municipality."))
    clean = text.required(name, N_("Name"), 200)
    with db.transaction() as s:
        org = Organisation(kind=kind, name=clean, public_key=secrets.token_urlsafe(24))
        s.add(org)
    return org


def get(org_id: Any) -> Organisation:
    org = db.get(Organisation, org_id)
    if org is None:
        raise NotFound("not_found", N_("No such organisation."))
    return org


def attach_school(municipality: Organisation, school: Organisation) -> Organisation:
    """The municipality becomes the school's school owner: it reads the school's conferences and measures."""
    if municipality.kind != OrganisationKind.MUNICIPALITY:
        raise ServiceError("invalid", N_("Schools can only be attached to a municipality."))
    if school.kind != OrganisationKind.SCHOOL:
        raise ServiceError("invalid", N_("Only a school can be attached to a municipality."))
    if school.parent_id not in (None, municipality.id):
        raise ServiceError("invalid", N_("This school already belongs to another municipality."))
    with db.transaction():
        school.parent_id = municipality.id
    return school


def schools_of(org: Organisation) -> list[Organisation]:
    """A municipality's schools by name; a school is its own one school."""
    if org.kind == OrganisationKind.SCHOOL:
        return [org]
    query = select(Organisation).where(Organisation.parent_id == org.id).order_by(Organisation.name)
    return list(db.session.scalars(query))


def hold_conference(org: Organisation, conf: Conference) -> Conference:
    """The organisation holds the conference; the measures drafted at it become the organisation's."""
    with db.transaction():
        conf.organisation_id = org.id
        for m in db.session.scalars(select(Measure).where(Measure.conference_id == conf.id)):
            m.organisation_id = org.id
    return conf


def conferences_of(org: Organisation) -> list[Conference]:
    query = select(Conference).where(Conference.organisation_id == org.id).order_by(Conference.held_on)
    return list(db.session.scalars(query))


def can_read(facilitator: Facilitator, org: Organisation) -> bool:
    """THE read check of the school-owner level: the one place to point at memberships later.

    A person belongs to an organisation by a role in it (`memberships`) or by running one of its
    conferences. A municipality's people read its schools; a school's people read only their own school.
    """
    mine = _belongs_to(facilitator)
    return org.id in mine or (org.parent_id is not None and org.parent_id in mine)


def _belongs_to(facilitator: Facilitator) -> set[int]:
    mine = OrganisationMember.facilitator_id == facilitator.id
    roles = select(OrganisationMember.organisation_id).where(mine)
    held = {c.organisation_id for c in facilitator.conferences if c.organisation_id is not None}
    return held | set(db.session.scalars(roles))


def readable(facilitator: Facilitator, org_id: Any) -> Organisation:
    """The organisation if this person may read it; others get 'not found', not a hint."""
    org = db.get(Organisation, org_id)
    if org is None or not can_read(facilitator, org):
        raise NotFound("not_found", N_("No such organisation."))
    return org


def of_person(facilitator: Facilitator) -> list[Organisation]:
    """The organisations this person belongs to (see `can_read`): municipalities first, then by name."""
    found = [o for o in (db.get(Organisation, i) for i in _belongs_to(facilitator)) if o is not None]
    return sorted(found, key=lambda o: (o.kind != OrganisationKind.MUNICIPALITY, o.name))

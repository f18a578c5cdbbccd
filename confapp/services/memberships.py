"""Roles within an organisation, and the one policy every route and socket event asks: `can`.

A person (a `Facilitator` account) has at most one role per organisation (README, "Roles"):

- administrator: the organisation's members and invitations; may start conferences;
- facilitator: starts conferences and runs those they are a facilitator of;
- steering group: decides on measures and sees everything of the organisation;
- coordinator: the log and evaluation of the measures they coordinate, nothing else;
- viewer: reads what the steering group reads, changes nothing.

A municipality's administrators, steering group and viewers read its schools' conferences and measures
(`oversees`), and change nothing there unless they also have a role in the school.

A conference's own facilitators (`Conference.facilitators`, co-facilitators included) run it whatever
their role, as before roles existed. Conferences belong to the installation's organisation
(`organisations.default()`) until a conference carries its own.

`require` answers "not found" where the person may not even see the thing, and "forbidden" where
they may see it but not do this, so a stranger learns nothing about what exists.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from confapp import db
from confapp.errors import N_, Forbidden, NotFound, ServiceError
from confapp.models import (
    Conference,
    Facilitator,
    Measure,
    MeasureCoordinator,
    Organisation,
    OrganisationMember,
    OrganisationRole,
)
from confapp.services import organisations

ROLES = tuple(r.value for r in OrganisationRole)
ROLE_LABELS = {
    "administrator": N_("Administrator"),
    "facilitator": N_("Facilitator"),
    "steering_group": N_("Steering group member"),
    "coordinator": N_("Coordinator"),
    "viewer": N_("Viewer"),
}
ADMIN, FACILITATOR, STEERING, COORDINATOR, VIEWER = ROLES
SEES_ALL = (STEERING, VIEWER)  # every conference and measure of the organisation, to read
# The school owner's people who read every school's conferences and measures, changing nothing there
# unless they also have a role in the school (issue 15, "read-only unless they are also members").
OVERSEES = (ADMIN, STEERING, VIEWER)
READS = ("organisation.read", "conference.view", "measure.view")

# Every action a route or socket event asks about, and the kind of object it is asked about.
ACTIONS: dict[str, type] = {
    "organisation.manage": Organisation,  # members and invitations
    "organisation.read": Organisation,  # every measure of the organisation
    "conference.create": Organisation,
    "conference.view": Conference,
    "conference.run": Conference,
    "measure.view": Measure,
    "measure.decide": Measure,  # status steps, coordinators' links and accounts
    "measure.log": Measure,  # the log and the trial team's evaluation
    "bank.read": Organisation,  # a municipality's experience bank (services/experience_bank.py)
    # The strategy forum (services/forum.py, issue 15): a school escalates, its municipality decides.
    "forum.read": Organisation,  # a municipality's agenda and minutes; a school's own escalations
    "forum.decide": Organisation,  # the municipality records decisions and postponements
    "forum.escalate": Organisation,  # the school sends a question of its own
    "measure.escalate": Measure,  # the school sends a measure
}
FORUM_ACTIONS = ("forum.read", "forum.decide", "forum.escalate", "measure.escalate")
NO_CONFERENCE = N_("No such conference.")
NO_MEASURE = N_("No such measure.")
NOT_ALLOWED = N_("Your role does not allow this.")


def organisation_of(obj: Conference | Measure | Organisation) -> Organisation:
    if isinstance(obj, Organisation):
        return obj
    owner = (
        obj.organisation_id
        if isinstance(obj, Measure) or obj.organisation_id is not None  # a conference may name its holder
        else db.session.scalar(
            select(Measure.organisation_id)
            .where(Measure.conference_id == obj.id, Measure.organisation_id.is_not(None))
            .order_by(Measure.id)
            .limit(1)
        )
    )  # a conference belongs to the organisation owning its measures, else to the installation's
    org = db.session.get(Organisation, owner) if owner is not None else None
    return org if org is not None else organisations.default()


def role_of(user: Facilitator | None, org: Organisation) -> str | None:
    if user is None:
        return None
    return db.session.scalar(
        select(OrganisationMember.role).where(
            OrganisationMember.organisation_id == org.id, OrganisationMember.facilitator_id == user.id
        )
    )


def oversees(user: Facilitator, org: Organisation) -> bool:
    """A school's municipality's administrators, steering group and viewers read the school."""
    parent = db.session.get(Organisation, org.parent_id) if org.parent_id is not None else None
    return parent is not None and role_of(user, parent) in OVERSEES


def coordinates(user: Facilitator, m: Measure) -> bool:
    return db.session.get(MeasureCoordinator, (m.id, user.id)) is not None


def _runs(user: Facilitator, conference_id: int | None) -> bool:
    conf = db.session.get(Conference, conference_id) if conference_id is not None else None
    return conf is not None and user in conf.facilitators


def can(user: Facilitator | None, action: str, obj: Conference | Measure | Organisation) -> bool:
    """May this account do `action` to `obj`? The one answer for every page, API route and socket event."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")  # a typo must not silently deny (or allow)
    if user is None or not isinstance(obj, ACTIONS[action]):
        return False
    # Who runs the conference needs no role lookup: the live console asks on every socket event.
    if isinstance(obj, Conference) and user in obj.facilitators:
        return True
    if isinstance(obj, Measure) and _runs(user, obj.conference_id):
        return True
    org = organisation_of(obj)
    if action == "bank.read":
        return reads_bank(user, org)
    role = role_of(user, org)
    if action in FORUM_ACTIONS:
        return _forum_may(user, action, obj, org, role)
    if action in READS and role not in SEES_ALL and oversees(user, org):
        return True
    if action == "organisation.manage":
        return role == ADMIN
    if action == "organisation.read":
        return role in SEES_ALL
    if action == "conference.create":
        return role in (ADMIN, FACILITATOR)
    if isinstance(obj, Conference):
        return action == "conference.view" and role in SEES_ALL
    if role == STEERING:
        return True
    if action == "measure.view":
        return role == VIEWER or (role == COORDINATOR and coordinates(user, obj))
    if action == "measure.log":
        return role == COORDINATOR and coordinates(user, obj)
    return False


def require(user: Facilitator | None, action: str, obj: Any) -> None:
    """`can` or an error: "not found" if the person may not even see `obj`, else "forbidden"."""
    if can(user, action, obj):
        return
    if isinstance(obj, Conference) and not can(user, "conference.view", obj):
        raise NotFound("not_found", NO_CONFERENCE)
    if isinstance(obj, Measure) and not can(user, "measure.view", obj):
        raise NotFound("not_found", NO_MEASURE)
    raise Forbidden("forbidden", NOT_ALLOWED)


def conference(user: Facilitator | None, conference_id: Any, action: str = "conference.run") -> Conference:
    try:
        conf = db.session.get(Conference, int(conference_id))
    except (TypeError, ValueError):
        conf = None
    if conf is None:
        raise NotFound("not_found", NO_CONFERENCE)
    require(user, action, conf)
    return conf


def measure(user: Facilitator | None, measure_id: Any, action: str = "measure.view") -> Measure:
    try:
        m = db.session.get(Measure, int(measure_id))
    except (TypeError, ValueError):
        m = None
    if m is None:
        raise NotFound("not_found", NO_MEASURE)
    require(user, action, m)
    return m


def visible_measures(user: Facilitator, org: Organisation) -> list[Measure]:
    """The organisation's measures this account may read, in id order."""
    query = select(Measure).where(Measure.organisation_id == org.id).order_by(Measure.id)
    return [m for m in db.session.scalars(query) if can(user, "measure.view", m)]


def visible_conferences(user: Facilitator) -> list[Conference]:
    """Conferences this account may read: those it runs, and those `can` lets it view (its own
    organisations' for the steering group and viewers, its schools' for the school owner's people)."""
    query = select(Conference).order_by(Conference.held_on.desc(), Conference.id.desc())
    return [c for c in db.session.scalars(query) if can(user, "conference.view", c)]


# --- Writes -----------------------------------------------------------------------------------------


def members(org: Organisation) -> list[OrganisationMember]:
    query = select(OrganisationMember).where(OrganisationMember.organisation_id == org.id)
    return list(db.session.scalars(query.order_by(OrganisationMember.id)))


def _check_role(role: Any) -> str:
    if role not in ROLES:
        raise ServiceError("invalid_role", N_("Unknown role."))
    return str(role)


def do_grant(s: Any, org: Organisation, user: Facilitator, role: Any) -> OrganisationMember:
    """Inside the caller's transaction: `user` has `role` in `org` (replacing any other role there)."""
    role = _check_role(role)
    s.flush()
    member = s.scalar(
        select(OrganisationMember).where(
            OrganisationMember.organisation_id == org.id, OrganisationMember.facilitator_id == user.id
        )
    )
    if member is None:
        member = OrganisationMember(organisation_id=org.id, facilitator_id=user.id, role=role)
        s.add(member)
    else:
        member.role = role
    return member


def _administrators(org: Organisation) -> int:
    return int(
        db.session.scalar(
            select(func.count()).where(
                OrganisationMember.organisation_id == org.id, OrganisationMember.role == ADMIN
            )
        )
        or 0
    )


def first_role(org: Organisation) -> str:
    """An account made by the operator (setup page, `create-facilitator`): the first administers."""
    return ADMIN if _administrators(org) == 0 else FACILITATOR


def _member(org: Organisation, member_id: Any) -> OrganisationMember:
    member = db.session.get(OrganisationMember, member_id) if isinstance(member_id, int) else None
    if member is None or member.organisation_id != org.id:
        raise NotFound("not_found", N_("No such member."))
    return member


def change_role(by: Facilitator, org: Organisation, member_id: Any, role: Any) -> OrganisationMember:
    """An administrator gives a member another role; the last administrator stays one."""
    require(by, "organisation.manage", org)
    member, role = _member(org, member_id), _check_role(role)
    if member.role == ADMIN and role != ADMIN and _administrators(org) == 1:
        raise ServiceError("last_administrator", N_("The organisation needs at least one administrator."))
    with db.transaction():
        member.role = role
    return member


def remove(by: Facilitator, org: Organisation, member_id: Any) -> None:
    """An administrator ends a member's role (the account and its conferences stay)."""
    require(by, "organisation.manage", org)
    member = _member(org, member_id)
    if member.role == ADMIN and _administrators(org) == 1:
        raise ServiceError("last_administrator", N_("The organisation needs at least one administrator."))
    with db.transaction() as s:
        s.delete(member)


def coordinate(by: Facilitator, m: Measure, user_id: Any) -> MeasureCoordinator:
    """The steering group names an account (a member with the coordinator role) coordinator of `m`."""
    require(by, "measure.decide", m)
    user = db.session.get(Facilitator, user_id) if isinstance(user_id, int) else None
    if user is None or role_of(user, organisation_of(m)) != COORDINATOR:
        raise ServiceError("not_coordinator", N_("Choose a member with the coordinator role."))
    existing = db.session.get(MeasureCoordinator, (m.id, user.id))
    if existing is not None:
        return existing
    with db.transaction() as s:
        link = MeasureCoordinator(measure_id=m.id, facilitator_id=user.id)
        s.add(link)
    return link


def reads_bank(user: Facilitator, municipality: Organisation) -> bool:
    """The experience bank is read by the municipality's people and its schools' people: a role in one
    of them, or running a conference one of them holds (as `organisations.can_read` counts belonging)."""
    if municipality.kind != "municipality":
        return False
    ids = {municipality.id, *(s.id for s in organisations.schools_of(municipality))}
    has_role = db.session.scalar(
        select(func.count()).where(
            OrganisationMember.facilitator_id == user.id, OrganisationMember.organisation_id.in_(ids)
        )
    )
    return bool(has_role) or any(c.organisation_id in ids for c in user.conferences)
def _forum_may(user: Facilitator, action: str, obj: Any, org: Organisation, role: str | None) -> bool:
    """The strategy forum: the municipality's administrators and steering group decide, its viewers
    read; a school's administrator, steering group and facilitators escalate (a coordinator only their
    own measure) and read what they sent; the municipality's people read what its schools sent."""
    municipal = org.kind == "municipality"
    if action == "forum.read":
        return role in (OVERSEES if municipal else (ADMIN, FACILITATOR, STEERING, VIEWER)) or (
            not municipal and oversees(user, org)
        )
    if action == "forum.decide":
        return municipal and role in (ADMIN, STEERING)
    if municipal:
        return False  # a municipality's own questions go on its agenda directly, not "up"
    if action == "measure.escalate" and role == COORDINATOR:
        return coordinates(user, obj)
    return role in (ADMIN, STEERING, FACILITATOR)

"""Who may touch what. Every service that acts for someone starts here."""

from __future__ import annotations

from sqlalchemy import select

from confapp import db
from confapp.errors import N_, Forbidden, NotFound
from confapp.models import Conference, Facilitator, Group, Membership, Participant, Round
from confapp.services import memberships


def conference_for(
    facilitator: Facilitator, conference_id: int, action: str = "conference.run"
) -> Conference:
    """The conference if this account may do `action` to it (`memberships.can`); else 'not found'."""
    return memberships.conference(facilitator, conference_id, action)


def round_in(conf: Conference, round_id: int) -> Round:
    rnd = db.get(Round, round_id)
    if rnd is None or rnd.conference_id != conf.id:
        raise NotFound("not_found", N_("No such round in this conference."))
    return rnd


def group_in(conf: Conference, group_id: int) -> Group:
    grp = db.get(Group, group_id)
    if grp is None or grp.conference_id != conf.id:
        raise NotFound("not_found", N_("No such group in this conference."))
    return grp


def participant_in(conf: Conference, participant_id: int) -> Participant:
    p = db.get(Participant, participant_id)
    if p is None or p.conference_id != conf.id:
        raise NotFound("not_found", N_("No such participant in this conference."))
    return p


def membership(participant: Participant, round_id: int) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(Membership.round_id == round_id, Membership.participant_id == participant.id)
    )


def require_present(participant: Participant) -> None:
    if participant.removed:
        raise Forbidden("removed", N_("You have been removed from this conference."))

"""The strategy forum (*strategisk forum*): what a school cannot settle alone, settled by its municipality.

A school escalates a measure or a question to its municipality ("needs a decision at municipal level").
The forum's agenda is every escalation without a decision, **oldest first, by the day it was sent**: a
postponed escalation keeps its place (with the reason it waits), so what was put off comes first next
time instead of sliding down. Nothing leaves the agenda until the forum records a decision and who
follows it up — the evaluation found the forum turned into status meetings where escalated problems
were not resolved (§6.8.1). The school sees the answer on the measure's timeline
(`measures.timeline`). A municipal conference can take an escalated question as a group round's question.

Each change is one transaction with its `escalation.saved` event (staff only) in the log of every
conference the measure grew from or that took the question up.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from confapp import db
from confapp.errors import N_, Conflict, NotFound, ServiceError
from confapp.live import events
from confapp.models import (
    Conference,
    Escalation,
    EscalationStatus,
    Facilitator,
    Measure,
    Organisation,
    OrganisationKind,
    Round,
    RoundKind,
    RoundState,
    utcnow,
)
from confapp.services import conferences, measures, memberships, text

TEXT_MAX = 1000  # a short description: what the school needs decided
DECISION_MAX = 4000
FOLLOW_UP_MAX = 200
REASON_MAX = 1000
OPEN = (EscalationStatus.OPEN, EscalationStatus.POSTPONED)
STATUS_LABELS = {
    "open": N_("On the agenda"),
    "postponed": N_("Postponed"),
    "decided": N_("Decided"),
}
NO_ESCALATION = N_("No such escalation.")


def forum_of(school: Organisation) -> Organisation:
    """The municipality whose strategy forum hears the school."""
    parent = db.get(Organisation, school.parent_id) if school.parent_id is not None else None
    if school.kind != OrganisationKind.SCHOOL or parent is None:
        raise ServiceError(
            "no_municipality", N_("Only a school that belongs to a municipality can escalate to its forum.")
        )
    return parent


def payload(e: Escalation) -> dict[str, Any]:
    """An escalation as the API, the event log and the exports carry it: plain values."""
    return {
        "id": e.id,
        "school_id": e.school_id,
        "forum_id": e.forum_id,
        "measure_id": e.measure_id,
        "text": e.text,
        "status": str(e.status),
        "raised_by": e.raised_by,
        "raised_at": e.raised_at.isoformat(),
        "postponements": list(e.postponements or []),
        "decision": e.decision,
        "follow_up": e.follow_up,
        "follow_up_due": e.follow_up_due.isoformat() if e.follow_up_due else None,
        "decided_by": e.decided_by,
        "decided_at": e.decided_at.isoformat() if e.decided_at else None,
        "round_id": e.round_id,
    }


def _record(s: Session, e: Escalation) -> None:
    """The `escalation.saved` event in every conference involved (staff only)."""
    s.flush()
    ids: set[int] = set()
    m = db.session.get(Measure, e.measure_id) if e.measure_id is not None else None
    if m is not None:
        ids.update(measures.conference_ids(m))
    rnd = db.session.get(Round, e.round_id) if e.round_id is not None else None
    if rnd is not None:
        ids.add(rnd.conference_id)
    event = events.EscalationSaved(escalation=payload(e))
    for cid in sorted(ids):
        events.record(s, cid, event)


def _new(by: Facilitator, school: Organisation, measure: Measure | None, description: Any) -> Escalation:
    forum = forum_of(school)
    clean = text.required(description, N_("What needs a decision"), TEXT_MAX, single_line=False)
    if measure is not None and _unresolved(measure) is not None:
        raise Conflict("already_escalated", N_("This measure is already on the forum's agenda."))
    with db.transaction() as s:
        e = Escalation(
            school_id=school.id,
            forum_id=forum.id,
            measure_id=measure.id if measure is not None else None,
            text=clean,
            status=EscalationStatus.OPEN,
            raised_by=by.name,
            raised_at=utcnow(),
            postponements=[],
        )
        s.add(e)
        _record(s, e)
    return e


def escalate_measure(by: Facilitator, m: Measure, description: Any) -> Escalation:
    """The school sends a measure to its municipality's forum, with what needs deciding."""
    memberships.require(by, "measure.escalate", m)
    school = memberships.organisation_of(m)
    return _new(by, school, m, description)


def escalate_question(by: Facilitator, school: Organisation, description: Any) -> Escalation:
    """The school sends a question of its own (no measure) to its municipality's forum."""
    memberships.require(by, "forum.escalate", school)
    return _new(by, school, None, description)


def _unresolved(m: Measure) -> Escalation | None:
    query = select(Escalation).where(Escalation.measure_id == m.id, Escalation.status.in_(OPEN))
    return db.session.scalar(query.limit(1))


def agenda(forum: Organisation) -> list[Escalation]:
    """What the forum has not settled yet, oldest first (a postponed one keeps its place)."""
    query = select(Escalation).where(Escalation.forum_id == forum.id, Escalation.status.in_(OPEN))
    return list(db.session.scalars(query.order_by(Escalation.raised_at, Escalation.id)))


def minutes(forum: Organisation) -> list[Escalation]:
    """What the forum decided, in the order it did."""
    query = select(Escalation).where(
        Escalation.forum_id == forum.id, Escalation.status == EscalationStatus.DECIDED
    )
    return list(db.session.scalars(query.order_by(Escalation.decided_at, Escalation.id)))


def of_school(school: Organisation) -> list[Escalation]:
    """Everything a school sent, newest first."""
    query = select(Escalation).where(Escalation.school_id == school.id)
    return list(db.session.scalars(query.order_by(Escalation.raised_at.desc(), Escalation.id.desc())))


def of_measure(m: Measure) -> list[Escalation]:
    query = select(Escalation).where(Escalation.measure_id == m.id)
    return list(db.session.scalars(query.order_by(Escalation.raised_at, Escalation.id)))


def readable(by: Facilitator | None, org_id: Any) -> Organisation:
    """The organisation whose forum page this person may read; others learn nothing ("not found")."""
    org = db.get(Organisation, org_id)
    if org is None or by is None or not memberships.can(by, "forum.read", org):
        raise NotFound("not_found", N_("No such organisation."))
    return org


def get(by: Facilitator | None, escalation_id: Any, action: str = "forum.read") -> Escalation:
    """The escalation if this person may do `action` (read: at the school or the forum; decide: at the
    forum). Who may not even read it gets "not found"."""
    e = db.get(Escalation, escalation_id)
    forum = db.session.get(Organisation, e.forum_id) if e is not None else None
    school = db.session.get(Organisation, e.school_id) if e is not None else None
    if (
        e is None
        or forum is None
        or school is None
        or not (memberships.can(by, "forum.read", forum) or memberships.can(by, "forum.read", school))
    ):
        raise NotFound("not_found", NO_ESCALATION)
    if action != "forum.read":
        memberships.require(by, action, forum)
    return e


def _unsettled(e: Escalation) -> None:
    if e.status == EscalationStatus.DECIDED:
        raise Conflict("decided", N_("The forum has already decided this."))


def decide(by: Facilitator, e: Escalation, decision: Any, follow_up: Any, due: Any = None) -> Escalation:
    """The forum's decision and who follows it up (a name or a role; a due date if given)."""
    memberships.require(by, "forum.decide", db.session.get(Organisation, e.forum_id))
    _unsettled(e)
    clean = text.required(decision, N_("Decision"), DECISION_MAX, single_line=False)
    who = text.required(follow_up, N_("Who follows up"), FOLLOW_UP_MAX)
    day: date | None = None
    if due not in (None, ""):
        day = measures.parse_date(due, N_("Follow-up by"))
    with db.transaction() as s:
        e.status = EscalationStatus.DECIDED
        e.decision, e.follow_up, e.follow_up_due = clean, who, day
        e.decided_by, e.decided_at = by.name, utcnow()
        _record(s, e)
    return e


def postpone(by: Facilitator, e: Escalation, reason: Any) -> Escalation:
    """Not today, and why; it stays on the agenda in its place."""
    memberships.require(by, "forum.decide", db.session.get(Organisation, e.forum_id))
    _unsettled(e)
    why = text.required(reason, N_("Why it is postponed"), REASON_MAX, single_line=False)
    with db.transaction() as s:
        e.status = EscalationStatus.POSTPONED
        step = {"at": utcnow().isoformat(), "by": by.name, "reason": why}
        e.postponements = [*(e.postponements or []), step]
        _record(s, e)
    return e


def question_rounds(forum: Organisation) -> list[Round]:
    """Group rounds not yet held of the municipality's own municipal conferences: where an escalated
    question can become the groups' question."""
    query = (
        select(Round)
        .join(Conference, Conference.id == Round.conference_id)
        .where(
            Conference.organisation_id == forum.id,
            Conference.level == "municipal",
            Round.kind == RoundKind.GROUP,
            Round.state == RoundState.PENDING,
        )
        .order_by(Conference.held_on, Conference.id, Round.position)
    )
    return list(db.session.scalars(query))


def use_as_question(by: Facilitator, e: Escalation, rnd: Round) -> Round:
    """A municipal conference takes the escalated question as a group round's question (the round's
    title stays; its question becomes the escalation's text). The conference's facilitators do this."""
    conf = memberships.conference(by, rnd.conference_id, "conference.run")
    if conf.organisation_id != e.forum_id or conf.level != "municipal":
        raise ServiceError(
            "not_forum_conference",
            N_("Only a municipal conference of the municipality that received it can take this question."),
        )
    if rnd.kind != RoundKind.GROUP or rnd.state != RoundState.PENDING:
        raise ServiceError("not_pending", N_("Choose a group round that has not started."))
    question = text.required(e.text, N_("Question"), conferences.QUESTION_MAX, single_line=False)
    with db.transaction() as s:
        rnd.question = question
        e.round_id = rnd.id
        events.record(s, conf.id, conferences.conference_event(conf))
        _record(s, e)
    return rnd


def school_name(e: Escalation) -> str:
    org = db.session.get(Organisation, e.school_id)
    return org.name if org is not None else ""


def measure_title(e: Escalation) -> str:
    m = db.session.get(Measure, e.measure_id) if e.measure_id is not None else None
    return m.title if m is not None else ""


def taken_up_in(e: Escalation) -> str:
    """The conference and round that took the question up, as the forum page names it ("" if none)."""
    rnd = db.session.get(Round, e.round_id) if e.round_id is not None else None
    return round_label(rnd) if rnd is not None else ""


def round_label(rnd: Round) -> str:
    conf = db.session.get(Conference, rnd.conference_id)
    return f"{conf.title if conf else ''} – {rnd.title or rnd.position}"

"""The strategy forum: a school escalates a measure or a question, the municipality's forum decides.

The same service calls back the forum pages (facilitator/forum.py). docs/api.md describes them.
"""

from __future__ import annotations

from typing import Any

from flask import Response, g, jsonify
from flask_babel import gettext as _

from confapp import db
from confapp.api import body, route
from confapp.api.openapi import INT, NULL_INT, NULL_STR, STR, obj
from confapp.auth import facilitator_required
from confapp.errors import N_, NotFound
from confapp.models import Escalation, Organisation, Round
from confapp.services import forum, measures, organisations

POSTPONEMENT = obj(["at", "by", "reason"], at=STR, by=STR, reason=STR)
ESCALATION = obj(
    ["id", "school_id", "forum_id", "text", "status", "raised_by", "raised_at"],
    id=INT,
    school_id=INT,
    school=STR,
    forum_id=INT,
    measure_id=NULL_INT,
    measure=STR,
    text=STR,
    status={"enum": ["open", "postponed", "decided"]},
    status_label=STR,
    raised_by=STR,
    raised_at=STR,
    postponements={"type": "array", "items": POSTPONEMENT},
    decision=STR,
    follow_up=STR,
    follow_up_due=NULL_STR,
    decided_by=STR,
    decided_at=NULL_STR,
    round_id=NULL_INT,
)
ESCALATIONS = {"type": "array", "items": ESCALATION}
FORUM = obj(
    ["organisation_id", "kind", "agenda", "minutes", "sent"],
    organisation_id=INT,
    kind={"enum": ["municipality", "school"]},
    agenda=ESCALATIONS,
    minutes=ESCALATIONS,
    sent=ESCALATIONS,
)
TEXT_BODY = obj(["text"], text=STR)
DECISION_BODY = obj(["decision", "follow_up"], decision=STR, follow_up=STR, follow_up_due=NULL_STR)
POSTPONE_BODY = obj(["reason"], reason=STR)
QUESTION_BODY = obj(["round_id"], round_id=INT)
ROUND_NOT_FOUND = N_("No such round.")


def item(e: Escalation) -> dict[str, Any]:
    return forum.payload(e) | {
        "school": forum.school_name(e),
        "measure": forum.measure_title(e),
        "status_label": _(forum.STATUS_LABELS[str(e.status)]),
    }


def forum_view(org: Organisation) -> dict[str, Any]:
    """A municipality: its agenda and minutes; a school: what it sent (newest first)."""
    municipal = org.kind == "municipality"
    return {
        "organisation_id": org.id,
        "kind": str(org.kind),
        "agenda": [item(e) for e in forum.agenda(org)] if municipal else [],
        "minutes": [item(e) for e in forum.minutes(org)] if municipal else [],
        "sent": [] if municipal else [item(e) for e in forum.of_school(org)],
    }


@route("/organisations/{organisation_id}/forum", "GET", auth="facilitator", response=FORUM,
       summary="The strategy forum: a municipality's agenda (oldest first) and minutes; "
       "a school's escalations")  # fmt: skip
@facilitator_required
def get_forum(organisation_id: int) -> Response:
    return jsonify(forum_view(forum.readable(g.facilitator, organisation_id)))


@route("/organisations/{organisation_id}/escalations", "POST", auth="facilitator", body=TEXT_BODY,
       response=ESCALATION, status=201,
       summary="The school sends a question of its own to its municipality's strategy forum")  # fmt: skip
@facilitator_required
def post_question(organisation_id: int) -> tuple[Response, int]:
    school = organisations.readable(g.facilitator, organisation_id)
    return jsonify(item(forum.escalate_question(g.facilitator, school, body().get("text")))), 201


@route("/measures/{measure_id}/escalations", "POST", auth="facilitator", body=TEXT_BODY, response=ESCALATION,
       status=201, summary="The school sends the measure to its municipality's strategy forum")  # fmt: skip
@facilitator_required
def post_measure_escalation(measure_id: int) -> tuple[Response, int]:
    m = measures.get_for(g.facilitator, measure_id, "measure.escalate")
    return jsonify(item(forum.escalate_measure(g.facilitator, m, body().get("text")))), 201


@route("/escalations/{escalation_id}", "GET", auth="facilitator", response=ESCALATION,
       summary="One escalation: its text, postponements and the forum's answer")  # fmt: skip
@facilitator_required
def get_escalation(escalation_id: int) -> Response:
    return jsonify(item(forum.get(g.facilitator, escalation_id)))


@route("/escalations/{escalation_id}/decision", "POST", auth="facilitator",
       body=DECISION_BODY, response=ESCALATION,
       summary="The forum's decision and who follows it up (a due date optional)")  # fmt: skip
@facilitator_required
def post_decision(escalation_id: int) -> Response:
    e, data = forum.get(g.facilitator, escalation_id, "forum.decide"), body()
    forum.decide(g.facilitator, e, data.get("decision"), data.get("follow_up"), data.get("follow_up_due"))
    return jsonify(item(e))


@route("/escalations/{escalation_id}/postpone", "POST", auth="facilitator",
       body=POSTPONE_BODY, response=ESCALATION,
       summary="Postpone: it stays on the agenda in its place, with the reason")  # fmt: skip
@facilitator_required
def post_postpone(escalation_id: int) -> Response:
    e = forum.get(g.facilitator, escalation_id, "forum.decide")
    forum.postpone(g.facilitator, e, body().get("reason"))
    return jsonify(item(e))


@route("/escalations/{escalation_id}/question", "POST", auth="facilitator",
       body=QUESTION_BODY, response=ESCALATION,
       summary="A municipal conference's group round takes the escalated question")  # fmt: skip
@facilitator_required
def post_as_question(escalation_id: int) -> Response:
    e = forum.get(g.facilitator, escalation_id)
    rnd = db.get(Round, body().get("round_id"))
    if rnd is None:
        raise NotFound("not_found", ROUND_NOT_FOUND)
    forum.use_as_question(g.facilitator, e, rnd)
    return jsonify(item(e))

"""Measures after the conference: status, history, the coordinator's log, evaluations and sources.

The same service calls back the measure pages (facilitator/measures.py). docs/api.md describes them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Response, g, jsonify
from flask_babel import gettext as _

from confapp import db, schemas
from confapp.api import body, route
from confapp.api.openapi import ANY_OBJ, INT, NULL_INT, NULL_STR, STR, obj
from confapp.auth import facilitator_required
from confapp.models import Measure
from confapp.services import access, evaluation, forum, measure_log, measures, organisations
from confapp.web.public_url import external_url
from confapp.web.responses import message

ARRAY = {"type": "array", "items": ANY_OBJ}
SUMMARY = obj(
    ["id", "title", "status", "status_label", "progress"],
    id=INT,
    title=STR,
    status=STR,
    status_label=STR,
    progress=INT,
    conference_id=NULL_INT,
    organisation_id=INT,
    rules={"type": "array", "items": STR},
)
DETAIL = obj(
    ["measure", "history", "log", "evaluations", "sources"],
    measure=ANY_OBJ,
    rules={"type": "array", "items": STR},
    milestones=ARRAY,
    history=ARRAY,
    log=ARRAY,
    evaluations=ARRAY,
    sources=ARRAY,
    evaluation_points=ARRAY,
    links=ARRAY,
    escalations=ARRAY,  # to the strategy forum, with its answer (forum_routes.ESCALATION)
)
TABLE_MEASURE = obj(["id", "title", "status"], id=INT, title=STR, status=STR, status_label=STR, table=INT)
ROUND_MEASURES = obj(
    ["round_id", "chosen", "candidates", "default_ids"],
    round_id=INT,
    chosen={"type": "array", "items": TABLE_MEASURE},
    candidates={"type": "array", "items": TABLE_MEASURE},
    default_ids={"type": "array", "items": INT},
)
ROUND_MEASURES_BODY = obj(
    measure_ids={"type": ["array", "null"], "items": INT},
    teams={"type": "object", "additionalProperties": STR},
)
STATUS_BODY = obj(
    ["to"],
    to={"type": "string", "enum": list(measures.STATUSES)},
    reason=STR,
    version=INT,
    decided_on=NULL_STR,
    decision_note=NULL_STR,
    trial_start=NULL_STR,
    trial_end=NULL_STR,
)
EVALUATION_BODY = obj(
    ["held_on", "what_works", "what_to_adjust", "daily_operation", "trial_people"],
    held_on=STR,
    what_works=STR,
    what_to_adjust=STR,
    daily_operation=STR,
    trial_people=STR,
    others=STR,
)


PLAN_EXTRA = ("organisation_id", "conference_id", "decided_on", "decision_note", "trial_start", "trial_end")
LINK = obj(["id", "url"], id=INT, url=STR)


def _plain(value: Any) -> Any:
    """Dates and datetimes as ISO text, everything else as it is."""
    return value.isoformat() if isinstance(value, date | datetime) else value


def _summary(m: Measure) -> dict[str, Any]:
    return {
        "id": m.id,
        "title": m.title,
        "status": m.status,
        "status_label": _(measures.STATUS_LABELS[m.status]),
        "progress": measures.PROGRESS[m.status],
        "conference_id": m.conference_id,
        "organisation_id": m.organisation_id,
        "rules": [message(note) for note in measures.rules(m)],
    }


def _detail(m: Measure) -> dict[str, Any]:
    plan = schemas.initiative(m) | {
        name: _plain(getattr(m, name))
        for name in (
            "organisation_id",
            "conference_id",
            "decided_on",
            "decision_note",
            "trial_start",
            "trial_end",
        )
    }
    timeline = [{k: _plain(v) for k, v in item.items() if k != "sort"} for item in measures.timeline(m)]
    return {
        "measure": plan | {"status_label": _(measures.STATUS_LABELS[m.status])},
        "rules": [message(note) for note in measures.rules(m)],
        "milestones": [{k: _plain(v) for k, v in x.items()} for x in measures.milestones(m)],
        "history": [item for item in timeline if item["kind"] == "status"],
        "log": [item for item in timeline if item["kind"] == "log"],
        "evaluations": [item for item in timeline if item["kind"] == "evaluation"],
        "sources": [item for item in timeline if item["kind"] == "source"],
        "evaluation_points": [item for item in timeline if item["kind"] == "evaluation_point"],
        "links": [
            {
                "id": link.id,
                "holder": link.holder,
                "created_at": _plain(link.created_at),
                "revoked_at": _plain(link.revoked_at),
            }
            for link in measure_log.links(m)
        ],  # fmt: skip
        "escalations": [forum.payload(e) for e in forum.of_measure(m)],
    }


def _measure(measure_id: int, action: str = "measure.view") -> Measure:
    return measures.get_for(g.facilitator, measure_id, action)


@route("/measures", "GET", summary="The organisation's measures", auth="facilitator",
       response={"type": "array", "items": SUMMARY})  # fmt: skip
@facilitator_required
def list_measures() -> Response:
    return jsonify([_summary(m) for m in measures.of_organisation(organisations.default(), g.facilitator)])


@route("/measures/{measure_id}", "GET", summary="A measure: status, history, log, evaluations and sources",
       auth="facilitator", response=DETAIL)  # fmt: skip
@facilitator_required
def get_measure(measure_id: int) -> Response:
    return jsonify(_detail(_measure(measure_id)))


@route("/measures/{measure_id}/status", "POST", summary="Move the measure one step in its lifecycle",
       auth="facilitator", body=STATUS_BODY, response=DETAIL)  # fmt: skip
@facilitator_required
def post_measure_status(measure_id: int) -> Response:
    m, data = _measure(measure_id, "measure.decide"), body()
    measures.change_status(
        m,
        data.get("to"),
        actor=g.facilitator.name,
        reason=data.get("reason", ""),
        version=data.get("version"),
        decided_on=data.get("decided_on"),
        decision_note=data.get("decision_note"),
        trial_start=data.get("trial_start"),
        trial_end=data.get("trial_end"),
    )
    return jsonify(_detail(m))


@route("/measures/{measure_id}/evaluations", "POST", summary="Record the trial team's evaluation",
       auth="facilitator", body=EVALUATION_BODY, response=DETAIL, status=201)  # fmt: skip
@facilitator_required
def post_measure_evaluation(measure_id: int) -> tuple[Response, int]:
    m, data = _measure(measure_id, "measure.log"), body()
    fields = {name: data.get(name) for name in EVALUATION_BODY["required"]}
    measure_log.evaluate(m, actor=g.facilitator.name, others=data.get("others", ""), **fields)
    return jsonify(_detail(m)), 201


LOG_BODY = obj(["client_uuid", "happened_on", "done"], client_uuid=STR, happened_on=STR, done=STR, who=STR,
               learned=STR)  # fmt: skip


@route("/measures/{measure_id}/log", "POST", summary="A log entry by a coordinator's account",
       auth="facilitator", body=LOG_BODY, response=DETAIL, status=201)  # fmt: skip
@facilitator_required
def post_measure_log(measure_id: int) -> tuple[Response, int]:
    m, data = _measure(measure_id, "measure.log"), body()
    measure_log.write_entry(m, None, **{name: data.get(name) for name in LOG_BODY["properties"]})
    return jsonify(_detail(m)), 201


@route("/measures/{measure_id}/links", "POST", summary="A new log link for the coordinator (shown once)",
       auth="facilitator", body=obj(holder=STR), response=LINK, status=201)  # fmt: skip
@facilitator_required
def post_measure_link(measure_id: int) -> tuple[Response, int]:
    link, token = measure_log.create_link(_measure(measure_id, "measure.decide"), body().get("holder", ""))
    return jsonify({"id": link.id, "url": external_url("participant.coordinator_log", token=token)}), 201


@route("/measures/{measure_id}/links/{link_id}", "DELETE", summary="Revoke a log link", auth="facilitator")
@facilitator_required
def delete_measure_link(measure_id: int, link_id: int) -> Response:
    measure_log.revoke_link(_measure(measure_id, "measure.decide"), link_id)
    return jsonify({"ok": True})


def _round_measures(conf: Any, rnd: Any) -> dict[str, Any]:
    def item(m: Measure, table: int | None = None) -> dict[str, Any]:
        out = {
            "id": m.id,
            "title": m.title,
            "status": m.status,
            "status_label": _(measures.STATUS_LABELS[m.status]),
        }
        return out | ({"table": table} if table is not None else {})

    by_id = {m.id: m for m in evaluation.candidates(conf)}
    chosen = [(rm.position, db.session.get(Measure, rm.measure_id)) for rm in rnd.measures]
    return {
        "round_id": rnd.id,
        "chosen": [item(m, n) for n, m in chosen if m is not None],
        "candidates": [item(m) for m in by_id.values()],
        "default_ids": [m.id for m in evaluation.default_choice(conf)],
    }


@route("/conferences/{conference_id}/rounds/{round_id}/measures", "GET", auth="facilitator",
       summary="An evaluation round's measures (table k evaluates the k-th), and those it may evaluate",
       response=ROUND_MEASURES)  # fmt: skip
@facilitator_required
def get_round_measures(conference_id: int, round_id: int) -> Response:
    conf = access.conference_for(g.facilitator, conference_id, "conference.view")
    return jsonify(_round_measures(conf, access.round_in(conf, round_id)))


@route("/conferences/{conference_id}/rounds/{round_id}/measures", "PUT", auth="facilitator",
       summary="Make a group round an evaluation round: the measures its tables evaluate, in table order "
       "(measure_ids null: those in trial or being evaluated; []: an ordinary round again); teams: the "
       "trial team's names per measure id, for the strategy by:measure",
       body=ROUND_MEASURES_BODY, response=ROUND_MEASURES)  # fmt: skip
@facilitator_required
def put_round_measures(conference_id: int, round_id: int) -> Response:
    conf = access.conference_for(g.facilitator, conference_id)
    rnd = access.round_in(conf, round_id)
    data = body()
    evaluation.choose(conf, rnd, data.get("measure_ids"), data.get("teams"))
    return jsonify(_round_measures(conf, rnd))

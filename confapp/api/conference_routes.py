"""Facilitator endpoints: prepare and run a conference."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, g, jsonify, request
from flask_babel import gettext as _

from confapp import db, schemas
from confapp.api import body, bp, route
from confapp.api.openapi import (
    AGENDA_ITEM,
    ANY_OBJ,
    BOOL,
    CONFERENCE,
    CONFERENCE_DETAIL,
    EVENT,
    GROUP,
    INT,
    NOTE,
    NULL_INT,
    PARTICIPANT,
    STR,
    obj,
)
from confapp.auth import facilitator_required
from confapp.errors import N_, ServiceError
from confapp.export.serve import report_response
from confapp.models import Conference
from confapp.services import (
    access,
    conferences,
    evaluation,
    groups,
    memberships,
    participants,
    plenary,
    privacy,
    rounds,
    snapshot,
    sync,
)
from confapp.services import projector as projector_pages
from confapp.services.agenda_templates import TEMPLATES
from confapp.web.public_url import external_url
from confapp.web.responses import message
from confapp.web.templating import current_lang

assert bp  # routes attach to the API blueprint

SEATED = {
    "type": "array",
    "items": obj(
        ["participant_id", "name", "table", "message"], participant_id=INT, name=STR, table=INT, message=STR
    ),
}
STARTED = {
    **CONFERENCE_DETAIL,
    "properties": {**CONFERENCE_DETAIL["properties"], "seated": SEATED},
    "required": [*CONFERENCE_DETAIL["required"], "seated"],
}


def _conf(conference_id: int) -> Conference:
    """Reading (GET) needs `conference.view`, anything else `conference.run`."""
    action = "conference.view" if request.method == "GET" else "conference.run"
    return access.conference_for(g.facilitator, conference_id, action)


def detail(conf: Conference) -> dict[str, Any]:
    return {
        "conference": {**schemas.conference(conf), "last_seq": conf.last_seq},
        "rounds": [schemas.round_(r) for r in conf.rounds],
        "warnings": [message(w) for w in conferences.agenda_warnings(conf)],
        "join_url": external_url("participant.join", code=conf.join_code),
        "projector_url": external_url("facilitator.projector", key=conf.projector_key),
    }


def seated_list(seated: list[groups.Seated]) -> list[dict[str, Any]]:
    """Late arrivals seated as tables were announced, with the sentence the console shows."""
    return [
        {
            "participant_id": x.participant_id,
            "name": x.name,
            "table": x.table,
            "message": _("%(name)s was seated at table %(table)s", name=x.name, table=x.table),
        }
        for x in seated
    ]


def _int_or_none(data: dict[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not -db.MAX_ID <= value <= db.MAX_ID:
        raise ServiceError("invalid", N_("%(field)s must be a whole number."), field=key)
    return value


@route(
    "/templates",
    "GET",
    summary="Conference templates (DK1–DK3, closing, blank)",
    auth="facilitator",
    response={
        "type": "array",
        "items": obj(
            ["key", "label", "level"],
            key=STR,
            label=STR,
            level=STR,
            purpose=STR,
            agenda={"type": "array", "items": AGENDA_ITEM},
        ),
    },
)
@facilitator_required
def list_templates() -> Response:
    return jsonify(
        [
            {
                "key": t.key,
                "label": t.label,
                "level": t.level,
                "purpose": t.purpose,
                "agenda": [a.__dict__ for a in t.agenda],
            }
            for t in TEMPLATES.values()
        ]
    )


@route(
    "/conferences",
    "GET",
    summary="Your conferences",
    auth="facilitator",
    response={"type": "array", "items": CONFERENCE},
)
@facilitator_required
def list_conferences() -> Response:
    found = memberships.visible_conferences(g.facilitator)
    return jsonify([schemas.conference(c) for c in found])


@route(
    "/conferences",
    "POST",
    summary="Create a conference from a template",
    auth="facilitator",
    status=201,
    body=obj(
        ["title"],
        title=STR,
        level={"enum": ["municipal", "school"]},
        template=STR,
        purpose=STR,
        held_on=STR,
        agenda={"type": "array", "items": AGENDA_ITEM},
        # A DK2/DK3 template: the measures its first group round evaluates (null: those in trial).
        measure_ids={"type": ["array", "null"], "items": INT},
    ),
    response=CONFERENCE_DETAIL,
)
@facilitator_required
def create_conference() -> tuple[Response, int]:
    data = body()
    conf = evaluation.create_conference(
        g.facilitator,
        data.get("measure_ids", []),  # left out: an ordinary first round, as before
        title=data.get("title"),
        level=data.get("level"),
        template=data.get("template", "blank"),
        purpose=data.get("purpose"),
        held_on=data.get("held_on"),
        agenda=data.get("agenda"),
    )
    return jsonify(detail(conf)), 201


@route(
    "/conferences/{conference_id}",
    "GET",
    summary="A conference with its agenda",
    auth="facilitator",
    response=CONFERENCE_DETAIL,
)
@facilitator_required
def get_conference(conference_id: int) -> Response:
    return jsonify(detail(_conf(conference_id)))


@route(
    "/conferences/{conference_id}",
    "PATCH",
    summary="Edit title, level, purpose, date, joins or agenda",
    auth="facilitator",
    response=CONFERENCE_DETAIL,
    body=obj(
        title=STR,
        level={"enum": ["municipal", "school"]},
        purpose=STR,
        held_on=STR,
        joins_open=BOOL,
        agenda={"type": "array", "items": AGENDA_ITEM},
    ),
)
@facilitator_required
def patch_conference(conference_id: int) -> Response:
    conf = _conf(conference_id)
    data = body()
    allowed = {"title", "level", "purpose", "held_on", "joins_open", "agenda"}
    conferences.update_conference(conf, **{k: v for k, v in data.items() if k in allowed})
    return jsonify(detail(conf))


@route(
    "/conferences/{conference_id}/rounds/{round_id}",
    "PATCH",
    summary="Edit one agenda item",
    auth="facilitator",
    body=obj(title=STR, question=STR, minutes=NULL_INT),
    response=CONFERENCE_DETAIL,
)
@facilitator_required
def patch_round(conference_id: int, round_id: int) -> Response:
    conf = _conf(conference_id)
    data = body()
    conferences.update_round(
        conf,
        access.round_in(conf, round_id),
        **{k: v for k, v in data.items() if k in ("title", "question", "minutes")},
    )
    return jsonify(detail(conf))


@route(
    "/conferences/{conference_id}/participants",
    "GET",
    summary="Participants (joined and imported)",
    auth="facilitator",
    response={"type": "array", "items": PARTICIPANT},
)
@facilitator_required
def list_participants(conference_id: int) -> Response:
    return jsonify([schemas.participant(p) for p in participants.of(_conf(conference_id))])


@route(
    "/conferences/{conference_id}/participants/import",
    "POST",
    summary="Import a participant list (CSV: name, role, unit, grade_team); all or nothing",
    auth="facilitator",
    status=201,
    content_type="application/json",
    response={"type": "array", "items": PARTICIPANT},
)
@facilitator_required
def import_participants(conference_id: int) -> tuple[Response, int]:
    conf = _conf(conference_id)
    upload = request.files.get("file")
    data = upload.read() if upload is not None else request.get_data()
    people = conferences.import_participants(conf, data)
    return jsonify([schemas.participant(p) for p in people]), 201


@route(
    "/conferences/{conference_id}/participants/{participant_id}",
    "DELETE",
    summary="Remove a participant (their phone stops working)",
    auth="facilitator",
)
@facilitator_required
def remove_participant(conference_id: int, participant_id: int) -> Response:
    conf = _conf(conference_id)
    participants.remove(conf, access.participant_in(conf, participant_id))
    return jsonify({"ok": True})


@route(
    "/conferences/{conference_id}/rounds/{round_id}/groups",
    "GET",
    summary="A round's tables",
    auth="facilitator",
    response={"type": "array", "items": GROUP},
)
@facilitator_required
def list_groups(conference_id: int, round_id: int) -> Response:
    rnd = access.round_in(_conf(conference_id), round_id)
    return jsonify([schemas.group(grp) for grp in rnd.groups])


@route(
    "/conferences/{conference_id}/rounds/{round_id}/groups/propose",
    "POST",
    summary="Propose tables: mixed roles, as few repeated pairs as possible",
    auth="facilitator",
    body=obj(group_size=NULL_INT, groups=NULL_INT, strategy=STR, seed=INT),
    response={"type": "array", "items": GROUP},
)
@facilitator_required
def propose_groups(conference_id: int, round_id: int) -> Response:
    conf = _conf(conference_id)
    data = body()
    strategy = data.get("strategy", "mixed")
    if not isinstance(strategy, str):
        raise ServiceError("invalid", N_("Unknown strategy."))
    seed = _int_or_none(data, "seed") or 0
    made = groups.propose(
        conf,
        access.round_in(conf, round_id),
        group_size=_int_or_none(data, "group_size"),
        groups=_int_or_none(data, "groups"),
        strategy=strategy,
        seed=seed,
    )
    return jsonify([schemas.group(grp) for grp in made])


@route(
    "/conferences/{conference_id}/rounds/{round_id}/groups/move",
    "POST",
    summary="Move a person to another table (one past the last opens a new table)",
    auth="facilitator",
    body=obj(["participant_id", "table"], participant_id=INT, table=INT),
    response={"type": "array", "items": GROUP},
)
@facilitator_required
def move_member(conference_id: int, round_id: int) -> Response:
    conf = _conf(conference_id)
    data = body()
    rnd = access.round_in(conf, round_id)
    groups.move(conf, rnd, _int_or_none(data, "participant_id") or 0, _int_or_none(data, "table") or 0)
    db.session.refresh(rnd)
    return jsonify([schemas.group(grp) for grp in rnd.groups])


@route(
    "/conferences/{conference_id}/rounds/{round_id}/groups/pin",
    "PUT",
    summary="Pin a person to their table (kept when groups are proposed again), or unpin",
    auth="facilitator",
    body=obj(["participant_id", "pinned"], participant_id=INT, pinned=BOOL),
    response={"type": "array", "items": GROUP},
)
@facilitator_required
def pin_member(conference_id: int, round_id: int) -> Response:
    conf = _conf(conference_id)
    data = body()
    rnd = access.round_in(conf, round_id)
    groups.pin(conf, rnd, _int_or_none(data, "participant_id") or 0, bool(data.get("pinned")))
    return jsonify([schemas.group(grp) for grp in rnd.groups])


@route(
    "/conferences/{conference_id}/rounds/{round_id}/groups/metrics",
    "GET",
    summary="The grouping engine's judgement of the tables: repeated pairs, sizes, roles per table",
    auth="facilitator",
    response=obj(["summary", "metrics"], summary=STR, metrics=ANY_OBJ),
)
@facilitator_required
def group_metrics(conference_id: int, round_id: int) -> Response:
    conf = _conf(conference_id)
    m = groups.metrics(conf, access.round_in(conf, round_id))
    return jsonify({"summary": m.summary(current_lang()), "metrics": m.to_dict()})


@route(
    "/conferences/{conference_id}/rounds/{round_id}/groups/publish",
    "POST",
    summary="Announce the tables to the phones; late arrivals are seated first",
    auth="facilitator",
    response=obj(["ok", "seated"], ok=BOOL, seated=SEATED),
)
@facilitator_required
def publish_groups(conference_id: int, round_id: int) -> Response:
    conf = _conf(conference_id)
    seated = groups.publish(conf, access.round_in(conf, round_id))
    return jsonify({"ok": True, "seated": seated_list(seated)})


@route(
    "/conferences/{conference_id}/groups/{group_id}/leader",
    "PUT",
    summary="Appoint a table's group leader",
    auth="facilitator",
    body=obj(["participant_id"], participant_id=NULL_INT),
    response=GROUP,
)
@facilitator_required
def set_leader(conference_id: int, group_id: int) -> Response:
    conf = _conf(conference_id)
    grp = groups.set_leader(conf, access.group_in(conf, group_id), _int_or_none(body(), "participant_id"))
    return jsonify(schemas.group(grp))


@route(
    "/conferences/{conference_id}/groups/{group_id}/reporter",
    "PUT",
    summary="Appoint a table's reporter (normally the group leader does it from the phone)",
    auth="facilitator",
    body=obj(["participant_id"], participant_id=NULL_INT),
    response=GROUP,
)
@facilitator_required
def set_reporter(conference_id: int, group_id: int) -> Response:
    conf = _conf(conference_id)
    grp = groups.set_reporter(
        conf, access.group_in(conf, group_id), _int_or_none(body(), "participant_id"), by=None
    )
    return jsonify(schemas.group(grp))


@route(
    "/conferences/{conference_id}/rounds/{round_id}/start",
    "POST",
    summary="Start an agenda item (group round or plenary); the running one ends; late arrivals are seated",
    auth="facilitator",
    response=STARTED,
)
@facilitator_required
def start_round(conference_id: int, round_id: int) -> Response:
    conf = _conf(conference_id)
    started = rounds.start(conf, access.round_in(conf, round_id))
    return jsonify({**detail(conf), "seated": seated_list(started.seated)})


@route(
    "/conferences/{conference_id}/rounds/{round_id}/extend",
    "POST",
    summary="Add minutes to the countdown",
    auth="facilitator",
    body=obj(["minutes"], minutes=INT),
    response=CONFERENCE_DETAIL,
)
@facilitator_required
def extend_round(conference_id: int, round_id: int) -> Response:
    conf = _conf(conference_id)
    rounds.extend(conf, access.round_in(conf, round_id), _int_or_none(body(), "minutes") or 0)
    return jsonify(detail(conf))


@route(
    "/conferences/{conference_id}/focus",
    "PUT",
    summary="Show this table's report on the projector",
    auth="facilitator",
    body=obj(["group_number"], group_number=NULL_INT),
)
@facilitator_required
def set_focus(conference_id: int) -> Response:
    rounds.focus(_conf(conference_id), _int_or_none(body(), "group_number"))
    return jsonify({"ok": True})


@route(
    "/conferences/{conference_id}/projector/page",
    "POST",
    summary="Turn the projector's page: -1 back, 1 on (for a list too long for one screen)",
    auth="facilitator",
    body=obj(["delta"], delta=INT),
)
@facilitator_required
def step_projector_page(conference_id: int) -> Response:
    projector_pages.step(_conf(conference_id), body().get("delta"))
    return jsonify({"ok": True})


@route(
    "/conferences/{conference_id}/minute-taker",
    "PUT",
    summary="Appoint a participant to write plenary notes",
    auth="facilitator",
    body=obj(["participant_id"], participant_id=NULL_INT),
)
@facilitator_required
def set_minute_taker(conference_id: int) -> Response:
    plenary.appoint_minute_taker(_conf(conference_id), _int_or_none(body(), "participant_id"))
    return jsonify({"ok": True})


@route(
    "/conferences/{conference_id}/notes",
    "POST",
    summary="Write or update (same uuid) a plenary note",
    auth="facilitator",
    body=obj(["uuid", "text"], uuid=STR, text=STR, group_number=NULL_INT),
    response=NOTE,
)
@facilitator_required
def save_note(conference_id: int) -> Response:
    data = body()
    note = plenary.save_note(
        _conf(conference_id),
        client_uuid=data.get("uuid"),
        text_=data.get("text"),
        group_number=data.get("group_number"),
        author=g.facilitator.name,
    )
    return jsonify(schemas.note(note))


@route(
    "/conferences/{conference_id}/finish",
    "POST",
    summary="End the conference",
    auth="facilitator",
    response=CONFERENCE_DETAIL,
)
@facilitator_required
def finish(conference_id: int) -> Response:
    conf = _conf(conference_id)
    rounds.finish(conf)
    return jsonify(detail(conf))


@route(
    "/conferences/{conference_id}/snapshot",
    "GET",
    summary="Everything the console shows, with its seq",
    auth="facilitator",
    response=ANY_OBJ,
)
@facilitator_required
def get_snapshot(conference_id: int) -> Response:
    return jsonify(snapshot.snapshot(_conf(conference_id), snapshot.Viewer("facilitator"), message))


@route(
    "/conferences/{conference_id}/events",
    "GET",
    summary="The event log after `since`",
    auth="facilitator",
    query=[{"name": "since", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0}}],
    response=obj(
        ["events", "seq", "snapshot_required"],
        events={"type": "array", "items": EVENT},
        seq=INT,
        snapshot_required={"type": "boolean"},
    ),
)
@facilitator_required
def get_events(conference_id: int) -> Response:
    """A replay, or `snapshot_required: true` (then `GET …/snapshot`): never an empty list that lies."""
    conf = _conf(conference_id)
    since = request.args.get("since", "0")
    if not since.isdigit():
        raise ServiceError("invalid", N_("%(field)s must be a whole number."), field="since")
    got = sync.catch_up(
        conf,
        snapshot.Viewer("facilitator"),
        min(int(since), db.MAX_ID),
        current_app.config["EVENT_REPLAY_LIMIT"],
    )
    return jsonify({"events": got.events or [], "seq": got.seq, "snapshot_required": got.snapshot_required})


@route(
    "/conferences/{conference_id}/report.docx",
    "GET",
    summary="The conference report as a Word document",
    auth="facilitator",
    content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    response={"type": "string", "format": "binary"},
)
@facilitator_required
def report_docx(conference_id: int) -> Response:
    return report_response(_conf(conference_id), lang=current_lang())


@route(
    "/conferences/{conference_id}/anonymise",
    "POST",
    summary="Replace participants' names with 'Deltaker N' (finished conferences only)",
    auth="facilitator",
    response=obj(["anonymised"], anonymised=INT),
)
@facilitator_required
def anonymise_conference(conference_id: int) -> Response:
    return jsonify({"anonymised": privacy.anonymise(_conf(conference_id))})


@route(
    "/conferences/{conference_id}",
    "DELETE",
    summary="Delete a finished conference and everything in it",
    auth="facilitator",
)
@facilitator_required
def delete_conference(conference_id: int) -> Response:
    privacy.delete(_conf(conference_id))
    return jsonify({"ok": True})

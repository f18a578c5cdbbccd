"""Participants come prepared: the facilitator's preparation text and attachments, and the public
preparation page with its points sent before the conference (confapp/services/preparation.py)."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, g, jsonify

from confapp.api import body, route
from confapp.api.conference_routes import _conf
from confapp.api.openapi import BOOL, INT, NULL_INT, NULL_STR, OK, STR, obj
from confapp.auth import facilitator_required
from confapp.errors import N_, NotFound
from confapp.services import participants, preparation
from confapp.web.limits import join_limits, limited

ATTACHMENT = obj(
    ["id", "kind", "title"],
    id=INT,
    kind={"enum": ["text", "link", "measure"]},
    title=STR,
    body=STR,
    url=STR,
    measure_id=NULL_INT,
    measure={"type": ["object", "null"]},
)
PREP_PAGE = obj(
    ["title", "preparation", "agenda", "attachments", "accepts_input"],
    title=STR,
    held_on=STR,
    purpose=STR,
    preparation=STR,
    join_code=STR,
    agenda={
        "type": "array",
        "items": obj(["position", "kind"], position=INT, kind=STR, title=STR, question=STR, minutes=NULL_INT),
    },
    attachments={"type": "array", "items": ATTACHMENT},
    accepts_input=BOOL,
)
PREP_POINT = obj(["id", "uuid", "text"], id=INT, uuid=STR, text=STR, created_at=NULL_STR)


def _page(conf_id: int) -> dict[str, Any]:
    conf = _conf(conf_id)
    return {**preparation.page(conf), "inputs": len(preparation.inputs(conf))}


@route(
    "/conferences/{conference_id}/preparation",
    "GET",
    summary="The preparation page as participants see it, with how many points arrived beforehand",
    auth="facilitator",
    response={**PREP_PAGE, "properties": {**PREP_PAGE["properties"], "inputs": INT}},
)
@facilitator_required
def get_preparation(conference_id: int) -> Response:
    return jsonify(_page(conference_id))


@route(
    "/conferences/{conference_id}/preparation",
    "PUT",
    summary="Write the preparation text (empty, with no attachments: the join link opens the join form)",
    auth="facilitator",
    body=obj(["text"], text=STR),
    response=PREP_PAGE,
)
@facilitator_required
def set_preparation(conference_id: int) -> Response:
    preparation.set_text(_conf(conference_id), body().get("text"))
    return jsonify(_page(conference_id))


@route(
    "/conferences/{conference_id}/preparation/attachments",
    "POST",
    summary="Attach a short text, a link or a measure (its plan without names) to the preparation page",
    auth="facilitator",
    status=201,
    body=obj(["title"], title=STR, body=STR, url=STR, measure_id=NULL_INT),
    response=ATTACHMENT,
)
@facilitator_required
def add_prep_attachment(conference_id: int) -> tuple[Response, int]:
    data = body()
    a = preparation.add_attachment(
        _conf(conference_id),
        g.facilitator,
        title=data.get("title"),
        body=data.get("body"),
        url=data.get("url"),
        measure_id=data.get("measure_id"),
    )
    return jsonify(preparation.schema(a)), 201


@route(
    "/conferences/{conference_id}/preparation/attachments/{attachment_id}",
    "DELETE",
    summary="Remove an attachment from the preparation page",
    auth="facilitator",
    response=OK,
)
@facilitator_required
def remove_prep_attachment(conference_id: int, attachment_id: int) -> Response:
    preparation.remove_attachment(_conf(conference_id), attachment_id)
    return jsonify({"ok": True})


@route(
    "/prep/{code}",
    "GET",
    summary="The preparation page of a conference before its start (the join code is all it needs)",
    auth="public",
    response=PREP_PAGE,
)
@limited(join_limits)
def get_prep_page(code: str) -> Response:
    conf = participants.conference_by_code(code)
    if not preparation.is_open(conf):
        raise NotFound("not_open", N_("This conference has no preparation page now."))
    return jsonify(preparation.page(conf))


@route(
    "/prep/{code}/points",
    "POST",
    summary="Send a short point before the conference, without a name (same uuid again: same point)",
    auth="public",
    status=201,
    body=obj(["uuid", "text"], uuid=STR, text=STR),
    response=PREP_POINT,
)
@limited(join_limits)
def send_prep_point(code: str) -> tuple[Response, int]:
    conf = participants.conference_by_code(code)
    data = body()
    b = preparation.post_input(
        conf,
        client_uuid=data.get("uuid"),
        text_=data.get("text"),
        per_minute=current_app.config.get("PREP_POINTS_PER_MINUTE", preparation.INPUTS_PER_MINUTE),
    )
    return jsonify(
        {"id": b.id, "uuid": b.client_uuid, "text": b.text, "created_at": b.created_at.isoformat()}
    ), 201

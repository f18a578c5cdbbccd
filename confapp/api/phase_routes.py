"""Undo of the last phase change (start round or plenary, next item, finish) within 30 seconds."""

from __future__ import annotations

from flask import Response, g, jsonify

from confapp.api import bp, route
from confapp.api.conference_routes import STARTED, detail
from confapp.api.openapi import BOOL, INT, NULL_INT, obj
from confapp.auth import facilitator_required
from confapp.services import access, phase_undo

assert bp  # routes attach to the API blueprint

UNDO_STATE = obj(
    ["available", "seconds_left", "round_id"], available=BOOL, seconds_left=INT, round_id=NULL_INT
)


@route(
    "/conferences/{conference_id}/phase/undo",
    "GET",
    summary="Whether the last phase change can still be undone, and for how many seconds",
    auth="facilitator",
    response=UNDO_STATE,
)
@facilitator_required
def undo_state(conference_id: int) -> Response:
    found = phase_undo.available(access.conference_for(g.facilitator, conference_id))
    return jsonify(
        {
            "available": found is not None,
            "seconds_left": found.seconds_left if found else 0,
            "round_id": found.round_id if found else None,
        }
    )


@route(
    "/conferences/{conference_id}/phase/undo",
    "POST",
    summary="Undo the last phase change (at most 30 s old, nothing irreversible since)",
    auth="facilitator",
    response=STARTED,
)
@facilitator_required
def undo_phase(conference_id: int) -> Response:
    conf = access.conference_for(g.facilitator, conference_id)
    phase_undo.undo(conf)
    return jsonify({**detail(conf), "seated": []})

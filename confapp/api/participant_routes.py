"""Phone endpoints: join with the code, then act with the token the join returned."""

from __future__ import annotations

from flask import Response, abort, current_app, jsonify

from confapp import schemas
from confapp.api import body, route
from confapp.api.openapi import ANY_OBJ, BULLET, INT, NULL_INT, PARTICIPANT, STR, obj
from confapp.auth import api_participant, bearer_token
from confapp.errors import N_, ServiceError
from confapp.models import Conference, Participant
from confapp.services import access, bullets, groups, participants, snapshot, votes
from confapp.web.limits import join_limits, limited


def _me() -> tuple[Conference, Participant]:
    p = api_participant()
    if p is None:
        abort(401)
    return p.conference, p


@route(
    "/join",
    "POST",
    summary="Join a conference with its code; returns the phone's token",
    auth="public",
    status=201,
    body=obj(["code", "uuid"], code=STR, uuid=STR, name=STR, role=STR, claim_id=NULL_INT),
    response=obj(
        ["token", "participant", "conference_id"], token=STR, participant=PARTICIPANT, conference_id=INT
    ),
)
@limited(join_limits)
def join() -> tuple[Response, int]:
    data = body()
    code = data.get("code")
    if not isinstance(code, str):
        raise ServiceError("unknown_code", N_("No conference has that code. Check the code on the screen."))
    conf = participants.conference_by_code(code)
    p, token = participants.join(
        conf,
        client_uuid=data.get("uuid"),
        name=data.get("name"),
        role=data.get("role"),
        claim_id=data.get("claim_id"),
    )
    return jsonify({"token": token, "participant": schemas.participant(p), "conference_id": conf.id}), 201


@route(
    "/me/release",
    "POST",
    summary='"This isn\'t me": give back a name claimed from the list; the token stops working',
    auth="participant",
    response=PARTICIPANT,
)
def release_claim() -> Response:
    conf, p = _me()
    return jsonify(schemas.participant(participants.release_claim(conf, p.id, bearer_token())))


@route(
    "/me/snapshot",
    "GET",
    summary="What this phone sees now, with its seq",
    auth="participant",
    response=ANY_OBJ,
)
def my_snapshot() -> Response:
    conf, p = _me()
    return jsonify(snapshot.snapshot(conf, snapshot.Viewer("participant", p)))


@route(
    "/me/bullets",
    "POST",
    summary="Post a point (same uuid again returns the same point)",
    auth="participant",
    status=201,
    body=obj(["group_id", "uuid", "text"], group_id=INT, uuid=STR, text=STR),
    response=BULLET,
)
def post_bullet() -> tuple[Response, int]:
    conf, p = _me()
    data = body()
    b = bullets.post(
        conf,
        p,
        group_id=data.get("group_id"),
        client_uuid=data.get("uuid"),
        text_=data.get("text"),
        per_minute=current_app.config["POINTS_PER_MINUTE"],
    )
    return jsonify(schemas.bullet(b)), 201


@route(
    "/me/bullets/{uuid}",
    "PATCH",
    summary="Edit a point",
    auth="participant",
    body=obj(["text"], text=STR),
    response=BULLET,
)
def edit_bullet(uuid: str) -> Response:
    conf, p = _me()
    b = bullets.edit(conf, p, client_uuid=uuid, text_=body().get("text"))
    return jsonify(schemas.bullet(b))


@route("/me/bullets/{uuid}", "DELETE", summary="Delete a point", auth="participant")
def delete_bullet(uuid: str) -> Response:
    conf, p = _me()
    bullets.delete(conf, p, client_uuid=uuid)
    return jsonify({"ok": True})


@route(
    "/me/groups/{group_id}/reporter",
    "PUT",
    summary="The group leader appoints the reporter",
    auth="participant",
    body=obj(["participant_id", "uuid"], participant_id=NULL_INT, uuid=STR),
)
def appoint_reporter(group_id: int) -> Response:
    conf, p = _me()
    pid = body().get("participant_id")
    if pid is not None and (isinstance(pid, bool) or not isinstance(pid, int)):
        raise ServiceError("invalid", N_("%(field)s must be a whole number."), field="participant_id")
    groups.set_reporter(conf, access.group_in(conf, group_id), pid, by=p, client_uuid=body().get("uuid"))
    return jsonify({"ok": True})


MY_DOTS = obj(["my_dots"], my_dots={"type": "object", "additionalProperties": INT})


@route(
    "/me/votes/dots",
    "POST",
    summary="Place one dot on a cluster (same uuid again places nothing new)",
    auth="participant",
    body=obj(["cluster_id", "uuid"], cluster_id=INT, uuid=STR),
    response=MY_DOTS,
)
def cast_dot() -> Response:
    conf, p = _me()
    data = body()
    return jsonify(
        {"my_dots": votes.cast(conf, p, cluster_id=data.get("cluster_id"), client_uuid=data.get("uuid"))}
    )


@route(
    "/me/votes/retract",
    "POST",
    summary="Take one of your dots back from a cluster (same uuid again takes back nothing more)",
    auth="participant",
    body=obj(["cluster_id", "uuid"], cluster_id=INT, uuid=STR),
    response=MY_DOTS,
)
def retract_dot() -> Response:
    conf, p = _me()
    data = body()
    mine = votes.retract(conf, p, cluster_id=data.get("cluster_id"), client_uuid=data.get("uuid"))
    return jsonify({"my_dots": mine})

"""After the plenaries: the clustering board, the dot vote and the initiative forms."""

from __future__ import annotations

from typing import Any

from flask import Response, g, jsonify

from confapp import schemas
from confapp.api import body, route
from confapp.api.conference_routes import _conf, _int_or_none
from confapp.api.openapi import ANY_OBJ, BOOL, INT, NULL_INT, STR, obj
from confapp.auth import facilitator_required
from confapp.errors import N_, ServiceError
from confapp.export.serve import initiatives_response
from confapp.services import board, initiatives, votes
from confapp.web.responses import message
from confapp.web.templating import current_lang

CLUSTER = obj(
    ["id", "title", "bullet_ids"], id=INT, title=STR, position=INT, bullet_ids={"type": "array", "items": INT}
)
# The form's fields, typed once from the one list of them (schemas.INITIATIVE_FIELDS).
NULL_BOOL = {"type": ["boolean", "null"]}  # a quality check: null is "not assessed"
FORM_FIELDS = {
    name: BOOL if name in initiatives.BOOL_FIELDS else NULL_BOOL if name in initiatives.CHECK_FIELDS else STR
    for name in schemas.INITIATIVE_FIELDS
}
INITIATIVE = obj(
    ["id", "title", "version"],
    id=INT,
    cluster_id=NULL_INT,
    **FORM_FIELDS,
    version=INT,
    source_bullet_ids={"type": "array", "items": INT},
    updated_at={"type": ["string", "null"]},
)
INITIATIVE_VIEW = obj(
    ["initiative", "warnings"], initiative=INITIATIVE, warnings={"type": "array", "items": STR}
)
VOTE = obj(
    ["id", "dots", "state"],
    id=INT,
    dots=INT,
    state=STR,
    opened_at=STR,
    closed_at={"type": ["string", "null"]},
    final_tally={"type": ["object", "null"]},
)
IDS = {"type": "array", "items": INT}


def _by() -> int:
    return int(g.facilitator.id)


def _ids(data: dict[str, Any], key: str) -> list[int]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise ServiceError("invalid", N_("%(field)s must be a list of ids."), field=key)
    return value


def _board(conf_id: int) -> dict[str, Any]:
    conf = _conf(conf_id)
    return {
        "clusters": [schemas.cluster(c) for c in board.clusters(conf)],
        "unclustered": [b.id for b in board.unclustered(conf)],
    }


BOARD = obj(["clusters", "unclustered"], clusters={"type": "array", "items": CLUSTER}, unclustered=IDS)


@route(
    "/conferences/{conference_id}/board",
    "GET",
    summary="The clustering board",
    auth="facilitator",
    response=BOARD,
)
@facilitator_required
def get_board(conference_id: int) -> Response:
    return jsonify(_board(conference_id))


@route(
    "/conferences/{conference_id}/clusters",
    "POST",
    summary="Create a cluster, optionally with cards",
    auth="facilitator",
    status=201,
    body=obj(["title"], title=STR, bullet_ids=IDS),
    response=CLUSTER,
)
@facilitator_required
def create_cluster(conference_id: int) -> tuple[Response, int]:
    data = body()
    c = board.create(_conf(conference_id), data.get("title"), _ids(data, "bullet_ids"), by=_by())
    return jsonify(schemas.cluster(c)), 201


@route(
    "/conferences/{conference_id}/clusters/{cluster_id}",
    "PATCH",
    summary="Rename a cluster",
    auth="facilitator",
    body=obj(["title"], title=STR),
    response=CLUSTER,
)
@facilitator_required
def rename_cluster(conference_id: int, cluster_id: int) -> Response:
    return jsonify(schemas.cluster(board.rename(_conf(conference_id), cluster_id, body().get("title"))))


@route(
    "/conferences/{conference_id}/clusters/{cluster_id}",
    "DELETE",
    summary="Remove a cluster (its cards go back to the unclustered pile)",
    auth="facilitator",
    response=BOARD,
)
@facilitator_required
def delete_cluster(conference_id: int, cluster_id: int) -> Response:
    board.delete_cluster(_conf(conference_id), cluster_id, by=_by())
    return jsonify(_board(conference_id))


@route(
    "/conferences/{conference_id}/clusters/{cluster_id}/merge",
    "POST",
    summary="Merge this cluster into another",
    auth="facilitator",
    body=obj(["into"], into=INT),
    response=CLUSTER,
)
@facilitator_required
def merge_cluster(conference_id: int, cluster_id: int) -> Response:
    target = board.merge(_conf(conference_id), cluster_id, _int_or_none(body(), "into"), by=_by())
    return jsonify(schemas.cluster(target))


@route(
    "/conferences/{conference_id}/clusters/{cluster_id}/split",
    "POST",
    summary="Split some cards off into a new cluster",
    auth="facilitator",
    status=201,
    body=obj(["bullet_ids", "title"], bullet_ids=IDS, title=STR),
    response=CLUSTER,
)
@facilitator_required
def split_cluster(conference_id: int, cluster_id: int) -> tuple[Response, int]:
    data = body()
    c = board.split(_conf(conference_id), cluster_id, _ids(data, "bullet_ids"), data.get("title"), by=_by())
    return jsonify(schemas.cluster(c)), 201


@route(
    "/conferences/{conference_id}/board/move",
    "POST",
    summary="Move a card into a cluster (cluster_id null: back to unclustered)",
    auth="facilitator",
    body=obj(["bullet_id", "cluster_id"], bullet_id=INT, cluster_id=NULL_INT, position=NULL_INT),
    response=BOARD,
)
@facilitator_required
def move_card(conference_id: int) -> Response:
    data = body()
    board.move(
        _conf(conference_id),
        _int_or_none(data, "bullet_id"),
        _int_or_none(data, "cluster_id"),
        _int_or_none(data, "position"),
        by=_by(),
    )
    return jsonify(_board(conference_id))


@route(
    "/conferences/{conference_id}/board/undo",
    "POST",
    summary="Undo your last move on the board",
    auth="facilitator",
    response=obj(["undone"], undone=BOOL),
)
@facilitator_required
def undo_move(conference_id: int) -> Response:
    return jsonify({"undone": board.undo(_conf(conference_id), by=_by())})


@route(
    "/conferences/{conference_id}/board/propose",
    "POST",
    summary="Suggest clusters for the unclustered cards (cold start)",
    auth="facilitator",
    status=201,
    response={"type": "array", "items": CLUSTER},
)
@facilitator_required
def propose_clusters(conference_id: int) -> tuple[Response, int]:
    return jsonify([schemas.cluster(c) for c in board.propose_clusters(_conf(conference_id), by=_by())]), 201


@route(
    "/conferences/{conference_id}/board/suggestions",
    "GET",
    summary="For each unclustered card, its most likely clusters",
    auth="facilitator",
    response={
        "type": "object",
        "additionalProperties": {
            "type": "array",
            "items": obj(["cluster_id", "score"], cluster_id=INT, score={"type": "number"}),
        },
    },
)
@facilitator_required
def card_suggestions(conference_id: int) -> Response:
    return jsonify({str(k): v for k, v in board.suggestions(_conf(conference_id)).items()})


@route(
    "/conferences/{conference_id}/votes",
    "POST",
    summary="Open a dot vote on the clusters",
    auth="facilitator",
    status=201,
    body=obj(["dots"], dots=INT),
    response=VOTE,
)
@facilitator_required
def open_vote(conference_id: int) -> tuple[Response, int]:
    return jsonify(schemas.vote(votes.open_vote(_conf(conference_id), body().get("dots")))), 201


@route(
    "/conferences/{conference_id}/votes/close",
    "POST",
    summary="Close the vote and store the tally",
    auth="facilitator",
    response=VOTE,
)
@facilitator_required
def close_vote(conference_id: int) -> Response:
    return jsonify(schemas.vote(votes.close(_conf(conference_id))))


@route(
    "/conferences/{conference_id}/votes/current",
    "GET",
    summary="The open (or last) vote and its tally",
    auth="facilitator",
    response=obj(["vote", "tally"], vote={"type": ["object", "null"]}, tally=ANY_OBJ),
)
@facilitator_required
def current_vote(conference_id: int) -> Response:
    vote = votes.current(_conf(conference_id))
    return jsonify({"vote": schemas.vote(vote) if vote else None, "tally": votes.tally(vote) if vote else {}})


def _view(initiative: Any) -> dict[str, Any]:
    return {
        "initiative": schemas.initiative(initiative),
        "warnings": [message(w) for w in initiatives.warnings(initiative)],
    }


@route(
    "/conferences/{conference_id}/clusters/{cluster_id}/initiative",
    "POST",
    summary="Make a draft initiative from a cluster",
    auth="facilitator",
    status=201,
    response=INITIATIVE_VIEW,
)
@facilitator_required
def make_initiative(conference_id: int, cluster_id: int) -> tuple[Response, int]:
    return jsonify(_view(initiatives.from_cluster(_conf(conference_id), cluster_id))), 201


@route(
    "/conferences/{conference_id}/initiatives",
    "GET",
    summary="The conference's initiatives",
    auth="facilitator",
    response={"type": "array", "items": INITIATIVE_VIEW},
)
@facilitator_required
def list_initiatives(conference_id: int) -> Response:
    return jsonify([_view(i) for i in initiatives.of_conference(_conf(conference_id))])


@route(
    "/conferences/{conference_id}/initiatives/{initiative_id}",
    "GET",
    summary="One initiative form",
    auth="facilitator",
    response=INITIATIVE_VIEW,
)
@facilitator_required
def get_initiative(conference_id: int, initiative_id: int) -> Response:
    return jsonify(_view(initiatives.get(_conf(conference_id), initiative_id)))


@route(
    "/conferences/{conference_id}/initiatives/{initiative_id}",
    "PATCH",
    summary="Save fields of an initiative form (send the version you started from)",
    auth="facilitator",
    body=obj(["version"], version=INT, **{k: v for k, v in FORM_FIELDS.items() if k != "status"}),
    response=INITIATIVE_VIEW,
)
@facilitator_required
def patch_initiative(conference_id: int, initiative_id: int) -> Response:
    data = body()
    version = data.pop("version", None)
    return jsonify(_view(initiatives.update(_conf(conference_id), initiative_id, data, version=version)))


@route(
    "/conferences/{conference_id}/initiatives/{initiative_id}",
    "DELETE",
    summary="Delete an initiative",
    auth="facilitator",
)
@facilitator_required
def delete_initiative(conference_id: int, initiative_id: int) -> Response:
    initiatives.delete(_conf(conference_id), initiative_id)
    return jsonify({"ok": True})


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@route(
    "/conferences/{conference_id}/initiatives.docx",
    "GET",
    summary="All initiative forms as one Word document",
    auth="facilitator",
    content_type=DOCX,
    response={"type": "string", "format": "binary"},
)
@facilitator_required
def initiatives_docx(conference_id: int) -> Response:
    return initiatives_response(_conf(conference_id), None, lang=current_lang())


@route(
    "/conferences/{conference_id}/initiatives/{initiative_id}.docx",
    "GET",
    summary="One initiative form as a Word document",
    auth="facilitator",
    content_type=DOCX,
    response={"type": "string", "format": "binary"},
)
@facilitator_required
def initiative_docx(conference_id: int, initiative_id: int) -> Response:
    conf = _conf(conference_id)
    return initiatives_response(conf, initiatives.get(conf, initiative_id), lang=current_lang())

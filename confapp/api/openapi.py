"""The OpenAPI 3.1 document, assembled from the routes' own declarations."""

from __future__ import annotations

import re
from typing import Any

_paths: dict[str, dict[str, Any]] = {}

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}


def obj(required: list[str] | None = None, **props: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        schema["required"] = required
    return schema


STR = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
NULL_INT = {"type": ["integer", "null"]}
NULL_STR = {"type": ["string", "null"]}
ANY_OBJ = {"type": "object"}

MEMBER = obj(["id", "name", "role"], id=INT, name=STR, role=STR)
PARTICIPANT = obj(
    ["id", "name", "role"], id=INT, name=STR, role=STR, unit=STR, grade_team=STR, joined=BOOL, removed=BOOL
)
ROUND = obj(
    ["id", "position", "kind", "state"],
    id=INT,
    position=INT,
    kind={"enum": ["group", "plenary"]},
    title=STR,
    question=STR,
    minutes=NULL_INT,
    state={"enum": ["pending", "active", "done"]},
    strategy=STR,
    groups_published=BOOL,
    started_at=NULL_STR,
    ends_at=NULL_STR,
    measure_ids={"type": "array", "items": INT},
    reports_on=NULL_INT,
)
TABLE_MEASURE = {
    "oneOf": [
        {"type": "null"},
        obj(["id", "title", "status"], id=INT, title=STR, status=STR),
    ]
}
GROUP = obj(
    ["id", "round_id", "number", "members"],
    id=INT,
    round_id=INT,
    number=INT,
    leader_id=NULL_INT,
    reporter_id=NULL_INT,
    measure=TABLE_MEASURE,
    members={"type": "array", "items": MEMBER},
)
BULLET = obj(
    ["id", "uuid", "group_id", "text"],
    id=INT,
    uuid=STR,
    round_id=NULL_INT,  # null: sent from the preparation page before the conference
    group_id=NULL_INT,
    text=STR,
    is_plenary_point=BOOL,
    author_id=NULL_INT,
    created_at=NULL_STR,
    updated_at=NULL_STR,
)
NOTE = obj(
    ["id", "uuid", "text"],
    id=INT,
    uuid=STR,
    round_id=INT,
    group_number=NULL_INT,
    text=STR,
    author=STR,
    created_at=NULL_STR,
    updated_at=NULL_STR,
)
CONFERENCE = obj(
    ["id", "title", "level", "status"],
    id=INT,
    title=STR,
    level={"enum": ["municipal", "school"]},
    template=STR,
    purpose=STR,
    held_on=STR,
    status={"enum": ["draft", "running", "finished"]},
    join_code=STR,
    joins_open=BOOL,
    active_round_id=NULL_INT,
    focus_group_number=NULL_INT,
    minute_taker_id=NULL_INT,
    last_seq=INT,
)
CONFERENCE_DETAIL = obj(
    ["conference", "rounds", "warnings", "join_url", "projector_url"],
    conference=CONFERENCE,
    rounds={"type": "array", "items": ROUND},
    warnings={"type": "array", "items": STR},
    join_url=STR,
    projector_url=STR,
)
AGENDA_ITEM = obj(["kind"], kind={"enum": ["group", "plenary"]}, title=STR, question=STR, minutes=NULL_INT)
EVENT = obj(["seq", "type", "data"], conference_id=INT, seq=INT, type=STR, data=ANY_OBJ)
OK = obj(["ok"], ok=BOOL)


def register(
    path: str,
    method: str,
    operation_id: str,
    *,
    summary: str,
    auth: str,
    body: dict[str, Any] | None,
    response: dict[str, Any] | None,
    status: int,
    content_type: str,
    query: list[dict[str, Any]] | None,
) -> None:
    op: dict[str, Any] = {
        "operationId": operation_id,
        "summary": summary,
        "tags": [auth],
        "responses": {
            str(status): {"description": "OK", "content": {content_type: {"schema": response or OK}}},
            "400": {
                "description": "Bad input; nothing changed",
                "content": {"application/json": {"schema": ERROR}},
            },
            "401": {"description": "Not logged in", "content": {"application/json": {"schema": ERROR}}},
            "403": {"description": "Not allowed", "content": {"application/json": {"schema": ERROR}}},
            "404": {"description": "Not found", "content": {"application/json": {"schema": ERROR}}},
            "409": {
                "description": "Conflicts with the current state",
                "content": {"application/json": {"schema": ERROR}},
            },
            "405": {
                "description": "Method not allowed here",
                "content": {"application/json": {"schema": ERROR}},
            },
            "413": {"description": "Request too large", "content": {"application/json": {"schema": ERROR}}},
            "429": {
                "description": "Too many failed attempts; wait a minute",
                "content": {"application/json": {"schema": ERROR}},
            },
        },
    }
    if auth != "public":
        op["security"] = [{"bearer": []}, {"session": []}] if auth == "facilitator" else [{"bearer": []}]
    params = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "integer", "minimum": 1} if name.endswith("_id") else STR,
        }
        for name in _path_params(path)
    ]
    params += query or []
    if params:
        op["parameters"] = params
    if body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    _paths.setdefault(path, {})[method.lower()] = op


_PATH_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _path_params(path: str) -> list[str]:
    """Every `{name}` in the path, also inside a segment (`{initiative_id}.docx`)."""
    return _PATH_PARAM.findall(path)


def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "confapp API",
            "version": "1",
            "description": "Run a dialogue conference. Facilitators authenticate with a personal token "
            "(`Authorization: Bearer cfa_…`) or the console's login session (plus the `X-CSRFToken` header); "
            "phones with the token they got from `POST /api/v1/join`. Errors are "
            '`{"error": {"code", "message"}}` and change nothing.',
        },
        "servers": [{"url": "/"}],
        "paths": {f"/api/v1{p}": ops for p, ops in sorted(_paths.items())},
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            }
        },
    }

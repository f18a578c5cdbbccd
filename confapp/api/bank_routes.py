"""The municipality's experience bank: every school's measures, searched (services/experience_bank.py).

The same service backs the bank's pages (facilitator/bank.py). docs/api.md describes it.
"""

from __future__ import annotations

from dataclasses import asdict

from flask import Response, g, jsonify, request
from flask_babel import gettext as _

from confapp.api import route
from confapp.api.openapi import BOOL, INT, STR, obj
from confapp.auth import facilitator_required
from confapp.services import experience_bank, measures

LINE = obj(
    ["id", "title", "school_id", "school", "status", "pyramid_level", "names_shown"],
    id=INT,
    title=STR,
    school_id=INT,
    school=STR,
    status=STR,
    pyramid_level=STR,
    goal=STR,
    coordinator=STR,
    professions={"type": "array", "items": STR},
    evaluations=INT,
    names_shown=BOOL,
)
COUNTS = {"type": "object", "additionalProperties": INT}
RESULT = obj(
    ["municipality_id", "municipality", "total", "measures"],
    municipality_id=INT,
    municipality=STR,
    total=INT,
    measures={"type": "array", "items": LINE},
    by_status=COUNTS,
    by_level=COUNTS,
    filters={"type": "object", "additionalProperties": STR},
)


def _choice(name: str, values: list[str]) -> dict[str, object]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": {"type": "string", "enum": ["", *values]},
    }


QUERY = [
    {"name": "text", "in": "query", "required": False, "schema": {"type": "string", "maxLength": 200}},
    _choice("level", list(experience_bank.LEVELS)),
    _choice("status", list(measures.STATUSES)),
    _choice("profession", list(experience_bank.PROFESSIONS)),
]


@route("/organisations/{organisation_id}/bank", "GET", auth="facilitator",
       summary="The municipality's experience bank (a school's id: its municipality's): every school's "
       "measures matching the words, pyramid level, status and profession; names as roles for readers "
       "outside the measure's school", response=RESULT, query=QUERY)  # fmt: skip
@facilitator_required
def get_bank(organisation_id: int) -> Response:
    muni = experience_bank.bank(g.facilitator, organisation_id)
    asked = {name: request.args.get(name) for name in ("text", "level", "status", "profession")}
    return jsonify(asdict(experience_bank.search(g.facilitator, muni, translate=_, **asked)))

"""Gathering and building one Word document in this process.

Both the export child (`confapp.export.worker`) and the server's fallback call `build_inline`; the
request is the same one-line dict the server sends the child, so the two paths cannot drift.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from flask_babel import force_locale, gettext

from confapp import db
from confapp.export.forum import build_forum_document
from confapp.export.measures import WHATS, build_measure_document
from confapp.export.overview import build_overview_document
from confapp.models import Conference
from confapp.services import initiatives
from confapp.services.reports import conference_report, initiatives_report
from exports.initiatives import build_initiative, build_initiatives
from exports.report import build_report


def build_inline(request: dict[str, Any]) -> bytes:
    """Gather and build one document in this process (the worker's and the CLI's path)."""
    if request["what"] in WHATS:  # the organisation's measure documents (confapp.export.measures)
        return build_measure_document(request)
    if request["what"] == "overview":  # the school owner's overview (confapp.export.overview)
        return build_overview_document(request)
    if request["what"] == "forum":  # the strategy forum's agenda and minutes (confapp.export.forum)
        return build_forum_document(request)
    conf = db.get(Conference, request["conference_id"])
    if conf is None:
        raise LookupError(f"no conference {request['conference_id']}")
    lang = request.get("lang", "nb")
    if request["what"] == "report":
        data = conference_report(conf)
        if data.template_label:
            with force_locale(lang):
                data = dataclasses.replace(data, template_label=gettext(data.template_label))
        return build_report(data, lang)
    only = initiatives.get(conf, request["initiative_id"]) if "initiative_id" in request else None
    gathered = initiatives_report(conf, only)
    if only is not None:
        return build_initiative(gathered, 0, lang)
    return build_initiatives(gathered, lang)

"""Downloads of the measure documents, and the calendar feed that Outlook and Google subscribe to.

The steering group's downloads (status report, årshjul, calendar, a measure's dossier) need a login and
hold the measures that facilitator may see, as the measures list does. The feed needs no login, since a
calendar program cannot log in: its address carries the organisation's own calendar key, and a wrong
key is a plain 404. The feed names nobody (`with_names=False`): it travels further than the school.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, url_for
from flask_login import login_required
from werkzeug.wrappers import Response as WResponse

from confapp.errors import ServiceError
from confapp.export import measures as measure_export
from confapp.export.serve import download, measure_document_bytes
from confapp.models import Organisation
from confapp.services import organisations
from confapp.web.public_url import external_url
from confapp.web.responses import message
from confapp.web.templating import current_lang
from facilitator.views import _me, bp

ICS = "text/calendar; charset=utf-8"


def _file(request: dict[str, Any], name: str, mimetype: str | None = None) -> Response | WResponse:
    """Build through the export child; a failure is flashed on the page the link was on."""
    back = (
        url_for("facilitator.measure", measure_id=request["measure_id"])
        if "measure_id" in request
        else (url_for("facilitator.measure_list"))
    )
    try:
        data = measure_document_bytes({**request, "lang": current_lang()})
    except ServiceError as exc:
        flash(message(exc), "error")
        return redirect(back)
    return download(data, name, mimetype) if mimetype else download(data, name)


def _mine(what: str, **extra: Any) -> dict[str, Any]:
    org = organisations.default()
    return {"what": what, "organisation_id": org.id, "facilitator_id": _me().id, **extra}


@bp.app_template_global()
def calendar_feed_url(org: Organisation) -> str:
    """The feed's address for the measures list (its key is made the first time it is shown)."""
    return external_url("facilitator.calendar_feed", key=measure_export.calendar_key(org))


@bp.get("/measures/status-report.docx")
@login_required
def measures_status_report() -> Response | WResponse:
    return _file(_mine("status"), f"statusrapport-{measure_export.today().isoformat()}.docx")


@bp.get("/measures/annual-calendar.docx")
@login_required
def measures_annual_calendar() -> Response | WResponse:
    return _file(_mine("annual"), f"årshjul-{measure_export.today().isoformat()}.docx")


@bp.get("/measures/calendar.ics")
@login_required
def measures_calendar() -> Response | WResponse:
    return _file(_mine("calendar"), "årshjul.ics", ICS)


@bp.get("/measures/<int:measure_id>/dossier.docx")
@login_required
def measure_dossier(measure_id: int) -> Response | WResponse:
    org = organisations.default()
    try:
        m = measure_export.measure_of(org, measure_id, _me())
    except ServiceError:
        abort(404)
    return _file(
        _mine("dossier", measure_id=m.id), f"tiltak-{m.id}-mappe-{measure_export.today().isoformat()}.docx"
    )


@bp.get("/calendar/<key>.ics")
def calendar_feed(key: str) -> Response:
    """The subscription: every measure's milestones and the conferences, no names, no login."""
    try:
        org = measure_export.by_calendar_key(key)
    except ServiceError:
        abort(404)
    try:
        data = measure_document_bytes(
            {"what": "calendar", "organisation_id": org.id, "lang": current_lang(), "with_names": False}
        )
    except ServiceError:
        abort(503)
    response = Response(data, mimetype=ICS)
    # Calendar programs poll: let them revalidate, and keep the key out of shared caches and referrers.
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response

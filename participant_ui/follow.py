"""Pages for people without an account after the conference: the coordinator's log through a personal
link scoped to one measure, and the organisation's public status page (no names on it).

Both are reached by an unguessable key in the address; a wrong or revoked key shows "not found".
"""

from __future__ import annotations

import uuid
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WResponse

from confapp.errors import ServiceError
from confapp.services import measure_log, measures, organisations
from confapp.web.responses import message
from participant_ui.views import bp


@bp.get("/log/<token>")
def coordinator_log(token: str) -> str:
    try:
        _link, m = measure_log.by_token(token)
    except ServiceError:
        abort(404)
    return render_template(
        "participant/coordinator_log.html",
        m=m,
        token=token,
        status=measures.STATUS_LABELS[m.status],
        entries=list(reversed(measure_log.entries(m))),
        client_uuid=uuid.uuid4(),  # one per form shown: a resent form adds no second entry
        today=date.today().isoformat(),
    )


@bp.post("/log/<token>")
def coordinator_log_add(token: str) -> WResponse:
    form = request.form
    try:
        measure_log.add_entry(
            token,
            client_uuid=form.get("client_uuid"),
            happened_on=form.get("happened_on"),
            done=form.get("done"),
            who=form.get("who", ""),
            learned=form.get("learned", ""),
        )
    except ServiceError as exc:
        if exc.status == 404:
            abort(404)
        flash(message(exc), "error")
    else:
        flash(_("Saved in the log."), "ok")
    return redirect(url_for("participant.coordinator_log", token=token))


@bp.get("/status/<key>")
def status_page(key: str) -> str:
    """Every measure with its status and progress; titles and dates only, never a person's name."""
    try:
        org = organisations.by_public_key(key)
    except ServiceError:
        abort(404)
    rows = [
        {
            "title": m.title,
            "status": measures.STATUS_LABELS[m.status],
            "code": m.status,
            "progress": measures.PROGRESS[m.status],
            "trial": (m.trial_start, m.trial_end),
            "log_count": len(measure_log.entries(m)),
            "next": next((x["on"] for x in measures.milestones(m) if x["on"] >= date.today()), None),
        }
        for m in measures.of_organisation(org)
    ]
    return render_template("participant/status_page.html", org=org, rows=rows)

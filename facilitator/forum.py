"""The strategy forum's pages: a municipality's agenda (open escalations, oldest first, each with the
decide and postpone forms) with the minutes below; a school's own escalations and the form to send a
question; the escalate form on the measure page; the agenda and minutes as Word.

Each view parses the form, calls one service, and redirects back with the outcome as a flash message.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response as WResponse

from confapp import db
from confapp.errors import ServiceError
from confapp.export.serve import download, forum_bytes
from confapp.models import Conference, Escalation, Organisation, Round
from confapp.services import forum, measures, memberships
from confapp.web.responses import message
from confapp.web.templating import current_lang
from facilitator.views import _me, bp


def _org(org_id: int) -> Organisation:
    try:
        return forum.readable(_me(), org_id)
    except ServiceError:
        abort(404)


def _escalation(escalation_id: int, action: str = "forum.read") -> Escalation:
    try:
        return forum.get(_me(), escalation_id, action)
    except ServiceError as exc:
        abort(exc.status)


def _act(back: str, action: Callable[[], object], done: str) -> WResponse:
    """Run one service call; its error or `done` is flashed, and the page `back` shown again."""
    try:
        action()
    except ServiceError as exc:
        flash(message(exc), "error")
    else:
        flash(done, "ok")
    return redirect(back)


def _runnable_rounds(org: Organisation) -> list[Round]:
    """The municipal group rounds this person runs, to take a question as the groups' question."""
    me = _me()
    return [
        r
        for r in forum.question_rounds(org)
        if memberships.can(me, "conference.run", db.session.get(Conference, r.conference_id))
    ]


@bp.get("/organisations/<int:org_id>/forum")
@login_required
def forum_page(org_id: int) -> str:
    org = _org(org_id)
    municipal = org.kind == "municipality"
    return render_template(
        "facilitator/forum.html",
        org=org,
        municipal=municipal,
        agenda=forum.agenda(org) if municipal else [],
        minutes=forum.minutes(org) if municipal else [],
        sent=[] if municipal else forum.of_school(org),
        decides=memberships.can(_me(), "forum.decide", org),
        escalates=memberships.can(_me(), "forum.escalate", org),
        rounds=_runnable_rounds(org) if municipal else [],
        round_label=forum.round_label,
        taken_up_in=forum.taken_up_in,
        school_name=forum.school_name,
        measure_title=forum.measure_title,
        status_labels=forum.STATUS_LABELS,
        text_max=forum.TEXT_MAX,
    )


@bp.post("/organisations/<int:org_id>/forum/questions")
@login_required
def forum_question(org_id: int) -> WResponse:
    org = _org(org_id)
    return _act(
        url_for("facilitator.forum_page", org_id=org.id),
        lambda: forum.escalate_question(_me(), org, request.form.get("text")),
        _("Sent to the strategy forum. It stays on the agenda until the forum has decided."),
    )


@bp.post("/measures/<int:measure_id>/escalate")
@login_required
def measure_escalate(measure_id: int) -> WResponse:
    try:
        m = measures.get_for(_me(), measure_id, "measure.escalate")
    except ServiceError as exc:
        abort(exc.status)
    return _act(
        url_for("facilitator.measure", measure_id=m.id),
        lambda: forum.escalate_measure(_me(), m, request.form.get("text")),
        _("Sent to the strategy forum. It stays on the agenda until the forum has decided."),
    )


@bp.post("/escalations/<int:escalation_id>/decide")
@login_required
def escalation_decide(escalation_id: int) -> WResponse:
    e, form = _escalation(escalation_id, "forum.decide"), request.form
    return _act(
        url_for("facilitator.forum_page", org_id=e.forum_id) + f"#escalation-{e.id}",
        lambda: forum.decide(
            _me(), e, form.get("decision"), form.get("follow_up"), form.get("follow_up_due")
        ),
        _("The decision is in the minutes, and the school sees it."),
    )


@bp.post("/escalations/<int:escalation_id>/postpone")
@login_required
def escalation_postpone(escalation_id: int) -> WResponse:
    e = _escalation(escalation_id, "forum.decide")
    return _act(
        url_for("facilitator.forum_page", org_id=e.forum_id) + f"#escalation-{e.id}",
        lambda: forum.postpone(_me(), e, request.form.get("reason")),
        _("Postponed: it stays on the agenda in its place."),
    )


@bp.post("/escalations/<int:escalation_id>/question")
@login_required
def escalation_question(escalation_id: int) -> WResponse:
    e = _escalation(escalation_id)
    rnd = db.get(Round, request.form.get("round_id"))
    if rnd is None:
        abort(404)
    return _act(
        url_for("facilitator.forum_page", org_id=e.forum_id) + f"#escalation-{e.id}",
        lambda: forum.use_as_question(_me(), e, rnd),
        _("The question is now the groups' question in %(round)s.", round=forum.round_label(rnd)),
    )


@bp.get("/organisations/<int:org_id>/forum.docx")
@login_required
def forum_docx(org_id: int) -> Response | WResponse:
    org = _org(org_id)
    if org.kind != "municipality":
        abort(404)
    try:
        data = forum_bytes(org, current_lang())
    except ServiceError as exc:
        flash(message(exc), "error")
        return redirect(url_for("facilitator.forum_page", org_id=org.id))
    return download(data, "strategisk-forum.docx")

"""The steering group's pages for measures after the conference: the list per organisation and one
measure's page (plan, guide's advice, milestones, status steps, coordinator's links, evaluation, timeline).

Each view parses the form, calls one service, and redirects back with the outcome as a flash message.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response as WResponse

from confapp import db
from confapp.errors import ServiceError
from confapp.models import Conference, Measure
from confapp.services import forum, measure_log, measures, memberships, organisations
from confapp.web.public_url import external_url
from confapp.web.responses import message
from facilitator.views import _me, bp


def _measure(measure_id: int, action: str = "measure.view") -> Measure:
    try:
        return measures.get_for(_me(), measure_id, action)
    except ServiceError as exc:
        abort(exc.status)


def _act(m: Measure, action: Callable[[], object], done: Callable[[object], str]) -> WResponse:
    """Run one service call; its error or `done(result)` is flashed, and the measure page shown again."""
    try:
        result = action()
    except ServiceError as exc:
        flash(message(exc), "error")
    else:
        flash(done(result), "ok")
    return redirect(url_for("facilitator.measure", measure_id=m.id))


@bp.get("/measures")
@login_required
def measure_list() -> str:
    org = organisations.default()
    return render_template(
        "facilitator/measures.html",
        org=org,
        measures=measures.of_organisation(org, _me()),
        labels=measures.STATUS_LABELS,
        progress=measures.PROGRESS,
        rules=measures.rules,
        public_url=external_url("participant.status_page", key=org.public_key),
    )


@bp.get("/measures/<int:measure_id>")
@login_required
def measure(measure_id: int) -> str:
    m = _measure(measure_id)
    return render_template(
        "facilitator/measure.html",
        m=m,
        labels=measures.STATUS_LABELS,
        next_steps=[s for s in measures.TRANSITIONS[m.status] if s != "evaluated"],
        rules=[(note.code, message(note)) for note in measures.rules(m)],
        milestones=measures.milestones(m),
        timeline=list(reversed(measures.timeline(m))),
        links=measure_log.links(m),
        progress=measures.PROGRESS[m.status],
        escalations=forum.of_measure(m),  # to the strategy forum (facilitator/forum.py)
        escalation_labels=forum.STATUS_LABELS,
        escalation_max=forum.TEXT_MAX,
        has_forum=memberships.organisation_of(m).parent_id is not None,  # a school with a municipality
        # The plan is edited on the conference's initiative page: only its facilitators run it.
        edits_plan=m.conference_id is not None
        and memberships.can(_me(), "conference.run", db.session.get(Conference, m.conference_id)),
    )


@bp.post("/measures/<int:measure_id>/status")
@login_required
def measure_status(measure_id: int) -> WResponse:
    m = _measure(measure_id, "measure.decide")
    form = request.form
    return _act(
        m,
        lambda: measures.change_status(
            m,
            form.get("to"),
            actor=_me().name,
            reason=form.get("reason", ""),
            decided_on=form.get("decided_on") or None,
            decision_note=form.get("decision_note"),
            trial_start=form.get("trial_start") or None,
            trial_end=form.get("trial_end") or None,
        ),
        lambda _event: _("Status changed to: %(status)s", status=_(measures.STATUS_LABELS[m.status])),
    )


@bp.post("/measures/<int:measure_id>/links")
@login_required
def measure_link_create(measure_id: int) -> WResponse:
    """A new personal log link; its address is shown once, here, and never stored."""
    m = _measure(measure_id, "measure.decide")
    return _act(
        m,
        lambda: measure_log.create_link(m, request.form.get("holder", ""))[1],
        lambda token: _(
            "Give this link to the coordinator; it is shown only now: %(url)s",
            url=external_url("participant.coordinator_log", token=token),
        ),
    )


@bp.post("/measures/<int:measure_id>/links/<int:link_id>/revoke")
@login_required
def measure_link_revoke(measure_id: int, link_id: int) -> WResponse:
    m = _measure(measure_id, "measure.decide")
    return _act(m, lambda: measure_log.revoke_link(m, link_id), lambda _link: _("The link no longer works."))


@bp.post("/measures/<int:measure_id>/evaluation")
@login_required
def measure_evaluate(measure_id: int) -> WResponse:
    m = _measure(measure_id, "measure.log")
    form = request.form
    return _act(
        m,
        lambda: measure_log.evaluate(
            m,
            actor=_me().name,
            held_on=form.get("held_on"),
            what_works=form.get("what_works"),
            what_to_adjust=form.get("what_to_adjust"),
            daily_operation=form.get("daily_operation"),
            trial_people=form.get("trial_people"),
            others=form.get("others", ""),
        ),
        lambda _evaluation: _("The evaluation is saved. The steering group makes the final decision."),
    )

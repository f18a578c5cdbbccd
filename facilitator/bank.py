"""The experience bank's pages: the search over every school's measures of a municipality, one bank
measure (plan, evaluations, status, timeline, names as roles for readers outside its school), and
attaching it to one of the facilitator's conferences as preparation material.

Who may read is `memberships.can(…, "bank.read", …)` (services/experience_bank.py); anyone else gets
a plain 404, as for the school owner's overview.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response as WResponse

from confapp.errors import ServiceError
from confapp.models import Organisation
from confapp.services import (
    access,
    experience_bank,
    measures,
    memberships,
    organisations,
    preparation,
    school_owner,
)
from confapp.web.responses import message
from facilitator.views import _me, bp

FILTERS = ("text", "level", "status", "profession")


def _bank(org_id: int) -> Organisation:
    try:
        return experience_bank.bank(_me(), org_id)
    except ServiceError:
        abort(404)


@bp.app_template_global()
def bank_of(org: Organisation) -> Organisation | None:
    """For the overview's link: the municipality whose bank this organisation's people read."""
    return experience_bank.municipality_of(org)


@bp.app_template_global()
def my_banks() -> list[Organisation]:
    """For the dashboard's links: the banks this person reads, one per municipality."""
    found = {m.id: m for o in organisations.of_person(_me()) if (m := experience_bank.municipality_of(o))}
    return [m for m in found.values() if memberships.can(_me(), "bank.read", m)]


def _labels() -> dict[str, Any]:
    return {
        "status_labels": measures.STATUS_LABELS,
        "pyramid_labels": school_owner.PYRAMID_LABELS,
        "professions": {key: label for key, (label, _pattern) in experience_bank.PROFESSIONS.items()},
        "levels": experience_bank.LEVELS,
        "statuses": measures.STATUSES,
    }


@bp.get("/organisations/<int:org_id>/bank")
@login_required
def bank(org_id: int) -> tuple[str, int] | str:
    muni = _bank(org_id)
    asked = {name: request.args.get(name, "") for name in FILTERS}
    try:
        result = experience_bank.search(_me(), muni, translate=_, **asked)
    except ServiceError as exc:
        return render_template("facilitator/bank.html", org=muni, result=None, asked=asked,
                               error=message(exc), **_labels()), 400  # fmt: skip
    return render_template(
        "facilitator/bank.html", org=muni, result=result, asked=asked, error=None, **_labels()
    )


@bp.get("/organisations/<int:org_id>/bank/<int:measure_id>")
@login_required
def bank_measure(org_id: int, measure_id: int) -> str:
    muni = _bank(org_id)
    try:
        seen = experience_bank.view(_me(), muni, measure_id, translate=_)
    except ServiceError:
        abort(404)
    return render_template(
        "facilitator/bank_measure.html",
        org=muni,
        b=seen,
        conferences=experience_bank.conferences_to_prepare(_me(), muni),
        back=url_for(
            "facilitator.bank", org_id=muni.id, **{k: v for k, v in request.args.items() if k in FILTERS}
        ),
        **_labels(),
    )


@bp.post("/organisations/<int:org_id>/bank/<int:measure_id>/attach")
@login_required
def bank_attach(org_id: int, measure_id: int) -> WResponse:
    """Attach the bank example to one of the facilitator's conferences (its preparation page)."""
    muni = _bank(org_id)
    here = url_for("facilitator.bank_measure", org_id=muni.id, measure_id=measure_id)
    try:
        conf = access.conference_for(_me(), request.form.get("conference_id"), "conference.run")
        preparation.add_attachment(conf, _me(), measure_id=measure_id)
    except ServiceError as exc:
        flash(_("Nothing was attached. %(problem)s", problem=message(exc)), "error")
        return redirect(here)
    flash(_("Attached to the preparation page of %(title)s.", title=conf.title), "ok")
    return redirect(here)

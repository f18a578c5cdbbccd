"""The school owner's overview page: every school's measures by status with the guide's flags, the
counts per school, the chart (pyramid level by status, an SVG drawn here: no script, no library), the
year's conference plan per school, and the Word download.

Read access is `organisations.can_read` alone; anyone else gets a plain 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response as WResponse

from confapp.errors import ServiceError
from confapp.export.serve import download, overview_bytes
from confapp.models import Organisation, OrganisationKind
from confapp.services import measures, organisations, school_owner
from confapp.services.agenda_templates import TEMPLATES
from confapp.web.responses import message
from confapp.web.templating import current_lang
from facilitator.views import _me, bp

BAR_AREA = 420  # the SVG's width for the longest bar, in its own units (it scales to the page)


@dataclass(frozen=True)
class Segment:
    status: str
    count: int
    x: float
    width: float


def _readable(org_id: int) -> Organisation:
    try:
        return organisations.readable(_me(), org_id)
    except ServiceError:
        abort(404)


def _year() -> int:
    value = request.args.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else date.today().year


def bars(chart: dict[str, dict[str, int]]) -> list[tuple[str, int, list[Segment]]]:
    """One stacked bar per pyramid level: (level, total, segments in the lifecycle's order)."""
    longest = max((sum(row.values()) for row in chart.values()), default=0) or 1
    rows = []
    for level in school_owner.PYRAMID:
        row = chart.get(level, {})
        x, segments = 0.0, []
        for status in measures.STATUSES:
            if count := row.get(status, 0):
                width = BAR_AREA * count / longest
                segments.append(Segment(status, count, x, width))
                x += width
        if level or segments:  # "not placed" only when some measure is
            rows.append((level, sum(row.values()), segments))
    return rows


@bp.app_template_global()
def my_organisations() -> list[Organisation]:
    """For the dashboard's links to the overview."""
    return organisations.of_person(_me())


@bp.get("/organisations/<int:org_id>/overview")
@login_required
def overview(org_id: int) -> str:
    org = _readable(org_id)
    year = _year()
    view = school_owner.overview(org)
    holders = [organisations.get(s.id) for s in view.schools]
    plans = {
        o.id: school_owner.conference_plan(o, year) for o in holders if o.kind == OrganisationKind.SCHOOL
    }
    return render_template(
        "facilitator/overview.html",
        org=org,
        view=view,
        year=year,
        plans=plans,
        bars=bars(view.chart),
        bar_area=BAR_AREA,
        statuses=measures.STATUSES,
        status_labels=measures.STATUS_LABELS,
        flag_labels=school_owner.FLAGS,
        pyramid_labels=school_owner.PYRAMID_LABELS,
        plan_states=school_owner.PLAN_STATES,
        templates=TEMPLATES,
    )


@bp.get("/organisations/<int:org_id>/overview.docx")
@login_required
def overview_docx(org_id: int) -> Response | WResponse:
    org = _readable(org_id)
    year = _year()
    try:
        data = overview_bytes(org, year, current_lang())
    except ServiceError as exc:
        flash(message(exc), "error")
        return redirect(url_for("facilitator.overview", org_id=org.id, year=year))
    return download(data, f"skoleeiers-oversikt-{year}.docx")

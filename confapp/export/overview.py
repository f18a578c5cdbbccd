"""Gathering the school owner's overview: `services.school_owner` as `exports.overview_data`, then built.

A request is the same one-line dict as the other exports (`confapp.export.build`):
    {"what": "overview", "organisation_id": 1, "year": 2026, "lang": "nb"}
Who may read the organisation is checked by the caller (the page) before the request is made.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from confapp import db
from confapp.export.measures import today
from confapp.models import Organisation
from confapp.services import measures, organisations, school_owner
from exports.overview import build_overview
from exports.overview_data import OverviewMeasure, OverviewReport, PlanStepData, SchoolData


def gather(org: Organisation, *, year: int | None = None, as_of: date | None = None) -> OverviewReport:
    as_of = as_of or today()
    year = year or as_of.year
    view = school_owner.overview(org, as_of=as_of)
    schools = []
    for school in view.schools:
        holder = organisations.get(school.id)
        plan = (
            [PlanStepData(p.template, p.state, p.title, p.held_on)
             for p in school_owner.conference_plan(holder, year)]
            if holder.kind == "school" else []
        )  # fmt: skip
        schools.append(SchoolData(
            name=school.name,
            measures=[OverviewMeasure(m.title, m.status, m.pyramid_level, m.coordinator, list(m.flags))
                      for m in school.measures],
            with_coordinator=school.with_coordinator,
            with_forum=school.with_forum,
            plan=plan,
        ))  # fmt: skip
    return OverviewReport(
        organisation=org.name,
        as_of=as_of,
        year=year,
        schools=schools,
        statuses=list(measures.STATUSES),
        chart=view.chart,
    )


def build_overview_document(request: dict[str, Any]) -> bytes:
    org = db.session.get(Organisation, request["organisation_id"])
    if org is None:
        raise LookupError(f"no organisation {request['organisation_id']}")
    return build_overview(gather(org, year=request.get("year")), request.get("lang", "nb"))

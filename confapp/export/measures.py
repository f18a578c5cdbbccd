"""Gathering the measure documents: the organisation's measures as `exports.measure_data`, then built.

The dossier, the steering group's status report, the årshjul and the calendar feed are all made from
one `MeasuresReport` (exports/README.md says what the builders expect of it). A request is the same
one-line dict the export child receives (`confapp.export.build.build_inline` hands it here), so the
server, the worker and the CLI cannot drift:

    {"what": "status" | "dossier" | "annual" | "calendar", "organisation_id": 1, "lang": "nb",
     "facilitator_id": 3 (only their measures; absent for the CLI and the feed),
     "measure_id": 7 (dossier), "with_names": false (calendar)}

Milestone ids are stable across exports (the .ics UIDs are made from them): the trial's start and
planned end are "trial-start"/"trial-end" whatever their dates, a dated plan line is its text's hash,
so moving a date updates the subscribed event instead of adding a second one.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import force_locale, gettext
from sqlalchemy import select

from confapp import db
from confapp.errors import N_, NotFound
from confapp.models import (
    Conference,
    Facilitator,
    Group,
    Measure,
    MeasureEvaluation,
    MeasureLogEntry,
    Organisation,
)
from confapp.services import measures, organisations
from confapp.web.responses import message
from exports.annual_calendar import build_annual_calendar, build_calendar_ics
from exports.measure_data import (
    EvaluationData,
    LogEntryData,
    MeasureData,
    MeasuresReport,
    MilestoneData,
    PlannedConferenceData,
    SourcePointData,
    StatusChangeData,
)
from exports.measures import build_dossier, build_status_report

# The schools are in Norway: "today" and the history's days are Norwegian days, not UTC ones.
LOCAL = ZoneInfo("Europe/Oslo")
WHATS = ("status", "dossier", "annual", "calendar")
# The six-field plan and its checks: the same names on the model and on `MeasureData`.
PLAN_FIELDS = (
    "title", "goal", "content", "coordinator", "main_arena", "main_arena_other", "participants", "timeframe",
    "pyramid_level", "multi_professional", "lasting", "all_pupils",
)  # fmt: skip
# When a milestone counts as reached: the trial has started / ended once the measure got that far.
_REACHED = {
    "trial_start": {"in_trial", "evaluated", "daily_operation", "adjusted"},
    "trial_end": {"evaluated", "daily_operation"},
    "plan": {"evaluated", "daily_operation"},
}


def today() -> date:
    return datetime.now(LOCAL).date()


def organisation_of(conf: Conference) -> Organisation:
    """The organisation holding a conference: its own, else the one owning its measures, else the
    installation's (conferences from before migration 0010 name none)."""
    owner = conf.organisation_id or db.session.scalar(
        select(Measure.organisation_id)
        .where(Measure.conference_id == conf.id, Measure.organisation_id.is_not(None))
        .order_by(Measure.id)
        .limit(1)
    )
    org = db.session.get(Organisation, owner) if owner is not None else None
    return org if org is not None else organisations.default()


def calendar_key(org: Organisation) -> str:
    """The feed's key, made on first use: unguessable, and not the public status page's key."""
    if not org.calendar_key:
        with db.transaction():
            org.calendar_key = secrets.token_urlsafe(24)
    return org.calendar_key


def uid_domain(org: Organisation) -> str:
    """The calendar UIDs' domain: one per organisation and installation, stable while its feed key is
    (a server's address changes with the hall's network), and revealing nothing of the key."""
    return hashlib.sha256(calendar_key(org).encode()).hexdigest()[:16] + ".confapp"


def by_calendar_key(key: str | None) -> Organisation:
    """The organisation behind a feed address; a wrong key finds nothing, with no hint why."""
    org = db.session.scalar(select(Organisation).where(Organisation.calendar_key == key)) if key else None
    if org is None:
        raise NotFound("not_found", N_("No such calendar."))
    return org


def measure_of(org: Organisation, measure_id: Any, facilitator: Facilitator | None = None) -> Measure:
    """One measure of this organisation (and, with a facilitator, one they may see), else 'not found'."""
    m = db.session.get(Measure, measure_id) if str(measure_id).isdigit() else None
    if m is None or m.organisation_id != org.id:
        raise NotFound("not_found", N_("The organisation has no measure with id %(id)s."), id=measure_id)
    if facilitator is not None:
        m = measures.get_for(facilitator, m.id)
    return m


def gather(
    org: Organisation, lang: str = "nb", *, facilitator: Facilitator | None = None, as_of: date | None = None
) -> MeasuresReport:
    """The organisation's measures (a facilitator's: those they may see) and its conferences."""
    with force_locale(lang):
        found = [_measure(m) for m in measures.of_organisation(org, facilitator)]
    return MeasuresReport(
        organisation=org.name,
        as_of=as_of or today(),
        measures=found,
        conferences=[
            PlannedConferenceData(id=c.id, title=c.title, held_on=c.held_on)
            for c in _conferences(org, facilitator)
        ],
        level="municipal" if org.kind == "municipality" else "school",
    )


def build_measure_document(request: dict[str, Any]) -> bytes:
    """Gather and build one measure document (the worker's, the server's and the CLI's path)."""
    org = db.session.get(Organisation, request["organisation_id"])
    if org is None:
        raise LookupError(f"no organisation {request['organisation_id']}")
    lang = request.get("lang", "nb")
    who = request.get("facilitator_id")
    facilitator = db.session.get(Facilitator, who) if who is not None else None
    report = gather(org, lang, facilitator=facilitator)
    what = request["what"]
    if what == "status":
        return build_status_report(report, lang)
    if what == "dossier":
        index = [str(m.id) for m in report.measures].index(str(request["measure_id"]))
        return build_dossier(report, index, lang)
    if what == "annual":
        return build_annual_calendar(report, lang, first_month=school_year_start(report.as_of))
    if what == "calendar":
        return build_calendar_ics(
            report,
            lang,
            uid_domain=uid_domain(org),
            with_names=bool(request.get("with_names", False)),
        )
    raise ValueError(f"unknown measure document {what!r}")


def school_year_start(day: date) -> date:
    """1 August of the school year `day` falls in: the årshjul shows that school year."""
    return date(day.year if day.month >= 8 else day.year - 1, 8, 1)


def _measure(m: Measure) -> MeasureData:
    return MeasureData(
        id=m.id,
        status=m.status,
        **{name: getattr(m, name) for name in PLAN_FIELDS},
        milestones=_milestones(m),
        history=[
            StatusChangeData(
                at=e.created_at.astimezone(LOCAL),
                from_status=e.from_status,
                to_status=e.to_status,
                by=e.actor,
                reason=e.reason,
                decision_note=str(e.details.get("decision_note", "")),
            )
            for e in measures.history(m)
        ],
        log=[
            LogEntryData(on=e.happened_on, what=e.done, who=e.who, learned=e.learned)
            for e in db.session.scalars(
                select(MeasureLogEntry)
                .where(MeasureLogEntry.measure_id == m.id)
                .order_by(MeasureLogEntry.happened_on, MeasureLogEntry.id)
            )
        ],
        evaluations=[
            EvaluationData(
                on=e.held_on,
                works=e.what_works,
                adjust=e.what_to_adjust,
                daily_operation=e.daily_operation,
                participants=", ".join(p for p in (e.trial_people, e.others) if p),
            )
            for e in db.session.scalars(
                select(MeasureEvaluation)
                .where(MeasureEvaluation.measure_id == m.id)
                .order_by(MeasureEvaluation.held_on, MeasureEvaluation.id)
            )
        ],
        sources=[_source(b.text, b.conference_id, b.group_id) for b in measures.sources(m)],
        warnings=[message(note) for note in measures.rules(m)],
    )


def _milestones(m: Measure) -> list[MilestoneData]:
    names = {"trial_start": gettext("Start of the trial"), "trial_end": gettext("Planned end of the trial")}
    out: list[MilestoneData] = []
    seen: dict[str, int] = {}
    for item in measures.milestones(m):
        kind = item["kind"]
        if kind == "plan":
            digest = hashlib.sha256(item["text"].strip().casefold().encode()).hexdigest()[:12]
            seen[digest] = seen.get(digest, 0) + 1  # the same line twice: two milestones, two ids
            ident = f"plan-{digest}" + (f"-{seen[digest]}" if seen[digest] > 1 else "")
        else:
            ident = kind.replace("_", "-")
        out.append(
            MilestoneData(
                id=ident,
                title=item["text"] if kind == "plan" else names[kind],
                due=item["on"],
                done=m.status in _REACHED[kind],
            )
        )
    return out


def _source(text: str, conference_id: int, group_id: int | None) -> SourcePointData:
    conf = db.session.get(Conference, conference_id)
    group = db.session.get(Group, group_id) if group_id is not None else None
    return SourcePointData(
        text=text,
        conference_title=conf.title if conf else "",
        held_on=conf.held_on if conf else None,
        table_number=group.number if group else None,
    )


def _conferences(org: Organisation, facilitator: Facilitator | None) -> list[Conference]:
    """The organisation's conferences (`organisation_of` each); a facilitator sees the ones they run."""
    every = db.session.scalars(select(Conference).order_by(Conference.held_on, Conference.id))
    found = [c for c in every if organisation_of(c).id == org.id]
    if facilitator is not None:
        found = [c for c in found if facilitator in c.facilitators]
    return found

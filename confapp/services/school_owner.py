"""The school owner's level: the guide's conference plan per school and year, and the overview of
every school's measures with the guide's flags, the evaluation's counts and a chart's numbers.

Read-only and computed from the conferences and measures as they are; nothing is stored. Who may
read an organisation is `organisations.can_read` (the caller checks it, as for every read).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from confapp.errors import N_
from confapp.models import Conference, ConferenceStatus, Measure, Organisation, OrganisationKind
from confapp.services import measures, organisations
from confapp.services.agenda_templates import TEMPLATES

# The guide's series (DOMAIN.md "The conference series"), in the order it is held. Municipal steps are
# the municipality's conferences, school steps the school's own.
PLAN = (
    "dk1_municipal",
    "dk1_school",
    "dk2_municipal",
    "dk2_school",
    "dk3_municipal",
    "dk3_school",
    "closing",
)
PLAN_STATES = {"held": N_("Held"), "planned": N_("Planned"), "missing": N_("Missing")}

# The development-cycle issue's flags, in the order the overview shows them; all but the time frame
# are codes of `measures.rules`. "No time frame": neither a time-frame text nor trial dates.
FLAGS = {
    "no_coordinator": N_("No coordinator"),
    "coordinator_is_leader": N_("Coordinator is the grade-team leader"),
    "no_arena": N_("No arena"),
    "not_multi_professional": N_("Not multi-professional"),
    "no_time_frame": N_("No time frame"),
    "not_all_pupils": N_("Aimed at individual pupils"),
}
PYRAMID = ("preventive", "early", "individual", "")
PYRAMID_LABELS = {
    "preventive": N_("Preventive work"),
    "early": N_("Early intervention"),
    "individual": N_("Individual follow-up"),
    "": N_("Not placed"),
}


@dataclass(frozen=True)
class PlanStep:
    template: str
    level: str
    label: str  # the template's (English) label, translated by the caller
    state: str  # held | planned | missing
    conference_id: int | None = None
    title: str = ""
    held_on: date | None = None


@dataclass(frozen=True)
class MeasureLine:
    id: int
    title: str
    status: str
    pyramid_level: str
    coordinator: str
    flags: list[str]


@dataclass
class SchoolOverview:
    id: int
    name: str
    measures: list[MeasureLine]
    by_status: dict[str, list[MeasureLine]] = field(default_factory=dict)
    with_coordinator: int = 0
    with_forum: int = 0


@dataclass
class Overview:
    id: int
    name: str
    kind: str
    as_of: date
    schools: list[SchoolOverview]
    # chart[pyramid level][status] = number of measures, every level and status present
    chart: dict[str, dict[str, int]]

    @property
    def total(self) -> int:
        return sum(len(s.measures) for s in self.schools)


def conference_plan(school: Organisation, year: int, *, as_of: date | None = None) -> list[PlanStep]:
    """The guide's seven conferences for the school in `year`: held (finished), planned (made, not yet
    finished) or missing. The municipal ones are the school owner's conferences."""
    municipality = organisations.get(school.parent_id) if school.parent_id is not None else None
    steps: list[PlanStep] = []
    for key in PLAN:
        tpl = TEMPLATES[key]
        holder = school if tpl.level == "school" else municipality
        found = [
            c for c in (organisations.conferences_of(holder) if holder is not None else [])
            if c.template == key and c.held_on.year == year
        ]  # fmt: skip
        steps.append(_step(key, tpl.level, tpl.label, found))
    return steps


def _step(key: str, level: str, label: str, found: list[Conference]) -> PlanStep:
    if not found:
        return PlanStep(key, level, label, "missing")
    held = [c for c in found if c.status == ConferenceStatus.FINISHED]
    conf = held[-1] if held else found[0]
    return PlanStep(key, level, label, "held" if held else "planned", conf.id, conf.title, conf.held_on)


def flags(m: Measure) -> list[str]:
    """The overview's flags for one measure, from the guide's rules."""
    codes = {note.code for note in measures.rules(m)}
    if "no_dates" in codes and not m.timeframe.strip():
        codes.add("no_time_frame")
    return [code for code in FLAGS if code in codes]


def school_overview(school: Organisation) -> SchoolOverview:
    lines = [
        MeasureLine(m.id, m.title, m.status, m.pyramid_level or "", m.coordinator, flags(m))
        for m in measures.of_organisation(school)
    ]
    view = SchoolOverview(school.id, school.name, lines)
    for status in measures.STATUSES:
        view.by_status[status] = [line for line in lines if line.status == status]
    view.with_coordinator = sum(1 for line in lines if "no_coordinator" not in line.flags)
    view.with_forum = sum(1 for line in lines if "no_arena" not in line.flags)
    return view


def overview(org: Organisation, *, as_of: date | None = None) -> Overview:
    """A municipality's schools (a school alone: itself), and the chart of all their measures."""
    schools = [school_overview(s) for s in organisations.schools_of(org)]
    if org.kind == OrganisationKind.MUNICIPALITY:  # its own measures, from municipal conferences
        own = school_overview(org)
        if own.measures:
            schools.insert(0, own)
    chart = {level: dict.fromkeys(measures.STATUSES, 0) for level in PYRAMID}
    for school in schools:
        for line in school.measures:
            chart[line.pyramid_level if line.pyramid_level in chart else ""][line.status] += 1
    return Overview(org.id, org.name, org.kind, as_of or date.today(), schools, chart)

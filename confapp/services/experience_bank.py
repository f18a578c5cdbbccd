"""The municipality's experience bank (*erfaringsbank*): every school's measures, to learn from each other.

The evaluation found that schools wanted "good case examples and exchange of experience between
schools" (issue 15). The bank shows each measure of the municipality and its schools with its plan,
evaluations, status and timeline, searchable by theme (free text), level in the intervention pyramid,
status and the professions involved.

Who reads it: the municipality's people and its schools' people (`memberships.can(…, "bank.read", …)`);
anyone else is told the bank does not exist. A reader who belongs to the measure's own school (a role
there, or running one of its conferences) sees names; every other reader sees roles instead: the
coordinator is "Coordinator", who took part becomes the professions named, and every known name (the
school's members, the conference's participants and facilitators, the coordinators, whoever changed
its status) is replaced by that person's role wherever it stands in the text. The free-text search runs
over what the reader sees, so a name cannot be found where it is not shown. Read-only: nothing stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from confapp import db
from confapp.errors import N_, NotFound, ServiceError
from confapp.models import (
    Conference,
    ConferenceStatus,
    CoordinatorLink,
    Facilitator,
    Measure,
    MeasureCoordinator,
    Organisation,
    OrganisationKind,
)
from confapp.services import measure_log, measures, memberships, organisations
from confapp.services import text as plain_text
from confapp.services.redaction import name_pattern, replace_names

Translate = Callable[[str], str]
LEVELS = ("preventive", "early", "individual")
TEXT_MAX = 200
# The professions a plan, its log and its evaluations name, and the words that show them (Norwegian
# compounds: "kontaktlærer", "PPT-rådgiver"); a measure involves a profession if any text names it.
PROFESSIONS: dict[str, tuple[str, re.Pattern[str]]] = {
    "teacher": (N_("Teachers"), re.compile(r"lærer|pedagog", re.I)),
    "school_health": (
        N_("School health service"),
        re.compile(r"helsesykepleier|helsesøster|skolehelse", re.I),
    ),
    "ppt": (N_("Educational-psychological service (PPT)"), re.compile(r"\bppt|pedagogisk-psykologisk", re.I)),
    "child_welfare": (N_("Child welfare"), re.compile(r"barnevern", re.I)),
    "social_worker": (
        N_("Social workers and milieu staff"),
        re.compile(r"sosiallærer|miljøarbeider|miljøterapeut|sosionom", re.I),
    ),
    "leadership": (N_("School leadership"), re.compile(r"rektor|inspektør|avdelingsleder|ledelse", re.I)),
}
# Actors that are already a role or a body, not a person: kept as they are.
_ROLE_WORDS = re.compile(
    r"styringsgrupp|ressursteam|trinnteam|trinnleder|koordinator|skoleledelse|kommunen|"
    + "|".join(p.pattern for _label, p in PROFESSIONS.values()),
    re.I,
)
NO_BANK = N_("No such experience bank.")
NO_MEASURE = N_("No such measure.")


def _same(value: str) -> str:
    return value


@dataclass(frozen=True)
class BankLine:
    """One measure in the results: enough to choose which to open."""

    id: int
    title: str
    school_id: int
    school: str
    status: str
    pyramid_level: str
    goal: str
    coordinator: str
    professions: list[str]
    evaluations: int
    names_shown: bool


@dataclass(frozen=True)
class BankMeasure:
    """One measure's page: the six-field plan, the decision, evaluations and timeline, names as allowed."""

    line: BankLine
    plan: dict[str, Any]
    decision: dict[str, Any]
    evaluations: list[dict[str, Any]]
    timeline: list[dict[str, Any]]


@dataclass
class BankResult:
    municipality_id: int
    municipality: str
    total: int  # measures in the bank
    measures: list[BankLine]
    by_status: dict[str, int] = field(default_factory=dict)
    by_level: dict[str, int] = field(default_factory=dict)
    filters: dict[str, str] = field(default_factory=dict)


# --- Whose bank, which measures ---------------------------------------------------------------------


def municipality_of(org: Organisation) -> Organisation | None:
    """A municipality is its own bank; a school uses its municipality's; a lone school has none."""
    if org.kind == OrganisationKind.MUNICIPALITY:
        return org
    return db.session.get(Organisation, org.parent_id) if org.parent_id is not None else None


def bank(reader: Facilitator | None, org_id: Any) -> Organisation:
    """The municipality whose bank `org_id` (the municipality or one of its schools) opens, if the
    reader may read it; anyone else gets 'not found', with no hint that it exists."""
    try:
        org = db.session.get(Organisation, int(org_id))
    except (TypeError, ValueError):
        org = None
    muni = municipality_of(org) if org is not None else None
    if muni is None or not memberships.can(reader, "bank.read", muni):
        raise NotFound("not_found", NO_BANK)
    return muni


def _holders(muni: Organisation) -> dict[int, Organisation]:
    return {o.id: o for o in (muni, *organisations.schools_of(muni))}


def measures_of(muni: Organisation) -> list[Measure]:
    """Every measure of the municipality and its schools, most recently changed first."""
    query = (
        select(Measure)
        .where(Measure.organisation_id.in_(list(_holders(muni))))
        .order_by(Measure.updated_at.desc(), Measure.id.desc())
    )
    return list(db.session.scalars(query))


def shows_names(reader: Facilitator, m: Measure) -> bool:
    """A reader of the measure's own school sees names: a role there, or running one of its conferences."""
    return m.organisation_id in {o.id for o in organisations.of_person(reader)}


def in_bank(reader: Facilitator, muni: Organisation, measure_id: Any) -> Measure:
    """A measure of this bank, which the reader may read; else 'not found'."""
    if not memberships.can(reader, "bank.read", muni):
        raise NotFound("not_found", NO_BANK)
    try:
        m = db.session.get(Measure, int(measure_id))
    except (TypeError, ValueError):
        m = None
    if m is None or m.organisation_id not in _holders(muni):
        raise NotFound("not_found", NO_MEASURE)
    return m


def for_conference(facilitator: Facilitator, conf: Conference, measure_id: Any) -> Measure:
    """A bank measure this facilitator may attach to `conf`: from the bank of the conference's own
    municipality, which the facilitator reads. Preparation material (services/preparation.py)."""
    muni = municipality_of(memberships.organisation_of(conf))
    if muni is None:
        raise NotFound("not_found", NO_MEASURE)
    return in_bank(facilitator, muni, measure_id)


def conferences_to_prepare(facilitator: Facilitator, muni: Organisation) -> list[Conference]:
    """The facilitator's conferences that may take a bank example: drafts of this municipality's
    conferences or its schools' (the preparation page closes at the start)."""
    return [
        c for c in facilitator.conferences
        if c.status == ConferenceStatus.DRAFT and municipality_of(memberships.organisation_of(c)) == muni
    ]  # fmt: skip


# --- Names reduced to roles -------------------------------------------------------------------------


class _Reader:
    """How one reader sees one measure: the names as they are, or every known name as its role."""

    def __init__(
        self, m: Measure, names_shown: bool, translate: Translate, evaluations: list[Any] | None = None
    ) -> None:
        self.m, self.names_shown, self.t = m, names_shown, translate
        # Read once: the names, the professions, the line's count and the page all use them.
        self.evaluations = measure_log.evaluations(m) if evaluations is None else evaluations
        self.roles: dict[str, str] = {} if names_shown else self._known_names()
        self.pattern = name_pattern(self.roles)

    def _known_names(self) -> dict[str, str]:
        t, m, roles = self.t, self.m, {}
        conf = db.session.get(Conference, m.conference_id) if m.conference_id is not None else None
        for p in conf.participants if conf is not None else []:
            roles[p.display_name] = p.role or t(N_("Participant"))
        for f in conf.facilitators if conf is not None else []:
            roles[f.name] = t(N_("Facilitator"))
        org = db.session.get(Organisation, m.organisation_id) if m.organisation_id is not None else None
        for member in memberships.members(org) if org is not None else []:
            roles[member.facilitator.name] = t(memberships.ROLE_LABELS.get(member.role, N_("Participant")))
        coordinators = (
            select(Facilitator.name)
            .join(MeasureCoordinator, MeasureCoordinator.facilitator_id == Facilitator.id)
            .where(MeasureCoordinator.measure_id == m.id)
        )
        holders = select(CoordinatorLink.holder).where(CoordinatorLink.measure_id == m.id)
        for name in [*db.session.scalars(coordinators), *db.session.scalars(holders), m.coordinator]:
            roles[name] = t(N_("Coordinator"))
        actors = [e.actor for e in measures.history(m)] + [e.actor for e in self.evaluations]
        for actor in actors:
            if actor not in roles and not _ROLE_WORDS.search(actor):
                roles[actor] = t(N_("Someone at the school"))
        return {name: role for name, role in roles.items() if len(name.strip()) >= 2}

    def text(self, value: str) -> str:
        return value if self.names_shown else replace_names(value, self.roles, self.pattern)

    def actor(self, value: str) -> str:
        if self.names_shown:
            return value
        return self.roles.get(value) or self.text(value)

    def people(self, value: str) -> str:
        """Who took part: as written, or the professions it names ("the names are left out")."""
        if self.names_shown or not value.strip():
            return value
        found = [self.t(label) for label, pattern in PROFESSIONS.values() if pattern.search(value)]
        return ", ".join(found) if found else self.t(N_("Names left out"))

    def coordinator(self) -> str:
        if self.names_shown or not self.m.coordinator:
            return self.m.coordinator
        return self.t(N_("Coordinator"))


def professions(m: Measure, evaluations: list[Any] | None = None) -> list[str]:
    """The professions the plan, the log and the evaluations name (what a profession search finds)."""
    texts = [m.participants, m.coordinator, m.content]
    texts += [e.who for e in measure_log.entries(m)]
    evaluations = measure_log.evaluations(m) if evaluations is None else evaluations
    texts += [f"{e.trial_people} {e.others}" for e in evaluations]
    joined = "\n".join(texts)
    return [key for key, (_label, pattern) in PROFESSIONS.items() if pattern.search(joined)]


def _line(
    m: Measure, r: _Reader, schools: dict[int, Organisation], profs: list[str] | None = None
) -> BankLine:
    school = schools.get(m.organisation_id or 0)
    return BankLine(
        id=m.id,
        title=r.text(m.title),
        school_id=school.id if school is not None else 0,
        school=school.name if school is not None else "",
        status=m.status,
        pyramid_level=m.pyramid_level or "",
        goal=r.text(m.goal),
        coordinator=r.coordinator(),
        professions=professions(m, r.evaluations) if profs is None else profs,
        evaluations=len(r.evaluations),
        names_shown=r.names_shown,
    )


def _evaluations(m: Measure, r: _Reader) -> list[dict[str, Any]]:
    return [
        {
            "held_on": e.held_on.isoformat(), "what_works": r.text(e.what_works),
            "what_to_adjust": r.text(e.what_to_adjust), "daily_operation": r.text(e.daily_operation),
            "trial_people": r.people(e.trial_people), "others": r.people(e.others), "by": r.actor(e.actor),
        }
        for e in r.evaluations
    ]  # fmt: skip


def _timeline(m: Measure, r: _Reader) -> list[dict[str, Any]]:
    """Status steps, log entries and evaluations, newest first (the points it grew from stay with the
    school: the bank is about what was tried and learned)."""
    out: list[dict[str, Any]] = []
    for item in measures.timeline(m):
        at = item["at"].isoformat() if isinstance(item["at"], date) else str(item["at"])
        if item["kind"] == "status":
            out.append({"kind": "status", "at": at, "from": item["from"], "to": item["to"],
                        "by": r.actor(item["actor"]), "reason": r.text(item["reason"])})  # fmt: skip
        elif item["kind"] == "log":
            out.append({"kind": "log", "at": at, "done": r.text(item["done"]), "who": r.people(item["who"]),
                        "learned": r.text(item["learned"])})  # fmt: skip
        elif item["kind"] == "evaluation":
            out.append({"kind": "evaluation", "at": at, "what_works": r.text(item["what_works"])})
    return list(reversed(out))


def view(
    reader: Facilitator, muni: Organisation, measure_id: Any, translate: Translate = _same
) -> BankMeasure:
    """One bank measure as this reader may see it."""
    m = in_bank(reader, muni, measure_id)
    return _seen(m, _Reader(m, shows_names(reader, m), translate), _holders(muni))


def _seen(
    m: Measure, r: _Reader, holders: dict[int, Organisation], profs: list[str] | None = None
) -> BankMeasure:
    plan = {
        "goal": r.text(m.goal), "content": r.text(m.content), "coordinator": r.coordinator(),
        "main_arena": m.main_arena, "main_arena_other": r.text(m.main_arena_other),
        "participants": r.text(m.participants), "timeframe": r.text(m.timeframe),
        "multi_professional": m.multi_professional, "lasting": m.lasting, "all_pupils": m.all_pupils,
    }  # fmt: skip
    decision = {
        "decided_on": m.decided_on.isoformat() if m.decided_on else None,
        "note": r.text(m.decision_note),
        "trial_start": m.trial_start.isoformat() if m.trial_start else None,
        "trial_end": m.trial_end.isoformat() if m.trial_end else None,
    }
    return BankMeasure(_line(m, r, holders, profs), plan, decision, _evaluations(m, r), _timeline(m, r))


def plan_without_names(m: Measure) -> dict[str, str]:
    """The goal and content as anyone without a role at the school reads them (the preparation page)."""
    r = _Reader(m, False, _same)
    return {"title": r.text(m.title), "goal": r.text(m.goal), "content": r.text(m.content)}


# --- Search -----------------------------------------------------------------------------------------


def _choice(value: Any, allowed: tuple[str, ...] | list[str], message: str) -> str:
    if value in (None, ""):
        return ""
    if value not in allowed:
        raise ServiceError("invalid", message)
    return str(value)


def _searchable(b: BankMeasure) -> str:
    parts = [b.line.title, b.line.school, *(str(v) for v in b.plan.values() if isinstance(v, str))]
    parts += [b.decision["note"], *(v for e in b.evaluations for v in e.values())]
    parts += [v for item in b.timeline for k, v in item.items() if k in ("done", "learned", "reason")]
    return "\n".join(parts).casefold()


def search(
    reader: Facilitator | None,
    municipality: Organisation,
    *,
    text: Any = None,
    level: Any = None,
    status: Any = None,
    profession: Any = None,
    translate: Translate = _same,
) -> BankResult:
    """The bank's measures matching every filter given: words (all of them, anywhere in the title, plan,
    decision, log and evaluations as this reader sees them), pyramid level, status, profession."""
    asked = plain_text.optional(text, N_("Search"), TEXT_MAX)
    words = asked.casefold().split()
    lvl = _choice(level, LEVELS, N_("Unknown level in the intervention pyramid."))
    sts = _choice(status, measures.STATUSES, N_("Unknown status."))
    prof = _choice(profession, list(PROFESSIONS), N_("Unknown profession."))
    if reader is None or not memberships.can(reader, "bank.read", municipality):
        raise NotFound("not_found", NO_BANK)
    all_measures, holders = measures_of(municipality), _holders(municipality)
    mine = {o.id for o in organisations.of_person(reader)}  # the schools whose names this reader sees
    found: list[BankLine] = []
    for m in all_measures:
        if (lvl and m.pyramid_level != lvl) or (sts and m.status != sts):
            continue
        evaluations = measure_log.evaluations(m)
        profs = professions(m, evaluations)
        if prof and prof not in profs:
            continue
        r = _Reader(m, m.organisation_id in mine, translate, evaluations)
        if not words:
            found.append(_line(m, r, holders, profs))
            continue
        seen = _seen(m, r, holders, profs)
        if all(w in _searchable(seen) for w in words):
            found.append(seen.line)
    result = BankResult(municipality.id, municipality.name, len(all_measures), found)
    result.by_status = {s: n for s in measures.STATUSES if (n := sum(1 for x in found if x.status == s))}
    result.by_level = {v: n for v in (*LEVELS, "") if (n := sum(1 for x in found if x.pyramid_level == v))}
    result.filters = {"text": asked, "level": lvl, "status": sts, "profession": prof}
    return result

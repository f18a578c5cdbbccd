"""The evaluation round at the next conference (DK2/DK3): each table evaluates one measure.

The facilitator chooses the measures a group round evaluates (by default the organisation's
measures in trial or being evaluated); table k evaluates the k-th. The table's phones show the
measure's plan, the coordinator's latest log entries and the guide's three questions; the points the
table writes are linked to the measure through its table (`Group.measure_id`), so they appear on the
measure's timeline and in the conference report's evaluation section, and the plenary shows the
measure's status beside the table's report. "By measure" grouping seats each measure's trial team
at its table (`confapp.grouping.teams`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from confapp import db
from confapp.errors import N_, Conflict, ServiceError
from confapp.live import events
from confapp.models import (
    Bullet,
    Conference,
    Facilitator,
    Group,
    Measure,
    Round,
    RoundKind,
    RoundMeasure,
    RoundState,
)
from confapp.services import conferences, groups, measure_log, measures, organisations, text
from confapp.services.agenda_templates import TEMPLATES
from confapp.services.conferences import conference_event

# What "being evaluated" means for the default choice: tried out, or evaluated and not yet decided.
DEFAULT_STATUSES = ("in_trial", "evaluated", "adjusted")
# The guide's three evaluation questions (`000` L880–900), the same as MeasureEvaluation's fields.
QUESTIONS = (
    ("what_works", N_("What works")),
    ("what_to_adjust", N_("What should be adjusted")),
    ("daily_operation", N_("Should it become daily practice?")),
)
LOG_SUMMARY = 3  # the latest log entries a table sees: enough to remember the trial, short on a phone
MAX_TEAM = 2000


def candidates(conf: Conference) -> list[Measure]:
    """The measures a facilitator of this conference may put on its tables: the organisation's
    measures drafted at conferences any of its facilitators run (the measures pages' rule)."""
    return _drafted_by(conf.facilitators)


def _drafted_by(facilitators: list[Facilitator]) -> list[Measure]:
    runs = {c.id for f in facilitators for c in f.conferences}
    return [m for m in measures.of_organisation(organisations.default()) if m.conference_id in runs]


def default_choice(conf: Conference) -> list[Measure]:
    return [m for m in candidates(conf) if m.status in DEFAULT_STATUSES]


def offered(facilitator: Facilitator) -> list[Measure]:
    """What the form for a new DK2/DK3 offers to evaluate: the measures being tried out that this
    facilitator's new conference could put on its tables (the default choice, before it exists)."""
    return [m for m in _drafted_by([facilitator]) if m.status in DEFAULT_STATUSES]


def create_conference(facilitator: Facilitator, measure_ids: Any = None, **fields: Any) -> Conference:
    """A new conference; from a follow-up template (DK2, DK3), its first group round evaluates the
    ticked measures (None: those in trial; []: none, an ordinary round). The measures are checked
    before anything is written, so a bad choice creates nothing."""
    template = TEMPLATES.get(fields.get("template", "blank"))
    if template is None or not template.evaluates:
        return conferences.create_conference(facilitator, **fields)
    allowed = {m.id: m for m in offered(facilitator)}
    ids = list(allowed) if measure_ids is None else _measure_ids(measure_ids)
    if any(i not in allowed for i in ids):
        raise ServiceError("not_found", N_("No such measure."))
    conf = conferences.create_conference(facilitator, **fields)
    first = next((r for r in conf.rounds if r.kind == RoundKind.GROUP), None)
    if first is not None and ids:
        choose(conf, first, ids)
    return conf


def _measure_ids(value: Any) -> list[int]:
    """Measure numbers from JSON or a form's ticked boxes ("12")."""
    if not isinstance(value, list):
        raise ServiceError("invalid", N_("Choose the measures by their numbers."))
    out = []
    for item in value:
        if isinstance(item, str) and item.strip().isdigit():
            item = int(item)
        if not isinstance(item, int) or isinstance(item, bool):
            raise ServiceError("invalid", N_("Choose the measures by their numbers."))
        if item in out:
            raise ServiceError("invalid", N_("A measure can be evaluated at one table only."))
        out.append(item)
    return out


def choose(conf: Conference, rnd: Round, measure_ids: Any = None, teams: Any = None) -> list[Measure]:
    """Make a group round an evaluation round of these measures (None: the default choice; an empty
    list: an ordinary round again). `teams` maps a measure id to the trial team's names, one a line,
    beyond those its plan names. Tables already proposed get their measures at once."""
    if rnd.kind != RoundKind.GROUP:
        raise ServiceError("invalid", N_("Only group rounds have tables."))
    if rnd.state != RoundState.PENDING:
        raise Conflict("started", N_("This round has started; its measures can no longer change."))
    allowed = {m.id: m for m in candidates(conf)}
    if measure_ids is None:
        chosen = default_choice(conf)
    else:
        if not isinstance(measure_ids, list) or not all(
            isinstance(i, int) and not isinstance(i, bool) for i in measure_ids
        ):
            raise ServiceError("invalid", N_("Choose the measures by their numbers."))
        if len(set(measure_ids)) != len(measure_ids):
            raise ServiceError("invalid", N_("A measure can be evaluated at one table only."))
        unknown = [i for i in measure_ids if i not in allowed]
        if unknown:
            raise ServiceError("not_found", N_("No such measure."))
        chosen = [allowed[i] for i in measure_ids]
    given = _teams(teams)
    with db.transaction() as s:
        # The old rows go first: a measure chosen again would otherwise be inserted before its old row
        # is deleted, against the (round, measure) unique key.
        rnd.measures = []
        s.flush()
        rnd.measures = [
            RoundMeasure(round_id=rnd.id, measure_id=m.id, position=n, team=given.get(m.id, ""))
            for n, m in enumerate(chosen, start=1)
        ]
        s.flush()
        groups.assign_measures(s, rnd)
        if rnd.groups:
            groups.record_groups(s, conf, rnd)
        events.record(s, conf.id, conference_event(conf))
    return chosen


def _teams(teams: Any) -> dict[int, str]:
    if teams is None:
        return {}
    if not isinstance(teams, dict):
        raise ServiceError("invalid", N_("Trial teams must be given per measure."))
    out: dict[int, str] = {}
    for key, value in teams.items():
        try:
            mid = int(key)
        except (TypeError, ValueError):
            raise ServiceError("invalid", N_("Choose the measures by their numbers.")) from None
        out[mid] = text.optional(value, N_("Trial team"), MAX_TEAM, single_line=False)
    return out


def brief(grp: Group) -> dict[str, Any] | None:
    """What the phones at an evaluation table show: the plan, a short log summary, the questions."""
    m = grp.measure
    if m is None:
        return None
    latest = measure_log.entries(m)[-LOG_SUMMARY:]
    return {
        "id": m.id,
        "title": m.title,
        "status": m.status,
        "plan": {
            "goal": m.goal,
            "content": m.content,
            "coordinator": m.coordinator,
            "participants": m.participants,
            "timeframe": m.timeframe,
        },
        "trial_start": m.trial_start.isoformat() if m.trial_start else None,
        "trial_end": m.trial_end.isoformat() if m.trial_end else None,
        "log": [
            {"on": e.happened_on.isoformat(), "done": e.done, "learned": e.learned} for e in reversed(latest)
        ],
        "log_count": len(measure_log.entries(m)),
        "questions": [{"field": field, "label": label} for field, label in QUESTIONS],
    }


def evaluated_at(m: Measure) -> list[Group]:
    """The tables, in any conference, that evaluated this measure."""
    query = select(Group).where(Group.measure_id == m.id).order_by(Group.conference_id, Group.id)
    return list(db.session.scalars(query))


def points(m: Measure) -> list[Bullet]:
    """The points written at tables that evaluated the measure (the reporter's deleted ones left out)."""
    return measures.evaluation_points(m)


def of_conference(conf: Conference) -> list[tuple[Measure, list[Group]]]:
    """Every measure this conference evaluated, with its tables: the report's evaluation sections."""
    query = (
        select(Group)
        .where(Group.conference_id == conf.id, Group.measure_id.is_not(None))
        .order_by(Group.round_id, Group.number)
    )
    found: dict[int, tuple[Measure, list[Group]]] = {}
    for g in db.session.scalars(query):
        if g.measure is not None:
            found.setdefault(g.measure.id, (g.measure, []))[1].append(g)
    return list(found.values())


def table_points(grp: Group) -> list[Bullet]:
    query = select(Bullet).where(Bullet.group_id == grp.id, Bullet.hidden.is_(False))
    return list(db.session.scalars(query.order_by(Bullet.created_at, Bullet.id)))

"""Development measures after the conference: the lifecycle, its history and the guide's rules.

A measure is the initiative drafted at a conference (`models.Measure is models.Initiative`), owned by
an organisation and linked to points from any number of conferences. Its status changes only through
`change_status`, which checks the transition, records who/when/why in `MeasureEvent`, and tells every
conference the measure grew from (phones show "what became of our points").
The guide's rules (`rules`) are advice shown beside the plan: they never block a step.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import select

from confapp import db, schemas
from confapp.errors import N_, Conflict, ServiceError
from confapp.live import events
from confapp.models import (
    Bullet,
    Conference,
    Escalation,
    Facilitator,
    Group,
    Measure,
    MeasureEvaluation,
    MeasureEvent,
    MeasureLogEntry,
    Organisation,
    utcnow,
)
from confapp.services import memberships, text

STATUSES = (
    "draft", "concretised", "decided", "in_trial", "evaluated", "daily_operation", "adjusted", "stopped",
)  # fmt: skip
STATUS_LABELS = {  # the UI says these in Norwegian: utkast, konkretisert, vedtatt, under utprøving …
    "draft": N_("Draft"),
    "concretised": N_("Concretised"),
    "decided": N_("Decided"),
    "in_trial": N_("In trial"),
    "evaluated": N_("Evaluated"),
    "daily_operation": N_("Daily operation"),
    "adjusted": N_("Being adjusted"),
    "stopped": N_("Stopped"),
}
# The guide's cycle (DOMAIN.md "The measure's life after the conference"). A measure can be stopped
# from any step; "adjusted" goes back to trial; a stopped measure can be taken up again as a draft.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "draft": ("concretised", "stopped"),
    "concretised": ("draft", "decided", "stopped"),
    "decided": ("in_trial", "stopped"),
    "in_trial": ("evaluated", "stopped"),
    "evaluated": ("daily_operation", "adjusted", "stopped"),
    "adjusted": ("in_trial", "stopped"),
    "daily_operation": ("adjusted", "stopped"),
    "stopped": ("draft",),
}
FINAL_DECISIONS = ("daily_operation", "adjusted", "stopped")
# How far along the cycle each status is, for the progress bar on the status pages.
PROGRESS = {"draft": 10, "concretised": 25, "decided": 40, "in_trial": 60, "adjusted": 60,
            "evaluated": 80, "daily_operation": 100, "stopped": 100}  # fmt: skip

_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_NORWEGIAN = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")


def of_organisation(org: Organisation, facilitator: Facilitator | None = None) -> list[Measure]:
    """The organisation's measures; with an account, only those its role lets it read (`memberships`)."""
    if facilitator is not None:
        return memberships.visible_measures(facilitator, org)
    query = select(Measure).where(Measure.organisation_id == org.id).order_by(Measure.id)
    return list(db.session.scalars(query))


def get_for(facilitator: Facilitator, measure_id: Any, action: str = "measure.view") -> Measure:
    """The measure if this account may do `action` to it; who may not even read it gets 'not found'."""
    return memberships.measure(facilitator, measure_id, action)


def conference_ids(m: Measure) -> list[int]:
    """Every conference involved: where it was drafted, where its source points were written, and
    where a table evaluated it (an evaluation round: its phones follow the measure too)."""
    evaluated = db.session.scalars(select(Group.conference_id).where(Group.measure_id == m.id))
    ids = {m.conference_id, *(b.conference_id for b in m.sources), *evaluated}
    return sorted(i for i in ids if i is not None)


def announce(s: Any, m: Measure) -> None:
    """Record the measure's new state in the event log of every conference involved; where tables
    evaluate it, every screen there (the projector too) also learns its new status."""
    s.flush()
    for cid in conference_ids(m):
        events.record(s, cid, events.InitiativeSaved(initiative=schemas.initiative(m)))
    evaluating = s.scalars(select(Group.conference_id).where(Group.measure_id == m.id).distinct())
    for cid in sorted(evaluating):
        events.record(s, cid, events.MeasureSaved(measure=schemas.table_measure(m)))


def parse_date(value: Any, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ServiceError("invalid", N_("%(field)s must be a date (YYYY-MM-DD)."), field=field) from None


def change_status(
    m: Measure,
    to: Any,
    *,
    actor: str,
    reason: Any = "",
    version: Any = None,
    decided_on: Any = None,
    decision_note: Any = None,
    trial_start: Any = None,
    trial_end: Any = None,
) -> MeasureEvent:
    """Move the measure one step; what the step needs is checked before anything is written.

    Decided needs the decision's date and note; in trial needs the start and the planned end.
    """
    if version is not None and version != m.version:
        raise Conflict("stale", N_("Someone else changed this measure meanwhile. Look again and repeat."))
    if to not in STATUSES:
        raise ServiceError("invalid", N_("Unknown status."))
    if to not in TRANSITIONS[m.status]:
        raise ServiceError(
            "transition",
            N_("A measure that is '%(from)s' cannot become '%(to)s' directly."),
            **{"from": STATUS_LABELS[m.status], "to": STATUS_LABELS[to]},
        )
    if to == "evaluated":
        raise ServiceError(
            "evaluate", N_("Record the trial team's evaluation: that marks the measure evaluated.")
        )
    why = text.optional(reason, N_("Why"), 4000, single_line=False)
    details: dict[str, Any] = {}
    changes: dict[str, Any] = {}
    if to == "decided":
        note = text.required(decision_note, N_("Decision"), 4000, single_line=False)
        day = parse_date(decided_on, N_("Date of the decision"))
        changes.update(decision_note=note, decided_on=day)
        details.update(decision_note=note, decided_on=day.isoformat())
    if to == "in_trial":
        start = parse_date(trial_start, N_("Start of the trial"))
        end = parse_date(trial_end, N_("Planned end of the trial"))
        if end < start:
            raise ServiceError("invalid", N_("The planned end comes before the start."))
        changes.update(trial_start=start, trial_end=end)
        details.update(trial_start=start.isoformat(), trial_end=end.isoformat())
    with db.transaction() as s:
        for name, value in changes.items():
            setattr(m, name, value)
        event = record_step(s, m, to, actor=actor, reason=why, details=details)
        announce(s, m)
    return event


def record_step(
    s: Any, m: Measure, to: str, *, actor: str, reason: str, details: dict[str, Any]
) -> MeasureEvent:
    """Inside the caller's transaction: the status moves and the history row says who, when and why."""
    event = MeasureEvent(
        measure_id=m.id, from_status=m.status, to_status=to, actor=actor, reason=reason, details=details
    )
    s.add(event)
    m.status = to
    m.version += 1
    m.updated_at = utcnow()
    return event


def history(m: Measure) -> list[MeasureEvent]:
    query = select(MeasureEvent).where(MeasureEvent.measure_id == m.id).order_by(MeasureEvent.id)
    return list(db.session.scalars(query))


def rules(m: Measure) -> list[ServiceError]:
    """The guide's advice for a plan, as notes beside it: shown, never blocking a step."""
    notes: list[ServiceError] = []
    if not m.coordinator:
        notes.append(ServiceError("no_coordinator", N_("No coordinator is named yet.")))
    elif m.coordinator_is_grade_team_leader:
        notes.append(ServiceError(
            "coordinator_is_leader",
            N_("The guide advises that the coordinator is not the grade-team leader, so that more people "
               "carry responsibility."),
        ))  # fmt: skip
    if not m.main_arena or (m.main_arena == "other" and not m.main_arena_other):
        notes.append(ServiceError("no_arena", N_("No main arena (resource team or grade team) is named.")))
    for field, message in (
        ("multi_professional", N_("Not yet judged genuinely multi-professional.")),
        ("lasting", N_("Not yet judged to be of some duration.")),
        ("all_pupils", N_("Not yet judged to be aimed at all pupils.")),
    ):
        if getattr(m, field) is not True:
            notes.append(ServiceError(f"not_{field}", message))
    if m.trial_start is None or m.trial_end is None:
        notes.append(ServiceError("no_dates", N_("No start and end of the trial are set.")))
    return notes


def milestones(m: Measure) -> list[dict[str, Any]]:
    """Dated lines of the time frame and progress plan ("2027-03-01 …" or "1.3.2027 …"), and the trial's
    start and planned end, in date order. `kind` is "plan" (the line's own text), "trial_start" or
    "trial_end" (the caller names those). Lines without a date stay text in the plan."""
    found: list[dict[str, Any]] = []
    for line in m.timeframe.splitlines():
        day, rest = _dated(line)
        if day is not None:
            found.append({"on": day, "kind": "plan", "text": rest})
    if m.trial_start:
        found.append({"on": m.trial_start, "kind": "trial_start", "text": ""})
    if m.trial_end:
        found.append({"on": m.trial_end, "kind": "trial_end", "text": ""})
    return sorted(found, key=lambda item: item["on"])


def _dated(line: str) -> tuple[date | None, str]:
    """The first date in a line and the line without it."""
    for pattern, order in ((_ISO, (1, 2, 3)), (_NORWEGIAN, (3, 2, 1))):
        hit = pattern.search(line)
        if hit is None:
            continue
        try:
            day = date(*(int(hit[i]) for i in order))
        except ValueError:
            continue
        return day, (line[: hit.start()] + line[hit.end() :]).strip(" :–-\t") or line.strip()
    return None, line


def sources(m: Measure) -> list[Bullet]:
    return [b for b in m.sources if not b.hidden]


def evaluation_points(m: Measure) -> list[Bullet]:
    """Points written at tables that evaluated the measure (evaluation rounds, services/evaluation.py)."""
    query = (
        select(Bullet)
        .join(Group, Group.id == Bullet.group_id)
        .where(Group.measure_id == m.id, Bullet.hidden.is_(False))
        .order_by(Bullet.created_at, Bullet.id)
    )
    return list(db.session.scalars(query))


def timeline(m: Measure) -> list[dict[str, Any]]:
    """Everything that happened to the measure, oldest first: the points it grew from (conference and
    table), each status change, the coordinator's log entries, the evaluations, and the points of the
    tables that evaluated it at a later conference (kind "evaluation_point"), and its escalations to the
    strategy forum with their postponements and the forum's answer (kinds "escalated", "escalation_postponed",
    "escalation_decided": services/forum.py)."""
    items: list[dict[str, Any]] = []
    for kind, b in [("source", b) for b in sources(m)] + [
        ("evaluation_point", b) for b in evaluation_points(m)
    ]:
        conf = db.session.get(Conference, b.conference_id)
        group = db.session.get(Group, b.group_id) if b.group_id is not None else None
        items.append({
            "kind": kind, "at": b.created_at.date(), "sort": b.created_at.isoformat(), "bullet_id": b.id,
            "text": b.text, "conference_id": b.conference_id, "conference": conf.title if conf else "",
            "table": group.number if group else None,
        })  # fmt: skip
    for e in history(m):
        items.append({
            "kind": "status", "at": e.created_at.date(), "sort": e.created_at.isoformat(),
            "from": e.from_status, "to": e.to_status, "actor": e.actor, "reason": e.reason,
            "details": e.details,
        })  # fmt: skip
    for entry in db.session.scalars(select(MeasureLogEntry).where(MeasureLogEntry.measure_id == m.id)):
        items.append({
            "kind": "log", "at": entry.happened_on, "sort": entry.happened_on.isoformat(), "id": entry.id,
            "done": entry.done, "who": entry.who, "learned": entry.learned,
        })  # fmt: skip
    for ev in db.session.scalars(select(MeasureEvaluation).where(MeasureEvaluation.measure_id == m.id)):
        items.append({
            "kind": "evaluation", "at": ev.held_on, "sort": ev.held_on.isoformat(), "id": ev.id,
            "what_works": ev.what_works, "what_to_adjust": ev.what_to_adjust,
            "daily_operation": ev.daily_operation, "trial_people": ev.trial_people,
        })  # fmt: skip
    items.extend(_escalation_items(m))
    return sorted(items, key=lambda item: (item["sort"][:10], item["sort"]))


def _escalation_items(m: Measure) -> list[dict[str, Any]]:
    """The strategy forum on the measure's timeline: sent, each postponement, the decision."""
    items: list[dict[str, Any]] = []
    for e in db.session.scalars(select(Escalation).where(Escalation.measure_id == m.id)):
        base = {"escalation_id": e.id, "text": e.text}
        items.append(base | {
            "kind": "escalated", "at": e.raised_at.date(), "sort": e.raised_at.isoformat(),
            "actor": e.raised_by,
        })  # fmt: skip
        for p in e.postponements or []:
            items.append(base | {
                "kind": "escalation_postponed", "at": date.fromisoformat(p["at"][:10]), "sort": p["at"],
                "actor": p["by"], "reason": p["reason"],
            })  # fmt: skip
        if e.decided_at is not None:
            items.append(base | {
                "kind": "escalation_decided", "at": e.decided_at.date(), "sort": e.decided_at.isoformat(),
                "actor": e.decided_by, "decision": e.decision, "follow_up": e.follow_up,
                "follow_up_due": e.follow_up_due,
            })  # fmt: skip
    return items

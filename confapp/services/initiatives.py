"""Draft initiatives (development measures): the guide's six-field plan, traceable to its bullets.

Two people may edit the same form: every save names the `version` it started from, and a save based
on an older version is refused with a clear message instead of silently overwriting the other's work.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from confapp import db, schemas
from confapp.errors import N_, Conflict, NotFound, ServiceError
from confapp.live import events
from confapp.models import Bullet, Conference, Initiative, utcnow
from confapp.services import board, organisations, text

ARENAS = ("", "resource_team", "grade_team", "other")
PYRAMID = ("", "preventive", "early", "individual")
TEXT_FIELDS = {  # field -> (label for errors, max length, single line)
    "title": (N_("Title"), 200, True),
    "goal": (N_("Goal"), 4000, False),
    "content": (N_("What the measure consists of"), 8000, False),
    "coordinator": (N_("Coordinator"), 200, True),
    "main_arena_other": (N_("Other arena"), 200, True),
    "participants": (N_("Who takes part in the trial"), 4000, False),
    "timeframe": (N_("Time frame and progress plan"), 4000, False),
}
BOOL_FIELDS = {"coordinator_is_grade_team_leader": N_("The coordinator is a grade-team leader")}
CHECK_FIELDS = {  # the guide's quality checks: True, False, or None for "not assessed"
    "multi_professional": N_("Genuinely multi-professional"),
    "lasting": N_("Of some duration"),
    "all_pupils": N_("Aimed at all pupils, not one case"),
}
VALUE_LABELS = {  # what each allowed value is called in the form (messages name these, never the codes)
    "resource_team": N_("Resource team"),
    "grade_team": N_("Grade team"),
    "other": N_("Other"),
    "preventive": N_("Preventive work"),
    "early": N_("Early intervention"),
    "individual": N_("Individual follow-up"),
}
CHOICE_LABELS = {
    "main_arena": N_("Main arena"),
    "pyramid_level": N_("Level in the intervention pyramid"),
}
LATER_FIELDS = {  # what the steering group often fills in after the conference
    "coordinator": N_("coordinator"),
    "main_arena": N_("main arena"),
    "participants": N_("who takes part in the trial"),
    "timeframe": N_("time frame and progress plan"),
    "pyramid_level": N_("level in the intervention pyramid"),
}


def of_conference(conf: Conference) -> list[Initiative]:
    return list(
        db.session.scalars(
            select(Initiative).where(Initiative.conference_id == conf.id).order_by(Initiative.id)
        )
    )


def get(conf: Conference, initiative_id: Any) -> Initiative:
    try:
        i = db.get(Initiative, initiative_id)
    except (TypeError, ValueError):
        i = None
    if i is None or i.conference_id != conf.id:
        raise NotFound("not_found", N_("No such initiative."))
    return i


def from_cluster(conf: Conference, cluster_id: Any) -> Initiative:
    """'Make initiative': a draft named after the cluster, its bullets linked and listed as a start."""
    cluster = board.find_cluster(conf, cluster_id)
    sources = [
        b for i in cluster.items if (b := db.session.get(Bullet, i.bullet_id)) is not None and not b.hidden
    ]
    org_id = conf.organisation_id or organisations.default().id  # the holder's measure
    with db.transaction() as s:
        initiative = Initiative(
            conference_id=conf.id,
            organisation_id=org_id,
            cluster_id=cluster.id,
            title=cluster.title,
            content="\n".join(f"– {b.text}" for b in sources),
            sources=sources,
        )
        s.add(initiative)
        s.flush()
        events.record(s, conf.id, events.InitiativeSaved(initiative=schemas.initiative(initiative)))
    return initiative


def update(conf: Conference, initiative_id: Any, fields: dict[str, Any], *, version: Any) -> Initiative:
    initiative = get(conf, initiative_id)
    if version != initiative.version:
        raise Conflict(
            "stale",
            N_("Someone else saved this form meanwhile. Their version is shown now; make your change again."),
        )
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        if name in TEXT_FIELDS:
            label, limit, single = TEXT_FIELDS[name]
            check = text.required if name == "title" else text.optional
            changes[name] = check(value, label, limit, single_line=single)
        elif name in BOOL_FIELDS:
            if not isinstance(value, bool):
                raise ServiceError("invalid", N_("%(field)s must be true or false."), field=BOOL_FIELDS[name])
            changes[name] = value
        elif name in CHECK_FIELDS:
            if value is not None and not isinstance(value, bool):
                raise ServiceError(
                    "invalid", N_("%(field)s must be yes, no or not assessed."), field=CHECK_FIELDS[name]
                )
            changes[name] = value
        elif name in ("main_arena", "pyramid_level"):  # the status changes with history: services/measures
            allowed = {"main_arena": ARENAS, "pyramid_level": PYRAMID}[name]
            if value not in allowed:
                raise ServiceError(
                    "invalid",
                    N_("%(field)s must be one of: %(allowed)s."),
                    field=CHOICE_LABELS[name],
                    allowed=[VALUE_LABELS[a] for a in allowed if a],
                )
            changes[name] = value
        else:
            raise ServiceError("invalid", N_("Unknown field: %(field)s."), field=str(name)[:40])
    with db.transaction() as s:
        for name, value in changes.items():
            setattr(initiative, name, value)
        initiative.version += 1
        initiative.updated_at = utcnow()
        events.record(s, conf.id, events.InitiativeSaved(initiative=schemas.initiative(initiative)))
    return initiative


def delete(conf: Conference, initiative_id: Any) -> None:
    initiative = get(conf, initiative_id)
    gone = initiative.id
    with db.transaction() as s:
        s.delete(initiative)
        events.record(s, conf.id, events.InitiativeDeleted(initiative_id=gone))


def warnings(initiative: Initiative) -> list[ServiceError]:
    """What the guide advises against or what is still open: shown on the form, never blocking."""
    notes = []
    if initiative.coordinator_is_grade_team_leader:
        notes.append(ServiceError(
            "coordinator_is_leader",
            N_("The guide advises that the coordinator is not the grade-team leader, so that more people "
               "carry responsibility."),
        ))  # fmt: skip
    missing = [label for name, label in LATER_FIELDS.items() if not getattr(initiative, name)]
    if missing:
        notes.append(
            ServiceError(
                "open_fields", N_("Still to be filled in by the steering group: %(fields)s."), fields=missing
            )
        )
    return notes

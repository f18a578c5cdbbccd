"""Model → JSON-ready dicts. The one place a payload's shape is defined (API, events, snapshots)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from confapp.models import (
    Bullet,
    Cluster,
    Conference,
    Group,
    Initiative,
    Membership,
    Participant,
    PlenaryNote,
    Round,
    VoteSession,
)


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def participant(p: Participant) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.display_name,
        "role": p.role,
        "unit": p.unit,
        "grade_team": p.grade_team,
        "joined": p.joined_at is not None,
        "removed": p.removed,
    }


def member(p: Participant) -> dict[str, Any]:
    """What table-mates see of each other: name and role only."""
    return {"id": p.id, "name": p.display_name, "role": p.role}


def round_(r: Round) -> dict[str, Any]:
    return {
        "id": r.id,
        "position": r.position,
        "kind": r.kind,
        "title": r.title,
        "question": r.question,
        "minutes": r.minutes,
        "state": r.state,
        "strategy": r.strategy,
        "groups_published": r.groups_published,
        "started_at": iso(r.started_at),
        "ends_at": iso(r.ends_at),
        "measure_ids": [rm.measure_id for rm in r.measures],
        # A plenary: the group round whose tables it hears (the server's rule; screens only read it).
        "reports_on": reported.id if (reported := r.reports_on()) is not None else None,
    }


def group_header(g: Group) -> dict[str, Any]:
    """A table without its people (what a phone knows of other tables)."""
    return {
        "id": g.id,
        "round_id": g.round_id,
        "number": g.number,
        "leader_id": g.leader_id,
        "reporter_id": g.reporter_id,
        "measure": table_measure(g.measure) if g.measure is not None else None,
    }


def table_measure(m: Initiative) -> dict[str, Any]:
    """The measure an evaluation table discusses, as every screen may show it: no plan, no names."""
    return {"id": m.id, "title": m.title, "status": m.status}


def group(g: Group) -> dict[str, Any]:
    return {
        **group_header(g),
        "members": [group_member(m) for m in g.memberships],
    }


def group_member(m: Membership) -> dict[str, Any]:
    return {**member(m.participant), "pinned": m.pinned}


def bullet(b: Bullet) -> dict[str, Any]:
    return {
        "id": b.id,
        "uuid": b.client_uuid,
        "round_id": b.round_id,
        "group_id": b.group_id,
        "text": b.text,
        "is_plenary_point": b.is_plenary_point,
        "author_id": b.author_id,
        "created_at": iso(b.created_at),
        "updated_at": iso(b.updated_at),
    }


def note(n: PlenaryNote) -> dict[str, Any]:
    return {
        "id": n.id,
        "uuid": n.client_uuid,
        "round_id": n.round_id,
        "group_number": n.group_number,
        "text": n.text,
        "author": n.author,
        "created_at": iso(n.created_at),
        "updated_at": iso(n.updated_at),
    }


def conference(c: Conference) -> dict[str, Any]:
    return {
        "id": c.id,
        "title": c.title,
        "level": c.level,
        "template": c.template,
        "purpose": c.purpose,
        "held_on": c.held_on.isoformat(),
        "status": c.status,
        "join_code": c.join_code,
        "joins_open": c.joins_open,
        "active_round_id": c.active_round_id,
        "focus_group_number": c.focus_group_number,
        "minute_taker_id": c.minute_taker_id,
    }


def cluster(c: Cluster) -> dict[str, Any]:
    """Cards in board order: by position, ties by bullet id (live.js sorts the same way)."""
    return {
        "id": c.id,
        "title": c.title,
        "position": c.position,
        "bullet_ids": [i.bullet_id for i in c.items],
        "positions": {str(i.bullet_id): i.position for i in c.items},
    }


def vote(v: VoteSession) -> dict[str, Any]:
    return {
        "id": v.id,
        "dots": v.dots,
        "state": v.state,
        "opened_at": iso(v.opened_at),
        "closed_at": iso(v.closed_at),
        "final_tally": v.final_tally,
    }


INITIATIVE_FIELDS = (
    "title", "goal", "content", "coordinator", "coordinator_is_grade_team_leader", "main_arena",
    "main_arena_other", "participants", "timeframe", "pyramid_level", "multi_professional", "lasting",
    "all_pupils", "status",
)  # fmt: skip


def initiative(i: Initiative) -> dict[str, Any]:
    return {
        "id": i.id,
        "cluster_id": i.cluster_id,
        **{name: getattr(i, name) for name in INITIATIVE_FIELDS},
        "version": i.version,
        "source_bullet_ids": [b.id for b in i.sources],
        "updated_at": iso(i.updated_at),
    }

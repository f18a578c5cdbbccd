"""What a client sees right now, and what it missed: the read side of the event log.

A snapshot carries `seq`, the last event it includes; the client applies only events after it.
Staff (facilitator, projector) see everything. A participant sees the tables, the running item, its
own tables' points, and every point of a group round once that round is over (reported in plenary).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from confapp import db, events, schemas
from confapp.errors import ServiceError
from confapp.models import Bullet, Conference, EventRecord, Group, Membership, Participant, RoundState, utcnow
from confapp.services import board, initiatives, plenary, votes


@dataclass(frozen=True)
class Viewer:
    kind: str  # "facilitator" | "projector" | "participant"
    participant: Participant | None = None

    @property
    def is_staff(self) -> bool:
        return self.kind in ("facilitator", "projector")


def my_group_ids(participant: Participant) -> set[int]:
    return set(
        db.session.scalars(select(Membership.group_id).where(Membership.participant_id == participant.id))
    )


def can_see(viewer: Viewer, audience: str, group_ids: set[int]) -> bool:
    if viewer.is_staff or audience == events.ALL:
        return True
    if audience == events.STAFF:
        return False
    return audience.startswith("group:") and int(audience.split(":", 1)[1]) in group_ids


def snapshot(
    conf: Conference, viewer: Viewer, translate: Callable[[ServiceError], str] = str
) -> dict[str, Any]:
    db.session.refresh(conf)
    seq = conf.last_seq
    rounds = list(conf.rounds)
    groups = list(
        # One query for tables, memberships and people: lazy loading cost a query per member per sync.
        db.session.scalars(
            select(Group)
            .where(Group.conference_id == conf.id)
            .order_by(Group.number)
            .options(selectinload(Group.memberships).selectinload(Membership.participant))
        )
    )
    bullets = list(
        db.session.scalars(
            select(Bullet)
            .where(Bullet.conference_id == conf.id, Bullet.hidden.is_(False))
            .order_by(Bullet.id)
        )
    )
    published = {r.id for r in rounds if r.groups_published}
    data: dict[str, Any] = {
        "seq": seq,
        "server_now": utcnow().isoformat(),
        "viewer": viewer.kind,
        "conference": schemas.conference(conf),
        "rounds": [schemas.round_(r) for r in rounds],
        "notes": [schemas.note(n) for n in plenary.notes(conf)],
    }
    vote = votes.current(conf)
    data["vote"] = schemas.vote(vote) if vote else None
    data["initiatives"] = [schemas.initiative(i) for i in initiatives.of_conference(conf)]
    if viewer.is_staff:
        data["groups"] = [schemas.group(g) for g in groups]
        data["bullets"] = [schemas.bullet(b) for b in bullets]
        data["clusters"] = [schemas.cluster(c) for c in board.clusters(conf)]
        data["tally"] = votes.tally(vote) if vote else {}
        if viewer.kind == "facilitator":
            data["participants"] = [schemas.participant(p) for p in conf.participants]

        return data
    assert viewer.participant is not None
    mine = my_group_ids(viewer.participant)
    done = {r.id for r in rounds if r.state == RoundState.DONE}
    data["me"] = schemas.participant(viewer.participant)
    data["groups"] = [schemas.group(g) for g in groups if g.round_id in published]
    data["bullets"] = [schemas.bullet(b) for b in bullets if b.group_id in mine or b.round_id in done]
    if vote is not None:
        data["clusters"] = [schemas.cluster(c) for c in board.clusters(conf)]
        data["my_dots"] = votes.my_dots(vote, viewer.participant)
    return data


def missed(conf: Conference, viewer: Viewer, since: int, limit: int) -> list[dict[str, Any]] | None:
    """Events after `since` this viewer may see, in order; None means 'too many: take a snapshot'."""
    if since > conf.last_seq:
        return None  # the client is ahead of us (restored database): start over
    rows: list[EventRecord] | None = events.events_since(db.session, conf.id, since, limit)
    if rows is None:
        return None
    mine = set() if viewer.is_staff or viewer.participant is None else my_group_ids(viewer.participant)
    return [events.wire(r) for r in rows if can_see(viewer, r.audience, mine)]

"""What a client sees right now, and what it missed: the read side of the event log.

A snapshot carries `seq`, the last event it includes; the client applies only events after it.
A facilitator sees everything. The projector sees what the big screen shows (`confapp.live.audiences`):
published tables with their members' names, points, notes without authors, clusters and the vote; no
participant list, no draft tables, no initiatives. A participant sees the published tables (only its own
tables with their people), the running item, its own tables' points, and every point of a group round
once that round is over (reported in plenary). Each viewer's replay (`missed`) applies the same rule.

Phones all resync at once after `phase.changed` and the like, so the part every phone shares is built
once per `seq` and kept (`_shared`), and so is the part a table's phones share (`_tables_shared`): a hall
of 2,000 phones at 100 tables costs one full read and 100 table reads, not 2,000 of each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from confapp import db, schemas
from confapp.errors import ServiceError
from confapp.live import events
from confapp.live.audiences import Audience, ViewerKind
from confapp.models import (
    Bullet,
    Conference,
    EventRecord,
    Group,
    Membership,
    Participant,
    RoundState,
    VoteSession,
    utcnow,
)
from confapp.services import board, evaluation, groups, initiatives, plenary, votes


@dataclass(frozen=True)
class Viewer:
    kind: ViewerKind
    participant: Participant | None = None
    # A participant's tables in every round, read once: its rooms, replay and snapshot all need them.
    group_ids: frozenset[int] = field(default=frozenset(), init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", ViewerKind(self.kind))
        if self.participant is not None:
            object.__setattr__(self, "group_ids", frozenset(my_group_ids(self.participant)))


def my_group_ids(participant: Participant) -> set[int]:
    return set(
        db.session.scalars(select(Membership.group_id).where(Membership.participant_id == participant.id))
    )


def _with_members(query: Any) -> Any:
    # One query for tables, memberships and people: lazy loading cost a query per member per sync.
    return query.options(selectinload(Group.memberships).selectinload(Membership.participant))


def _visible_bullets(conf: Conference) -> Any:
    return select(Bullet).where(Bullet.conference_id == conf.id, Bullet.hidden.is_(False)).order_by(Bullet.id)


def _common(conf: Conference, vote: VoteSession | None) -> dict[str, Any]:
    rounds = list(conf.rounds)
    return {
        "seq": conf.last_seq,
        "conference": schemas.conference(conf),
        "rounds": [schemas.round_(r) for r in rounds],
        "notes": [schemas.note(n) for n in plenary.notes(conf)],
        "vote": schemas.vote(vote) if vote else None,
        "initiatives": [schemas.initiative(i) for i in initiatives.of_conference(conf)],
    }


def snapshot(
    conf: Conference, viewer: Viewer, translate: Callable[[ServiceError], str] = str
) -> dict[str, Any]:
    db.session.refresh(conf)
    if viewer.kind == ViewerKind.PARTICIPANT:
        assert viewer.participant is not None
        return _participant_snapshot(conf, viewer.participant, viewer.group_ids)
    if viewer.kind == ViewerKind.PROJECTOR:
        return _screen_snapshot(conf)
    vote = votes.current(conf)
    data = {"server_now": utcnow().isoformat(), "viewer": viewer.kind, **_common(conf, vote)}
    groups = db.session.scalars(_with_members(select(Group).where(Group.conference_id == conf.id)))
    data["groups"] = [schemas.group(g) for g in sorted(groups, key=lambda g: (g.round_id, g.number))]
    data["bullets"] = [schemas.bullet(b) for b in db.session.scalars(_visible_bullets(conf))]
    data["clusters"] = [schemas.cluster(c) for c in board.clusters(conf)]
    data["tally"] = votes.tally(vote) if vote else {}
    data["participants"] = [schemas.participant(p) for p in conf.participants]
    return data


def _screen_snapshot(conf: Conference) -> dict[str, Any]:
    """The big screen: published tables (members' names only), points, notes, clusters and the vote.

    Must agree with the projector's replay: `events.Event.on_screen` cuts payloads the same way.
    """
    vote = votes.current(conf)
    common = _common(conf, vote)
    del common["initiatives"]
    common["notes"] = [events.screen_note(n) for n in common["notes"]]
    data = {"server_now": utcnow().isoformat(), "viewer": ViewerKind.PROJECTOR.value, **common}
    published = [r.id for r in conf.rounds if r.groups_published]
    tables = db.session.scalars(_with_members(select(Group).where(Group.round_id.in_(published))))
    data["groups"] = [
        {
            **schemas.group_header(g),
            "members": [events.screen_member(schemas.member(m.participant)) for m in g.memberships],
        }
        for g in sorted(tables, key=lambda g: (g.round_id, g.number))
    ]
    # Points sent before the conference are staff-only (their `bullet.posted` never reaches a screen).
    on_tables = _visible_bullets(conf).where(Bullet.group_id.is_not(None))
    data["bullets"] = [schemas.bullet(b) for b in db.session.scalars(on_tables)]
    data["clusters"] = [schemas.cluster(c) for c in board.clusters(conf)]
    data["tally"] = votes.tally(vote) if vote else {}
    return data


# conference id -> (seq, what every phone of that conference sees at that seq)
_shared: dict[int, tuple[int, dict[str, Any]]] = {}
# conference id -> (seq, the phone's table ids -> those tables with their people, and their points)
_tables_shared: dict[int, tuple[int, dict[frozenset[int], tuple[dict[int, Any], list[Any]]]]] = {}


def _phone_common(conf: Conference) -> dict[str, Any]:
    cached = _shared.get(conf.id)
    if cached is not None and cached[0] == conf.last_seq:
        return cached[1]
    vote = votes.current(conf)
    data = _common(conf, vote)
    published = [r.id for r in conf.rounds if r.groups_published]
    done = [r.id for r in conf.rounds if r.state == RoundState.DONE]
    tables = db.session.scalars(
        select(Group).where(Group.round_id.in_(published)).order_by(Group.round_id, Group.number)
    )
    # Other tables without their people: a phone needs their numbers, not 2,000 names.
    data["groups"] = [{**schemas.group_header(g), "members": []} for g in tables]
    data["done_bullets"] = [
        schemas.bullet(b) for b in db.session.scalars(_visible_bullets(conf).where(Bullet.round_id.in_(done)))
    ]
    data["done_rounds"] = set(done)
    if vote is not None:
        data["clusters"] = [schemas.cluster(c) for c in board.clusters(conf)]
    _shared[conf.id] = (conf.last_seq, data)
    return data


def _tables_common(
    conf: Conference, mine: frozenset[int], done_rounds: set[int]
) -> tuple[dict[int, Any], list[Any]]:
    """The phone's own tables with their people, and their points: the same for its 20 table-mates.

    Built once per table and `seq` (a hall's connect storm is 100 tables, not 2,000 reads). An evaluation
    table's plan and log are read fresh each time: the measure belongs to another conference, so this
    cache does not rely on every change there moving this conference's `seq`.
    """
    cached = _tables_shared.get(conf.id)
    if cached is None or cached[0] != conf.last_seq:
        cached = _tables_shared[conf.id] = (conf.last_seq, {})
    part = cached[1].get(mine)
    if part is None:
        tables = db.session.scalars(_with_members(select(Group).where(Group.id.in_(mine))))
        visible = _visible_bullets(conf).where(Bullet.group_id.in_(mine), Bullet.round_id.not_in(done_rounds))
        part = cached[1][mine] = (
            {g.id: {**schemas.group(g), "measure_id": g.measure_id} for g in tables},
            [schemas.bullet(b) for b in db.session.scalars(visible)],
        )
    tables_, bullets_ = part
    return {
        gid: {
            **{k: v for k, v in table.items() if k != "measure_id"},
            "evaluation": evaluation.brief(db.session.get_one(Group, gid)) if table["measure_id"] else None,
        }
        for gid, table in tables_.items()
    }, bullets_


def _participant_snapshot(conf: Conference, participant: Participant, mine: frozenset[int]) -> dict[str, Any]:
    common = _phone_common(conf)
    own_tables, own_bullets = _tables_common(conf, mine, common["done_rounds"])
    data = {k: v for k, v in common.items() if k not in ("done_bullets", "done_rounds")}
    data.update(server_now=utcnow().isoformat(), viewer="participant", me=schemas.participant(participant))
    data["seat"] = groups.seat(conf, participant).to_dict()
    data["groups"] = [own_tables.get(g["id"], g) for g in common["groups"]]
    data["bullets"] = sorted(common["done_bullets"] + own_bullets, key=lambda b: b["id"])
    if common["vote"] is not None:
        data["my_dots"] = votes.dots_in(common["vote"]["id"], participant)
    return data


def missed(conf: Conference, viewer: Viewer, since: int, limit: int) -> list[dict[str, Any]] | None:
    """Events after `since` this viewer may see, in order; None means 'too many: take a snapshot'."""
    if since > conf.last_seq:
        return None  # the client is ahead of us (restored database): start over
    rows: list[EventRecord] | None = events.events_since(db.session, conf.id, since, limit)
    if rows is None:
        return None
    out = []
    for r in rows:
        audience = Audience.parse(r.audience)
        shown = events.for_viewer(viewer.kind, r.type, audience, r.payload, viewer.group_ids)
        if shown is not None:
            out.append(events.wire(r, shown))
    return out

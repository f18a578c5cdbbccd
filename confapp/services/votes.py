"""Dot voting on the clusters: each phone gets N dots; the tally is live for staff and kept on close."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from confapp import db, schemas
from confapp.errors import N_, Conflict, ServiceError
from confapp.live import events
from confapp.models import Cluster, Conference, Dot, Participant, VoteSession, utcnow
from confapp.services import access, idempotency
from confapp.services.board import clusters, find_cluster

MAX_DOTS = 20


def current(conf: Conference) -> VoteSession | None:
    """The open vote, else the last one held."""
    return db.session.scalar(
        select(VoteSession)
        .where(VoteSession.conference_id == conf.id)
        .order_by(VoteSession.id.desc())
        .limit(1)
    )


def tally(vote: VoteSession) -> dict[str, int]:
    rows = db.session.execute(
        select(Dot.cluster_id, func.count(Dot.id)).where(Dot.vote_id == vote.id).group_by(Dot.cluster_id)
    )
    return {str(cluster_id): count for cluster_id, count in rows}


def my_dots(vote: VoteSession, participant: Participant) -> dict[str, int]:
    return dots_in(vote.id, participant)


def dots_in(vote_id: int, participant: Participant) -> dict[str, int]:
    """The participant's dots by cluster in vote `vote_id` (for callers that hold only the id)."""
    rows = db.session.execute(
        select(Dot.cluster_id, func.count(Dot.id))
        .where(Dot.vote_id == vote_id, Dot.participant_id == participant.id)
        .group_by(Dot.cluster_id)
    )
    return {str(cluster_id): count for cluster_id, count in rows}


def open_vote(conf: Conference, dots: Any) -> VoteSession:
    if isinstance(dots, bool) or not isinstance(dots, int) or not 1 <= dots <= MAX_DOTS:
        raise ServiceError(
            "invalid", N_("Dots per person must be a whole number from 1 to %(max)d."), max=MAX_DOTS
        )
    last = current(conf)
    if last is not None and last.state == "open":
        raise Conflict("vote_open", N_("A vote is already open. Close it first."))
    if not clusters(conf):
        raise ServiceError("no_clusters", N_("Make clusters on the board before opening a vote."))
    with db.transaction() as s:
        vote = VoteSession(conference_id=conf.id, dots=dots, state="open")
        s.add(vote)
        s.flush()
        events.record(s, conf.id, events.VoteOpened(vote=schemas.vote(vote)))
    return vote


def _open(conf: Conference) -> VoteSession:
    vote = current(conf)
    if vote is None or vote.state != "open":
        raise Conflict("vote_closed", N_("There is no open vote."))
    return vote


def cast(conf: Conference, participant: Participant, *, cluster_id: Any, client_uuid: Any) -> dict[str, int]:
    """Place one dot; returns this phone's dots. A retry with the same key returns the first answer."""

    def write(s: Session, vote: VoteSession, target: Cluster, key: str) -> bool:
        if sum(dots_in(vote.id, participant).values()) >= vote.dots:
            raise Conflict("no_dots_left", N_("You have used all your dots. Take one back to move it."))
        s.add(Dot(vote_id=vote.id, participant_id=participant.id, cluster_id=target.id, client_uuid=key))
        return True

    return _dot_write(conf, participant, "vote.cast", cluster_id, client_uuid, write)


def retract(
    conf: Conference, participant: Participant, *, cluster_id: Any, client_uuid: Any
) -> dict[str, int]:
    """Take one dot back from a cluster; a retry with the same key takes back nothing more."""

    def write(s: Session, vote: VoteSession, target: Cluster, _key: str) -> bool:
        mine = (Dot.vote_id == vote.id, Dot.participant_id == participant.id, Dot.cluster_id == target.id)
        dot = s.scalar(select(Dot).where(*mine).order_by(Dot.id.desc()).limit(1))
        if dot is None:
            return False
        s.delete(dot)
        return True

    return _dot_write(conf, participant, "vote.retract", cluster_id, client_uuid, write)


DotWrite = Callable[[Session, VoteSession, Cluster, str], bool]  # True: a dot was placed or taken


def _dot_write(
    conf: Conference,
    participant: Participant,
    action: str,
    cluster_id: Any,
    client_uuid: Any,
    write: DotWrite,
) -> dict[str, int]:
    """One phone's dot change, exactly once per key (`idempotency.once`); returns this phone's dots."""
    key = idempotency.parse_key(client_uuid)
    with db.transaction() as s:

        def once() -> dict[str, Any]:
            vote, target = _voting(s, conf, participant, cluster_id)
            if write(s, vote, target, key):
                s.flush()
                events.record(s, conf.id, events.VoteTally(vote_id=vote.id, totals=tally(vote)))
            return {"my_dots": my_dots(vote, participant)}

        done = idempotency.once(s, conf.id, key=key, action=action, actor=f"p:{participant.id}", write=once)
    return dict(done["my_dots"])


def _voting(
    s: Session, conf: Conference, participant: Participant, cluster_id: Any
) -> tuple[VoteSession, Cluster]:
    """Inside the write: the open vote and the cluster, with this participant's dots locked.

    The lock (PostgreSQL; SQLite already holds its write lock here) makes two casts from one phone
    count the dots one after the other, so together they cannot pass the limit.
    """
    access.require_present(participant)
    vote = _open(conf)
    target = find_cluster(conf, cluster_id)
    s.execute(select(Participant.id).where(Participant.id == participant.id).with_for_update(key_share=True))
    return vote, target


def close(conf: Conference) -> VoteSession:
    """Close the vote and keep the final tally with the clusters' titles as they were."""
    vote = _open(conf)
    totals = tally(vote)
    with db.transaction() as s:
        vote.state = "closed"
        vote.closed_at = utcnow()
        vote.final_tally = {
            str(c.id): {"title": c.title, "dots": totals.get(str(c.id), 0)} for c in clusters(conf)
        }
        events.record(s, conf.id, events.VoteClosed(vote=schemas.vote(vote)))
    return vote

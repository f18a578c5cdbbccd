"""The clustering board: piles of bullets that become initiatives. Live for every open board.

Every change is one transaction with a `board.moved` / `cluster.*` event, so two steering-group
members working at once see each other's moves; a move names the bullet and where it goes, so
concurrent moves of different cards never overwrite each other, and for the same card the later wins.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from confapp import db, schemas
from confapp.clustering import cluster_bullets, name_for, suggest
from confapp.errors import N_, Conflict, NotFound, ServiceError
from confapp.live import events
from confapp.models import Bullet, Cluster, ClusterItem, Conference, EventRecord
from confapp.services import bullets, text

TITLE_MAX = 200
UNDO_LOOKBACK = 500


def clusters(conf: Conference) -> list[Cluster]:
    return list(
        db.session.scalars(
            select(Cluster).where(Cluster.conference_id == conf.id).order_by(Cluster.position, Cluster.id)
        )
    )


def find_cluster(conf: Conference, cluster_id: Any) -> Cluster:
    """The conference's cluster by an id from a request: a foreign or malformed id is not found."""
    try:
        c = db.get(Cluster, cluster_id)
    except (TypeError, ValueError):
        c = None
    if c is None or c.conference_id != conf.id:
        raise NotFound("not_found", N_("No such cluster."))
    return c


def _bullet(conf: Conference, bullet_id: Any) -> Bullet:
    try:
        b = db.get(Bullet, bullet_id)
    except (TypeError, ValueError):
        b = None
    if b is None or b.conference_id != conf.id or b.hidden:
        raise NotFound("not_found", N_("No such point."))
    return b


def _place(s: Session, bullet_id: int, cluster_id: int | None, position: int | None) -> dict[str, Any]:
    """Put one bullet in a cluster (or take it out); returns where it was before."""
    item = s.get(ClusterItem, bullet_id)
    before = {
        "bullet_id": bullet_id,
        "cluster_id": item.cluster_id if item else None,
        "position": item.position if item else None,
    }
    if cluster_id is None:
        if item is not None:
            s.delete(item)
        return before
    if position is None:
        last = s.scalar(select(func.max(ClusterItem.position)).where(ClusterItem.cluster_id == cluster_id))
        position = (last if last is not None else -1) + 1
    if item is None:
        s.add(ClusterItem(bullet_id=bullet_id, cluster_id=cluster_id, position=position))
    else:
        item.cluster_id, item.position = cluster_id, position
    return before


def _moves(
    s: Session,
    conf: Conference,
    moves: list[tuple[int, int | None, int | None]],
    *,
    by: int | None,
    undo_of: int | None = None,
) -> None:
    previous = [_place(s, bullet_id, cluster_id, position) for bullet_id, cluster_id, position in moves]
    s.flush()
    after = []
    for bullet_id, _cluster_id, _position in moves:
        item = s.get(ClusterItem, bullet_id)
        after.append(
            {
                "bullet_id": bullet_id,
                "cluster_id": item.cluster_id if item else None,
                "position": item.position if item else None,
            }
        )
    events.record(s, conf.id, events.BoardMoved(moves=after, previous=previous, by=by, undo_of=undo_of))
    # Items are written directly, not through Cluster.items: reload that collection on next access.
    for obj in list(s.identity_map.values()):
        if isinstance(obj, Cluster):
            s.expire(obj, ["items"])


def create(
    conf: Conference, title: Any, bullet_ids: list[Any] | None = None, *, by: int | None = None
) -> Cluster:
    clean = text.required(title, N_("Title"), TITLE_MAX)
    targets = [_bullet(conf, b).id for b in bullet_ids or []]
    with db.transaction() as s:
        return do_create(s, conf, clean, targets, by=by)


def do_create(s: Session, conf: Conference, title: str, targets: list[int], *, by: int | None) -> Cluster:
    """Inside the caller's transaction: a new cluster (title already clean) holding `targets`."""
    top = s.scalar(select(func.max(Cluster.position)).where(Cluster.conference_id == conf.id)) or 0
    c = Cluster(conference_id=conf.id, title=title, position=top + 1)
    s.add(c)
    s.flush()
    events.record(s, conf.id, events.ClusterSaved(cluster=schemas.cluster(c)))
    if targets:
        _moves(s, conf, [(b, c.id, None) for b in targets], by=by)
    return c


def rename(conf: Conference, cluster_id: Any, title: Any) -> Cluster:
    c = find_cluster(conf, cluster_id)
    clean = text.required(title, N_("Title"), TITLE_MAX)
    with db.transaction() as s:
        c.title = clean
        events.record(s, conf.id, events.ClusterSaved(cluster=schemas.cluster(c)))
    return c


def move(
    conf: Conference, bullet_id: Any, cluster_id: Any, position: Any = None, *, by: int | None = None
) -> None:
    """Move one card into a cluster (cluster_id None: back to the unclustered pile)."""
    b = _bullet(conf, bullet_id)
    target = None if cluster_id is None else find_cluster(conf, cluster_id).id
    if position is not None and (
        isinstance(position, bool) or not isinstance(position, int) or not 0 <= position <= 100_000
    ):
        raise ServiceError("invalid", N_("Position must be a whole number from 0."))
    with db.transaction() as s:
        _moves(s, conf, [(b.id, target, position)], by=by)


def merge(conf: Conference, source_id: Any, target_id: Any, *, by: int | None = None) -> Cluster:
    source, target = find_cluster(conf, source_id), find_cluster(conf, target_id)
    if source.id == target.id:
        raise ServiceError("invalid", N_("Choose two different clusters to merge."))
    gone = source.id
    with db.transaction() as s:
        _moves(s, conf, [(i.bullet_id, target.id, None) for i in list(source.items)], by=by)
        s.execute(delete(ClusterItem).where(ClusterItem.cluster_id == gone))
        s.delete(source)
        events.record(s, conf.id, events.ClusterDeleted(cluster_id=gone))
    return target


def split(
    conf: Conference, cluster_id: Any, bullet_ids: list[Any], title: Any, *, by: int | None = None
) -> Cluster:
    """Move some of a cluster's cards into a new cluster."""
    c = find_cluster(conf, cluster_id)
    inside = {i.bullet_id for i in c.items}
    chosen = [_bullet(conf, b).id for b in bullet_ids]
    if not chosen or any(b not in inside for b in chosen):
        raise ServiceError("invalid", N_("Choose points from this cluster to split off."))
    return create(conf, title, chosen, by=by)


def delete_cluster(conf: Conference, cluster_id: Any, *, by: int | None = None) -> None:
    """Remove a cluster; its cards go back to the unclustered pile."""
    c = find_cluster(conf, cluster_id)
    gone = c.id
    with db.transaction() as s:
        _moves(s, conf, [(i.bullet_id, None, None) for i in list(c.items)], by=by)
        s.delete(c)
        events.record(s, conf.id, events.ClusterDeleted(cluster_id=gone))


def undo(conf: Conference, *, by: int | None) -> bool:
    """Reverse this facilitator's last move that is not undone yet; refuse if others moved the cards since."""
    rows = db.session.scalars(
        select(EventRecord)
        .where(EventRecord.conference_id == conf.id, EventRecord.type == events.BoardMoved.type)
        .order_by(EventRecord.seq.desc())
        .limit(UNDO_LOOKBACK)
    )
    undone: set[int] = set()
    for rec in rows:
        if rec.payload.get("by") != by:
            continue
        if rec.payload.get("undo_of") is not None:
            undone.add(rec.payload["undo_of"])
            continue
        if rec.seq in undone:
            continue
        back: list[tuple[int, int | None, int | None]] = []
        for before, after in zip(rec.payload["previous"], rec.payload["moves"], strict=True):
            item = db.session.get(ClusterItem, after["bullet_id"])
            if (item.cluster_id if item else None) != after["cluster_id"]:
                raise Conflict(
                    "moved_since", N_("Someone has moved these cards since; undo is not possible.")
                )
            still = before["cluster_id"] is None or db.session.get(Cluster, before["cluster_id"]) is not None
            back.append((before["bullet_id"], before["cluster_id"] if still else None, before["position"]))
        with db.transaction() as s:
            _moves(s, conf, back, by=by, undo_of=rec.seq)
        return True
    return False


def unclustered(conf: Conference) -> list[Bullet]:
    placed = set(
        db.session.scalars(
            select(ClusterItem.bullet_id).join(Cluster).where(Cluster.conference_id == conf.id)
        )
    )
    return [b for b in bullets.visible(conference_id=conf.id) if b.id not in placed]


def propose_clusters(conf: Conference, *, by: int | None = None) -> list[Cluster]:
    """Cold start: group the unclustered cards and make a cluster of each group of two or more."""
    loose = unclustered(conf)
    if len(loose) < 2:
        raise ServiceError("too_few", N_("There are fewer than two unclustered points to group."))
    grouping = cluster_bullets([(str(b.id), b.text) for b in loose])
    by_label: dict[int, list[Bullet]] = {}
    for b in loose:
        by_label.setdefault(grouping[str(b.id)], []).append(b)
    made = []
    with db.transaction() as s:  # one commit: every proposed cluster, or none
        for members in sorted(by_label.values(), key=len, reverse=True):
            if len(members) < 2:
                continue
            title = name_for([b.text for b in members]) or "Klynge"
            made.append(do_create(s, conf, title[:TITLE_MAX], [b.id for b in members], by=by))
    return made


def suggestions(conf: Conference) -> dict[int, list[dict[str, Any]]]:
    """For each unclustered card, the most likely clusters (best first), learned from the placed cards."""
    texts = {b.id: b.text for b in bullets.visible(conference_id=conf.id)}
    placed = [(str(i.bullet_id), texts[i.bullet_id], str(c.id)) for c in clusters(conf) for i in c.items
              if i.bullet_id in texts]  # fmt: skip
    loose = unclustered(conf)
    if not placed or not loose:
        return {}
    ranked = suggest([(str(b.id), b.text) for b in loose], placed, top=3)
    return {
        int(bid): [{"cluster_id": int(cid), "score": round(score, 3)} for cid, score in options]
        for bid, options in ranked.items()
        if options
    }

"""The reporter's points. Every write carries the phone's UUID, so a retry never makes a second bullet."""

from __future__ import annotations

import uuid as uuidlib
from datetime import timedelta
from typing import Any

from sqlalchemy import Row, and_, bindparam, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from confapp import db, schemas
from confapp.errors import N_, Conflict, Forbidden, NotFound, ServiceError, TryLater
from confapp.live import events
from confapp.models import Bullet, Conference, Group, Participant, Round, RoundState, utcnow
from confapp.ops import erasure
from confapp.services import redaction, text

BULLET_MAX = 280
# A fast reporter types a short point in 10-20 s; 30 a minute leaves room for pasting a list, and
# stops one phone from flooding every table's screens (10,000 points in 43 s were measured).
POINTS_PER_MINUTE = 30

# The statements of `post`, built once: building and cache-keying a SELECT per call cost about ten times
# executing it (issue 16's profile of the write path).
_INSERT_NEW = {
    name: insert(Bullet.__table__)
    .on_conflict_do_nothing(index_elements=["conference_id", "client_uuid"])
    .returning(Bullet.__table__.c.id)
    for name, insert in (("postgresql", pg_insert), ("sqlite", sqlite_insert))
}


def parse_uuid(value: Any) -> str:
    try:
        return str(uuidlib.UUID(str(value)))
    except (ValueError, TypeError, AttributeError):
        raise ServiceError("invalid", N_("Each point needs a valid id from the phone.")) from None


def _writable(conf: Conference, participant: Participant, group_id: Any) -> Row[Any]:
    """The checks of `post`, for editing and deleting too: one rule for who may write a table's points."""
    return _checked(conf.id, participant.id, group_id)


def _writable_group(conf: Conference, participant: Participant, group_id: Any) -> Group:
    """The reporter (or group leader) of an open table in the running round, or a clear refusal."""
    grp = db.session.get(Group, _writable(conf, participant, group_id).group_id)
    assert grp is not None
    return grp


def may_write(grp: Group, participant: Participant) -> bool:
    """Whether the phone should offer this person the composer for this table now."""
    conf = grp.round.conference
    try:
        _writable_group(conf, participant, grp.id)
    except ServiceError:
        return False
    return True


def by_uuid(conf: Conference, client_uuid: str) -> Bullet | None:
    return db.session.scalar(
        select(Bullet).where(Bullet.conference_id == conf.id, Bullet.client_uuid == client_uuid)
    )


def post(
    conf: Conference,
    participant: Participant,
    *,
    group_id: Any,
    client_uuid: Any,
    text_: Any,
    per_minute: int = POINTS_PER_MINUTE,
) -> Bullet:
    """Create a bullet, or return the one this UUID already made (a retry). See `post_as`."""
    return post_as(
        conf.id,
        participant.id,
        group_id=group_id,
        client_uuid=client_uuid,
        text_=text_,
        per_minute=per_minute,
    )


def post_as(
    conference_id: int,
    participant_id: int,
    *,
    group_id: Any,
    client_uuid: Any,
    text_: Any,
    per_minute: int = POINTS_PER_MINUTE,
) -> Bullet:
    """`post` by ids: what a phone's socket event knows, so it loads no Conference or Participant.

    `per_minute` is the phone's write rate (`CONFAPP_POINTS_PER_MINUTE`; callers pass the setting).
    This is the hottest write of a conference (a hall of reporters), so it is lean: one SELECT reads
    everything the checks need from the database itself (the phone still present, the table, its
    reporter and leader, the round running, the phone's rate on the table's index), so no cached or
    stale object can let a removed phone or a former reporter write. An INSERT whose
    UNIQUE(conference_id, client_uuid) settles a retry (ON CONFLICT DO NOTHING) follows: the earlier
    bullet is only read when the INSERT made none. The returned bullet is built from the values written.
    """
    cid = parse_uuid(client_uuid)
    try:
        target = _checked(conference_id, participant_id, group_id)
        body = text.required(text_, N_("Point"), BULLET_MAX)
        if (target.recent or 0) >= per_minute:
            raise _too_fast(per_minute)
    except ServiceError:
        # A retry of a point that was stored before the round closed or the rate was reached still
        # gets its bullet: it is not a new point.
        existing = _retry_of_ids(conference_id, participant_id, cid)
        if existing is None:
            raise
        return existing
    now = utcnow()
    values = {
        "conference_id": conference_id,
        "round_id": target.round_id,
        "group_id": target.group_id,
        "client_uuid": cid,
        "text": body,
        "author_id": participant_id,
        "is_plenary_point": False,
        "hidden": False,
        "created_at": now,
        "updated_at": now,
    }
    with db.transaction() as s:
        made = s.connection().execute(_insert_new(s), values).scalar()
        if made is not None:
            bullet = Bullet(id=made, **values)  # transient: the caller only reads it
            events.record(s, conference_id, events.BulletPosted(bullet=schemas.bullet(bullet)))
            return bullet
    existing = _retry_of_ids(conference_id, participant_id, cid)  # a retry, or another phone's UUID
    if existing is None:
        raise Conflict("uuid_taken", N_("That point id is already used."))
    return existing


_P, _G, _R, _C, _B = (m.__table__ for m in (Participant, Group, Round, Conference, Bullet))
# Everything `post_as` checks, in one statement built once: the phone (absent or removed: refused), the
# table in this conference (NULL: none), its round's state, the conference's running round, and the
# phone's points on this table in the last minute.
_CHECKS = (
    select(
        _P.c.removed,
        _G.c.id.label("group_id"),
        _G.c.round_id,
        _G.c.reporter_id,
        _G.c.leader_id,
        _R.c.state,
        _C.c.active_round_id,
        select(func.count(_B.c.id))
        .where(
            _B.c.group_id == bindparam("group_id"),
            _B.c.conference_id == bindparam("conference_id"),
            _B.c.author_id == bindparam("participant_id"),
            _B.c.created_at >= bindparam("since"),
        )
        .scalar_subquery()
        .label("recent"),
    )
    .select_from(_P)
    .join(_C, _C.c.id == _P.c.conference_id)
    .outerjoin(_G, and_(_G.c.id == bindparam("group_id"), _G.c.conference_id == _P.c.conference_id))
    .outerjoin(_R, _R.c.id == _G.c.round_id)
    .where(_P.c.id == bindparam("participant_id"), _P.c.conference_id == bindparam("conference_id"))
)


def _checked(conference_id: int, participant_id: int, group_id: Any) -> Row[Any]:
    """Who may write this table now (present, its reporter or leader, round running), and the rate count."""
    valid = not isinstance(group_id, bool) and (isinstance(group_id, int) or str(group_id).isdigit())
    gid = int(group_id) if valid and 0 < int(group_id) <= db.MAX_ID else 0
    row = (
        db.session.connection()
        .execute(
            _CHECKS,
            {
                "participant_id": participant_id,
                "conference_id": conference_id,
                "group_id": gid,
                "since": utcnow() - timedelta(minutes=1),
            },
        )
        .first()
    )
    if row is None or row.removed:
        raise Forbidden("removed", N_("You have been removed from this conference."))
    if not valid:
        raise ServiceError("invalid", N_("No such group in this conference."))
    if row.group_id is None:
        raise NotFound("not_found", N_("No such group in this conference."))
    if participant_id not in (row.reporter_id, row.leader_id):
        raise Forbidden(
            "not_reporter", N_("Only this table's reporter or group leader can write its points.")
        )
    if row.state != RoundState.ACTIVE or row.active_round_id != row.round_id:
        raise Conflict("round_closed", N_("This group round is closed; points can no longer be changed."))
    return row


def _insert_new(s: Session) -> Any:
    """INSERT … ON CONFLICT (conference_id, client_uuid) DO NOTHING RETURNING id (values as parameters)."""
    return _INSERT_NEW["postgresql" if s.get_bind().dialect.name == "postgresql" else "sqlite"]


_BY_UUID = select(Bullet).where(
    Bullet.conference_id == bindparam("conference_id"), Bullet.client_uuid == bindparam("client_uuid")
)


def _retry_of_ids(conference_id: int, participant_id: int, client_uuid: str) -> Bullet | None:
    """The bullet this phone already made with this UUID; another phone's UUID is a conflict."""
    existing = db.session.scalar(_BY_UUID, {"conference_id": conference_id, "client_uuid": client_uuid})
    if existing is not None and existing.author_id != participant_id:
        raise Conflict("uuid_taken", N_("That point id is already used."))
    return existing


def _too_fast(per_minute: int) -> TryLater:
    return TryLater(
        "too_fast",
        N_("Too many points in a short time (at most %(n)d a minute). Wait a moment before the next one."),
        n=per_minute,
    )


def _own(conf: Conference, participant: Participant, client_uuid: Any) -> Bullet:
    bullet = by_uuid(conf, parse_uuid(client_uuid))
    if bullet is None:
        raise NotFound("not_found", N_("No such point."))
    _writable_group(conf, participant, bullet.group_id)
    return bullet


def edit(conf: Conference, participant: Participant, *, client_uuid: Any, text_: Any) -> Bullet:
    bullet = _own(conf, participant, client_uuid)
    body = text.required(text_, N_("Point"), BULLET_MAX)
    if bullet.hidden:
        raise Conflict("deleted", N_("This point was deleted."))
    if body == bullet.text:
        return bullet
    with db.transaction() as s:
        bullet.text = body
        bullet.updated_at = utcnow()
        events.record(s, conf.id, events.BulletEdited(bullet=schemas.bullet(bullet)))
    return bullet


def delete(conf: Conference, participant: Participant, *, client_uuid: Any) -> Bullet:
    """Delete the point: its text goes from the row and from every stored event; deleting twice is fine.

    The row stays, empty and hidden, so the phone's UUID still finds it (a retried delete is a no-op,
    a retried post is not a new point) and the log can say that it was deleted. A deleted point may be
    exactly the one that named a pupil: docs/privacy.md.
    """
    bullet = _own(conf, participant, client_uuid)
    if bullet.hidden:
        return bullet
    with db.transaction() as s:
        bullet.hidden = True
        bullet.text = ""
        redaction.forget_bullet_text(s, conf.id, bullet.id)
        was_point = bullet.is_plenary_point
        bullet.is_plenary_point = False
        bullet.updated_at = utcnow()
        events.record(
            s,
            conf.id,
            events.BulletDeleted(bullet_id=bullet.id, group_id=bullet.group_id, round_id=bullet.round_id),
        )
        if was_point:
            events.record(
                s,
                conf.id,
                events.PlenaryPointSet(group_id=bullet.group_id, round_id=bullet.round_id, bullet_id=None),
            )
    # SQLite: checkpoint, so the WAL holds no earlier copy of the text. PostgreSQL: no VACUUM per point
    # (autovacuum reclaims the dead rows; a dump never carries them); anonymise and delete vacuum.
    erasure.flush_copies(s.get_bind(), ())
    return bullet


def mark_for_plenary(conf: Conference, participant: Participant, *, group_id: Any, client_uuid: Any) -> None:
    """Mark one bullet as the table's point for plenary (`client_uuid` None clears the mark)."""
    grp = _writable_group(conf, participant, group_id)
    target = None
    if client_uuid is not None:
        target = by_uuid(conf, parse_uuid(client_uuid))
        if target is None or target.group_id != grp.id or target.hidden:
            raise NotFound("not_found", N_("No such point."))
    with db.transaction() as s:
        for b in s.scalars(select(Bullet).where(Bullet.group_id == grp.id, Bullet.is_plenary_point)):
            b.is_plenary_point = False
        if target is not None:
            target.is_plenary_point = True
        events.record(
            s,
            conf.id,
            events.PlenaryPointSet(
                group_id=grp.id, round_id=grp.round_id, bullet_id=target.id if target else None
            ),
        )


def visible(round_: Round | None = None, *, conference_id: int | None = None) -> list[Bullet]:
    query = select(Bullet).where(Bullet.hidden.is_(False)).order_by(Bullet.id)
    if round_ is not None:
        query = query.where(Bullet.round_id == round_.id)
    if conference_id is not None:
        query = query.where(Bullet.conference_id == conference_id)
    return list(db.session.scalars(query))

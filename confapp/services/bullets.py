"""The reporter's points. Every write carries the phone's UUID, so a retry never makes a second bullet."""

from __future__ import annotations

import uuid as uuidlib
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from confapp import db, erasure, events, schemas
from confapp.errors import N_, Conflict, Forbidden, NotFound, ServiceError, TryLater
from confapp.models import Bullet, Conference, Group, Participant, Round, RoundState, utcnow
from confapp.services import access, redaction, text

BULLET_MAX = 280
# A fast reporter types a short point in 10-20 s; 30 a minute leaves room for pasting a list, and
# stops one phone from flooding every table's screens (10,000 points in 43 s were measured).
POINTS_PER_MINUTE = 30


def parse_uuid(value: Any) -> str:
    try:
        return str(uuidlib.UUID(str(value)))
    except (ValueError, TypeError, AttributeError):
        raise ServiceError("invalid", N_("Each point needs a valid id from the phone.")) from None


def _writable_group(conf: Conference, participant: Participant, group_id: Any) -> Group:
    """The reporter (or group leader) of an open table in the running round, or a clear refusal."""
    access.require_present(participant)
    if isinstance(group_id, bool) or not (isinstance(group_id, int) or str(group_id).isdigit()):
        raise ServiceError("invalid", N_("No such group in this conference."))
    grp = access.group_in(conf, group_id)
    if participant.id not in (grp.reporter_id, grp.leader_id):
        raise Forbidden(
            "not_reporter", N_("Only this table's reporter or group leader can write its points.")
        )
    if grp.round.state != RoundState.ACTIVE or conf.active_round_id != grp.round_id:
        raise Conflict("round_closed", N_("This group round is closed; points can no longer be changed."))
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
    """Create a bullet, or return the one this UUID already made (a retry).

    `per_minute` is the phone's write rate (`CONFAPP_POINTS_PER_MINUTE`; callers pass the setting).
    """
    cid = parse_uuid(client_uuid)
    existing = by_uuid(conf, cid)
    if existing is not None:
        if existing.author_id != participant.id:
            raise Conflict("uuid_taken", N_("That point id is already used."))
        return existing
    grp = _writable_group(conf, participant, group_id)
    body = text.required(text_, N_("Point"), BULLET_MAX)
    _check_rate(conf, participant, per_minute)
    try:
        with db.transaction() as s:
            bullet = Bullet(
                conference_id=conf.id,
                round_id=grp.round_id,
                group_id=grp.id,
                client_uuid=cid,
                text=body,
                author_id=participant.id,
            )
            s.add(bullet)
            s.flush()
            events.record(s, conf.id, events.BulletPosted(bullet=schemas.bullet(bullet)))
    except IntegrityError:
        # Two deliveries of the same post raced; the first one won.
        existing = by_uuid(conf, cid)
        if existing is None:
            raise
        return existing
    return bullet


def _check_rate(conf: Conference, participant: Participant, per_minute: int) -> None:
    """At most `per_minute` new points per phone; retries of a sent point are never counted."""
    since = utcnow() - timedelta(minutes=1)
    recent = db.session.scalar(
        select(func.count(Bullet.id)).where(
            Bullet.conference_id == conf.id, Bullet.author_id == participant.id, Bullet.created_at >= since
        )
    )
    if (recent or 0) >= per_minute:
        raise TryLater(
            "too_fast",
            N_(
                "Too many points in a short time (at most %(n)d a minute). Wait a moment before the next one."
            ),
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

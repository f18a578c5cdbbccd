"""Participants come prepared: the preparation page the join link opens before the start, and the
short points participants may send from it.

While a conference is a draft and its facilitator has written something to prepare (a text or an
attachment), its join link (/j/CODE, the same QR code) opens the preparation page: purpose, agenda,
questions, attachments, and how to join on the day. Reading it needs nothing but the link.

A point sent from that page is a `Bullet` with no round, table or author: anonymous to everyone, it
reaches only the facilitators (`bullet.posted` with a staff audience) and lies on the clustering
board as its own source, "before the conference", clustered like any other point. Deleting the
conference deletes it; anonymising scrubs names in it as in every point (confapp/services/privacy.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select

from confapp import db, schemas
from confapp.errors import N_, Conflict, NotFound, ServiceError, TryLater
from confapp.live import events
from confapp.models import (
    Bullet,
    Conference,
    ConferenceStatus,
    Facilitator,
    Measure,
    PrepAttachment,
    utcnow,
)
from confapp.services import conferences, experience_bank, idempotency, measures, memberships, text
from confapp.services.bullets import BULLET_MAX, parse_uuid
from confapp.services.conferences import conference_event

ATTACHMENT_TITLE_MAX = 200
ATTACHMENT_BODY_MAX = 2000
URL_MAX = 500
MAX_ATTACHMENTS = 20
# Points from the preparation page come from anyone holding the link, with no phone identity to count
# per person: the limits are per conference. 60 a minute is more than a staff room sends in earnest
# (bullets allow 30 a minute per phone), and 500 in all keeps a board of 150-300 points workable.
INPUTS_PER_MINUTE = 60
MAX_INPUTS = 500


@dataclass(frozen=True)
class AttachmentView:
    """One attachment as the preparation page shows it (a measure: its plan, without names)."""

    id: int
    kind: str  # "text" | "link" | "measure"
    title: str
    body: str
    url: str
    measure: dict[str, Any] | None


def attachments(conf: Conference) -> list[PrepAttachment]:
    return list(
        db.session.scalars(
            select(PrepAttachment)
            .where(PrepAttachment.conference_id == conf.id)
            .order_by(PrepAttachment.position, PrepAttachment.id)
        )
    )


def is_open(conf: Conference) -> bool:
    """Whether the join link shows the preparation page: before the start, once there is material."""
    if conf.status != ConferenceStatus.DRAFT:
        return False
    return bool(conf.preparation.strip()) or bool(attachments(conf))


def _measure_plan(m: Measure) -> dict[str, Any]:
    """What a reader without an account may see of a measure: the plan, every known name as a role
    (as the experience bank shows it to another school)."""
    return experience_bank.plan_without_names(m) | {"pyramid_level": m.pyramid_level, "status": m.status}


def view(a: PrepAttachment) -> AttachmentView:
    m = db.session.get(Measure, a.measure_id) if a.measure_id is not None else None
    kind = "measure" if m is not None else ("link" if a.url else "text")
    return AttachmentView(
        id=a.id,
        kind=kind,
        title=a.title,
        body=a.body,
        url=a.url,
        measure=_measure_plan(m) if m is not None else None,
    )


def schema(a: PrepAttachment) -> dict[str, Any]:
    v = view(a)
    return {
        "id": v.id,
        "kind": v.kind,
        "title": v.title,
        "body": v.body,
        "url": v.url,
        "measure_id": a.measure_id,
        "measure": v.measure,
    }


def page(conf: Conference) -> dict[str, Any]:
    """Everything the preparation page shows, as plain data (the page and `GET /prep` agree)."""
    return {
        "title": conf.title,
        "held_on": conf.held_on.isoformat(),
        "purpose": conf.purpose,
        "preparation": conf.preparation,
        "join_code": conf.join_code,
        "agenda": [
            {
                "position": r.position,
                "kind": r.kind,
                "title": r.title,
                "question": r.question,
                "minutes": r.minutes,
            }
            for r in conf.rounds
        ],  # fmt: skip
        "attachments": [schema(a) for a in attachments(conf)],
        "accepts_input": is_open(conf),
    }


def set_text(conf: Conference, value: Any) -> Conference:
    """The preparation text; empty (with no attachments) means the join link opens the join form."""
    return conferences.update_conference(conf, preparation=value)


def attachable_measures(facilitator: Facilitator, conf: Conference) -> list[Measure]:
    """Measures from this facilitator's other conferences, then the experience bank's measures from the
    other schools of the conference's municipality: examples of plans others have made."""
    own = list(
        db.session.scalars(
            select(Measure)
            .join(Conference, Conference.id == Measure.conference_id)
            .where(Conference.facilitators.any(Facilitator.id == facilitator.id), Conference.id != conf.id)
            .order_by(Measure.title, Measure.id)
        )
    )
    muni = experience_bank.municipality_of(memberships.organisation_of(conf))
    if muni is None or not memberships.can(facilitator, "bank.read", muni):
        return own
    mine = {m.id for m in own}
    banked = [m for m in experience_bank.measures_of(muni) if m.id not in mine and m.conference_id != conf.id]
    return own + sorted(banked, key=lambda m: (m.title, m.id))


def _attachable(facilitator: Facilitator, conf: Conference, measure_id: Any) -> Measure:
    """A measure the facilitator may read, or one from the bank of the conference's municipality."""
    try:
        return measures.get_for(facilitator, measure_id)
    except NotFound:
        return experience_bank.for_conference(facilitator, conf, measure_id)


def _url(value: Any) -> str:
    url = text.optional(value, N_("Link"), URL_MAX)
    if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc):
        raise ServiceError("invalid", N_("A link must start with http:// or https://."))
    return url


def add_attachment(
    conf: Conference,
    facilitator: Facilitator,
    *,
    title: Any = None,
    body: Any = None,
    url: Any = None,
    measure_id: Any = None,
) -> PrepAttachment:
    """A short text, a link, or a measure this facilitator may read or finds in the experience bank (its
    plan, shown without names). Only before the start: the preparation page closes then."""
    measure = None
    if measure_id not in (None, ""):
        measure = _attachable(facilitator, conf, measure_id)
    if conf.status != ConferenceStatus.DRAFT:
        raise Conflict("started", N_("The conference has started: its preparation page is closed."))
    if measure is not None and any(a.measure_id == measure.id for a in attachments(conf)):
        raise Conflict("duplicate", N_("This measure is already attached to the conference."))
    clean_body = text.optional(body, N_("Text"), ATTACHMENT_BODY_MAX, single_line=False)
    clean_url = _url(url)
    if measure is None and not clean_body and not clean_url:
        raise ServiceError("empty", N_("An attachment needs a text, a link or a measure."))
    if measure is not None and (title is None or (isinstance(title, str) and not title.strip())):
        title = experience_bank.plan_without_names(measure)["title"]  # the page is public: no names
    clean_title = text.required(title, N_("Title"), ATTACHMENT_TITLE_MAX)
    existing = attachments(conf)
    if len(existing) >= MAX_ATTACHMENTS:
        raise Conflict("too_many", N_("At most %(n)d attachments."), n=MAX_ATTACHMENTS)
    with db.transaction() as s:
        a = PrepAttachment(
            conference_id=conf.id,
            position=(max((x.position for x in existing), default=0) + 1),
            title=clean_title,
            body=clean_body,
            url=clean_url,
            measure_id=measure.id if measure is not None else None,
        )
        s.add(a)
        s.flush()
        events.record(s, conf.id, conference_event(conf))
    return a


def remove_attachment(conf: Conference, attachment_id: Any) -> None:
    try:
        a = db.get(PrepAttachment, attachment_id)
    except (TypeError, ValueError):
        a = None
    if a is None or a.conference_id != conf.id:
        raise NotFound("not_found", N_("No such attachment."))
    with db.transaction() as s:
        s.delete(a)
        events.record(s, conf.id, conference_event(conf))


def inputs(conf: Conference) -> list[Bullet]:
    """The points sent before the conference, oldest first."""
    return list(
        db.session.scalars(
            select(Bullet)
            .where(Bullet.conference_id == conf.id, Bullet.round_id.is_(None), Bullet.hidden.is_(False))
            .order_by(Bullet.id)
        )
    )


def _retry_of(conf: Conference, client_uuid: str) -> Bullet | None:
    existing = db.session.scalar(
        select(Bullet).where(Bullet.conference_id == conf.id, Bullet.client_uuid == client_uuid)
    )
    if existing is not None and existing.round_id is not None:
        raise Conflict("uuid_taken", N_("That point id is already used."))
    return existing


def post_input(
    conf: Conference,
    *,
    client_uuid: Any,
    text_: Any,
    per_minute: int = INPUTS_PER_MINUTE,
    max_inputs: int = MAX_INPUTS,
) -> Bullet:
    """A participant's own point before the conference, or the one this UUID already made (a retry).

    Only while the preparation page is open (a draft with material); a retry of a point stored
    before the start still gets its point, as for bullets.
    """
    cid = parse_uuid(client_uuid)
    existing = _retry_of(conf, cid)
    if existing is not None:
        return existing
    if not is_open(conf):
        raise Conflict("started", N_("The conference has started: points before it are closed."))
    body = text.required(text_, N_("Point"), BULLET_MAX)
    with db.transaction() as s:
        since = utcnow() - timedelta(minutes=1)
        count = func.count(Bullet.id)
        mine = (Bullet.conference_id == conf.id, Bullet.round_id.is_(None))
        if (s.scalar(select(count).where(*mine, Bullet.created_at >= since)) or 0) >= per_minute:
            raise TryLater(
                "too_fast",
                N_("Many points are arriving just now. Wait a minute and send yours again."),
            )
        if (s.scalar(select(count).where(*mine)) or 0) >= max_inputs:
            raise Conflict(
                "full", N_("This conference has received %(n)d points already; no more fit."), n=max_inputs
            )
        now = utcnow()
        b, made = idempotency.insert_or_get(
            s,
            Bullet,
            unique={"conference_id": conf.id, "client_uuid": cid},
            values={
                "round_id": None, "group_id": None, "text": body, "author_id": None,
                "is_plenary_point": False, "hidden": False, "created_at": now, "updated_at": now,
            },
        )  # fmt: skip
        if not made:  # the UUID arrived twice at once: the other delivery made it
            if b.round_id is not None:
                raise Conflict("uuid_taken", N_("That point id is already used."))
            return b
        events.record(s, conf.id, events.BulletPosted(bullet=schemas.bullet(b)))
    return b

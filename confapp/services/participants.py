"""Joining from a phone: a display name and a role, nothing more; a token keeps the phone's identity."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from confapp import db, schemas
from confapp.errors import N_, Conflict, Forbidden, NotFound
from confapp.live import events
from confapp.models import Conference, ConferenceStatus, Participant, utcnow
from confapp.services import groups, idempotency, names, text
from confapp.services.conferences import normalise_join_code

NAME_MAX = 80
ROLE_MAX = 80


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def conference_by_code(code: str) -> Conference:
    conf = db.session.scalar(select(Conference).where(Conference.join_code == normalise_join_code(code)))
    if conf is None:
        raise NotFound("unknown_code", N_("No conference has that code. Check the code on the screen."))
    return conf


def code_exists(code: str) -> bool:
    """Whether a conference has this (normalised) join code: the join limiter never counts those."""
    return db.session.scalar(select(Conference.id).where(Conference.join_code == code)) is not None


def by_token(token: str | None) -> Participant | None:
    if not token:
        return None
    p = db.session.scalar(select(Participant).where(Participant.token_hash == hash_token(token)))
    return p if p is not None and not p.removed else None


def of(conf: Conference) -> list[Participant]:
    """Everyone in the conference, removed people included, read from the database.

    Not `conf.participants`: that collection may have been loaded in this session before people were
    imported or joined, and sessions do not expire on commit.
    """
    return list(
        db.session.scalars(
            select(Participant).where(Participant.conference_id == conf.id).order_by(Participant.id)
        )
    )


def joinable_names(conf: Conference, query: str | None = None) -> list[Participant]:
    """Imported people who have not yet claimed their name on a phone, optionally those matching `query`.

    The match is a case-insensitive substring of the name or role, so "ida" finds "Ida Berg" and "lærer"
    every teacher: the same rule as the join page's filter-as-you-type (participant_ui/static/join.js).
    """
    names = [p for p in conf.participants if p.imported and p.joined_at is None and not p.removed]
    needle = (query or "").strip().casefold()
    if needle:
        names = [p for p in names if needle in f"{p.display_name} {p.role}".casefold()]
    return names


def join(
    conf: Conference, *, client_uuid: Any, name: Any = None, role: Any = None, claim_id: Any = None
) -> tuple[Participant, str]:
    """A new phone joins: returns the participant and the token the phone keeps.

    `client_uuid` is the join form's key (rendered into the page, or the API client's own): two submits
    with one key make one participant, and the second gets the first's token. The token is derived from
    the key (`join_token`), so it is never stored in clear; the key itself is stored only hashed.
    """
    cid = idempotency.parse_key(client_uuid)
    token = join_token(conf.id, cid)
    with db.transaction() as s:

        def write() -> dict[str, Any]:
            return {"participant_id": _join(s, conf, token, name=name, role=role, claim_id=claim_id).id}

        done = idempotency.once(s, conf.id, key=hash_token(cid), action="join", write=write)
    p = s.get(Participant, done["participant_id"])
    if p is None or p.removed or p.token_hash != hash_token(token):
        raise Conflict("join_used", N_("This join page has been used already. Open the join page again."))
    return p, token


def join_token(conference_id: int, client_uuid: str) -> str:
    """The phone's token for a join key: the same key always gives the same token (a retried join).

    Keyed by the server's secret as well, so knowing a join key (it is in the page's HTML) is not enough
    to compute the token.
    """
    secret = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(secret, f"confapp-join:{conference_id}:{client_uuid}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()[:24]).decode()


def _join(s: Session, conf: Conference, token: str, *, name: Any, role: Any, claim_id: Any) -> Participant:
    """Inside the join transaction: claim a listed name or add a new person, then seat them."""
    if not conf.joins_open or conf.status == ConferenceStatus.FINISHED:
        raise Forbidden("closed", N_("This conference is closed for new participants."))
    if claim_id not in (None, ""):
        p = next((x for x in joinable_names(conf) if str(x.id) == str(claim_id)), None)
        if p is None:
            raise Conflict(
                "taken", N_("That name is already taken on another phone. Type your name instead.")
            )
        if role:
            p.role = text.optional(role, N_("Role"), ROLE_MAX)
    else:
        display_name = text.name(name, N_("Name"), NAME_MAX)
        _refuse_look_alike(conf, display_name)
        p = Participant(
            conference_id=conf.id,
            display_name=display_name,
            role=text.optional(role, N_("Role"), ROLE_MAX),
        )
        s.add(p)
    p.joined_at = utcnow()
    p.token_hash = hash_token(token)
    s.flush()
    events.record(s, conf.id, events.ParticipantJoined(participant=schemas.participant(p)))
    groups.seat_late_arrival(s, conf, p)
    return p


def _refuse_look_alike(conf: Conference, display_name: str) -> None:
    """Nobody may join as a look-alike of a participant or a facilitator of this conference.

    Participants are asked of the database by their stored key (one indexed lookup, not every name of
    the hall: issue 16), and from the database because `conf.participants` may be loaded before the
    latest joins. The facilitators are few and keep no key, so theirs are compared here.
    """
    mine = names.skeleton(display_name)
    taken = db.session.scalar(
        select(Participant.id)
        .where(
            Participant.conference_id == conf.id,
            Participant.name_key == mine,
            Participant.removed.is_(False),
        )
        .limit(1)
    )
    if taken is not None or any(names.skeleton(f.name) == mine for f in conf.facilitators):
        raise Conflict(
            "look_alike",
            N_("That name, or one that looks the same, is taken here. Add the first letter of your surname."),
        )


def remove(conf: Conference, participant: Participant) -> None:
    """The facilitator removes a phone: its token stops working; its bullets stay in the record."""
    with db.transaction() as s:
        participant.removed = True
        participant.token_hash = None
        events.record(s, conf.id, events.ParticipantRemoved(participant_id=participant.id))
        groups.unseat(s, conf, participant)


def release_claim(conf: Conference, participant_id: Any, token: str | None) -> Participant:
    """A phone says "this isn't me": it gives back a name it claimed from the imported list by mistake.

    The name becomes claimable again (by the right person's phone) and this phone's token stops working.
    What the phone already did under that name stays: its points and its seat belong to the listed person,
    who is the one actually at the table once they claim it. Refused (nothing changes) when the name is not
    this phone's any more, e.g. it was released and then claimed on another phone meanwhile.
    """
    p = next((x for x in conf.participants if str(x.id) == str(participant_id)), None)
    if p is None or not p.imported or p.removed:
        raise Conflict(
            "not_claimed", N_("That name was not chosen from the list, so there is nothing to give back.")
        )
    with db.transaction() as s:
        if p.joined_at is None:
            raise Conflict("already_free", N_("That name has already been given back."))
        if not token or p.token_hash != hash_token(token):
            raise Conflict(
                "claimed_elsewhere",
                N_("That name is now in use on another phone. Nothing was changed; choose your own name."),
            )
        p.joined_at = None
        p.token_hash = None
        s.flush()
        events.record(s, conf.id, events.ParticipantReleased(participant=schemas.participant(p)))
    return p

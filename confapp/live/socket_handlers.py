"""Socket.IO events. Each handler identifies the caller, calls one service, and acks the result.

Identity is decided once, on connect, and kept in Flask-SocketIO's per-connection copy of the
session (never on a namespace object: it is a singleton shared by every connection).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, request
from flask import session as flask_session
from flask_socketio import SocketIO, disconnect, join_room
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from confapp import db, schemas
from confapp.auth import participant_cookie
from confapp.errors import N_, Forbidden, ServiceError
from confapp.live.realtime import (
    current_facilitator,
    facilitator_room,
    join_conference_rooms,
    still_runs,
)
from confapp.models import Conference, Facilitator, Participant
from confapp.services import (
    bullets,
    facilitators,
    groups,
    memberships,
    participants,
    plenary,
    snapshot,
    sync,
    votes,
)
from confapp.services.access import group_in
from confapp.web import db_errors
from confapp.web.responses import error_dict, message

Ack = dict[str, Any]


def _identify(auth: Any) -> dict[str, Any] | None:
    auth = auth if isinstance(auth, dict) else {}
    kind = auth.get("kind")
    if kind == "projector":
        conf = db.session.scalar(
            select(Conference).where(Conference.projector_key == str(auth.get("key", "")))
        )
        return {"kind": "projector", "conference_id": conf.id, "key": conf.projector_key} if conf else None
    if kind == "facilitator":
        f = (
            facilitators.by_api_token(str(auth.get("token", "")))
            if auth.get("token")
            else current_facilitator()
        )
        if f is not None and auth.get("conference_id") is None:
            # A conference list page: it hears only of conferences created and deleted (`facilitator_room`).
            return {"kind": "facilitator_home", "facilitator_id": f.id}
        try:
            conf = db.get(Conference, auth.get("conference_id"))
        except (TypeError, ValueError):
            return None
        if conf is None or not memberships.can(f, "conference.run", conf):
            return None
        return {"kind": "facilitator", "conference_id": conf.id, "facilitator_id": f.id, "name": f.name}
    if kind == "participant":
        token = auth.get("token")
        if not token and auth.get("conference_id"):
            conf = db.get(Conference, auth["conference_id"])
            token = request.cookies.get(participant_cookie(conf)) if conf else None
        p = participants.by_token(str(token)) if token else None
        if p is None:
            return None
        return {"kind": "participant", "conference_id": p.conference_id, "participant_id": p.id}
    return None


IDENT = "confapp_socket"  # key in Flask-SocketIO's per-connection copy of the session


def _session(socketio: SocketIO) -> dict[str, Any]:
    ident = flask_session.get(IDENT)
    if ident is None or "conference_id" not in ident:
        raise Forbidden("forbidden", N_("Not connected to a conference."))
    return ident  # type: ignore[no-any-return]


def _context(socketio: SocketIO) -> tuple[Conference, dict[str, Any], Participant | None]:
    ident = _session(socketio)
    conf = db.session.get(Conference, ident["conference_id"])
    participant = None
    if ident["kind"] == "participant":
        participant = db.session.get(Participant, ident["participant_id"])
        if participant is None or participant.removed:
            raise Forbidden("removed", N_("You have been removed from this conference."))
    assert conf is not None
    if ident["kind"] == "facilitator":  # every event asks again: a role or a co-facilitator may have ended
        f = db.session.get(Facilitator, ident["facilitator_id"])
        if not memberships.can(f, "conference.run", conf):
            disconnect()
            raise Forbidden("forbidden", memberships.NOT_ALLOWED)
    if ident["kind"] == "projector" and ident.get("key") != conf.projector_key:
        disconnect()  # the key was replaced (anonymised): this screen gets nothing more
        raise Forbidden("revoked", N_("This projector link is no longer valid."))
    return conf, ident, participant


def register(socketio: SocketIO) -> None:
    def guarded(fn: Callable[[Any], Ack]) -> Callable[[Any], Ack]:
        def handler(data: Any = None) -> Ack:
            try:
                return fn(data if isinstance(data, dict) else {})
            except ServiceError as exc:
                db.session.rollback()
                return {"ok": False, "error": error_dict(exc)}
            except OperationalError as exc:  # locked or read-only database: the phone retries
                return {"ok": False, "error": error_dict(db_errors.unavailable(exc))}

        handler.__name__ = fn.__name__
        return handler

    def participant_only(participant: Participant | None) -> Participant:
        if participant is None:
            raise Forbidden("forbidden", N_("Only participants can do this from a phone."))
        return participant

    @socketio.on("connect")
    def on_connect(auth: Any = None) -> bool:
        ident = _identify(auth)
        if ident is None:
            return False
        flask_session[IDENT] = ident
        if ident["kind"] == "facilitator_home":
            join_room(facilitator_room(ident["facilitator_id"]))
        return True

    @socketio.on("sync")
    @guarded
    def on_sync(data: dict[str, Any]) -> Ack:
        """Enter the right rooms, then send what was missed since `since` (or a snapshot)."""
        conf, ident, participant = _context(socketio)
        viewer = snapshot.Viewer(ident["kind"], participant)  # `_context` read `conf` afresh
        staff = ident.get("facilitator_id") if ident["kind"] == "facilitator" else None
        join_conference_rooms(
            conf, ident["kind"], viewer.group_ids, participant.id if participant else None, staff
        )
        if staff is not None and not still_runs(conf.id, staff):
            # Removed between `_context`'s check and entering the rooms: the relay's close missed us.
            disconnect()
            raise Forbidden("forbidden", memberships.NOT_ALLOWED)
        since = data.get("since")
        got = sync.catch_up(
            conf, viewer, since if isinstance(since, int) else None, current_app.config["EVENT_REPLAY_LIMIT"]
        )
        if got.snapshot_required:
            return {"ok": True, "snapshot": snapshot.snapshot(conf, viewer, message)}
        return {"ok": True, "events": got.events, "seq": got.seq}

    @socketio.on("bullet.post")
    @guarded
    def on_bullet_post(data: dict[str, Any]) -> Ack:
        """The hottest event: a phone posts by its ids, loading no Conference or Participant.

        `bullets.post_as` reads the phone's removal, its table and the round in its own one SELECT,
        so nothing cached per connection can go stale here (issue 16).
        """
        ident = _session(socketio)
        if ident["kind"] != "participant":
            _, _, participant = _context(socketio)  # a screen or console: refused as before
            participant_only(participant)
        b = bullets.post_as(
            ident["conference_id"],
            ident["participant_id"],
            group_id=data.get("group_id"),
            client_uuid=data.get("uuid"),
            text_=data.get("text"),
            per_minute=current_app.config["POINTS_PER_MINUTE"],
        )
        return {"ok": True, "bullet": schemas.bullet(b)}

    @socketio.on("bullet.edit")
    @guarded
    def on_bullet_edit(data: dict[str, Any]) -> Ack:
        conf, _, participant = _context(socketio)
        b = bullets.edit(
            conf, participant_only(participant), client_uuid=data.get("uuid"), text_=data.get("text")
        )
        return {"ok": True, "bullet": schemas.bullet(b)}

    @socketio.on("bullet.delete")
    @guarded
    def on_bullet_delete(data: dict[str, Any]) -> Ack:
        conf, _, participant = _context(socketio)
        bullets.delete(conf, participant_only(participant), client_uuid=data.get("uuid"))
        return {"ok": True}

    @socketio.on("bullet.mark")
    @guarded
    def on_bullet_mark(data: dict[str, Any]) -> Ack:
        conf, _, participant = _context(socketio)
        bullets.mark_for_plenary(
            conf, participant_only(participant), group_id=data.get("group_id"), client_uuid=data.get("uuid")
        )
        return {"ok": True}

    @socketio.on("group.set_reporter")
    @guarded
    def on_set_reporter(data: dict[str, Any]) -> Ack:
        conf, _, participant = _context(socketio)
        try:
            grp = group_in(conf, data.get("group_id"))
            pid = int(data["participant_id"]) if data.get("participant_id") is not None else None
        except (TypeError, ValueError):
            raise ServiceError("invalid", N_("No such group in this conference.")) from None
        groups.set_reporter(conf, grp, pid, by=participant_only(participant), client_uuid=data.get("uuid"))
        return {"ok": True}

    @socketio.on("vote.cast")
    @guarded
    def on_vote_cast(data: dict[str, Any]) -> Ack:
        conf, _, participant = _context(socketio)
        mine = votes.cast(
            conf,
            participant_only(participant),
            cluster_id=data.get("cluster_id"),
            client_uuid=data.get("uuid"),
        )
        return {"ok": True, "my_dots": mine}

    @socketio.on("vote.retract")
    @guarded
    def on_vote_retract(data: dict[str, Any]) -> Ack:
        conf, _, participant = _context(socketio)
        return {
            "ok": True,
            "my_dots": votes.retract(
                conf,
                participant_only(participant),
                cluster_id=data.get("cluster_id"),
                client_uuid=data.get("uuid"),
            ),
        }

    @socketio.on("note.save")
    @guarded
    def on_note_save(data: dict[str, Any]) -> Ack:
        conf, ident, participant = _context(socketio)
        if ident["kind"] == "projector":
            raise Forbidden("read_only", N_("The projector view is read-only."))
        author = participant.display_name if participant else ident.get("name", "")
        note = plenary.save_note(
            conf,
            client_uuid=data.get("uuid"),
            text_=data.get("text"),
            group_number=data.get("group_number"),
            author=author,
            by=participant,
        )
        return {"ok": True, "note": schemas.note(note)}

"""Socket.IO wiring: authenticate a connection, put it in its rooms, relay the event log.

Rooms: `conf:<id>` (facilitators and phones), `conf:<id>:staff` (facilitators),
`conf:<id>:group:<gid>` (a table), `conf:<id>:screen` (projectors: only there, and only with what the
big screen shows, see `confapp.audiences`). Sockets only notify: the database is the truth, and a
client that reconnects asks for what it missed (`sync`). Protocol: docs/protocol.md.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, request
from flask_login import current_user
from flask_socketio import SocketIO, join_room, leave_room

from confapp import db, events
from confapp.audiences import Scope, ViewerKind
from confapp.events import Committed
from confapp.models import Conference

log = logging.getLogger(__name__)

socketio = SocketIO()


def conf_room(conf_id: int) -> str:
    return f"conf:{conf_id}"


def staff_room(conf_id: int) -> str:
    return f"conf:{conf_id}:staff"


def group_room(conf_id: int, group_id: int) -> str:
    return f"conf:{conf_id}:group:{group_id}"


def screen_room(conf_id: int) -> str:
    return f"conf:{conf_id}:screen"


def rooms_for(rec: Committed) -> list[str]:
    """The rooms that receive the full payload (the projector's room gets its own view of it)."""
    audience = rec.audience
    if audience.scope == Scope.EVERYONE:
        return [conf_room(rec.conference_id)]
    if audience.scope == Scope.GROUP:
        assert audience.group_id is not None
        return [group_room(rec.conference_id, audience.group_id), staff_room(rec.conference_id)]
    return [staff_room(rec.conference_id)]


def dispatch(records: list[Committed]) -> None:
    """After commit: notify every room that may see each record, in `seq` order."""
    for rec in sorted(records, key=lambda r: (r.conference_id, r.seq)):
        socketio.emit("event", events.wire(rec), to=rooms_for(rec))
        shown = events.for_viewer(ViewerKind.PROJECTOR, rec.type, rec.audience, rec.payload)
        if shown is not None:
            socketio.emit("event", events.wire(rec, shown), to=screen_room(rec.conference_id))
        if rec.type == events.ParticipantRemoved.type:
            disconnect_participant(rec.payload["participant_id"])


def participant_room(participant_id: int) -> str:
    return f"participant:{participant_id}"


def disconnect_participant(participant_id: int) -> None:
    """Close a removed phone's connections in this process (its token no longer lets it back in).

    With several processes, each one closes its own: the removal is delivered to all through the
    message queue only as an event, so a phone on another node is refused at its next sync.
    """
    room = participant_room(participant_id)
    for sid, _eio_sid in list(socketio.server.manager.get_participants("/", room)):
        socketio.server.disconnect(sid, namespace="/")


def init_app(app: Flask) -> None:
    socketio.init_app(
        app,
        async_mode=app.config.get("SOCKETIO_ASYNC_MODE", "gevent"),
        message_queue=app.config.get("MESSAGE_QUEUE"),
        channel=app.config.get("MESSAGE_QUEUE_CHANNEL", "confapp"),
        cors_allowed_origins=app.config.get("CORS_ALLOWED_ORIGINS"),
        ping_interval=app.config.get("SOCKETIO_PING_INTERVAL", 20),
        ping_timeout=app.config.get("SOCKETIO_PING_TIMEOUT", 20),
        max_http_buffer_size=64 * 1024,
    )
    events.add_dispatcher(dispatch)
    from confapp import socket_handlers

    socket_handlers.register(socketio)


def join_conference_rooms(
    conf: Conference, kind: ViewerKind, group_ids: set[int], participant_id: int | None = None
) -> None:
    """(Re)enter the rooms this connection may listen to; called on every sync."""
    sid = request.sid  # type: ignore[attr-defined]
    if kind == ViewerKind.PROJECTOR:
        join_room(screen_room(conf.id), sid=sid)  # and no other: the screen is not staff
        return
    join_room(conf_room(conf.id), sid=sid)
    if kind == ViewerKind.FACILITATOR:
        join_room(staff_room(conf.id), sid=sid)
        return
    if participant_id is not None:
        join_room(participant_room(participant_id), sid=sid)
    current = {r for r in socketio.server.rooms(sid) if r.startswith(f"conf:{conf.id}:group:")}
    wanted = {group_room(conf.id, gid) for gid in group_ids}
    for room in current - wanted:
        leave_room(room, sid=sid)
    for room in wanted - current:
        join_room(room, sid=sid)


def current_facilitator() -> Any:
    return current_user._get_current_object() if current_user.is_authenticated else None  # type: ignore[attr-defined]


__all__ = ["socketio", "init_app", "dispatch", "db"]

"""The relay keeps its own set of view rooms, so an event costs O(view rooms), not O(connections).

The set must follow the connections: a room is added when a connection enters it (`watch`), and
dropped once its last connection has left or disconnected, with the real Socket.IO room manager.
"""

from __future__ import annotations

from flask import Flask

from confapp import db
from confapp.live import events
from confapp.live.audiences import ViewerKind
from confapp.live.realtime import Relay, relay, socketio, view_room
from confapp.models import Conference
from confapp.services import conferences, facilitators


def _conference() -> Conference:
    f = facilitators.create(email="r@example.no", name="Ordstyrer R", password="testpassord-123")
    return conferences.create_conference(f, title="Rom", template="dk1_school")


def _enter(rel: Relay, conf: Conference, eio_sid: str, room: str) -> str:
    """A connection of this process joins `room`, as `join_conference_rooms` does after the handshake."""
    manager = socketio.server.manager
    sid = manager.connect(eio_sid, "/")
    manager.enter_room(sid, "/", room)
    rel.watch(conf.id, conf.last_seq, room)
    return sid


def _post_event(conf: Conference) -> int:
    with db.transaction() as s:
        events.record(s, conf.id, events.PlenaryFocus(round_id=1, group_number=1))
    db.session.refresh(conf)
    return conf.last_seq


def test_view_rooms_follow_the_connections_that_enter_and_leave(app: Flask) -> None:
    conf = _conference()
    rel = relay()
    staff = view_room(conf.id, ViewerKind.FACILITATOR)
    table = view_room(conf.id, ViewerKind.PARTICIPANT, {7})
    other_conf = view_room(conf.id + 1000, ViewerKind.FACILITATOR)
    s1 = _enter(rel, conf, "e1", staff)
    s2 = _enter(rel, conf, "e2", table)
    s3 = _enter(rel, conf, "e3", table)
    socketio.server.manager.enter_room(s3, "/", other_conf)  # another conference's room is not this one's
    assert set(rel._view_rooms(conf.id)) == {staff, table}

    seq = _post_event(conf)
    assert rel.sent_to[conf.id][staff] == seq  # the event was relayed to the staff room

    socketio.server.manager.leave_room(s2, "/", table)
    assert set(rel._view_rooms(conf.id)) == {staff, table}  # one connection still in the table's room
    socketio.server.manager.disconnect(s3, "/")
    assert set(rel._view_rooms(conf.id)) == {staff}  # empty: dropped
    assert table not in rel.view_rooms[conf.id]

    socketio.server.manager.disconnect(s1, "/")
    _post_event(conf)
    assert conf.id not in rel.pos and conf.id not in rel.view_rooms  # nobody here listens any more

    s4 = _enter(rel, conf, "e4", staff)  # a room entered again is relayed to again
    seq = _post_event(conf)
    assert set(rel._view_rooms(conf.id)) == {staff}
    assert rel.sent_to[conf.id][staff] == seq
    socketio.server.manager.disconnect(s4, "/")

"""Socket.IO wiring: authenticate a connection, put it in its rooms, relay the event log.

Rooms: one view room per connection and conference, `conf:<id>:view:<kind>[:<table ids>]`: every
connection in it may see the same events (the projector only what the big screen shows, see
`confapp.live.audiences`), and `participant:<id>` to close a removed phone. Sockets only notify: the
database is the truth; each process's `Relay` reads committed events from it in `seq` order, and a
client that sees a gap asks for what it missed (`sync`). Protocol: docs/protocol.md.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, has_app_context, request
from flask import session as flask_session
from flask_login import current_user
from flask_socketio import SocketIO, join_room, leave_room
from sqlalchemy import Engine, select

from confapp import db
from confapp.live import events, wsserver
from confapp.live.audiences import Audience, ViewerKind
from confapp.live.events import Committed
from confapp.models import Conference, EventRecord, conference_facilitators

log = logging.getLogger(__name__)

socketio = SocketIO()


def participant_room(participant_id: int) -> str:
    return f"participant:{participant_id}"


def facilitator_room(facilitator_id: int) -> str:
    """Every open conference list of one facilitator (any page, any device): told of created and
    deleted conferences (`events.ConferenceListChanged`)."""
    return f"facilitator:{facilitator_id}"


def conference_room(conf_id: int) -> str:
    """Every connection of the conference, on any process: for what is announced, not stored
    (`events.ANNOUNCED_TYPES`), which no relay can read back from the event table."""
    return f"conf:{conf_id}"


def staff_room(conf_id: int, facilitator_id: int) -> str:
    """One facilitator's connections to one conference's live stream (console, board, any tab or device):
    closed when their access ends (`events.AccessEnded`, `disconnect_staff`)."""
    return f"conf:{conf_id}:staff:{facilitator_id}"


def view_room(conf_id: int, kind: ViewerKind, group_ids: set[int] | frozenset[int] = frozenset()) -> str:
    """The room of every connection that sees the same events: same kind, and for phones the same tables.

    Its name says what its members may see, so the relay can filter each event once per room and give
    the room's `prev` (docs/protocol.md, "Gaps").
    """
    room = f"conf:{conf_id}:view:{kind}"
    if kind == ViewerKind.PARTICIPANT:
        room += ":" + ",".join(str(g) for g in sorted(group_ids))
    return room


def parse_view_room(conf_id: int, room: str) -> tuple[ViewerKind, frozenset[int]] | None:
    prefix = f"conf:{conf_id}:view:"
    if not room.startswith(prefix):
        return None
    kind, _, groups = room[len(prefix) :].partition(":")
    return ViewerKind(kind), frozenset(int(g) for g in groups.split(",") if g)


# How often a process looks for events whose wake-up it missed (Redis down, a wake lost): the longest a
# point waits for its screens when the message queue fails. One indexed query per conference per second.
POLL_S = 1.0
# Rows read from the event table at a time.
BATCH = 1000


class Relay:
    """Per process: tells this process's connections a conference's committed events, in `seq` order.

    It reads them from the event table, not from the message queue, so what it delivers is what the
    database holds: a commit made in another process arrives here in order, and an event whose wake-up
    was lost (Redis stopped) is found by the next poll. The queue (Redis) only carries wake-ups.
    One lock per conference: whoever holds it delivers everything committed after `pos`; a commit
    whose events were already delivered by someone else returns at once.
    Why not relay through the message queue: docs/protocol.md, "Order".
    """

    def __init__(self, engine: Engine, wake_url: str | None, channel: str) -> None:
        self.engine = engine
        self.wake_url = wake_url if wake_url and wake_url.startswith("redis") else None
        self.channel = f"{channel}:wake"
        self.pos: dict[int, int] = {}  # conference → last seq delivered here (absent: nobody listens here)
        self.sent_to: dict[int, dict[str, int]] = {}  # conference → view room → last seq it was sent
        # conference → this process's view rooms and what each may see. Kept here so relaying an event
        # costs O(view rooms of the conference), not a scan of every room (one per connection).
        self.view_rooms: dict[int, dict[str, tuple[ViewerKind, frozenset[int]]]] = {}
        self._locks: dict[int, threading.Lock] = {}
        self._guard = threading.Lock()
        self._to_wake: set[int] = set()
        self._kick = threading.Event()
        self._started = False

    def watch(self, conf_id: int, last_seq: int, room: str | None = None) -> None:
        """A connection here entered the conference's view `room` (its catch-up reads after this)."""
        with self._lock(conf_id):
            self.pos.setdefault(conf_id, last_seq)
            if room is not None and (view := parse_view_room(conf_id, room)) is not None:
                self.view_rooms.setdefault(conf_id, {})[room] = view
        with self._guard:
            if self._started or self.wake_url is None:
                return
            self._started = True
        socketio.start_background_task(self._poll)
        socketio.start_background_task(self._listen)
        socketio.start_background_task(self._publish)

    def committed(self, records: list[Committed]) -> None:
        """After a commit in this process: deliver here, and wake the other processes."""
        by_conf: dict[int, list[Committed]] = {}
        for rec in sorted(records, key=lambda r: (r.conference_id, r.seq)):
            if rec.type in events.ANNOUNCED_TYPES:
                announce(rec)
                continue
            by_conf.setdefault(rec.conference_id, []).append(rec)
        for conf_id, recs in by_conf.items():
            self.relay(conf_id, recs)
        if self.wake_url is not None:
            self._to_wake.update(by_conf)
            self._kick.set()

    def relay(self, conf_id: int, known: list[Committed] | None = None) -> None:
        """Deliver every event after `pos` to this process's view rooms, in order."""
        with self._lock(conf_id):
            pos = self.pos.get(conf_id)
            if pos is None:
                return
            rooms = self._view_rooms(conf_id)
            if not rooms:
                del self.pos[conf_id]  # nobody here listens; the next `watch` starts afresh
                self.sent_to.pop(conf_id, None)
                self.view_rooms.pop(conf_id, None)
                return
            if known and known[-1].seq <= pos:
                return  # someone else delivered them already
            sent_to = self.sent_to.setdefault(conf_id, {})
            for room in set(sent_to) - set(rooms):
                del sent_to[room]
            for room in rooms:
                # A room first seen now: what it was sent before is unknown, so `prev` says "everything
                # up to pos", which is never less than the truth. A member behind it syncs once.
                sent_to.setdefault(room, pos)
            while True:
                if known and known[0].seq == pos + 1:
                    batch, known = known, None  # this process's own commit, next in line: no read
                else:
                    batch = self._read(conf_id, pos)
                for rec in batch:
                    self._deliver(rec, rooms, sent_to)
                    pos = rec.seq
                self.pos[conf_id] = pos
                if len(batch) < BATCH:
                    return

    def _lock(self, conf_id: int) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(conf_id, threading.Lock())

    def _view_rooms(self, conf_id: int) -> dict[str, tuple[ViewerKind, frozenset[int]]]:
        """The conference's view rooms that still have a connection here (the manager deletes empty ones)."""
        mine = self.view_rooms.get(conf_id, {})
        live = socketio.server.manager.rooms.get("/", {})
        for room in [room for room in mine if not live.get(room)]:
            del mine[room]
        return dict(mine)

    def _read(self, conf_id: int, after: int) -> list[Committed]:
        query = (
            select(EventRecord.seq, EventRecord.type, EventRecord.audience, EventRecord.payload)
            .where(EventRecord.conference_id == conf_id, EventRecord.seq > after)
            .order_by(EventRecord.seq)
            .limit(BATCH)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            Committed(conf_id, seq, kind, Audience.parse(aud), payload) for seq, kind, aud, payload in rows
        ]

    def _deliver(
        self, rec: Committed, rooms: dict[str, tuple[ViewerKind, frozenset[int]]], sent_to: dict[str, int]
    ) -> None:
        for room, (kind, group_ids) in rooms.items():
            shown = events.for_viewer(kind, rec.type, rec.audience, rec.payload, group_ids)
            if shown is None:
                continue
            # Only to this process's connections: every process relays from the table itself.
            socketio.emit(
                "event", {**events.wire(rec, shown), "prev": sent_to[room]}, to=room, ignore_queue=True
            )
            sent_to[room] = rec.seq
        if rec.type == events.ParticipantRemoved.type:
            disconnect_participant(rec.payload["participant_id"])
        if rec.type == events.AccessEnded.type:
            disconnect_staff(rec.conference_id, rec.payload["facilitator_id"])

    def _poll(self) -> None:
        while True:
            socketio.sleep(POLL_S)
            for conf_id in list(self.pos):
                self._guarded(self.relay, conf_id)

    def _publish(self) -> None:
        """Wake the other processes after a commit here; coalesced, and never in a request's way."""
        import redis

        client = redis.Redis.from_url(self.wake_url, socket_connect_timeout=2, socket_timeout=2)
        while True:
            self._kick.wait()
            self._kick.clear()
            todo, self._to_wake = self._to_wake, set()
            for conf_id in todo:
                if not self._guarded(client.publish, self.channel, str(conf_id)):
                    socketio.sleep(POLL_S)  # Redis is away: the other processes' polls cover for it
                    break

    def _listen(self) -> None:
        import redis

        while True:
            try:
                client = redis.Redis.from_url(
                    self.wake_url, socket_connect_timeout=2, health_check_interval=5
                )
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(self.channel)
                for message in pubsub.listen():
                    conf_id = int(message["data"])
                    if conf_id in self.pos:
                        self._guarded(self.relay, conf_id)
            except Exception:  # noqa: BLE001 - Redis away; the polls deliver meanwhile
                log.info("event wake-up channel unavailable; retrying", exc_info=True)
                socketio.sleep(POLL_S)

    @staticmethod
    def _guarded(fn: Callable[..., Any], *args: Any) -> bool:
        """A background loop must outlive one failed round (database or Redis briefly away)."""
        try:
            fn(*args)
        except Exception:  # noqa: BLE001
            log.warning("event relay: %s failed; retrying", getattr(fn, "__name__", fn), exc_info=True)
            return False
        return True


def relay() -> Relay:
    return current_app.extensions["confapp_relay"]  # type: ignore[no-any-return]


def dispatch(records: list[Committed]) -> None:
    """After commit: this app's relay delivers them (a CLI command with no relay tells nobody)."""
    if has_app_context() and "confapp_relay" in current_app.extensions:
        relay().committed(records)


def announce(rec: Committed) -> None:
    """An event that is never stored (the conference's deletion) reaches the conference's connections on
    every process through the message queue: the other processes' relays cannot read it from the table.
    It has no `prev`, so a screen applies it whatever it last saw (docs/protocol.md, "Gaps")."""
    socketio.emit("event", events.wire(rec, rec.payload), to=conference_room(rec.conference_id))


def tell_home(told: list[events.Told]) -> None:
    """After commit: the facilitators' list pages hear it. Through the message queue when there is one,
    so list pages connected to any process hear it; a list only reloads, so no order is needed."""
    if not (has_app_context() and "confapp_relay" in current_app.extensions):
        return  # a CLI command with no Socket.IO server tells nobody
    for notice in told:
        for fid in notice.facilitator_ids:
            socketio.emit("home", {"type": notice.type, "data": notice.payload}, to=facilitator_room(fid))


def disconnect_participant(participant_id: int) -> None:
    """Close a removed phone's connections in this process (its token no longer lets it back in).

    Every process's relay reads the removal from the event table and closes its own.
    """
    room = participant_room(participant_id)
    for sid, _eio_sid in list(socketio.server.manager.get_participants("/", room)):
        socketio.server.disconnect(sid, namespace="/")


def disconnect_staff(conf_id: int, facilitator_id: int) -> None:
    """Close one facilitator's connections to a conference in this process, right after its relay gave
    them `access.ended`: nothing later reaches them. Every process's relay reads the event from the table
    and closes its own; a reconnect is refused (`memberships.can`)."""
    room = staff_room(conf_id, facilitator_id)
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
        serializer=wsserver.JsonPacket,
    )
    app.extensions["confapp_relay"] = Relay(
        app.extensions["confapp_engine"],
        app.config.get("MESSAGE_QUEUE"),
        app.config.get("MESSAGE_QUEUE_CHANNEL", "confapp"),
    )
    events.add_dispatcher(dispatch)
    events.add_home_dispatcher(tell_home)
    from confapp.live import socket_handlers

    socket_handlers.register(socketio)


VIEW_ROOM = "confapp_view_room"  # key in Flask-SocketIO's per-connection copy of the session


def join_conference_rooms(
    conf: Conference,
    kind: ViewerKind,
    group_ids: set[int] | frozenset[int],
    participant_id: int | None = None,
    facilitator_id: int | None = None,
) -> None:
    """(Re)enter the one view room this connection listens to; called on every sync, before the catch-up.

    A facilitator's connection also enters `staff_room`, which is closed when their access ends.
    """
    sid = request.sid  # type: ignore[attr-defined]
    wanted = view_room(conf.id, kind, group_ids)
    # The room it is in is kept with the connection: asking the manager (`rooms(sid)`) scans every room of
    # the server, one per connection, which made a hall's connect storm quadratic (issue 16).
    previous = flask_session.get(VIEW_ROOM)
    if previous is not None and previous != wanted:
        leave_room(previous, sid=sid)
    flask_session[VIEW_ROOM] = wanted
    join_room(wanted, sid=sid)
    join_room(conference_room(conf.id), sid=sid)
    if participant_id is not None:
        join_room(participant_room(participant_id), sid=sid)
    if facilitator_id is not None:
        join_room(staff_room(conf.id, facilitator_id), sid=sid)
    relay().watch(conf.id, conf.last_seq, wanted)


def still_runs(conf_id: int, facilitator_id: int) -> bool:
    """Read on a connection of its own, so it sees what committed after this request's reads began: a
    removal relayed just before this connection entered its rooms (see `on_sync`) is not missed."""
    query = select(conference_facilitators.c.facilitator_id).where(
        conference_facilitators.c.conference_id == conf_id,
        conference_facilitators.c.facilitator_id == facilitator_id,
    )
    with relay().engine.connect() as conn:
        return conn.execute(query).first() is not None


def current_facilitator() -> Any:
    return current_user._get_current_object() if current_user.is_authenticated else None  # type: ignore[attr-defined]


__all__ = ["socketio", "init_app", "dispatch", "db"]

"""The per-conference event log. Architecture: docs/protocol.md.

Invariants:
- Every state change a client must learn of is committed in the same transaction as its
  `EventRecord`, whose `seq` is taken from `Conference.last_seq` with one UPDATE … RETURNING just
  before the commit, so `seq` strictly increases per conference even with several server processes,
  and no transaction commits a lower `seq` after a client has seen a higher one.
- Only after the commit are the records handed to the dispatchers (the Socket.IO layer). A client
  that missed a notification asks for everything after its last `seq` (`events_since`).
- One class per event type, fields declared: an undeclared field is a TypeError at construction.
  `to_payload` and the JS reducers in `confapp/static/js/state.js` must change together.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from confapp.live.audiences import ALL, SCREEN, STAFF, Audience, ViewerKind, group_audience
from confapp.models import Conference, EventRecord, utcnow

__all__ = ["ALL", "SCREEN", "STAFF", "Audience", "group_audience"]


@dataclass(frozen=True)
class Event:
    type: ClassVar[str]

    def audience(self) -> Audience:
        return ALL

    def to_payload(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def on_screen(cls, payload: dict[str, Any]) -> dict[str, Any] | None:
        """What the projector receives of a payload it may see (None: nothing). Applied live and on
        replay alike, and the projector's snapshot shows the same (`snapshot._screen_snapshot`)."""
        return payload


def screen_member(member: dict[str, Any]) -> dict[str, Any]:
    """A table member as the big screen shows one ("who sits where"): the name, nothing else."""
    return {"id": member["id"], "name": member["name"]}


def screen_note(note: dict[str, Any]) -> dict[str, Any]:
    """A plenary note on the big screen: its text, not who typed it."""
    return {k: v for k, v in note.items() if k != "author"}


def for_viewer(
    kind: ViewerKind,
    type_: str,
    audience: Audience,
    payload: dict[str, Any],
    group_ids: set[int] | frozenset[int] = frozenset(),
) -> dict[str, Any] | None:
    """The payload this viewer receives of an event, live or replayed; None when not at all."""
    if not audience.reaches(kind, group_ids):
        return None
    if kind == ViewerKind.PROJECTOR:
        cls = EVENT_TYPES.get(type_) or ANNOUNCED_TYPES.get(type_)
        return cls.on_screen(payload) if cls is not None else None  # unknown: not for a screen
    return payload


@dataclass(frozen=True)
class ConferenceUpdated(Event):
    """Title, purpose, status or the agenda changed. Everyone refreshes the conference header."""

    type: ClassVar[str] = "conference.updated"
    conference: dict[str, Any]
    rounds: list[dict[str, Any]]


@dataclass(frozen=True)
class ConferenceDeleted(Event):
    """The conference was deleted with everything in it, its log included (`privacy.delete`). Announced
    after the commit with the next `seq`, but never stored (`announce`): there is no log left to hold it,
    so it is no replayable type (in ANNOUNCED_TYPES, not EVENT_TYPES). Consoles, phones and the projector
    replace the page with a message saying so."""

    type: ClassVar[str] = "conference.deleted"
    conference_id: int


@dataclass(frozen=True)
class ConferenceListChanged(Event):
    """A conference was created or deleted: the conference lists of its facilitators are told (on every
    open page and device), not the conference's own screens. No `seq` and never stored: it belongs to
    no conference's log, and a list page simply reloads the list (`tell_facilitators`)."""

    type: ClassVar[str] = "conference.list_changed"
    conference_id: int
    change: str  # "created", "deleted", or "left" (this person no longer runs it)


@dataclass(frozen=True)
class AccessEnded(Event):
    """A facilitator no longer runs the conference (a co-facilitator removed from it). Staff only. Every
    process's relay delivers it like any event, then closes that person's connections to the conference
    (`realtime.disconnect_staff`): they hear everything up to here, and nothing after. Their console says
    they no longer have access; the other consoles need not do anything."""

    type: ClassVar[str] = "access.ended"
    facilitator_id: int

    def audience(self) -> Audience:
        return STAFF


@dataclass(frozen=True)
class ParticipantJoined(Event):
    """A phone joined (or an imported person claimed their name). Facilitators only: it carries unit and
    grade team, and imported people who never come are no business of the hall's screen."""

    type: ClassVar[str] = "participant.joined"
    participant: dict[str, Any]

    def audience(self) -> Audience:
        return STAFF


@dataclass(frozen=True)
class ParticipantReleased(Event):
    """A phone said "this isn't me" about a name it claimed from the list: the name is free again
    (`participant.joined` false). Its points and seats stay. Staff only."""

    type: ClassVar[str] = "participant.released"
    participant: dict[str, Any]

    def audience(self) -> Audience:
        return STAFF


@dataclass(frozen=True)
class ParticipantRemoved(Event):
    type: ClassVar[str] = "participant.removed"
    participant_id: int

    def audience(self) -> Audience:
        return STAFF


@dataclass(frozen=True)
class GroupsPlanned(Event):
    """The facilitator's draft composition for a round; phones do not see it until published."""

    type: ClassVar[str] = "groups.planned"
    round_id: int
    groups: list[dict[str, Any]]

    def audience(self) -> Audience:
        return STAFF


@dataclass(frozen=True)
class GroupsPublished(Event):
    """Tables were announced, or changed after that: every client takes a new snapshot, in which a phone
    finds its own table and its people (other tables without theirs). No table list here: it would send
    every name in the hall to every phone."""

    type: ClassVar[str] = "groups.published"
    round_id: int


@dataclass(frozen=True)
class GroupMemberAdded(Event):
    """A late arrival was seated at a published table. Only that table and staff hear of it: one
    latecomer must not make every phone in the hall take a new snapshot."""

    type: ClassVar[str] = "group.member_added"
    round_id: int
    group_id: int
    member: dict[str, Any]

    def audience(self) -> Audience:
        return group_audience(self.group_id)

    @classmethod
    def on_screen(cls, payload: dict[str, Any]) -> dict[str, Any] | None:
        return {**payload, "member": screen_member(payload["member"])}


@dataclass(frozen=True)
class GroupRolesSet(Event):
    """Leader or reporter of a table changed."""

    type: ClassVar[str] = "group.roles_set"
    round_id: int
    group_id: int
    leader_id: int | None
    reporter_id: int | None


@dataclass(frozen=True)
class PhaseChanged(Event):
    """An agenda item started, its countdown moved, the conference finished, or such a change was
    undone. Clients re-read their snapshot.

    `previous` (on a start or finish only) is what the undo service restores: the active round id,
    status and focused table before the change, and `round_id`, the round it started (None: finish).
    `undo_of` is the seq of the change an undo reverted (see `confapp.services.phase_undo`).
    """

    type: ClassVar[str] = "phase.changed"
    active_round: dict[str, Any] | None
    status: str
    previous: dict[str, Any] | None = None
    undo_of: int | None = None


@dataclass(frozen=True)
class BulletPosted(Event):
    type: ClassVar[str] = "bullet.posted"
    bullet: dict[str, Any]

    def to_payload(self) -> dict[str, Any]:
        # `schemas.bullet` is flat (scalars only), so a shallow copy is a full one: `asdict`'s deep copy
        # was about 5 % of a post's CPU (issue 16's profile of the write path).
        return {"bullet": dict(self.bullet)}

    def audience(self) -> Audience:
        # A point from the preparation page has no table: only facilitators (the board) receive it.
        gid = self.bullet["group_id"]
        return group_audience(gid) if gid is not None else STAFF


@dataclass(frozen=True)
class BulletEdited(Event):
    type: ClassVar[str] = "bullet.edited"
    bullet: dict[str, Any]

    def audience(self) -> Audience:
        return group_audience(self.bullet["group_id"])


@dataclass(frozen=True)
class BulletDeleted(Event):
    type: ClassVar[str] = "bullet.deleted"
    bullet_id: int
    group_id: int
    round_id: int

    def audience(self) -> Audience:
        return group_audience(self.group_id)


@dataclass(frozen=True)
class PlenaryPointSet(Event):
    """The table's one point for plenary (None: unmarked)."""

    type: ClassVar[str] = "bullet.plenary_point"
    group_id: int
    round_id: int
    bullet_id: int | None

    def audience(self) -> Audience:
        return group_audience(self.group_id)


@dataclass(frozen=True)
class PlenaryFocus(Event):
    """The projector and phones highlight this table's report."""

    type: ClassVar[str] = "plenary.focus"
    round_id: int
    group_number: int | None


@dataclass(frozen=True)
class ProjectorPaged(Event):
    """The facilitator turned the projector's page (-1 back, +1 on). Relative: only the screen knows how
    many pages its list needs at its size. Not state: a screen that was offline just keeps paging."""

    type: ClassVar[str] = "projector.paged"
    delta: int

    def audience(self) -> Audience:
        return SCREEN  # the facilitators and the projector it turns; phones have no pages


@dataclass(frozen=True)
class NoteSaved(Event):
    type: ClassVar[str] = "note.saved"
    note: dict[str, Any]

    @classmethod
    def on_screen(cls, payload: dict[str, Any]) -> dict[str, Any] | None:
        return {**payload, "note": screen_note(payload["note"])}


@dataclass(frozen=True)
class ClusterSaved(Event):
    """A cluster was created or renamed (its items travel in `board.moved`). Everyone: phones show
    the clusters during a dot vote."""

    type: ClassVar[str] = "cluster.saved"
    cluster: dict[str, Any]


@dataclass(frozen=True)
class ClusterDeleted(Event):
    """A cluster was merged into another or emptied and removed."""

    type: ClassVar[str] = "cluster.deleted"
    cluster_id: int


@dataclass(frozen=True)
class BoardMoved(Event):
    """Cards moved on the board: `moves` is [{bullet_id, cluster_id (null: unclustered), position}].

    `by` (facilitator id) and `undo_of` (the seq this move reverses) let "undo" find the last move.
    """

    type: ClassVar[str] = "board.moved"
    moves: list[dict[str, Any]]
    previous: list[dict[str, Any]]
    by: int | None = None
    undo_of: int | None = None


@dataclass(frozen=True)
class VoteOpened(Event):
    """A dot vote opened: phones show the clusters and their dots."""

    type: ClassVar[str] = "vote.opened"
    vote: dict[str, Any]


@dataclass(frozen=True)
class VoteTally(Event):
    """The running tally after a dot was placed or taken back (projector bar chart); not for phones."""

    type: ClassVar[str] = "vote.tally"
    vote_id: int
    totals: dict[str, int]

    def audience(self) -> Audience:
        return SCREEN


@dataclass(frozen=True)
class VoteClosed(Event):
    """The vote closed; `final` is the stored tally everyone may see."""

    type: ClassVar[str] = "vote.closed"
    vote: dict[str, Any]


@dataclass(frozen=True)
class InitiativeSaved(Event):
    """A draft initiative was created or edited (its `version` increases on every save). Everyone:
    phones show what became of their table's points."""

    type: ClassVar[str] = "initiative.saved"
    initiative: dict[str, Any]

    @classmethod
    def on_screen(cls, payload: dict[str, Any]) -> dict[str, Any] | None:
        return None  # the big screen shows no initiatives (they name coordinators)


@dataclass(frozen=True)
class MeasureSaved(Event):
    """A measure this conference's tables evaluate changed its status or title, e.g. the steering
    group decided during DK2. Everyone, the big screen too: the plenary shows the status beside the
    table's report. `measure` is `{id, title, status}`, as the tables carry it: no plan, no names."""

    type: ClassVar[str] = "measure.saved"
    measure: dict[str, Any]


@dataclass(frozen=True)
class InitiativeDeleted(Event):
    type: ClassVar[str] = "initiative.deleted"
    initiative_id: int

    @classmethod
    def on_screen(cls, payload: dict[str, Any]) -> dict[str, Any] | None:
        return None


@dataclass(frozen=True)
class EscalationSaved(Event):
    """A measure of this conference was escalated to the strategy forum, postponed or decided there,
    or the forum's question became a group question here. Staff only: never phones or the big screen."""

    type: ClassVar[str] = "escalation.saved"
    escalation: dict[str, Any]

    def audience(self) -> Audience:
        return STAFF

    @classmethod
    def on_screen(cls, payload: dict[str, Any]) -> dict[str, Any] | None:
        return None


EVENT_TYPES: dict[str, type[Event]] = {
    cls.type: cls
    for cls in (
        ConferenceUpdated,
        AccessEnded,
        ParticipantJoined,
        ParticipantReleased,
        ParticipantRemoved,
        GroupsPlanned,
        GroupsPublished,
        GroupMemberAdded,
        GroupRolesSet,
        PhaseChanged,
        BulletPosted,
        BulletEdited,
        BulletDeleted,
        PlenaryPointSet,
        PlenaryFocus,
        ProjectorPaged,
        NoteSaved,
        ClusterSaved,
        ClusterDeleted,
        BoardMoved,
        VoteOpened,
        VoteTally,
        VoteClosed,
        InitiativeSaved,
        InitiativeDeleted,
        MeasureSaved,
        EscalationSaved,
    )
}

# Told live but never stored, so never replayed (`announce`); the big screen shows them too.
ANNOUNCED_TYPES: dict[str, type[Event]] = {ConferenceDeleted.type: ConferenceDeleted}


@dataclass(frozen=True)
class Committed:
    """A log entry as handed to dispatchers after commit: plain data, safe outside the session."""

    conference_id: int
    seq: int
    type: str
    audience: Audience
    payload: dict[str, Any]


Dispatcher = Callable[[list[Committed]], None]
_dispatchers: list[Dispatcher] = []


def add_dispatcher(fn: Dispatcher) -> None:
    """Called once per process by the Socket.IO layer; services never emit themselves."""
    if fn not in _dispatchers:
        _dispatchers.append(fn)


def record(session: Session, conference_id: int, event: Event) -> None:
    """Append `event` to the log inside the caller's transaction.

    The `seq` is taken by `commit` (called by `confapp.db.transaction`), not here: its UPDATE locks the
    conference row until the commit, and on PostgreSQL every other write to the conference waits for that
    lock. Taken last (on PostgreSQL in one flush with the COMMIT), the lock is held that briefly, however
    long the service's own work was.
    """
    session.info.setdefault(_PENDING, []).append((conference_id, event))


_PENDING = "confapp_pending"
_ANNOUNCED = "confapp_announced"  # told after the commit, never stored


def announce(session: Session, conference_id: int, seq: int, event: Event) -> None:
    """Hand `event` to the dispatchers after the commit without storing it (see `ConferenceDeleted`)."""
    session.info.setdefault(_ANNOUNCED, []).append(
        Committed(conference_id, seq, event.type, event.audience(), event.to_payload())
    )


@dataclass(frozen=True)
class Told:
    """A notice for facilitators' own pages (their conference lists), handed over after the commit."""

    facilitator_ids: tuple[int, ...]
    type: str
    payload: dict[str, Any]


HomeDispatcher = Callable[[list[Told]], None]
_home_dispatchers: list[HomeDispatcher] = []
_TOLD = "confapp_told"


def add_home_dispatcher(fn: HomeDispatcher) -> None:
    """Called once per process by the Socket.IO layer (the facilitators' list pages)."""
    if fn not in _home_dispatchers:
        _home_dispatchers.append(fn)


def tell_facilitators(session: Session, facilitator_ids: list[int], event: ConferenceListChanged) -> None:
    """Tell these facilitators' list pages of `event` once the caller's transaction has committed."""
    session.info.setdefault(_TOLD, []).append(Told(tuple(facilitator_ids), event.type, event.to_payload()))


def commit(session: Session) -> list[Committed]:
    """Take the seqs of the events recorded in this transaction, commit, then hand them to the dispatchers.

    An explicit step of `confapp.db.transaction`, not a commit hook: the seq is allocated by the same
    code that commits, so there is one place that can hold the conference row's lock. Because that
    UPDATE locks the row until COMMIT, transactions of one conference commit in `seq` order: whoever
    sees seq N committed also sees every lower seq (the relay in `confapp.live.realtime` relies on it).
    """
    pending: list[tuple[int, Event]] = session.info.pop(_PENDING, [])
    by_conference: dict[int, list[Event]] = {}
    for conference_id, event in pending:
        by_conference.setdefault(conference_id, []).append(event)
    dialect = session.get_bind().dialect
    if by_conference and dialect.name == "postgresql" and dialect.driver == "psycopg":
        committed = _commit_in_one_flush(session, by_conference)  # pipeline mode is psycopg 3's
    else:
        committed = []
        for conference_id, evs in sorted(by_conference.items()):
            rows = [(ev.type, ev.audience(), ev.to_payload()) for ev in evs]
            first = _append(session, conference_id, rows)
            committed += _committed(conference_id, first, rows)
        session.commit()
    committed += session.info.pop(_ANNOUNCED, [])
    told: list[Told] = session.info.pop(_TOLD, [])
    if committed:
        for fn in _dispatchers:
            fn(committed)
    if told:
        for home in _home_dispatchers:
            home(told)
    return committed


def _committed(conference_id: int, first: int, rows: list[Row]) -> list[Committed]:
    return [
        Committed(conference_id, first + i, kind, audience, payload)
        for i, (kind, audience, payload) in enumerate(rows)
    ]


Row = tuple[str, Audience, dict[str, Any]]


def _append(session: Session, conference_id: int, rows: list[Row]) -> int:
    """Take len(rows) seqs, add the records; returns the first seq.

    Core statements built once and executed on the session's connection (same transaction): the ORM's
    UPDATE and the session's execute layer cost more than SQLite's work (issue 16's profile).
    """
    conn = session.connection()
    last = conn.execute(_BUMP_SEQ, {"conf_id": conference_id, "n_events": len(rows)}).scalar_one()
    first = last - len(rows) + 1
    # The ORM UPDATE it replaces kept a loaded conference's `last_seq` current (no expiry on commit).
    conf = session.identity_map.get(identity_key(Conference, conference_id))
    if conf is not None:
        set_committed_value(conf, "last_seq", last)
    now = utcnow()
    conn.execute(
        _INSERT_EVENTS,
        [
            {
                "conference_id": conference_id,
                "seq": first + i,
                "type": kind,
                "audience": str(audience),
                "payload": payload,
                "created_at": now,
            }
            for i, (kind, audience, payload) in enumerate(rows)
        ],
    )
    return int(first)


_CONFERENCES = Conference.__table__
_BUMP_SEQ = (
    update(_CONFERENCES)
    .where(_CONFERENCES.c.id == bindparam("conf_id"))
    .values(last_seq=_CONFERENCES.c.last_seq + bindparam("n_events"))
    .returning(_CONFERENCES.c.last_seq)
)
_INSERT_EVENTS = insert(EventRecord.__table__)


# PostgreSQL: the counter and the records in one statement.
_PG_APPEND = """
WITH bumped AS (
    UPDATE conferences SET last_seq = last_seq + %(n)s WHERE id = %(conference_id)s RETURNING last_seq
)
INSERT INTO events (conference_id, seq, type, audience, payload, created_at)
SELECT %(conference_id)s, bumped.last_seq - %(n)s + e.k, e.type, e.audience, e.payload, %(now)s
FROM bumped, jsonb_to_recordset(%(rows)s) AS e(k int, type text, audience text, payload json)
RETURNING seq
"""


def _commit_in_one_flush(session: Session, by_conference: dict[int, list[Event]]) -> list[Committed]:
    """PostgreSQL: the counters, the records and the COMMIT in one network flush.

    The UPDATE locks the conference row until COMMIT, and every other writer of the conference waits.
    Sent as separate round trips, the holder had to be scheduled again between its statement and its
    COMMIT: in a busy process (gevent) that took long enough for 2,000 phones' posts to queue for
    seconds. In psycopg's pipeline mode the statements and the COMMIT leave together, and the database
    releases the lock without waiting for this process. Everything else of the transaction is flushed
    first. The COMMIT is the driver's, sent here in plain sight (not from a commit hook); SQLAlchemy's
    own commit that follows finds nothing left and returns the connection to the pool only after the
    results were read (committing through SQLAlchemy inside the pipeline would hand the connection to
    another request while this one still reads from it).
    """
    from psycopg.types.json import Jsonb

    session.flush()
    raw = session.connection().connection.driver_connection
    sent = []
    with raw.pipeline():
        for conference_id, evs in sorted(by_conference.items()):
            rows = [(ev.type, ev.audience(), ev.to_payload()) for ev in evs]
            params = {
                "n": len(rows),
                "conference_id": conference_id,
                "now": utcnow(),
                "rows": Jsonb(
                    [
                        {"k": k, "type": kind, "audience": str(audience), "payload": payload}
                        for k, (kind, audience, payload) in enumerate(rows, start=1)
                    ]
                ),
            }
            sent.append((conference_id, rows, raw.execute(_PG_APPEND, params)))
        raw.commit()
    committed: list[Committed] = []
    for conference_id, rows, cursor in sent:
        committed += _committed(conference_id, min(seq for (seq,) in cursor.fetchall()), rows)
    session.commit()
    return committed


def wire(rec: EventRecord | Committed, payload: dict[str, Any] | None = None) -> dict[str, Any]:
    """The shape a client receives, live or replayed (`payload`: this viewer's view of it)."""
    data = rec.payload if payload is None else payload
    return {"conference_id": rec.conference_id, "seq": rec.seq, "type": rec.type, "data": data}


def events_since(session: Session, conference_id: int, since: int, limit: int) -> list[EventRecord] | None:
    """Events after `since` in order, or None when more than `limit` were missed (send a snapshot)."""
    rows = list(
        session.scalars(
            select(EventRecord)
            .where(EventRecord.conference_id == conference_id, EventRecord.seq > since)
            .order_by(EventRecord.seq)
            .limit(limit + 1)
        )
    )
    return None if len(rows) > limit else rows


def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_ANNOUNCED, None)
    session.info.pop(_TOLD, None)


def _refuse_hidden_commit(session: Session) -> None:
    """A commit with recorded events that bypassed `commit` would store a change no client hears of."""
    if session.info.get(_PENDING):
        session.info.pop(_PENDING)
        raise RuntimeError("events were recorded outside confapp.db.transaction(); commit through it")


def install(session_factory: Any) -> None:
    """Guards, not hooks that do work: a rollback drops recorded events; a bare commit with some fails."""
    from sqlalchemy import event as sa_event

    if not sa_event.contains(session_factory, "before_commit", _refuse_hidden_commit):
        sa_event.listen(session_factory, "before_commit", _refuse_hidden_commit)
        sa_event.listen(session_factory, "after_soft_rollback", lambda s, _t: _forget(s))

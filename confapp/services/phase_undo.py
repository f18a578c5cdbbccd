"""Undo the last phase change (start round, start plenary, next item, finish) within 30 seconds.

A facilitator who clicks the wrong agenda item, or "End the conference" by mistake, gets it back
without anyone noticing more than a blink. The change to revert is the newest `phase.changed` event
that carries `previous` (a start or a finish; countdown extensions carry none and are skipped).

It may be undone only while it is at most `UNDO_SECONDS` old and nothing irreversible happened since.
Irreversible is anything but the events in `HARMLESS`: a point posted, edited or deleted in the new
round, a plenary note, a vote, a board move, an initiative, an edit of the conference (which includes
anonymising), another start or finish, or an earlier undo (an undo is not itself undone). People
joining, being seated, given roles or removed, a table focused on the projector, tables (re)planned or
announced, and the countdown extended do not block it: none of them is lost when the item goes back.

The undo restores the round that was running (with its own countdown), the conference status and the
focused table; the started round returns to "not started". Tables announced by the start stay
announced, and late arrivals seated by it keep their seats. The undo is itself a `phase.changed` event
(`undo_of` = the reverted seq), so phones and the projector follow it like any phase change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from confapp import db, schemas
from confapp.errors import N_, Conflict
from confapp.live import events
from confapp.models import Conference, ConferenceStatus, EventRecord, Round, RoundState, utcnow

UNDO_SECONDS = 30  # long enough to notice a wrong click, short enough that nobody has started writing
HARMLESS = frozenset(
    {
        "participant.joined",
        "participant.removed",
        "group.member_added",
        "group.roles_set",
        "groups.planned",
        "groups.published",
        "plenary.focus",
    }
)


@dataclass(frozen=True)
class Undoable:
    """The phase change an undo would revert, and for how long it still can."""

    seq: int
    round_id: int | None  # the round it started; None: it finished the conference
    seconds_left: int


def available(conf: Conference, *, now: datetime | None = None) -> Undoable | None:
    """The phase change that may be undone now, or None (too old, nothing to undo, or blocked)."""
    found = _last_change(conf, now or utcnow())
    return found[0] if found else None


def undo(conf: Conference, *, now: datetime | None = None) -> Undoable:
    """Revert the last phase change; a clear Conflict when it may not be undone."""
    found = _last_change(conf, now or utcnow())
    if found is None:
        raise Conflict(
            "undo_unavailable",
            N_(
                "There is nothing to undo: the change is more than 30 seconds old, or work has started since."
            ),
        )
    change, previous = found
    started = db.session.get(Round, change.round_id) if change.round_id is not None else None
    before = db.session.get(Round, previous["active_round_id"]) if previous["active_round_id"] else None
    if started is not None and (started.state != RoundState.ACTIVE or conf.active_round_id != started.id):
        raise Conflict("undo_unavailable", N_("The agenda has moved on since; there is nothing to undo."))
    if started is None and conf.status != ConferenceStatus.FINISHED:
        raise Conflict("undo_unavailable", N_("The agenda has moved on since; there is nothing to undo."))
    with db.transaction() as s:
        if started is not None:
            started.state = RoundState.PENDING
            started.started_at = None
            started.ends_at = None
        if before is not None:
            before.state = RoundState.ACTIVE  # its started_at and ends_at were never cleared
        conf.active_round_id = before.id if before is not None else None
        conf.status = previous["status"]
        conf.focus_group_number = previous["focus_group_number"]
        events.record(
            s,
            conf.id,
            events.PhaseChanged(
                active_round=schemas.round_(before) if before is not None else None,
                status=conf.status,
                undo_of=change.seq,
            ),
        )
    return change


def _last_change(conf: Conference, now: datetime) -> tuple[Undoable, dict] | None:
    """Walk the log back from the newest event to the last start/finish; None when blocked or too old."""
    since = now - timedelta(seconds=UNDO_SECONDS)
    newer = db.session.scalars(
        select(EventRecord)
        .where(EventRecord.conference_id == conf.id, EventRecord.created_at >= since)
        .order_by(EventRecord.seq.desc())
    )
    for rec in newer:
        if rec.type in HARMLESS:
            continue
        if rec.type != events.PhaseChanged.type:
            return None  # something irreversible happened after the change
        payload = rec.payload
        if payload.get("undo_of") is not None:
            return None  # an undo is not undone
        previous = payload.get("previous")
        if previous is None:
            continue  # a countdown extension
        left = UNDO_SECONDS - (now - rec.created_at).total_seconds()
        if left <= 0:
            return None
        return Undoable(seq=rec.seq, round_id=previous["round_id"], seconds_left=int(left + 0.999)), previous
    return None

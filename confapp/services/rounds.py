"""Moving through the agenda: start a group round or a plenary, focus a table, finish."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from confapp import db, schemas
from confapp.errors import N_, Conflict, ServiceError
from confapp.live import events
from confapp.models import Conference, ConferenceStatus, Round, RoundKind, RoundState, utcnow
from confapp.services import groups
from confapp.services.conferences import MAX_MINUTES


def reported_round(conf: Conference, plenary: Round) -> Round | None:
    """The group round a plenary reports on (`Round.reports_on`; `conf` is the plenary's conference)."""
    return plenary.reports_on()


@dataclass
class Started:
    """A started agenda item, and who was given a seat as it started (late arrivals)."""

    round: Round
    seated: list[groups.Seated] = field(default_factory=list)


def start(conf: Conference, rnd: Round) -> Started:
    """Start an agenda item; the one running before it is done. Group rounds get tables if they lack them.

    People who joined while the round's tables were a draft are seated now (`Started.seated`), so
    nobody starts the round "without a table". The change can be undone for a short while
    (`phase_undo`): the event carries what was there before.
    """
    if conf.status == ConferenceStatus.FINISHED:
        raise Conflict("finished", N_("This conference is finished."))
    if rnd.state == RoundState.ACTIVE:
        return Started(rnd)
    if rnd.state == RoundState.DONE:
        raise Conflict("done", N_("This round has already been held."))
    with db.transaction() as s:
        return do_start(s, conf, rnd)


def do_start(s: Session, conf: Conference, rnd: Round) -> Started:
    """Inside the caller's transaction: a round without tables gets them in the same commit, so a
    start that fails halfway leaves no tables behind (and phones never see a half-started round)."""
    previous = _previous(conf, rnd)
    if rnd.kind == RoundKind.GROUP and not rnd.groups:
        groups.do_propose(s, conf, rnd)
    now = utcnow()
    seated: list[groups.Seated] = []
    if rnd.kind == RoundKind.GROUP:
        seated = groups.seat_unseated(s, conf, rnd)
    for other in conf.rounds:
        if other.state == RoundState.ACTIVE:
            other.state = RoundState.DONE
    rnd.state = RoundState.ACTIVE
    rnd.started_at = now
    if rnd.minutes is not None and not 1 <= rnd.minutes <= MAX_MINUTES:  # stored by an older version
        raise ServiceError("invalid", N_("Agenda item %(n)d: minutes must be 1 to 480."), n=rnd.position)
    rnd.ends_at = now + timedelta(minutes=rnd.minutes) if rnd.minutes else None
    conf.active_round_id = rnd.id
    conf.status = ConferenceStatus.RUNNING
    conf.focus_group_number = None
    if rnd.kind == RoundKind.GROUP and not rnd.groups_published:
        rnd.groups_published = True
        events.record(s, conf.id, events.GroupsPublished(round_id=rnd.id))
    if rnd.kind == RoundKind.PLENARY:
        reported = reported_round(conf, rnd)
        if reported is not None and reported.groups:
            conf.focus_group_number = reported.groups[0].number
    events.record(s, conf.id, _phase(conf, rnd, previous))
    return Started(rnd, seated)


def extend(conf: Conference, rnd: Round, minutes: int) -> Round:
    """Add minutes to the running item's countdown (facilitators always need five more)."""
    if rnd.state != RoundState.ACTIVE:
        raise Conflict("not_active", N_("Only the running round can be extended."))
    if not isinstance(minutes, int) or not -60 <= minutes <= 120 or minutes == 0:
        raise ServiceError("invalid", N_("Minutes must be a whole number between -60 and 120."))
    with db.transaction() as s:
        base = rnd.ends_at or utcnow()
        rnd.ends_at = max(utcnow(), base + timedelta(minutes=minutes))
        events.record(s, conf.id, _phase(conf, rnd))
    return rnd


def focus(conf: Conference, group_number: int | None) -> None:
    """Which table's report the projector and phones show in plenary."""
    rnd = next((r for r in conf.rounds if r.id == conf.active_round_id), None)
    if rnd is None or rnd.kind != RoundKind.PLENARY:
        raise Conflict("not_plenary", N_("Tables can be focused only during a plenary."))
    reported = reported_round(conf, rnd)
    numbers = {g.number for g in reported.groups} if reported else set()
    if group_number is not None and group_number not in numbers:
        raise ServiceError("invalid", N_("No such table in the reported round."))
    with db.transaction() as s:
        conf.focus_group_number = group_number
        events.record(s, conf.id, events.PlenaryFocus(round_id=rnd.id, group_number=group_number))


def finish(conf: Conference) -> None:
    """End the conference (undoable for a short while, like a start)."""
    if conf.status == ConferenceStatus.FINISHED:
        return
    previous = _previous(conf, None)
    with db.transaction() as s:
        for r in conf.rounds:
            if r.state == RoundState.ACTIVE:
                r.state = RoundState.DONE
        conf.active_round_id = None
        conf.focus_group_number = None
        conf.status = ConferenceStatus.FINISHED
        events.record(
            s, conf.id, events.PhaseChanged(active_round=None, status=conf.status, previous=previous)
        )


def _previous(conf: Conference, started: Round | None) -> dict[str, Any]:
    """What an undo of this phase change restores (see `events.PhaseChanged.previous`)."""
    return {
        "round_id": started.id if started is not None else None,
        "active_round_id": conf.active_round_id,
        "status": str(conf.status),
        "focus_group_number": conf.focus_group_number,
    }


def _phase(conf: Conference, rnd: Round, previous: dict[str, Any] | None = None) -> events.PhaseChanged:
    return events.PhaseChanged(active_round=schemas.round_(rnd), status=conf.status, previous=previous)

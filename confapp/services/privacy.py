"""Privacy after the conference: anonymise names, or delete a finished conference entirely.

Participants give no more than a display name and a role. Anonymising replaces each name with
"Deltaker N" everywhere it is stored: the participant rows, plenary note authors, free text that
spells a participant's full name (points, notes, clusters, initiatives, the coordinator's log and
the evaluations of the measures drafted or evaluated at the conference, the vote result), and every
stored event payload, so neither exports, `GET /events` nor a replay carry a name. Unit and grade
team are cleared; the projector key is replaced. Afterwards the database files are flushed so they
keep no old copy (`confapp.ops.erasure`). What remains where: docs/privacy.md.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from confapp import db
from confapp.errors import N_, Conflict
from confapp.live import events
from confapp.models import (
    Bullet,
    Cluster,
    Conference,
    ConferenceStatus,
    Escalation,
    Group,
    Initiative,
    MeasureEvaluation,
    MeasureLogEntry,
    PlenaryNote,
    VoteSession,
)
from confapp.ops import erasure
from confapp.services.conferences import conference_event
from confapp.services.redaction import anonymise_log, name_pattern, pseudonymise, replace_names

# Tables whose rows anonymise rewrites or delete removes: the ones to vacuum afterwards.
PERSONAL_TABLES = (
    "participants",
    "plenary_notes",
    "bullets",
    "clusters",
    "initiatives",
    "measure_log_entries",
    "measure_evaluations",
    "escalations",
    "vote_sessions",
    "events",
)
INITIATIVE_TEXT = ("title", "goal", "content", "coordinator", "main_arena_other", "participants", "timeframe")
LOG_TEXT = ("done", "who", "learned")
EVALUATION_TEXT = ("what_works", "what_to_adjust", "daily_operation", "trial_people", "others", "actor")


def _finished(conf: Conference) -> None:
    if conf.status != ConferenceStatus.FINISHED:
        raise Conflict("not_finished", N_("End the conference before anonymising or deleting it."))


def pseudonym(n: int) -> str:
    return f"Deltaker {n}"


def anonymise(conf: Conference) -> int:
    """Replace every participant's name; returns how many were anonymised. Roles stay (not personal)."""
    _finished(conf)
    with db.transaction() as s:
        names: dict[str, str] = {}
        for n, p in enumerate(conf.participants, start=1):
            names.setdefault(p.display_name, pseudonym(n))
            p.display_name = pseudonym(n)
            p.unit = ""
            p.grade_team = ""
            p.token_hash = None  # no phone can act as them any more
        pattern = name_pattern(names)

        def scrub(value: str) -> str:
            return replace_names(value, names, pattern)

        for note in s.scalars(select(PlenaryNote).where(PlenaryNote.conference_id == conf.id)):
            note.author = names.get(note.author, scrub(note.author))
            note.text = scrub(note.text)
        for b in s.scalars(select(Bullet).where(Bullet.conference_id == conf.id)):
            b.text = scrub(b.text)
        for c in s.scalars(select(Cluster).where(Cluster.conference_id == conf.id)):
            c.title = scrub(c.title)
        for i in s.scalars(select(Initiative).where(Initiative.conference_id == conf.id)):
            for field in INITIATIVE_TEXT:
                setattr(i, field, scrub(getattr(i, field)))
        _scrub_measures(s, conf, scrub)
        for v in s.scalars(select(VoteSession).where(VoteSession.conference_id == conf.id)):
            if v.final_tally is not None:
                v.final_tally = pseudonymise(v.final_tally, names, pattern)
        anonymise_log(s, conf.id, names)
        conf.joins_open = False
        conf.projector_key = secrets.token_urlsafe(24)  # the old projector link stops working
        events.record(s, conf.id, conference_event(conf))
    erasure.flush_copies(db.session.get_bind(), PERSONAL_TABLES)
    return len(conf.participants)


def _scrub_measures(s: Session, conf: Conference, scrub: Callable[[str], str]) -> None:
    """The measures that came from this conference (drafted or evaluated at it): their log and
    evaluations name the same people (a trial team is staff who were at the conference)."""
    drafted = set(s.scalars(select(Initiative.id).where(Initiative.conference_id == conf.id)))
    evaluated = set(s.scalars(select(Group.measure_id).where(Group.conference_id == conf.id)))
    ours = (drafted | evaluated) - {None}
    for model, fields in ((MeasureLogEntry, LOG_TEXT), (MeasureEvaluation, EVALUATION_TEXT)):
        for row in s.scalars(select(model).where(model.measure_id.in_(ours))):
            for field in fields:
                setattr(row, field, scrub(getattr(row, field)))
    for e in s.scalars(select(Escalation).where(Escalation.measure_id.in_(ours))):  # the strategy forum
        e.text, e.decision, e.follow_up = scrub(e.text), scrub(e.decision), scrub(e.follow_up)
        e.postponements = [p | {"reason": scrub(p["reason"])} for p in e.postponements or []]


def delete(conf: Conference) -> None:
    """Delete the conference and everything in it: every table cascades, the event log included."""
    _finished(conf)
    with db.transaction() as s:
        # Open consoles, phones and screens are told; a phone that reconnects later is refused anyway.
        events.announce(s, conf.id, conf.last_seq + 1, events.ConferenceDeleted(conference_id=conf.id))
        events.tell_facilitators(
            s, [f.id for f in conf.facilitators], events.ConferenceListChanged(conf.id, "deleted")
        )
        s.delete(conf)
    erasure.flush_copies(db.session.get_bind(), PERSONAL_TABLES)

"""Privacy after the conference: anonymise names, or delete a finished conference entirely.

Participants give no more than a display name and a role. Anonymising replaces each name with
"Deltaker N" everywhere it is stored: the participant rows, plenary note authors, free text that
spells a participant's full name (points, notes, clusters, initiatives, the vote result), and every
stored event payload, so neither exports, `GET /events` nor a replay carry a name. Unit and grade
team are cleared; the projector key is replaced. Afterwards the database files are flushed so they
keep no old copy (`confapp.erasure`). What remains where: docs/privacy.md.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select

from confapp import db, erasure, events
from confapp.errors import N_, Conflict
from confapp.models import (
    Bullet,
    Cluster,
    Conference,
    ConferenceStatus,
    Initiative,
    PlenaryNote,
    VoteSession,
)
from confapp.services.conferences import conference_event
from confapp.services.redaction import anonymise_log, name_pattern, pseudonymise, replace_names

# Tables whose rows anonymise rewrites or delete removes: the ones to vacuum afterwards.
PERSONAL_TABLES = (
    "participants",
    "plenary_notes",
    "bullets",
    "clusters",
    "initiatives",
    "vote_sessions",
    "events",
)
INITIATIVE_TEXT = ("title", "goal", "content", "coordinator", "main_arena_other", "participants", "timeframe")


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
        for v in s.scalars(select(VoteSession).where(VoteSession.conference_id == conf.id)):
            if v.final_tally is not None:
                v.final_tally = pseudonymise(v.final_tally, names, pattern)
        anonymise_log(s, conf.id, names)
        conf.joins_open = False
        conf.projector_key = secrets.token_urlsafe(24)  # the old projector link stops working
        events.record(s, conf.id, conference_event(conf))
    erasure.flush_copies(db.session.get_bind(), PERSONAL_TABLES)
    return len(conf.participants)


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

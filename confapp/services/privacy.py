"""Privacy after the conference: anonymise names, or delete a finished conference entirely.

Participants give no more than a display name and a role. Anonymising replaces each name with
"Deltaker N" everywhere it is stored (participants, plenary note authors) so exports carry no names.
"""

from __future__ import annotations

from sqlalchemy import select

from confapp import db, events
from confapp.errors import N_, Conflict
from confapp.models import Conference, ConferenceStatus, PlenaryNote
from confapp.services.conferences import conference_event


def _finished(conf: Conference) -> None:
    if conf.status != ConferenceStatus.FINISHED:
        raise Conflict("not_finished", N_("End the conference before anonymising or deleting it."))


def anonymise(conf: Conference) -> int:
    """Replace every participant's name; returns how many were anonymised. Roles stay (not personal)."""
    _finished(conf)
    with db.transaction() as s:
        names = {}
        for n, p in enumerate(conf.participants, start=1):
            names[p.display_name] = f"Deltaker {n}"
            p.display_name = f"Deltaker {n}"
            p.token_hash = None  # no phone can act as them any more
        for note in s.scalars(select(PlenaryNote).where(PlenaryNote.conference_id == conf.id)):
            if note.author in names:
                note.author = names[note.author]
        conf.joins_open = False
        events.record(s, conf.id, conference_event(conf))
    return len(names)


def delete(conf: Conference) -> None:
    """Delete the conference and everything in it (cascades through every table)."""
    _finished(conf)
    with db.transaction() as s:
        s.delete(conf)

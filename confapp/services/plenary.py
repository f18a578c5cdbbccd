"""Plenary minutes, written by the facilitator or an appointed minute-taker."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from confapp import db, schemas
from confapp.errors import N_, Conflict, Forbidden, ServiceError
from confapp.live import events
from confapp.models import Conference, Participant, PlenaryNote, RoundKind, utcnow
from confapp.services import access, idempotency, text
from confapp.services.bullets import parse_uuid
from confapp.services.conferences import conference_event

NOTE_MAX = 4000


def appoint_minute_taker(conf: Conference, participant_id: int | None) -> None:
    if participant_id is not None:
        access.participant_in(conf, participant_id)
    with db.transaction() as s:
        conf.minute_taker_id = participant_id
        events.record(s, conf.id, conference_event(conf))


def save_note(
    conf: Conference,
    *,
    client_uuid: Any,
    text_: Any,
    group_number: Any = None,
    author: str,
    by: Participant | None = None,
) -> PlenaryNote:
    """Add or update (same UUID) a note in the running plenary."""
    if by is not None and conf.minute_taker_id != by.id:
        raise Forbidden("not_minute_taker", N_("Only the appointed minute-taker writes plenary notes."))
    rnd = next((r for r in conf.rounds if r.id == conf.active_round_id), None)
    if rnd is None or rnd.kind != RoundKind.PLENARY:
        raise Conflict("not_plenary", N_("Plenary notes can be written only while a plenary is running."))
    cid = parse_uuid(client_uuid)
    body = text.required(text_, N_("Note"), NOTE_MAX, single_line=False)
    if group_number in ("", None):
        group_number = None
    else:
        try:
            group_number = int(group_number)
        except (TypeError, ValueError):
            group_number = 0
        if not 1 <= group_number <= 1000:
            raise ServiceError("invalid", N_("No such table in the reported round."))
    with db.transaction() as s:
        # Insert-or-get, not check-then-insert: two deliveries of one note at once make one note.
        note, new = idempotency.insert_or_get(
            s,
            PlenaryNote,
            unique={"conference_id": conf.id, "client_uuid": cid},
            values={"round_id": rnd.id, "text": body, "group_number": group_number, "author": author},
        )
        if not new:
            if note.text == body and note.group_number == group_number:
                return note
            note.text = body
            note.group_number = group_number
            note.updated_at = utcnow()
        s.flush()
        events.record(s, conf.id, events.NoteSaved(note=schemas.note(note)))
    return note


def notes(conf: Conference) -> list[PlenaryNote]:
    return list(
        db.session.scalars(
            select(PlenaryNote).where(PlenaryNote.conference_id == conf.id).order_by(PlenaryNote.id)
        )
    )

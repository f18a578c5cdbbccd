"""Rewriting the stored event log when personal data goes: what is deleted is gone from the log too.

The log is replayed to clients (`GET /events`, socket `sync`) and copied by every backup, so a name
or a deleted point that stays in an old payload is not deleted. These functions rewrite payloads in
place inside the caller's transaction; they keep every event (its `seq`, type and ids), so a
client's replay stays gap-free and ends in the same state as before, minus the redacted text.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from confapp.live import events
from confapp.models import EventRecord

Payload = dict[str, Any]
Rewrite = Callable[[str, Payload], Payload]

# Where a participant record sits in a payload, and what of it is cleared on anonymise.
PERSONAL_DETAILS = ("unit", "grade_team")


def rewrite_log(
    session: Session,
    conference_id: int,
    rewrite: Rewrite,
    types: set[str] | None = None,
    *criteria: ColumnElement[bool],
) -> int:
    """Apply `rewrite(type, payload copy)` to the conference's events; returns how many changed."""
    query = select(EventRecord).where(EventRecord.conference_id == conference_id, *criteria)
    if types is not None:
        query = query.where(EventRecord.type.in_(sorted(types)))
    changed = 0
    for rec in session.scalars(query):
        new = rewrite(rec.type, copy.deepcopy(rec.payload))
        if new != rec.payload:
            rec.payload = new  # a new object: the JSON column only notices assignment
            changed += 1
    return changed


# --- a deleted point -------------------------------------------------------------------------------------

BULLET_TEXT_EVENTS = {events.BulletPosted.type, events.BulletEdited.type}


def forget_bullet_text(session: Session, conference_id: int, bullet_id: int) -> int:
    """Blank the text of one bullet in every stored event that carried it (posted, edited)."""

    def rewrite(_type: str, payload: Payload) -> Payload:
        bullet = payload.get("bullet")
        if isinstance(bullet, dict) and bullet.get("id") == bullet_id:
            bullet["text"] = ""
        return payload

    # Narrowed in the database (JSON path works on SQLite and PostgreSQL); checked again in Python.
    this_bullet = EventRecord.payload[("bullet", "id")].as_integer() == bullet_id
    return rewrite_log(session, conference_id, rewrite, BULLET_TEXT_EVENTS, this_bullet)


# --- anonymising ------------------------------------------------------------------------------------------


def name_pattern(names: Mapping[str, str]) -> re.Pattern[str] | None:
    """One pattern for every name as a whole word, longest first ("Ola Nordmann" before "Ola")."""
    keys = sorted((n for n in names if n.strip()), key=len, reverse=True)
    if not keys:
        return None
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(k) for k in keys) + r")(?!\w)", re.IGNORECASE)


def replace_names(value: str, names: Mapping[str, str], pattern: re.Pattern[str] | None) -> str:
    """Every whole-word occurrence of a name in free text becomes its pseudonym, in one pass."""
    if pattern is None or not value:
        return value
    folded = {k.casefold(): v for k, v in names.items()}
    return pattern.sub(lambda m: folded.get(m.group(0).casefold(), m.group(0)), value)


def pseudonymise(value: Any, names: Mapping[str, str], pattern: re.Pattern[str] | None) -> Any:
    """Walk a payload: names in every string become pseudonyms; people lose unit and grade team.

    A dict with `name` and `role` (a participant or a table member) is a person; its personal
    details are cleared wherever it appears.
    """
    if isinstance(value, str):
        return replace_names(value, names, pattern)
    if isinstance(value, list):
        return [pseudonymise(v, names, pattern) for v in value]
    if isinstance(value, dict):
        out = {k: pseudonymise(v, names, pattern) for k, v in value.items()}
        if "name" in out and "role" in out:
            for key in PERSONAL_DETAILS:
                if key in out:
                    out[key] = ""
        return out
    return value


def anonymise_log(session: Session, conference_id: int, names: Mapping[str, str]) -> int:
    """Rewrite every stored event of the conference with pseudonyms (see `pseudonymise`)."""
    pattern = name_pattern(names)
    return rewrite_log(session, conference_id, lambda _t, p: pseudonymise(p, names, pattern))
